"""Reports, diffs and explanations (issue 12): the core's, from dicts,
Arrow, pandas, polars and Spark, equal to what the CLI prints."""

from __future__ import annotations

import csv
import json
import math
import subprocess

import pytest

import leadgate

from conftest import RULES, X_EDUCATION, make_leads
from test_frames import _cli

AS_OF = "2026-11-23"
AGREEMENT = RULES / "education-admissions.lead"
BY, OUTCOME = "lead_source", "Converted"


def _needs_export_and_cli():
    cli = _cli()
    if cli is None or not X_EDUCATION.exists():
        pytest.skip("needs a built leadgate CLI (target/*/leadgate or LEADGATE_CLI) and the export")
    return cli


def _run(*args) -> str:
    run = subprocess.run([_needs_export_and_cli(), *map(str, args)], capture_output=True,
                         text=True, check=False)
    assert run.returncode in (0, 3), run.stderr
    return run.stdout


@pytest.fixture(scope="module")
def cli_report():
    """`leadgate report … --by lead_source --outcome Converted --format json`, parsed."""
    out = _run("report", AGREEMENT, X_EDUCATION, "--by", BY, "--outcome", OUTCOME,
               "--format", "json", "--as-of", AS_OF)
    return json.loads(out)


def _report(education, data, **kw):
    return education.report(data, by=BY, outcome=OUTCOME, as_of=AS_OF, **kw)


