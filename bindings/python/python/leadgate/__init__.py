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
``score_many``, ``score_arrow``, ``score_pandas``, ``score_polars``,
``explain``, ``report``, ``diff``) and :mod:`leadgate.spark` for Spark.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union, cast

from ._leadgate import Agreement as _NativeAgreement, Decision, Load, __version__, _read_agreement
from ._leadgate import Roster as _NativeRoster
from ._errors import (
    AgreementError, LeadError, LeadgateError, LoadError, MissingColumnsError, RosterError, require,
)
from ._model import (
    Analysis, Diagnostic, Diff, ExampleResult, Explanation, Field, Finding, Region, Report,
    RosterDiagnostic, RouteReach, RuleRef, SymbolicDiff, Undecided, Witness,
)
from .types import AsOf, ColumnType, OnBadValue, RouteRule

__all__ = [
    "Agreement",
    "AgreementError",
    "Analysis",
    "Decision",
    "Diagnostic",
    "Diff",
    "ExampleResult",
    "Explanation",
    "Field",
    "Finding",
    "LeadError",
    "LeadgateError",
    "Load",
    "LoadError",
    "MissingColumnsError",
    "Region",
    "Report",
    "Roster",
    "RosterDiagnostic",
    "RosterError",
    "RouteReach",
    "RuleRef",
    "SymbolicDiff",
    "Undecided",
    "Witness",
    "compile",
    "load",
    "load_compiled",
    "__version__",
]


#: The most bytes a roster file may have (the core's limit).
MAX_ROSTER_BYTES = 1 << 20


class Roster(_NativeRoster):
    """A roster (docs/rosters.md): who works each queue, when, and how many
    leads a day they take. Pass it as ``roster=`` to score, report and diff:
    each scored lead is assigned to a person (``assignee``, ``unassigned``,
    ``follow_up_by``). Immutable, thread-safe, picklable (as its text).

    Build one with :meth:`load` or :meth:`parse`; a roster that cannot be
    used raises :class:`RosterError` with every problem located."""

    __slots__ = ()

    @classmethod
    def parse(cls, text: str, *, file_name: Optional[str] = None) -> "Roster":
        """Parses roster YAML (``file_name`` is shown in errors, default ``<roster>``)."""
        return cls(text, file_name=file_name)

    @classmethod
    def load(cls, path: "Union[str, os.PathLike[str]]") -> "Roster":
        """Reads and parses a roster file (UTF-8, at most 1 MiB), as the CLI does."""
        name = os.fspath(path)
        with open(name, "rb") as f:
            data = f.read(MAX_ROSTER_BYTES + 1)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            if len(data) <= MAX_ROSTER_BYTES:
                raise RosterError(f"{name}: the roster is not UTF-8 text ({e})") from None
            text = data.decode("utf-8", errors="ignore")  # too large: the core says so
        return cls(text, file_name=name)

    def __reduce__(self) -> Any:
        return (_roster_from_pickle, (self.source, self.file_name))

    def __repr__(self) -> str:
        return f"<Roster {json.dumps(self.file_name)} timezone={self.timezone} queues={self.queues}>"


