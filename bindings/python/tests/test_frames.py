"""Arrow, pandas and polars round trips: the decision columns equal the
decisions `score_many` gives for the same leads as dicts."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math

import pytest

import leadgate

from conftest import CONFORMANCE, X_EDUCATION, make_leads

pa = pytest.importorskip("pyarrow")

AS_OF = "2026-11-23"


def typed(lead: dict) -> dict:
    """The same lead with one type per column, so it fits a table."""
    out = dict(lead)
    if "Company Size" in out:
        out["Company Size"] = str(out["Company Size"])
    for key in ("pages_viewed", "budget"):
        if key in out:
            out[key] = float(out[key])
    if "tags" in out:
        out["tags"] = [t for t in out["tags"].split(";")]
    return out


def to_table(leads: list):
    """A table with a column per key of any lead (`from_pylist` reads the
    first row's keys only)."""
    keys: dict = {}
    for lead in leads:
        keys.update(dict.fromkeys(lead))
    return pa.table({k: [lead.get(k) for lead in leads] for k in keys})


def expected_columns(agreement, decisions) -> dict:
    cols: dict = {
        "route": [], "queue": [], "route_rule": [], "follow_up_within_s": [], "total": []
    }
    for s in agreement.scores:
        cols[s] = []
    for g in agreement.grades:
        cols[g] = []
    cols["fired"] = []
    cols["error"] = []
    for d in decisions:
        cols["route"].append(d.route)
        cols["queue"].append(d.queue)
        cols["route_rule"].append(d.rule)
        cols["follow_up_within_s"].append(d.follow_up_within_s)
        cols["total"].append(d.total)
        for s in agreement.scores:
            cols[s].append(d.scores[s] if d.ok else None)
        for g in agreement.grades:
            cols[g].append(d.grades[g] if d.ok else None)
        cols["fired"].append([f["rule"] for f in d.fired] if d.ok else None)
        cols["error"].append(str(d.error) if d.error is not None else None)
    return cols


def assert_same(table, agreement, decisions):
    assert table.num_rows == len(decisions)
    assert table.to_pydict() == expected_columns(agreement, decisions)


@pytest.fixture(scope="module")
def leads():
    return [typed(lead) for lead in make_leads(2500, seed=11)]


def test_arrow_table_round_trip(spec, leads):
    table = to_table(leads)
    out = spec.score_arrow(table, as_of=AS_OF)
    assert isinstance(out, pa.Table)
    assert out.schema.names == [
        "route", "queue", "route_rule", "follow_up_within_s", "total",
        "fit", "engagement", "tier", "fired", "error",
    ]
    assert out.schema.field("fired").type == pa.list_(pa.string())
    assert out.schema.field("follow_up_within_s").type == pa.int64()
    decisions = spec.score_many(leads, as_of=AS_OF)
    assert_same(out, spec, decisions)
    assert out.column("error").null_count < len(leads)  # some rows rejected, in place


def test_arrow_batches_streams_and_threads(spec, leads):
    table = to_table(leads)
    expected = spec.score_arrow(table, as_of=AS_OF, threads=1)
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=300))
    assert chunked.num_rows == table.num_rows and len(chunked.to_batches()) > 1
    assert spec.score_arrow(chunked, as_of=AS_OF, threads=3).equals(expected)
    batch = table.combine_chunks().to_batches()[0]
    assert spec.score_arrow(batch, as_of=AS_OF).equals(expected)
    reader = pa.RecordBatchReader.from_batches(chunked.schema, chunked.to_batches())
    assert spec.score_arrow(reader, as_of=AS_OF).equals(expected)

    class Capsules:  # any producer of the Arrow PyCapsule interface
        def __arrow_c_stream__(self, requested_schema=None):
            return chunked.__arrow_c_stream__(requested_schema)

    assert spec.score_arrow(Capsules(), as_of=AS_OF).equals(expected)
    with pytest.raises(TypeError, match="score_arrow"):
        spec.score_arrow([{"a": 1}], as_of=AS_OF)


