"""The analysis of every possible lead (issue 14) from Python: findings,
witness leads and symbolic diffs, equal to what the CLI prints."""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path

import pytest

import leadgate

from conftest import REPO, RULES
from test_frames import _cli

HAND_MADE = sorted((REPO / "tests" / "analysis").glob("*.lead"))
BUNDLED = sorted(RULES.glob("*.lead"))


@functools.cache
def _analysing_cli() -> str:
    cli = _cli()
    if cli is None:
        pytest.skip("needs a built leadgate CLI (target/*/leadgate or LEADGATE_CLI)")
    probe = subprocess.run([cli, "examples", "--help"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"{cli} predates the analysis (issue 14): rebuild it or set LEADGATE_CLI")
    return cli


def _run_cli(*args: object) -> subprocess.CompletedProcess[str]:
    run = subprocess.run([_analysing_cli(), *map(str, args)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    return run


def _cli_findings(path: Path) -> tuple[list[tuple[str, int, int, str]], list[tuple[int, str]]]:
    """(code, line, column, message) of each warning `leadgate check` prints,
    and (line, reason) of each undecided item it notes (the first ten)."""
    stderr = _run_cli("check", path).stderr
    found = re.findall(r"warning\[(W\d+)\]: (.*)\n\s*--> .*?:(\d+):(\d+)", stderr)
    notes = re.findall(r"note: .*?:(\d+): the analysis left .*? undecided: (.*)", stderr)
    return ([(code, int(line), int(col), msg) for code, msg, line, col in found],
            [(int(line), reason) for line, reason in notes])


def _expected(path: Path) -> tuple[list[tuple[str, int, int, str]], list[int]]:
    """The findings and the lines of the undecided items the `.expected` file lists."""
    findings, undecided = [], []
    for line in path.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"(W\d+) (\d+):(\d+) (.*)", line):
            findings.append((m[1], int(m[2]), int(m[3]), m[4]))
        elif m := re.match(r"undecided line (\d+):", line):
            undecided.append(int(m[1]))
    return findings, undecided


def _findings(a: leadgate.Analysis) -> list[tuple[str, int, int, str]]:
    return [(f.code, f.line, f.column, f.message) for f in a.findings]


@pytest.mark.parametrize("path", HAND_MADE, ids=lambda p: p.stem)
def test_hand_made_agreements_give_exactly_the_expected_findings(path):
    agreement = leadgate.load(path)
    analysis = agreement.analyze()
    expected, undecided = _expected(path)
    assert _findings(analysis) == expected
    assert [u.line for u in analysis.undecided] == undecided
    assert all(u.reason for u in analysis.undecided)
    # The typed view is the core's serde JSON, field for field.
    d = analysis.to_dict()
    assert [{k: f[k] for k in ("code", "message", "line", "column", "subject", "evidence")}
            for f in d["findings"]] == [
        {"code": f.code, "message": f.message, "line": f.line, "column": f.column,
         "subject": f.subject, "evidence": f.evidence} for f in analysis.findings]
    assert json.loads(analysis.to_json()) == d
    for f in analysis.findings:
        assert f.subject["kind"] in ("route_rule", "score_rule", "grade_label", "destination",
                                     "potential_test")
        if f.evidence["kind"] == "taken_by_earlier_rules":
            assert f.evidence["rules"] and all(r in f.message for r in f.evidence["rules"])


@pytest.mark.parametrize("path", HAND_MADE + BUNDLED, ids=lambda p: p.stem)
def test_findings_are_the_ones_leadgate_check_prints(path):
    analysis = leadgate.load(path).analyze()
    findings, notes = _cli_findings(path)
    assert _findings(analysis) == findings
    assert [(u.line, u.reason) for u in analysis.undecided][:10] == notes


def test_the_hand_made_agreements_do_find_something():
    """The expected files are not all empty: the comparison above can fail."""
    counts = {p.stem: len(leadgate.load(p).analyze().findings) for p in HAND_MADE}
    assert counts["shadowed"] >= 5 and counts["potential"] >= 2 and counts["clean"] == 0
    shadowed = leadgate.load(REPO / "tests" / "analysis" / "shadowed.lead").analyze()
    very_hot = next(r for r in shadowed.routes if r.name == "Very hot")
    assert very_hot.status == "unreachable" and very_hot.witness is None
    taken = next(f for f in shadowed.findings if f.subject.get("name") == "Very hot")
    assert taken.evidence == {"kind": "taken_by_earlier_rules", "rules": ["Hot"]}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_reachable_route_rule_of_the_bundled_agreements_has_a_witness(path):
    agreement = leadgate.load(path)
    analysis = agreement.analyze()
    assert len(analysis.routes) == len(agreement.routes) > 0
    reachable = [r for r in analysis.routes if r.status == "reachable"]
    assert reachable
    for r in analysis.routes:
        assert (r.witness is not None) == (r.status == "reachable"), r
        assert (r.reason is not None) == (r.status == "undecided"), r
    for r in reachable:
        assert r.witness is not None
        assert set(r.witness.lead) <= set(agreement.input_keys)
        decision = agreement.score(r.witness.lead, as_of=r.witness.as_of)
        d = decision.to_dict()
        assert decision.rule == r.name, (r, d)
        assert decision.route == r.destination and decision.queue == r.queue
        assert {k: v for k, v in d["scores"].items()} == r.witness.scores
        assert dict(d["grades"]) == r.witness.grades


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_example_blocks_are_the_clis_and_pass_check(path, tmp_path):
    analysis = leadgate.load(path).analyze()
    printed = _run_cli("examples", path).stdout
    blocks = analysis.example_blocks()
    assert blocks and printed.startswith(blocks)
    # What `leadgate examples` adds is one comment per rule with no witness.
    rest = printed[len(blocks):].splitlines()
    assert len(rest) == sum(r.status != "reachable" for r in analysis.routes)
    assert all(line.startswith("# no example for route rule") for line in rest)
    pasted = leadgate.compile(path.read_text(encoding="utf-8") + "\n" + blocks)
    results = pasted.check()
    assert len(results) >= len([r for r in analysis.routes if r.status == "reachable"])
    assert all(results), [r for r in results if not r]
    assert pasted.analyze().uncovered == [r for r in analysis.routes if r.status != "reachable"]


def test_uncovered_is_check_coverage(tmp_path):
    path = RULES / "education-admissions.lead"
    analysis = leadgate.load(path).analyze()
    out = _run_cli("check", path, "--coverage").stdout
    listed = re.findall(r'not covered: route rule "(.*?)" \(line \d+\)', out)
    assert [r.name or "otherwise" for r in analysis.uncovered] == listed
    m = re.search(r"coverage: examples reach (\d+) of (\d+) route rules", out)
    assert m and int(m[2]) - int(m[1]) == len(analysis.uncovered)


def _education_v2() -> str:
    """A threshold change and a new rule (as the core's tests make them)."""
    text = (RULES / "education-admissions.lead").read_text(encoding="utf-8")
    v2 = text.replace("and engagement >= 20", "and engagement >= 25").replace(
        '  nurture       queue "ebook-drip" ',
        '  telemarketing queue "callback" within 24h "Came back often" when visits >= 10 '
        'and reachability is phone_ok\n  nurture       queue "ebook-drip" ',
    )
    assert v2.count("Came back often") == 1 and "engagement >= 25" in v2
    return v2


def test_symbolic_diff_regions_are_the_clis_and_each_witness_moves(tmp_path):
    old_path, new_path = RULES / "education-admissions.lead", tmp_path / "v2.lead"
    new_path.write_text(_education_v2(), encoding="utf-8")
    old, new = leadgate.load(old_path), leadgate.load(new_path)
    sd = old.symbolic_diff(new)
    assert json.loads(_run_cli("diff", old_path, new_path, "--format", "json").stdout) == sd.to_dict()
    assert sd.text == _run_cli("diff", old_path, new_path).stdout
    assert str(sd) == sd.text and json.loads(sd.to_json()) == sd.to_dict()
    assert any(r.old.name == "Engaged professional" and "20 ≤ engagement < 25" in r.condition
               for r in sd.regions)
    assert any(r.new.name == "Came back often" and r.old.destination == "nurture"
               for r in sd.regions)
    assert sd.leads_searched > 0
    for r, raw in zip(sd.regions, sd.to_dict()["regions"]):
        assert r.witness == {v["key"]: v["value"] for v in raw["witness"]}
        od, nd = old.score(r.witness, as_of=sd.as_of), new.score(r.witness, as_of=sd.as_of)
        assert (od.rule, nd.rule) == (r.old.name, r.new.name), r
        assert od.route == r.old.destination != nd.route == r.new.destination
    same = old.symbolic_diff(leadgate.load(old_path))
    assert same.regions == [] and "none found" in same.text


def test_a_spent_budget_leaves_rules_undecided_not_unreachable():
    path = RULES / "education-admissions.lead"
    full = leadgate.load(path).analyze()
    tight = leadgate.load(path).analyze(budget=0, samples=0)
    # Nothing is claimed impossible without a proof, and whatever is claimed
    # is claimed by the full analysis too.
    assert {(f.code, f.line) for f in tight.findings} <= {(f.code, f.line) for f in full.findings}
    for t, f in zip(tight.routes, full.routes):
        assert t.status == f.status or t.status == "undecided", (t, f)
    with pytest.raises(OverflowError):
        leadgate.load(path).analyze(budget=-1)


OTHERS = [Path(__file__).parent / "spec_example.lead", Path(__file__).parent / "hostile.lead",
          REPO / "tests" / "agreements" / "acme-inbound.lead", *HAND_MADE]


@pytest.mark.parametrize("path", OTHERS, ids=lambda p: p.stem)
def test_no_scored_lead_contradicts_a_never_and_every_witness_reaches_its_rule(path):
    """Random leads (the suite's generator) never reach a route rule the
    analysis calls unreachable, nor fire a score rule it says never fires;
    every witness, scored from Python, reaches its rule."""
    from conftest import make_leads

    agreement = leadgate.load(path)
    analysis = agreement.analyze()
    never_reached = {r.index for r in analysis.routes if r.status == "unreachable"}
    never_fires = {f.subject["name"] for f in analysis.findings if f.code == "W0008"}
    leads = make_leads(2000, seed=41)
    for r in analysis.routes:
        if r.witness is not None:
            leads.append(r.witness.lead)
            decision = agreement.score(r.witness.lead, as_of=r.witness.as_of)
            assert (decision.rule, decision.route) == (r.name, r.destination), r
    names = [r.name for r in analysis.routes]
    for d in agreement.score_many(leads, as_of="2026-11-23", on_bad_value="missing"):
        j = d.to_dict()
        if "error" in j:
            continue
        assert names.index(j["rule"]) not in never_reached, j
        assert not {f["rule"] for f in j["fired"]} & never_fires, j