class Agreement(_NativeAgreement):
    """A compiled agreement. Immutable, thread-safe, and picklable (it pickles
    as its source text and is compiled again on load).

    Build one with :func:`compile` or :func:`load`.
    """

    __slots__ = ()

    def __reduce__(self) -> Any:
        return (_from_pickle, (self.source, self.file_name))

    def __repr__(self) -> str:
        version = "" if self.version is None else f" version {json.dumps(self.version)}"
        return (
            f"<Agreement {json.dumps(self.name)}{version} fields={len(self.fields)} "
            f"scores={len(self.scores)} grades={len(self.grades)} routes={len(self.routes)}>"
        )

    @property
    def name(self) -> str:
        """The agreement's name (``agreement "NAME"``)."""
        return cast(str, self._info()["name"])

    @property
    def version(self) -> Optional[str]:
        """The agreement's version (``version "V"``), or None."""
        return cast(Optional[str], self._info()["version"])

    @property
    def uses_time(self) -> bool:
        """Whether decisions depend on ``as_of`` (decay, ``within``, ``days_since``)."""
        return cast(bool, self._info()["uses_time"])

    @property
    def fingerprint(self) -> str:
        """A fingerprint of the agreement's text (16 hex digits): equal for the same text compiled anywhere."""
        return cast(str, self._info()["fingerprint"])

    @property
    def fields(self) -> List[Field]:
        """The declared fields, in order."""
        return [Field(**f) for f in self._info()["fields"]]

    @property
    def scores(self) -> List[str]:
        """The scores' names, in order."""
        return cast(List[str], self._info()["scores"])

    @property
    def grades(self) -> Dict[str, List[str]]:
        """Each grade's labels, in order."""
        return cast(Dict[str, List[str]], self._info()["grades"])

    @property
    def routes(self) -> List[RouteRule]:
        """The route rules, in order."""
        return cast(List[RouteRule], self._info()["routes"])

    def decision_columns(self, prefix: str = "") -> List[Tuple[str, ColumnType]]:
        """(name, type) of each flat decision column ``score_arrow`` and the
        data frame entry points add, in order; names start with ``prefix``."""
        return [(c["name"], c["column_type"]) for c in self._decision_columns(prefix)]

    @property
    def warnings(self) -> List[Diagnostic]:
        """Warnings found while compiling (unused fields, rules that never fire, …)."""
        return [Diagnostic.from_dict(d) for d in self._warnings()]

    def check(self) -> List[ExampleResult]:
        """Runs the agreement's ``example`` blocks and returns one result each."""
        return [
            ExampleResult(r["name"], r["line"], not r["failures"], [f["message"] for f in r["failures"]])
            for r in self._check()
        ]

    def score(
        self,
        lead: Mapping[str, Any],
        *,
        as_of: AsOf = None,
        on_bad_value: OnBadValue = "error",
        explain: bool = True,
        roster: Optional[Roster] = None,
        as_of_column: Optional[str] = None,
        load: Optional[Load] = None,
    ) -> Decision:
        """Scores one lead; raises LeadError if it is rejected. With a
        ``roster``, assigns it (``load``: the counts ``per_day`` is checked
        against); ``as_of_column``: the key holding the lead's own instant."""
        decision = self.score_many(
            [lead], as_of=as_of, threads=1, on_bad_value=on_bad_value, explain=explain,
            roster=roster, as_of_column=as_of_column, load=load,
        )[0]
        if decision.error is not None:
            raise decision.error
        return decision

    def explain(
        self,
        lead: Mapping[str, Any],
        *,
        as_of: AsOf = None,
        on_bad_value: OnBadValue = "error",
        roster: Optional[Roster] = None,
        index: int = 0,
    ) -> Explanation:
        """Scores one lead and explains the decision for a person (``leadgate
        explain``); with a ``roster``, who takes it and by when. ``index`` is
        the lead's place in its input, as its decision gives it."""
        return Explanation(*self._explain(lead, as_of, on_bad_value, roster, index))

    def score_pandas(
        self,
        df: Any,
        *,
        as_of: AsOf = None,
        threads: Optional[int] = None,
        on_bad_value: OnBadValue = "error",
        prefix: str = "",
        allow_missing_columns: bool = False,
        roster: Optional[Roster] = None,
        as_of_column: Optional[str] = None,
        load: Optional[Load] = None,
    ) -> Any:
        """Scores every row of a pandas DataFrame through Arrow and returns a
        DataFrame of decision columns with the same index.

        Only the columns the agreement reads (``input_keys``) are converted.
        Blank cells (NaN, None, NaT, pandas.NA) are missing values: pyarrow's
        pandas conversion turns them into Arrow nulls. An object column that
        pyarrow cannot type (mixed ints and strings, say) is read as text.
        A declared field without a column is a :class:`MissingColumnsError`
        unless ``allow_missing_columns`` (then a warning).
        """
        pd = require("pandas", "pandas")
        pa = require("pyarrow", "pandas")
        table = self._to_arrow(df, allow_missing_columns, [as_of_column] if as_of_column else [])
        out = self.score_arrow(
            table, as_of=as_of, threads=threads, on_bad_value=on_bad_value, prefix=prefix,
            roster=roster, as_of_column=as_of_column, load=load,
        )
        frame = out.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
        frame.index = df.index
        return frame

    def score_polars(
        self,
        df: Any,
        *,
        as_of: AsOf = None,
        threads: Optional[int] = None,
        on_bad_value: OnBadValue = "error",
        prefix: str = "",
        allow_missing_columns: bool = False,
        roster: Optional[Roster] = None,
        as_of_column: Optional[str] = None,
        load: Optional[Load] = None,
    ) -> Any:
        """Scores every row of a polars DataFrame (or LazyFrame, collected)
        through Arrow and returns a polars DataFrame of decision columns, row
        for row. Polars nulls are missing values; a float NaN is a value (and
        rejected for a number field)."""
        pl = require("polars", "polars")
        require("pyarrow", "polars")
        out = self.score_arrow(
            self._to_arrow(df, allow_missing_columns, [as_of_column] if as_of_column else []),
            as_of=as_of,
            threads=threads,
            on_bad_value=on_bad_value,
            prefix=prefix,
            roster=roster,
            as_of_column=as_of_column,
            load=load,
        )
        return pl.from_arrow(out)  # type: ignore[return-value]

    def report(
        self,
        data: Any,
        *,
        by: Optional[str] = None,
        outcome: Optional[str] = None,
        as_of: AsOf = None,
        threads: Optional[int] = None,
        on_bad_value: OnBadValue = "error",
        allow_missing_columns: bool = False,
        title: Optional[str] = None,
        top: int = 20,
        roster: Optional[Roster] = None,
        as_of_column: Optional[str] = None,
        followed_up_at: Optional[str] = None,
    ) -> Report:
        """The funnel report of many leads, as ``leadgate report`` gives it:
        routes, queues, route rules, grades, score distributions, rules,
        data gaps, rejections; per group of ``by`` and, with ``outcome``, a
        backtest. ``data`` is an iterable of mappings, Arrow data, or a
        pandas or polars frame. ``by`` and ``outcome`` name a field (its
        input column is read) or a column; outcome values are 1/0,
        true/false or yes/no. With a ``roster``, the report gains its
        assignment part (per queue and person; SLA adherence from the
        follow-up instants in the column ``followed_up_at``); with
        ``as_of_column``, each lead is scored as of its own instant there (a
        replay)."""
        if _is_frame(data):
            extra = [self.column_for(c) for c in (by, outcome) if c is not None]
            extra += [c for c in (followed_up_at, as_of_column) if c is not None]
            data = self._to_arrow(data, allow_missing_columns, extra)
        native = self._report(
            data, by, outcome, as_of, threads, on_bad_value, allow_missing_columns,
            roster, as_of_column, followed_up_at,
        )
        report = Report(native, self, self.name if title is None else title, top)
        _check_outcome(report, outcome)
        return report

    def diff(
        self,
        other: "Agreement",
        data: Any,
        *,
        changes: int = 0,
        as_of: AsOf = None,
        threads: Optional[int] = None,
        on_bad_value: OnBadValue = "error",
        allow_missing_columns: bool = False,
        input_name: str = "data",
        roster: Optional[Roster] = None,
        roster_new: Optional[Roster] = None,
        as_of_column: Optional[str] = None,
    ) -> Diff:
        """This agreement (in force) and ``other`` (proposed) over the same
        leads, as ``leadgate diff`` gives it: which leads change route or
        queue and which rule changes move them; ``changes`` lists up to that
        many moved leads with both decisions. With ``roster`` (of this
        agreement) and ``roster_new`` (of ``other``), it also counts the
        leads changing hands (another assignee)."""
        if _is_frame(data):
            other.check_columns(_columns(data), allow_missing_columns=allow_missing_columns)
            extra = [*other.input_keys, *([as_of_column] if as_of_column else [])]
            table = self._to_arrow(data, allow_missing_columns, extra)
            columns = dict(zip(table.column_names, table.columns))
            data = _with_nulls(columns, other.input_keys, table.num_rows)
        return Diff(*self._diff(
            other, data, changes, as_of, threads, on_bad_value, allow_missing_columns, input_name,
            roster, roster_new, as_of_column,
        ))

    def analyze(self, *, budget: Optional[int] = None, samples: Optional[int] = None) -> Analysis:
        """What holds for every possible lead (docs/analysis.md), as
        ``leadgate check`` warns of it: route rules no lead reaches, score
        rules that never fire, grade labels never given, destinations never
        reached, ``potential`` tests that never differ from the score; every
        reachable route rule with a witness lead verified by the engine; what
        it could not decide. ``budget`` (abstract rule evaluations) and
        ``samples`` (random leads tried first) bound the work; the defaults
        are the CLI's."""
        return Analysis._make(*self._analyze(budget, samples))

    def symbolic_diff(self, other: "Agreement") -> SymbolicDiff:
        """The regions of leads whose destination changes from this agreement
        (in force) to ``other`` (proposed), each with a witness lead
        confirmed by both, found without data: ``leadgate diff OLD NEW``
        with no input file. (:meth:`diff` compares them over given leads.)"""
        return SymbolicDiff._make(*self._symbolic_diff(other))

    def _to_arrow(self, df: Any, allow_missing: bool, extra: Iterable[str] = ()) -> Any:
        """A pandas or polars frame as an Arrow table of the columns the
        agreement reads (and `extra` ones), after checking its columns; a
        missing one (allowed) is a column of nulls."""
        require("pyarrow", _module(df) if _is_frame(df) else "arrow")
        self.check_columns(_columns(df), allow_missing_columns=allow_missing)
        wanted = list(dict.fromkeys([*self.input_keys, *extra]))
        if _module(df) == "polars":
            if type(df).__name__ == "LazyFrame":
                df = df.collect()
            table = df.select([c for c in wanted if c in df.columns]).to_arrow()
            return _with_nulls(dict(zip(table.column_names, table.columns)), self.input_keys, df.height)
        return _with_nulls(_pandas_to_arrow(df, set(wanted)), self.input_keys, len(df))


