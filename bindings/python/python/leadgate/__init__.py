"""leadgate: score sales leads and route them by a reviewable agreement.

Sales and marketing write their qualification agreement in a small language;
leadgate compiles it once and scores leads, one at a time or millions at a
time, routing each to ``sales``, ``nurture`` or ``telemarketing`` with its
reasons. The engine is the Rust core every leadgate front shares, so a
decision here is byte for byte the one the CLI writes.

>>> import leadgate
>>> agreement = leadgate.load("rules-examples/education-admissions.lead")  # doctest: +SKIP
>>> agreement.score({"Prospect ID": "p-1", "Lead Origin": "Lead Add Form"})  # doctest: +SKIP
<Decision index=0 id="p-1" route="sales" queue="referrals" ...>

Entry points: :func:`compile`, :func:`load`, :class:`Agreement` (``score``,
``score_many``, ``score_arrow``, ``score_pandas``, ``score_polars``) and
:func:`leadgate.spark.score` for Spark.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional

from ._leadgate import (
    Agreement as _NativeAgreement,
    AgreementError,
    Decision,
    Diagnostic,
    ExampleResult,
    Field,
    LeadError,
    LeadgateError,
    __version__,
    _MAX_AGREEMENT_BYTES,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import polars

    from ._leadgate import AsOf

__all__ = [
    "Agreement",
    "AgreementError",
    "Decision",
    "Diagnostic",
    "ExampleResult",
    "Field",
    "LeadError",
    "LeadgateError",
    "compile",
    "load",
    "__version__",
]


class Agreement(_NativeAgreement):
    """A compiled agreement. Immutable, thread-safe, and picklable (it pickles
    as its source text and is compiled again on load).

    Build one with :func:`compile` or :func:`load`.
    """

    __slots__ = ()

    def __reduce__(self) -> Any:
        return (_from_pickle, (self.source, self.file_name))

    def score_pandas(
        self,
        df: "pandas.DataFrame",
        *,
        as_of: "AsOf" = None,
        threads: Optional[int] = None,
        on_bad_value: str = "error",
        prefix: str = "",
    ) -> "pandas.DataFrame":
        """Scores every row of a pandas DataFrame through Arrow and returns a
        DataFrame of decision columns with the same index.

        Only the columns the agreement reads (``input_keys``) are converted.
        Blank cells (NaN, None, NaT, pandas.NA) are missing values: pyarrow's
        pandas conversion turns them into Arrow nulls. An object column that
        pyarrow cannot type (mixed ints and strings, say) is read as text.
        """
        import pandas as pd
        import pyarrow as pa

        table = _pandas_to_arrow(df, self.input_keys, pa, pd)
        out = self.score_arrow(
            table, as_of=as_of, threads=threads, on_bad_value=on_bad_value, prefix=prefix
        )
        frame = out.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
        frame.index = df.index
        return frame

    def score_polars(
        self,
        df: "polars.DataFrame",
        *,
        as_of: "AsOf" = None,
        threads: Optional[int] = None,
        on_bad_value: str = "error",
        prefix: str = "",
    ) -> "polars.DataFrame":
        """Scores every row of a polars DataFrame (or LazyFrame, collected)
        through Arrow and returns a polars DataFrame of decision columns, row
        for row. Polars nulls are missing values; a float NaN is a value (and
        rejected for a number field)."""
        import polars as pl

        if isinstance(df, pl.LazyFrame):
            df = df.collect()
        wanted = [c for c in df.columns if c in set(self.input_keys)]
        table = df.select(wanted).to_arrow() if wanted else _empty_table(df.height)
        out = self.score_arrow(
            table, as_of=as_of, threads=threads, on_bad_value=on_bad_value, prefix=prefix
        )
        return pl.from_arrow(out)  # type: ignore[return-value]


def _empty_table(rows: int) -> Any:
    import pyarrow as pa

    return pa.table({"__leadgate_rows__": pa.nulls(rows)})


def _pandas_to_arrow(df: Any, keys: list, pa: Any, pd: Any) -> Any:
    wanted = set(keys)
    columns = [c for c in df.columns if isinstance(c, str) and c in wanted]
    if not columns:
        return _empty_table(len(df))
    arrays = []
    for name in columns:
        col = df[name]
        if isinstance(col, pd.DataFrame):  # a duplicated column name: the first one is read
            col = col.iloc[:, 0]
        try:
            arr = pa.Array.from_pandas(col)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            arr = pa.array(
                [None if _is_blank(v, pd) else str(v) for v in col], type=pa.string()
            )
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, names=columns)


def _is_blank(value: Any, pd: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _from_pickle(text: str, file_name: str) -> Agreement:
    return Agreement(text, file_name=file_name)


def compile(text: str, *, file_name: Optional[str] = None) -> Agreement:
    """Compiles agreement text. Raises :class:`AgreementError` with every
    diagnostic (code, message, line, column) if it does not compile.

    ``file_name`` is shown in diagnostics (default ``<agreement>``).
    """
    return Agreement(text, file_name=file_name)


def load(path: "str | os.PathLike[str]") -> Agreement:
    """Reads and compiles a ``.lead`` file (UTF-8).

    At most one character more than the agreement size limit (4 MiB) is
    read: a larger file (or ``/dev/zero``) is the compile error ``E0017``
    (the agreement is too large), raised as :class:`AgreementError`.
    """
    with open(path, encoding="utf-8") as f:
        # Each character is at least a byte: more characters than the limit
        # has bytes is over it, and the core says so.
        text = f.read(_MAX_AGREEMENT_BYTES + 1)
    return Agreement(text, file_name=os.fspath(path))
