"""Spark: `leadgate.spark.score` on a local[2] cluster equals `score_many`."""

from __future__ import annotations

import os
import sys

import pytest

import leadgate
import leadgate.spark

from conftest import make_leads

pyspark = pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")

AS_OF = "2026-11-23"

# The columns of the Spark frame: one type per column, as a table needs.
COLUMNS = [
    "lead_id", "email", "title", "Company Size", "industry", "country",
    "pages_viewed", "demo_requested", "budget", "tags", "last_activity", "phone",
]


def row(lead: dict) -> dict:
    out = {k: lead.get(k) for k in COLUMNS}
    if out["Company Size"] is not None:
        out["Company Size"] = str(out["Company Size"])
    for key in ("pages_viewed", "budget"):
        if out[key] is not None:
            out[key] = float(out[key])
    return out


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("leadgate-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "500")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_local_job_equals_score_many(spark, spec):
    from pyspark.sql.types import StringType, StructField, StructType, DoubleType, BooleanType

    leads = [row(lead) for lead in make_leads(4000, seed=3)]
    schema = StructType(
        [
            StructField(c, DoubleType() if c in ("pages_viewed", "budget")
                        else BooleanType() if c == "demo_requested" else StringType())
            for c in COLUMNS
        ]
    )
    df = spark.createDataFrame([tuple(lead[c] for c in COLUMNS) for lead in leads], schema)
    df = df.repartition(4)  # several tasks, several Arrow batches each
    scored = leadgate.spark.score(df, spec.source, as_of=AS_OF)
    assert scored.columns == COLUMNS + [
        "route", "queue", "route_rule", "follow_up_within_s", "total",
        "fit", "engagement", "tier", "fired", "error",
    ]
    got = {r["lead_id"]: r.asDict() for r in scored.collect()}
    assert len(got) == len(leads)

    expected = spec.score_many(leads, as_of=AS_OF)
    rejected = 0
    for lead, d in zip(leads, expected):
        r = got[lead["lead_id"]]
        assert r["route"] == d.route
        assert r["queue"] == d.queue
        assert r["route_rule"] == d.rule
        assert r["follow_up_within_s"] == d.follow_up_within_s
        assert r["total"] == d.total
        for s in spec.scores:
            assert r[s] == (d.scores[s] if d.ok else None)
        assert r["tier"] == (d.grades["tier"] if d.ok else None)
        assert r["fired"] == ([f["rule"] for f in d.fired] if d.ok else None)
        assert r["error"] == (str(d.error) if d.error else None)
        rejected += not d.ok
    assert rejected > 0  # bad rows kept their place, with their error


def test_spark_checks_on_the_driver(spark, spec):
    df = spark.createDataFrame([("L-1", "a@b.io")], "lead_id string, email string")
    with pytest.raises(leadgate.AgreementError):
        leadgate.spark.score(df, "agreement")
    with pytest.raises(ValueError, match="as_of"):
        leadgate.spark.score(df, spec, as_of="someday")
    with pytest.raises(leadgate.MissingColumnsError, match="no column for 10 declared fields"):
        leadgate.spark.score(df, spec, as_of=AS_OF)
    clash = spark.createDataFrame([("L-1", "a@b.io", 1.0)], "lead_id string, email string, fit double")
    loose = dict(as_of=AS_OF, allow_missing_columns=True)
    with pytest.raises(ValueError, match="prefix"):
        leadgate.spark.score(clash, spec, **loose)
    out = leadgate.spark.score(clash, spec, **loose, prefix="lg_").collect()
    assert out[0]["fit"] == 1.0 and out[0]["lg_route"] in ("sales", "nurture", "telemarketing")


def test_spark_with_large_var_types(spark, spec):
    key = "spark.sql.execution.arrow.useLargeVarTypes"
    before = spark.conf.get(key, "false")
    spark.conf.set(key, "true")
    try:
        df = spark.createDataFrame(
            [("L-1", "ana@acme.io", "VP Sales", "5000"), ("L-2", "b@gmail.com", None, "fifty")],
            "lead_id string, email string, title string, `Company Size` string",
        )
        scored = leadgate.spark.score(df, spec, as_of=AS_OF, allow_missing_columns=True)
        rows = scored.orderBy("lead_id").collect()
    finally:
        spark.conf.set(key, before)
    assert rows[0]["fit"] == 45.0 and rows[0]["error"] is None
    assert rows[1]["error"] == 'company_size: expected a number, got "fifty"'


def test_spark_names_the_missing_column(spark, education):
    """The X Education export with its `Tags` column renamed fails on the
    driver, naming the column and the closest one; allowed, it is scored
    with the field missing (and a warning)."""
    from conftest import X_EDUCATION
    from test_surface import MISSING_TAGS, TAGS_MISSING

    pd = pytest.importorskip("pandas")
    if not X_EDUCATION.exists():
        pytest.skip(f"{X_EDUCATION} is not there")
    frame = pd.read_csv(X_EDUCATION, dtype=str).rename(columns={"Tags": "Tag"})
    df = spark.createDataFrame(frame.astype(object).where(frame.notna(), None))
    with pytest.raises(leadgate.MissingColumnsError) as info:
        leadgate.spark.score(df, education, as_of=AS_OF)
    assert str(info.value).startswith(MISSING_TAGS) and info.value.missing == TAGS_MISSING
    with pytest.warns(UserWarning, match="did you mean `Tag`"):
        scored = leadgate.spark.score(df, education, as_of=AS_OF, allow_missing_columns=True)
    assert scored.count() == 9240


def test_spark_report_equals_the_cli_without_collecting_decisions(spark, education):
    """`leadgate.spark.report` over 5 partitions gives the JSON of
    `leadgate report … --format json`: each partition's report comes to the
    driver as its state (one row each), never its decisions."""
    from conftest import X_EDUCATION
    from test_analysis import AGREEMENT, BY, OUTCOME, _run
    from test_analysis import AS_OF as DATE

    pd = pytest.importorskip("pandas")
    import json

    want = json.loads(_run("report", AGREEMENT, X_EDUCATION, "--by", BY, "--outcome", OUTCOME,
                           "--format", "json", "--as-of", DATE))
    frame = pd.read_csv(X_EDUCATION, dtype=str)
    df = spark.createDataFrame(frame.astype(object).where(frame.notna(), None)).repartition(5)
    assert df.rdd.getNumPartitions() == 5
    report = leadgate.spark.report(df, education, by=BY, outcome=OUTCOME, as_of=DATE)
    assert isinstance(report, leadgate.Report)
    assert report.to_dict() == want
    with pytest.raises(ValueError, match='no column "Nope"'):
        leadgate.spark.report(df, education, by="Nope", as_of=DATE)
    # Each partition's sample of values is merged into the same words as one run's.
    found = '; found "API", "Landing Page Submission", "Lead Add Form", "Lead Import", "Quick Add Form"'
    with pytest.raises(ValueError, match="no lead has a truthy or falsy value") as e:
        leadgate.spark.report(df, education, outcome="Lead Origin", as_of=DATE)
    assert str(e.value).endswith(found), str(e.value)