def _module(data: Any) -> str:
    return type(data).__module__.split(".")[0]


def _is_frame(data: Any) -> bool:
    return _module(data) in ("pandas", "polars") and hasattr(data, "columns")


def _columns(df: Any) -> List[str]:
    if type(df).__name__ == "LazyFrame":
        return list(df.collect_schema().names())
    return [str(c) for c in df.columns]


def _check_outcome(report: Report, outcome: Optional[str]) -> None:
    error = report._native.outcome_error()
    if outcome is not None and error is not None:
        raise ValueError(f"outcome {outcome!r}: {error}")


def _with_nulls(columns: Dict[str, Any], keys: Iterable[str], rows: int) -> Any:
    """A table of `columns` and a column of nulls for each of `keys` not among them."""
    import pyarrow as pa

    nulls = {key: pa.nulls(rows) for key in keys if key not in columns}
    return pa.table({**columns, **nulls} or {"__leadgate_rows__": pa.nulls(rows)})


def _pandas_to_arrow(df: Any, wanted: set) -> Dict[str, Any]:
    import pandas as pd
    import pyarrow as pa

    arrays = {}
    for name in dict.fromkeys(df.columns):
        if not (isinstance(name, str) and name in wanted):
            continue
        col = df[name]
        if isinstance(col, pd.DataFrame):  # a duplicated column name: the first one is read
            col = col.iloc[:, 0]
        try:
            arrays[name] = pa.Array.from_pandas(col)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            arrays[name] = pa.array([None if _is_blank(v, pd) else str(v) for v in col], pa.string())
    return arrays


