"""Score a Spark DataFrame with leadgate, on the executors, through Arrow,
or count its funnel report there.

>>> from leadgate.spark import score, report               # doctest: +SKIP
>>> decisions = score(leads_df, open("agreement.lead").read(), as_of="2026-11-23")
>>> funnel = report(leads_df, agreement, by="lead_source", outcome="Converted")

The agreement text travels with the job; each Python worker compiles it once
(and keeps it for the next tasks it runs) and scores whole Arrow record
batches with ``mapInArrow``: no per-row Python objects. The executors need
the ``leadgate`` package installed in the Python they run (see
``docs/python.md``, "Spark on a cluster").
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Tuple, Union

from .types import AsOf, OnBadValue

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructField

    from . import Agreement, Report

__all__ = ["score", "report", "decision_fields"]

# One compiled agreement per agreement text, per Python worker process.
_COMPILED: Dict[str, "Agreement"] = {}


def _compiled(text: str) -> "Agreement":
    agreement = _COMPILED.get(text)
    if agreement is None:
        from . import compile

        agreement = compile(text)
        _COMPILED[text] = agreement
    return agreement


def _on_driver(agreement: Union[str, "Agreement"], as_of: AsOf) -> Tuple["Agreement", AsOf]:
    """The compiled agreement (a bad one fails here, on the driver) and the
    instant every executor scores at (now, if not given)."""
    from . import Agreement, compile

    compiled = agreement if isinstance(agreement, Agreement) else compile(str(agreement))
    if as_of is None:
        as_of = _dt.datetime.now(_dt.timezone.utc)
    return compiled, as_of


_SPARK_TYPES = {"text": "StringType", "integer": "LongType", "number": "DoubleType"}


def decision_fields(agreement: "Agreement", prefix: str = "") -> List["StructField"]:
    """The Spark fields of the decision columns ``score`` appends, from the
    core's decision columns: ``route``, ``queue``, ``route_rule``,
    ``follow_up_within_s``, ``total``, one per score (double) and grade
    (string), ``fired`` (array<string>), ``error``."""
    from ._errors import require

    T = require("pyspark.sql.types", "spark")

    def spark_type(kind: str) -> Any:
        if kind == "text_list":
            return T.ArrayType(T.StringType())
        return getattr(T, _SPARK_TYPES[kind])()

    return [T.StructField(name, spark_type(kind)) for name, kind in agreement.decision_columns(prefix)]


def score(
    df: "DataFrame",
    agreement: Union[str, "Agreement"],
    *,
    as_of: AsOf = None,
    on_bad_value: OnBadValue = "error",
    prefix: str = "",
    threads: Optional[int] = 1,
    allow_missing_columns: bool = False,
) -> "DataFrame":
    """Returns ``df`` with the decision columns appended, scored on the executors.

    ``agreement`` is the agreement text (or a compiled ``Agreement``, whose
    text is used). It is compiled here first, so a bad agreement fails on the
    driver with ``AgreementError``, and so does a frame without a column for
    a declared field (``MissingColumnsError``, unless
    ``allow_missing_columns``). ``as_of`` (default: now) is fixed on the
    driver, so every executor scores at the same instant. ``threads`` is per
    Spark task (default 1: Spark already runs one task per core). Rejected
    leads keep their row, with ``error`` set and null decision columns.
    Decision column names are prefixed with ``prefix``; a name that clashes
    with an input column is an error.
    """
    _require_spark()
    compiled, as_of = _on_driver(agreement, as_of)
    text = compiled.source
    # On the driver, not in every task: the options, the prefix, a column
    # for every declared field.
    compiled.score_arrow(
        _no_rows(df.columns), as_of=as_of, threads=threads, on_bad_value=on_bad_value,
        prefix=prefix, allow_missing_columns=allow_missing_columns,
    )

    from pyspark.sql.types import StructType

    extra = decision_fields(compiled, prefix)
    clash = sorted(set(df.columns) & {f.name for f in extra})
    if clash:
        raise ValueError(
            f"decision columns {clash} clash with input columns: pass prefix=..."
        )
    schema = StructType(list(df.schema.fields) + extra)
    names = [f.name for f in schema.fields]
    large = (
        str(df.sparkSession.conf.get("spark.sql.execution.arrow.useLargeVarTypes", "false"))
        .lower()
        == "true"
    )
    targets = _arrow_types(extra, large)

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        scorer = _compiled(text)
        for batch in batches:
            decisions = scorer.score_arrow(
                batch,
                as_of=as_of,
                threads=threads,
                on_bad_value=on_bad_value,
                prefix=prefix,
                allow_missing_columns=True,
            )
            columns = list(batch.columns)
            for column, target in zip(decisions.columns, targets):
                array = column.combine_chunks()
                if target is not None and array.type != target:
                    array = array.cast(target)
                columns.append(array)
            yield pa.RecordBatch.from_arrays(columns, names=names)

    return df.mapInArrow(run, schema)


def report(
    df: "DataFrame",
    agreement: Union[str, "Agreement"],
    *,
    by: Optional[str] = None,
    outcome: Optional[str] = None,
    as_of: AsOf = None,
    on_bad_value: OnBadValue = "error",
    threads: Optional[int] = 1,
    allow_missing_columns: bool = False,
    title: Optional[str] = None,
    top: int = 20,
) -> "Report":
    """The funnel report of a Spark DataFrame (see ``Agreement.report``),
    counted on the executors: each partition's report travels to the driver
    as its exact state (a few kilobytes) and the parts are merged there. No
    decision is collected to the driver."""
    from . import Report, _check_outcome

    _require_spark()
    compiled, as_of = _on_driver(agreement, as_of)
    text = compiled.source
    args = (by, outcome, as_of, threads, on_bad_value)
    # On the driver, not in every task: the options, a column for every
    # declared field, the `by` and `outcome` columns.
    compiled._report(_no_rows(df.columns), *args, allow_missing_columns)
    extra = [compiled.column_for(c) for c in (by, outcome) if c is not None]
    wanted = set(compiled.input_keys) | set(extra)
    kept = [c for c in df.columns if c in wanted]
    source = df.select(*["`" + c.replace("`", "``") + "`" for c in kept]) if kept else df.select()

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        # The native report: parts are not checked for outcomes, the whole is.
        scorer = _compiled(text)
        part = scorer._report([], *args, True)
        for batch in batches:
            part.merge(scorer._report(batch, *args, True))
        yield pa.RecordBatch.from_arrays([pa.array([part.to_state()])], names=["state"])

    merged = Report(compiled._report([], *args, True), compiled, compiled.name if title is None else title, top)
    for row in source.mapInArrow(run, "state string").collect():
        merged.merge(Report.from_state(compiled, row["state"]))
    _check_outcome(merged, outcome)
    return merged


def _require_spark() -> None:
    from ._errors import require

    require("pyspark", "spark")
    require("pyarrow", "spark")


def _no_rows(columns: List[str]) -> Any:
    """An Arrow table of these columns and no rows, for the checks on the driver."""
    import pyarrow as pa

    return pa.table({c: pa.nulls(0) for c in columns})


def _arrow_types(fields: List["StructField"], large: bool) -> List[Any]:
    """The Arrow types Spark expects for the decision columns (large strings
    when `spark.sql.execution.arrow.useLargeVarTypes` is on)."""
    try:
        from pyspark.sql.pandas.types import to_arrow_type
    except ImportError:  # pragma: no cover
        return [None] * len(fields)
    out: List[Any] = []
    for f in fields:
        try:
            try:
                out.append(to_arrow_type(f.dataType, prefers_large_types=large))
            except TypeError:  # pyspark < 4 has no prefers_large_types
                out.append(to_arrow_type(f.dataType))
        except Exception:  # pragma: no cover - best effort, Spark checks anyway
            out.append(None)
    return out