def test_arrow_types(spec):
    n = 4
    table = pa.table(
        {
            "lead_id": pa.array(["a", "b", None, "d"], pa.large_string()),
            "email": pa.array(["x@acme.io", "y@gmail.com", "z@acme.io", "w@acme.io"]).dictionary_encode(),
            "title": pa.array(["VP Sales", None, "CTO", "cto"], pa.string_view()),
            "Company Size": pa.array([200, 5000, None, 7], pa.int8() if False else pa.int32()),
            "pages_viewed": pa.array([5, 0, 3, None], pa.uint16()),
            "demo_requested": pa.array([True, None, False, True]),
            "budget": pa.array([None, 1.5e4, 2.0e4, None], pa.float32()),
            "tags": pa.array([["Webinar"], [], None, ["x", " "]], pa.large_list(pa.string())),
            "last_activity": pa.array(
                [dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc), None,
                 dt.datetime(2026, 10, 1), dt.datetime(2026, 11, 23)],
                pa.timestamp("us", tz="UTC"),
            ),
            "industry": pa.nulls(n),
            "phone": pa.nulls(n),
            "country": pa.array(["de", "fr", None, "uk"]).dictionary_encode(),
            "ignored": pa.array([{"a": 1}] * n),
        }
    )
    out = spec.score_arrow(table, as_of=AS_OF)
    as_dicts = [
        {k: v for k, v in row.items() if k != "ignored"} for row in table.to_pylist()
    ]
    decisions = spec.score_many(as_dicts, as_of=AS_OF)
    assert_same(out, spec, decisions)
    assert out.column("error").to_pylist()[2] == "lead_id: required field is missing"
    date32 = table.set_column(
        table.schema.get_field_index("last_activity"),
        "last_activity",
        pa.array([dt.date(2026, 11, 20), None, dt.date(2026, 10, 1), dt.date(2026, 11, 23)]),
    )
    assert spec.score_arrow(date32, as_of=AS_OF).equals(out)


def test_arrow_bad_values_and_lenient_mode(spec):
    loose = dict(as_of=AS_OF, allow_missing_columns=True)  # four of the columns only
    table = pa.table(
        {
            "lead_id": ["a", "b"],
            "email": ["x@acme.io", "y@acme.io"],
            "Company Size": ["200", "fifty"],
            "budget": [float("nan"), None],
        }
    )
    strict = spec.score_arrow(table, **loose).column("error").to_pylist()
    assert strict == ["budget: expected a number, got NaN", 'company_size: expected a number, got "fifty"']
    # title (a struct) is declared before budget, so it is the error named
    table = table.append_column("title", pa.array([{"k": 1}, {"k": 2}]))
    assert spec.score_arrow(table, **loose).column("error").to_pylist()[0] == (
        "title: expected a text, got an object"
    )
    lenient = spec.score_arrow(table, **loose, on_bad_value="missing")
    assert lenient.column("error").null_count == 2


def test_prefix_and_name_clash():
    text = """agreement "clash"
    fields { size : number }
    score error { +1 "one" when size > 1 }
    route { sales "big" when error >= 1
            nurture otherwise }
    """
    agreement = leadgate.compile(text)
    with pytest.raises(ValueError, match="rename"):
        agreement.score_arrow(pa.table({"size": [1, 2]}), as_of=AS_OF)
    ok = leadgate.compile(text.replace("error", "err"))
    out = ok.score_arrow(pa.table({"size": [1, 2]}), as_of=AS_OF, prefix="lg_")
    assert out.column("lg_err").to_pylist() == [0.0, 1.0]
    assert out.schema.names[-2:] == ["lg_fired", "lg_error"]


def test_pandas_round_trip(spec):
    pd = pytest.importorskip("pandas")
    raw = make_leads(1500, seed=5)
    leads = [typed(lead) for lead in raw]
    df = pd.DataFrame(leads)  # missing keys become NaN / None
    df.index = pd.RangeIndex(100, 100 + len(df))  # the index is kept
    assert df["budget"].isna().any()
    out = spec.score_pandas(df, as_of=AS_OF)
    assert isinstance(out, pd.DataFrame)
    assert list(out.index) == list(df.index)
    decisions = spec.score_many(leads, as_of=AS_OF)
    assert out["route"].tolist() == [d.route for d in decisions]
    assert out["total"].tolist() == pytest.approx(
        [d.total if d.ok else math.nan for d in decisions], nan_ok=True
    )
    assert [
        None if isinstance(e, float) or e is None else e for e in out["error"].tolist()
    ] == [str(d.error) if d.error else None for d in decisions]
    assert [list(f) if f is not None else None for f in out["fired"]] == [
        [x["rule"] for x in d.fired] if d.ok else None for d in decisions
    ]
    assert str(out["follow_up_within_s"].dtype) == "Int64"
    # blanks of every kind are missing, not errors
    blanks = pd.DataFrame(
        {
            "lead_id": ["a", "b", "c"],
            "email": ["a@b.io", "b@b.io", "c@b.io"],
            "budget": [math.nan, None, 20000.0],
            "title": [None, math.nan, pd.NA],
            "last_activity": pd.to_datetime([None, "2026-11-20", None]),
            "industry": pd.Categorical(["Software", None, "Retail"]),
        },
        dtype=object,
    ).astype({"budget": "float64", "last_activity": "datetime64[ns]", "industry": "category"})
    scored = spec.score_pandas(blanks, as_of=AS_OF, allow_missing_columns=True)
    assert scored["error"].isna().all()
    # mixed object columns that pyarrow cannot type are read as text
    mixed = pd.DataFrame({"lead_id": ["a", "b"], "email": ["a@b.io", "b@b.io"], "Company Size": [5000, "60"]})
    mixed_out = spec.score_pandas(mixed, as_of=AS_OF, allow_missing_columns=True)
    assert mixed_out["fit"].tolist() == [25.0, 15.0]