def _is_blank(value: Any, pd: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _roster_from_pickle(text: str, file_name: str) -> Roster:
    return Roster(text, file_name=file_name)


def _from_pickle(text: str, file_name: str) -> Agreement:
    return Agreement(text, file_name=file_name)


def compile(text: str, *, file_name: Optional[str] = None) -> Agreement:
    """Compiles agreement text. Raises :class:`AgreementError` with every
    diagnostic (code, message, line, column) if it does not compile.

    ``file_name`` is shown in diagnostics (default ``<agreement>``).
    """
    if not isinstance(text, str):
        raise TypeError(
            f"compile: expected the agreement text as a str, got {type(text).__name__}"
            " (a compiled agreement's bytes load with load_compiled)"
        )
    return Agreement(text, file_name=file_name)


def load(path: "Union[str, os.PathLike[str]]") -> Agreement:
    """Reads and compiles a ``.lead`` file (UTF-8), or loads a compiled
    agreement (``leadgate compile AGREEMENT -o FILE.lgc``), as the CLI does.

    At most one byte more than the agreement size limit (4 MiB) is read of a
    text: a larger file (or ``/dev/zero``) is the compile error ``E0017``
    (the agreement is too large), and bytes that are not UTF-8 are
    ``E0001``, both raised as :class:`AgreementError`. A compiled file of
    another format version, or damaged, raises :class:`LoadError`.
    """
    name = os.fspath(path)
    return Agreement(_read_agreement(name), file_name=name)


def load_compiled(data: Union[bytes, bytearray, memoryview], *, file_name: Optional[str] = None) -> Agreement:
    """Loads a compiled agreement from its bytes (``Agreement.to_compiled()``,
    or a ``.lgc`` file ``leadgate compile`` wrote), without parsing or
    checking it again; it decides exactly as the text it was compiled from.
    Raises :class:`LoadError` (``.kind``: ``version``, ``damaged`` or
    ``not_compiled``), or ``TypeError`` for anything but bytes."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"load_compiled: expected bytes, got {type(data).__name__}")
    return Agreement(bytes(data), file_name=file_name)
