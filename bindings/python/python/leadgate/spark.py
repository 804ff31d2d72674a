"""Score a Spark DataFrame with leadgate, on the executors, through Arrow.

>>> from leadgate.spark import score                       # doctest: +SKIP
>>> decisions = score(leads_df, open("agreement.lead").read(), as_of="2026-11-23")

The agreement text travels with the job; each Python worker compiles it once
(and keeps it for the next tasks it runs) and scores whole Arrow record
batches with ``mapInArrow``: no per-row Python objects. The executors need
the ``leadgate`` package installed in the Python they run (see
``docs/python.md``, "Spark on a cluster").
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Union

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructField

    from . import Agreement
    from ._leadgate import AsOf

__all__ = ["score", "decision_fields"]

# One compiled agreement per agreement text, per Python worker process.
_COMPILED: Dict[str, "Agreement"] = {}


def _compiled(text: str) -> "Agreement":
    agreement = _COMPILED.get(text)
    if agreement is None:
        from . import compile

        agreement = compile(text)
        _COMPILED[text] = agreement
    return agreement


def decision_fields(agreement: "Agreement", prefix: str = "") -> List["StructField"]:
    """The Spark fields of the decision columns ``score`` appends: ``route``,
    ``queue``, ``route_rule``, ``follow_up_within_s``, ``total``, one per
    score (double) and grade (string), ``fired`` (array<string>), ``error``."""
    from pyspark.sql.types import (
        ArrayType,
        DoubleType,
        LongType,
        StringType,
        StructField,
    )

    fields = [
        StructField(prefix + "route", StringType()),
        StructField(prefix + "queue", StringType()),
        StructField(prefix + "route_rule", StringType()),
        StructField(prefix + "follow_up_within_s", LongType()),
        StructField(prefix + "total", DoubleType()),
    ]
    fields += [StructField(prefix + s, DoubleType()) for s in agreement.scores]
    fields += [StructField(prefix + g, StringType()) for g in agreement.grades]
    fields.append(StructField(prefix + "fired", ArrayType(StringType())))
    fields.append(StructField(prefix + "error", StringType()))
    return fields


def score(
    df: "DataFrame",
    agreement: Union[str, "Agreement"],
    *,
    as_of: "AsOf" = None,
    on_bad_value: str = "error",
    prefix: str = "",
    threads: Optional[int] = 1,
) -> "DataFrame":
    """Returns ``df`` with the decision columns appended, scored on the executors.

    ``agreement`` is the agreement text (or a compiled ``Agreement``, whose
    text is used). It is compiled here first, so a bad agreement fails on the
    driver with ``AgreementError``. ``as_of`` (default: now) is fixed on the
    driver, so every executor scores at the same instant. ``threads`` is per
    Spark task (default 1: Spark already runs one task per core). Rejected
    leads keep their row, with ``error`` set and null decision columns.
    Decision column names are prefixed with ``prefix``; a name that clashes
    with an input column is an error.
    """
    from . import Agreement, compile

    if isinstance(agreement, Agreement):
        compiled = agreement
    else:
        compiled = compile(str(agreement))
    text = compiled.source
    if as_of is None:
        as_of = _dt.datetime.now(_dt.timezone.utc)
    # Fail on the driver for a bad as_of / on_bad_value, not in every task.
    compiled.score_many([], as_of=as_of, on_bad_value=on_bad_value, threads=threads)

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

    def run(batches: Iterator["pyarrow.RecordBatch"]) -> Iterator["pyarrow.RecordBatch"]:
        import pyarrow as pa

        scorer = _compiled(text)
        for batch in batches:
            decisions = scorer.score_arrow(
                batch,
                as_of=as_of,
                threads=threads,
                on_bad_value=on_bad_value,
                prefix=prefix,
            )
            columns = list(batch.columns)
            for column, target in zip(decisions.columns, targets):
                array = column.combine_chunks()
                if target is not None and array.type != target:
                    array = array.cast(target)
                columns.append(array)
            yield pa.RecordBatch.from_arrays(columns, names=names)

    return df.mapInArrow(run, schema)


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
