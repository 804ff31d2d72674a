"""Rosters (docs/rosters.md): the shared roster cases of
tests/conformance/rosters give byte-identical decisions through
`score_many` (each lead as of its `as_of_key`, assigned in input order),
and bad rosters raise RosterError located as the CLI locates them."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import leadgate

from conftest import CONFORMANCE

ROSTERS = CONFORMANCE.parent / "rosters"
CASES = sorted(ROSTERS.glob("*.json"))


def _case(path: Path):
    case = json.loads(path.read_text(encoding="utf-8"))
    stem = path.name[: -len(".json")]
    roster = leadgate.Roster.load(path.with_name(stem + ".roster.yaml"))
    expected = path.with_name(stem + ".expected.jsonl").read_text(encoding="utf-8").splitlines()
    return case, roster, expected


def _load(case) -> leadgate.Load:
    load = leadgate.Load()
    for taken in case.get("load", []):
        load.set(taken["person"], taken["date"], taken["count"])
    return load


def test_the_roster_corpus_is_there():
    assert len(CASES) >= 5, f"roster cases missing under {ROSTERS}"


@pytest.mark.parametrize("threads", [1, 3])
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_roster_case(path: Path, threads: int):
    case, roster, expected = _case(path)
    agreement = leadgate.compile(case["agreement"], file_name=path.name)
    decisions = agreement.score_many(
        case["leads"],
        as_of=case["as_of"],
        on_bad_value=case["on_bad_value"],
        threads=threads,
        roster=roster,
        as_of_column=case.get("as_of_key"),
        load=_load(case),
    )
    got = [d.to_json() for d in decisions]
    assert got == expected


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_roster_case_one_at_a_time(path: Path):
    """A host scoring one lead at a time with one Load gets the batch's decisions."""
    case, roster, expected = _case(path)
    agreement = leadgate.compile(case["agreement"])
    load = _load(case)
    for i, lead in enumerate(case["leads"]):
        want = {**json.loads(expected[i]), "index": 0}
        try:
            d = agreement.score(
                lead, as_of=case["as_of"], on_bad_value=case["on_bad_value"], roster=roster,
                as_of_column=case.get("as_of_key"), load=load,
            )
        except leadgate.LeadError as e:
            assert (e.field, e.message) == (want["error"]["field"], want["error"]["message"])
        else:
            assert d.to_dict() == want


def test_roster_case_through_arrow():
    pa = pytest.importorskip("pyarrow")
    case, roster, expected = _case(ROSTERS / "capacity-given.json")
    agreement = leadgate.compile(case["agreement"])
    table = pa.Table.from_pylist(case["leads"])
    out = agreement.score_arrow(
        table, as_of=case["as_of"], roster=roster, as_of_column=case["as_of_key"], load=_load(case)
    ).to_pylist()
    want = [json.loads(line) for line in expected]
    assert [r["assignee"] for r in out] == [w["assignee"] for w in want]
    assert [r["unassigned"] for r in out] == [w["unassigned"] for w in want]
    assert [r["follow_up_by"] for r in out] == [w["follow_up_by"] for w in want]


def test_decision_attributes_and_the_load():
    case, roster, expected = _case(ROSTERS / "capacity-given.json")
    agreement = leadgate.compile(case["agreement"])
    load = _load(case)
    ds = agreement.score_many(case["leads"], as_of=case["as_of"], roster=roster,
                              as_of_column="created", load=load)
    want = [json.loads(line) for line in expected]
    assert [(d.assignee, d.unassigned, d.follow_up_by) for d in ds] == [
        (w["assignee"], w["unassigned"], w["follow_up_by"]) for w in want
    ]
    assert load.get("Ana Lopez", "2026-12-08") == 2  # 1 given, 1 assigned here
    assert pickle.loads(pickle.dumps(ds[0])).assignee == ds[0].assignee
    copy = pickle.loads(pickle.dumps(roster))
    assert (copy.source, copy.file_name, copy.queues) == (roster.source, roster.file_name, roster.queues)