def test_report_json_equals_the_cli_from_every_front(education, cli_report):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    from pyarrow import csv as pacsv

    assert cli_report["leads"] == 9240 and len(cli_report["groups"]) > 5
    assert cli_report["backtest"]["known"] == 9240
    with open(X_EDUCATION, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fronts = {
        "pandas": pd.read_csv(X_EDUCATION),
        "polars": pl.read_csv(X_EDUCATION, infer_schema_length=None),
        "arrow": pacsv.read_csv(X_EDUCATION),
        "dicts": rows,
        "records": pd.read_csv(X_EDUCATION).to_dict("records"),
    }
    for name, data in fronts.items():
        for threads in (1, None):
            report = _report(education, data, threads=threads)
            assert report.to_dict() == cli_report, (name, threads)
            assert json.loads(report.to_json()) == cli_report, (name, threads)
    # `by` / `outcome` as a column name give the same counts (`by` names it)
    by_column = education.report(rows, by="Lead Source", outcome=OUTCOME, as_of=AS_OF).to_dict()
    assert by_column["groups"] == cli_report["groups"] and by_column["by"] == "Lead Source"


def test_report_html_and_text_are_the_clis(education, tmp_path):
    cli = _needs_export_and_cli()
    page = tmp_path / "report.html"
    title = f"{AGREEMENT} on {X_EDUCATION}"
    text = _run("report", AGREEMENT, X_EDUCATION, "--by", BY, "--outcome", OUTCOME,
                "--as-of", AS_OF, "--html", page)
    assert cli
    with open(X_EDUCATION, newline="", encoding="utf-8") as f:
        report = _report(education, list(csv.DictReader(f)), title=title)
    assert report._repr_html_() == page.read_text(encoding="utf-8")
    assert report.to_html().startswith("<!doctype html>") or "<html" in report.to_html()
    assert report.text == text.rstrip("\n") or report.text == text


def _flat(row, prefix=""):
    out = {}
    for k, v in row.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def _same(a, b):
    if isinstance(a, float) and math.isnan(a):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return list(a) == list(b)
    return a == b or (a is None and b is None)


def test_report_tables_match_the_json(education, cli_report):
    pd = pytest.importorskip("pandas")
    if not X_EDUCATION.exists():
        pytest.skip("needs the export")
    tables = _report(education, pd.read_csv(X_EDUCATION)).to_pandas()
    expected = {name: [_flat(r) for r in cli_report[name]] for name in
                ("routes", "queues", "route_rules", "scores", "rules", "data_gaps",
                 "rejections", "groups")}
    expected["grades"] = [{**_flat(label), "grade": g["grade"]}
                          for g in cli_report["grades"] for label in g["labels"]]
    expected["calibration"] = [
        {**_flat(d), "score": c["score"], "exact": c["exact"]}
        for c in cli_report["backtest"]["calibration"] for d in c["deciles"]
    ]
    assert set(tables) == set(expected)
    for name, rows in expected.items():
        records = tables[name].to_dict("records")
        assert len(records) == len(rows), name
        for got, want in zip(records, rows):
            assert set(got) == set(want), name
            assert all(_same(got[k], want[k]) for k in want), (name, got, want)
    assert tables["groups"]["leads"].sum() == 9240
    assert list(tables["routes"]["route"]) == ["sales", "telemarketing", "nurture"]


def test_parts_merged_in_any_order_give_one_pass(spec):
    leads = make_leads(3000, seed=17)
    for lead in leads:
        lead["won"] = ["yes", "no", "", "1"][len(lead["email"]) % 4]
    kw = dict(by="country", outcome="won", as_of=AS_OF)
    whole = spec.report(leads, **kw)
    parts = [spec.report(leads[i::3], **kw) for i in range(3)]
    for order in ([0, 1, 2], [2, 0, 1]):
        merged = leadgate.Report.from_state(spec, parts[order[0]].to_state())
        for i in order[1:]:
            merged.merge(leadgate.Report.from_state(spec, parts[i].to_state()))
        assert merged.to_dict() == whole.to_dict()
    assert whole.leads == 3000 and whole.rejected > 0 and whole.outcomes_known > 0
    other = spec.report(leads, by="title", as_of=AS_OF)
    with pytest.raises(ValueError, match="do not fit"):
        whole.merge(other)
    with pytest.raises(ValueError, match="another agreement"):
        leadgate.Report.from_state(leadgate.load(RULES / "education-admissions.lead"), whole.to_state())


def test_report_errors(spec):
    pa = pytest.importorskip("pyarrow")
    leads = make_leads(50)
    with pytest.raises(ValueError, match="no lead has a truthy or falsy value"):
        spec.report(leads, outcome="title", as_of=AS_OF)
    table = pa.table({k: [lead.get(k) for lead in leads] for k in ("lead_id", "email")})
    with pytest.raises(ValueError, match='no column "country"'):
        spec.report(table, by="country", as_of=AS_OF, allow_missing_columns=True)
    with pytest.raises(leadgate.MissingColumnsError):
        spec.report(table, as_of=AS_OF)


def test_diff_equals_the_cli(education, tmp_path):
    pd = pytest.importorskip("pandas")
    _needs_export_and_cli()
    text = AGREEMENT.read_text(encoding="utf-8")
    changed = text.replace("and engagement >= 20", "and engagement >= 10")
    assert changed != text
    proposed_path = tmp_path / "proposed.lead"
    proposed_path.write_text(changed, encoding="utf-8")
    proposed = leadgate.load(proposed_path)
    want = json.loads(_run("diff", AGREEMENT, proposed_path, X_EDUCATION, "--changes", 5,
                           "--format", "json", "--as-of", AS_OF))
    assert want["moved"] > 0
    with open(X_EDUCATION, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for data in (rows, pd.read_csv(X_EDUCATION)):
        diff = education.diff(proposed, data, changes=5, as_of=AS_OF)
        assert diff.to_dict() == want
        assert json.loads(diff.to_json()) == want
        assert diff.moved == want["moved"] and diff.leads == 9240
    cli_text = _run("diff", AGREEMENT, proposed_path, X_EDUCATION, "--as-of", AS_OF)
    named = education.diff(proposed, rows, as_of=AS_OF, input_name=str(X_EDUCATION))
    assert named.text.replace(education.file_name, str(AGREEMENT)).replace(
        proposed.file_name, str(proposed_path)) in (cli_text, cli_text.rstrip("\n"))


def test_explain_equals_the_cli(education):
    _needs_export_and_cli()
    with open(X_EDUCATION, newline="", encoding="utf-8") as f:
        lead = next(csv.DictReader(f))
    e = education.explain(lead, as_of=AS_OF)
    cli_text = _run("explain", AGREEMENT, "--lead", json.dumps(lead), "--as-of", AS_OF)
    assert e.text in (cli_text, cli_text.rstrip("\n"))
    assert str(e) == e.text
    assert e.decision == education.score(lead, as_of=AS_OF)
    as_dict = e.to_dict()
    assert as_dict["decision"] == e.decision.to_dict() and json.loads(e.to_json()) == as_dict
    assert as_dict["as_of"] == "2026-11-23T00:00:00Z"
    with pytest.raises(leadgate.LeadError):
        education.score({"Prospect ID": "x", "TotalVisits": "many"}, as_of=AS_OF)
    rejected = education.explain({"Prospect ID": "x", "TotalVisits": "many"}, as_of=AS_OF)
    assert rejected.decision.error.kind == "bad_value" and "many" in rejected.text


def test_report_groups_of_every_json_kind_are_the_clis(education, tmp_path):
    """A group's text is read the same on every front: a text trimmed, a
    number as written, a list's text items joined by "; " (nested lists,
    objects and nulls left out), an object no group."""
    kinds = [["DE", None, " FR "], "  ", " DE ", True, 12.5, 1e21, -0.0, {"x": 1}, [], [[1], "a"], None, 7,
             1e16, 10**16, 2.0]
    leads = [{"Lead Number": str(i), "segment": k} for i, k in enumerate(kinds)]
    path = tmp_path / "kinds.jsonl"
    path.write_text("".join(json.dumps(lead) + "\n" for lead in leads), encoding="utf-8")
    want = json.loads(_run("report", AGREEMENT, path, "--by", "segment", "--format", "json",
                           "--as-of", AS_OF))
    got = education.report(leads, by="segment", as_of=AS_OF).to_dict()
    assert got["groups"] == want["groups"]
    assert "DE; FR" in [g["group"] for g in got["groups"]]


def test_an_outcome_no_lead_holds_is_refused_in_the_clis_words(education):
    """The error names the values found, as the CLI does (the core's words)."""
    run = subprocess.run([_needs_export_and_cli(), "report", AGREEMENT, X_EDUCATION, "--outcome",
                          "Lead Origin", "--as-of", AS_OF], capture_output=True, text=True, check=False)
    assert run.returncode == 2
    words = run.stderr.strip().removeprefix("error: --outcome Lead Origin: ")
    assert words.startswith("no lead has a truthy or falsy value") and '"API"' in words, run.stderr
    with open(X_EDUCATION, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with pytest.raises(ValueError) as e:
        education.report(rows, outcome="Lead Origin", as_of=AS_OF, threads=2)
    assert str(e.value) == f"outcome 'Lead Origin': {words}"