def test_polars_round_trip(spec, leads):
    pl = pytest.importorskip("polars")
    df = pl.from_dicts(leads, infer_schema_length=None)
    out = spec.score_polars(df, as_of=AS_OF)
    assert isinstance(out, pl.DataFrame)
    assert out.height == df.height
    decisions = spec.score_many(leads, as_of=AS_OF)
    assert out.to_dict(as_series=False) == expected_columns(spec, decisions)
    assert spec.score_polars(df.lazy(), as_of=AS_OF).equals(out)
    # a polars frame is itself an Arrow stream
    assert pl.from_arrow(spec.score_arrow(df, as_of=AS_OF)).equals(out)


@pytest.mark.parametrize("path", sorted(CONFORMANCE.glob("*.json")), ids=lambda p: p.stem)
def test_conformance_cases_through_arrow(path):
    """Where a case's leads fit a table, Arrow gives the same decisions as dicts."""
    case = json.loads(path.read_text(encoding="utf-8"))
    leads = [lead for lead in case["leads"] if isinstance(lead, dict)]
    try:
        table = to_table(leads)
        as_dicts = table.to_pylist()
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        pytest.skip("the leads mix types within a key: not a table")
    agreement = leadgate.compile(case["agreement"])
    opts = dict(as_of=case.get("as_of"), on_bad_value=case.get("on_bad_value", "error"))
    # a key no lead of the case has is no column of the table
    out = agreement.score_arrow(table, **opts, allow_missing_columns=True)
    assert_same(out, agreement, agreement.score_many(as_dicts, **opts))


def test_x_education_csv_with_pandas_matches_csv_strings(education):
    """pandas types the export's columns (floats, NaN for blanks, ints); the
    decisions equal those of the raw CSV strings, which is what the CLI reads."""
    pd = pytest.importorskip("pandas")
    if not X_EDUCATION.exists():
        pytest.skip(f"{X_EDUCATION} is not there")
    df = pd.read_csv(X_EDUCATION)
    out = education.score_pandas(df)
    with open(X_EDUCATION, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    decisions = education.score_many(rows)
    assert len(out) == len(rows) == 9240
    def none(v):
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else v

    assert [none(v) for v in out["route"]] == [d.route for d in decisions]
    assert [none(v) for v in out["queue"]] == [d.queue for d in decisions]
    assert [none(v) for v in out["route_rule"]] == [d.rule for d in decisions]
    assert out["total"].tolist() == [d.total for d in decisions]
    assert out["error"].isna().all()


def _cli():
    import os
    import shutil

    from conftest import REPO

    candidates = [os.environ.get("LEADGATE_CLI")] + [
        str(REPO / "target" / profile / "leadgate") for profile in ("release", "debug")
    ]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return shutil.which("leadgate")


def test_x_education_same_decisions_as_the_cli(education, tmp_path):
    """The CLI's JSON Lines for the export, byte for byte, from score_many over
    the CSV rows; and the same routes and totals from score_pandas."""
    import subprocess

    from conftest import RULES

    pd = pytest.importorskip("pandas")
    cli = _cli()
    if cli is None or not X_EDUCATION.exists():
        pytest.skip("needs a built leadgate CLI (target/*/leadgate or LEADGATE_CLI) and the export")
    run = subprocess.run(
        [cli, "score", str(RULES / "education-admissions.lead"), str(X_EDUCATION)],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode in (0, 3), run.stderr
    lines = run.stdout.splitlines()
    with open(X_EDUCATION, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [d.to_json() for d in education.score_many(rows)] == lines
    out = education.score_pandas(pd.read_csv(X_EDUCATION))
    expected = [json.loads(line) for line in lines]
    assert out["route"].tolist() == [e.get("route") for e in expected]
    assert out["total"].tolist() == [e.get("total") for e in expected]


def test_empty_inputs(spec, leads):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    table = to_table(leads)
    empty = spec.score_arrow(table.slice(0, 0), as_of=AS_OF)
    assert empty.num_rows == 0 and empty.schema.names[0] == "route"
    reader = pa.RecordBatchReader.from_batches(table.schema, [])
    assert spec.score_arrow(reader, as_of=AS_OF).num_rows == 0
    assert len(spec.score_pandas(pd.DataFrame(leads).iloc[:0], as_of=AS_OF)) == 0
    assert spec.score_polars(pl.from_dicts(leads).head(0), as_of=AS_OF).height == 0
    # a frame without any column the agreement reads: an error, unless allowed;
    # then every lead lacks its id
    other = pd.DataFrame({"other": [1, 2]})
    with pytest.raises(leadgate.MissingColumnsError):
        spec.score_pandas(other, as_of=AS_OF)
    with pytest.warns(UserWarning, match="no column for 12 declared fields"):
        out = spec.score_pandas(other, as_of=AS_OF, allow_missing_columns=True)
    assert out["error"].tolist() == ["lead_id: required field is missing"] * 2