def test_roster_errors_are_located(tmp_path):
    bad = tmp_path / "team.yaml"
    bad.write_text(
        "timezone: Europe/Berlin\nqueues:\n  sales:\n    hours: Mon-Fri 09:00-18:00\n"
        "    members:\n      - { name: Ana, wieght: 2 }\n",
        encoding="utf-8",
    )
    with pytest.raises(leadgate.RosterError) as e:
        leadgate.Roster.load(bad)
    d = e.value.diagnostics[0]
    assert (d.severity, d.line, d.key) == ("error", 6, "queues.sales.members[0]")
    assert "wieght" in d.message
    assert str(e.value).startswith(f"{bad}:6:{d.column}: error: queues.sales.members[0]: ")
    with pytest.raises(leadgate.RosterError, match=r"^<roster>:1:\d+: error: .*time zone"):
        leadgate.Roster.parse("timezone: Europe/Lndon\nqueues: {}\n")
    (tmp_path / "latin1.yaml").write_bytes(b"timezone: UTC # \xe9\n")
    with pytest.raises(leadgate.RosterError, match="not UTF-8"):
        leadgate.Roster.load(tmp_path / "latin1.yaml")


def test_a_roster_without_a_routed_queue_is_refused():
    case, _, _ = _case(ROSTERS / "capacity-given.json")
    agreement = leadgate.compile(case["agreement"])
    roster = leadgate.Roster.parse(
        "timezone: UTC\nqueues:\n  sales:\n    hours: Mon-Fri 09:00-18:00\n    members: [{ name: Ana }]\n"
    )
    with pytest.raises(leadgate.RosterError, match="callbox"):
        agreement.score_many([{"id": "a", "size": 1}], as_of="2026-12-08", roster=roster)


def test_as_of_column_rejects_a_lead_without_an_instant_in_its_place():
    case, roster, _ = _case(ROSTERS / "capacity-given.json")
    agreement = leadgate.compile(case["agreement"])
    leads = [{"id": "a", "size": 200}, {"id": "b", "size": 200, "created": "soon"},
             {"id": "c", "size": 200, "created": "2026-12-08 10:30"}]
    ds = agreement.score_many(leads, roster=roster, as_of_column="created")
    assert [d.ok for d in ds] == [False, False, True]
    assert "no arrival time" in ds[0].error.message
    assert '"soon", not a date' in ds[1].error.message
    # A value that is no text is shown as every front shows it.
    odd = agreement.score_many([{"id": "d", "size": 200, "created": 7},
                                {"id": "e", "size": 200, "created": True}],
                               roster=roster, as_of_column="created")
    assert [d.error.message for d in odd] == [
        '"created" holds 7, not a date or timestamp text',
        '"created" holds true, not a date or timestamp text',
    ]
    # With as_of, a lead without an instant is scored as of it.
    assert agreement.score_many(leads[:1], as_of="2026-12-08", roster=roster,
                                as_of_column="created")[0].ok


def test_report_and_diff_with_rosters():
    case, roster, _ = _case(ROSTERS / "capacity-given.json")
    agreement = leadgate.compile(case["agreement"])
    leads = [{**lead, "followed": "2026-12-08T10:30:00Z"} for lead in case["leads"]]
    report = agreement.report(leads, as_of=case["as_of"], roster=roster,
                              as_of_column="created", followed_up_at="followed")
    assert "assignment" in report.to_dict()
    assert "Assignment (roster)" in report.text
    solo = leadgate.Roster.parse(roster.source.replace("Ben Okafor", "Cleo Hart"))
    diff = agreement.diff(agreement, case["leads"], as_of=case["as_of"], roster=roster,
                          roster_new=solo, as_of_column="created")
    assert "hands" in diff.text.lower()


def test_pandas_and_datetime_instants_assign_as_the_dicts_do():
    pd = pytest.importorskip("pandas")
    import datetime as dt

    case, roster, expected = _case(ROSTERS / "capacity-given.json")
    agreement = leadgate.compile(case["agreement"])
    want = [json.loads(line)["assignee"] for line in expected]
    # The instants as datetime objects (aware, UTC), not text.
    leads = [{**lead, "created": dt.datetime.fromisoformat(lead["created"].replace("Z", "+00:00"))}
             for lead in case["leads"]]
    ds = agreement.score_many(leads, as_of=case["as_of"], roster=roster, as_of_column="created",
                              load=_load(case))
    assert [d.assignee for d in ds] == want
    frame = agreement.score_pandas(pd.DataFrame(case["leads"]), as_of=case["as_of"], roster=roster,
                                   as_of_column="created", load=_load(case))
    assert list(frame["assignee"].where(frame["assignee"].notna(), None)) == want
