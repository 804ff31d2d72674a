"""Type stubs for the native module `leadgate._leadgate` (use `leadgate`)."""

import os
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Tuple, Union

from typing_extensions import Self, disjoint_base, final

from leadgate.types import (
    AsOf,
    ColumnType,
    DecisionDict,
    FiredRule,
    LeadErrorKind,
    LeadWarning,
    MissingColumn,
    OnBadValue,
    ReportDict,
    Route,
    RouteRule,
    UndecidedRoute,
    UnknownRule,
)

__all__ = [
    "__version__",
    "_panic_for_test",
    "_read_agreement",
    "_decision",
    "Agreement",
    "Decision",
    "Field",
    "ExampleResult",
    "Diagnostic",
    "Report",
    "Diff",
    "Explanation",
    "LeadgateError",
    "AgreementError",
    "LeadError",
    "MissingColumnsError",
]

__version__: str

class LeadgateError(Exception):
    """Base class of the errors leadgate raises. Raised itself, with a message
    starting ``internal error in leadgate:``, if the engine hits a bug (a
    Rust panic): a panic never crosses into Python as anything else."""

class AgreementError(LeadgateError):
    """The agreement text does not compile. ``str()`` shows every finding
    with its source line and a caret."""

    diagnostics: List[Diagnostic]

class LeadError(LeadgateError):
    """A lead was rejected."""

    #: Why: tell errors apart by this, never by the message.
    kind: LeadErrorKind
    #: The declared field, or None when the record itself is unusable.
    field: Optional[str]
    message: str
    index: int
    id: Optional[str]

class MissingColumnsError(LeadgateError):
    """Column-wise input has no column for some declared fields."""

    missing: List[MissingColumn]

@final
class Diagnostic:
    """One finding about an agreement text."""

    @property
    def code(self) -> str: ...
    @property
    def severity(self) -> Literal["error", "warning"]: ...
    @property
    def message(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def help(self) -> Optional[str]: ...
    @property
    def rendered(self) -> str: ...

@final
class Field:
    """A declared field."""

    @property
    def name(self) -> str: ...
    @property
    def type(self) -> Literal["text", "number", "bool", "date", "list"]: ...
    @property
    def key(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def id(self) -> bool: ...

@final
class ExampleResult:
    """The outcome of one ``example`` block."""

    @property
    def name(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def passed(self) -> bool: ...
    @property
    def failures(self) -> List[str]: ...
    def __bool__(self) -> bool: ...

@final
class Decision:
    """One lead's decision. A rejected lead has ``ok`` False, ``error`` set,
    and None for every outcome attribute. Pickles with its agreement."""

    @property
    def index(self) -> int: ...
    @property
    def id(self) -> Optional[str]: ...
    @property
    def ok(self) -> bool: ...
    @property
    def error(self) -> Optional[LeadError]: ...
    @property
    def agreement(self) -> Agreement: ...
    @property
    def route(self) -> Optional[Route]: ...
    @property
    def queue(self) -> Optional[str]: ...
    @property
    def rule(self) -> Optional[str]: ...
    @property
    def follow_up_within_s(self) -> Optional[int]: ...
    @property
    def scores(self) -> Optional[Dict[str, float]]: ...
    @property
    def potentials(self) -> Optional[Dict[str, float]]: ...
    @property
    def total(self) -> Optional[float]: ...
    @property
    def grades(self) -> Optional[Dict[str, str]]: ...
    @property
    def fired(self) -> Optional[List[FiredRule]]: ...
    @property
    def unknown(self) -> Optional[List[UnknownRule]]: ...
    @property
    def undecided(self) -> Optional[List[UndecidedRoute]]: ...
    @property
    def warnings(self) -> Optional[List[LeadWarning]]: ...
    def to_json(self) -> str:
        """The canonical decision JSON (docs/language.md), one line, as the CLI writes it."""
    def to_dict(self) -> DecisionDict:
        """The canonical decision JSON as a dict."""
    def __reduce__(self) -> Tuple[Any, ...]: ...

@final
class Explanation:
    """One lead's decision explained for a person."""

    @property
    def text(self) -> str: ...
    @property
    def decision(self) -> Decision: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Report:
    """The funnel report of many decisions (``leadgate report``)."""

    title: str
    top: int
    @property
    def agreement(self) -> Agreement: ...
    @property
    def leads(self) -> int: ...
    @property
    def rejected(self) -> int: ...
    @property
    def outcomes_known(self) -> int: ...
    @property
    def text(self) -> str: ...
    def to_json(self) -> str:
        """The report's JSON, as ``leadgate report --format json`` prints it."""
    def to_dict(self) -> ReportDict: ...
    def to_html(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def to_pandas(self) -> Dict[str, Any]:
        """Tables by name: routes, queues, route_rules, grades, scores,
        rules, data_gaps, rejections, groups, calibration."""
    def to_state(self) -> str: ...
    @classmethod
    def from_state(
        cls, agreement: Agreement, state: str, *, title: Optional[str] = None, top: int = 20
    ) -> Report: ...
    def merge(self, other: Report) -> None: ...

@final
class Diff:
    """Two agreements over the same leads (``leadgate diff``)."""

    @property
    def leads(self) -> int: ...
    @property
    def moved(self) -> int: ...
    @property
    def rejected(self) -> int: ...
    @property
    def text(self) -> str: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...

@disjoint_base
class Agreement:
    """A compiled agreement (native part; ``leadgate.Agreement`` adds the
    pandas and polars entry points)."""

    def __new__(cls, text: str, *, file_name: Optional[str] = None) -> Self: ...
    @property
    def source(self) -> str: ...
    @property
    def file_name(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> Optional[str]: ...
    @property
    def uses_time(self) -> bool: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def fields(self) -> List[Field]: ...
    @property
    def input_keys(self) -> List[str]: ...
    @property
    def scores(self) -> List[str]: ...
    @property
    def grades(self) -> Dict[str, List[str]]: ...
    @property
    def routes(self) -> List[RouteRule]: ...
    @property
    def warnings(self) -> List[Diagnostic]: ...
    def column_for(self, name: str) -> str: ...
    def decision_columns(self, prefix: str = "") -> List[Tuple[str, ColumnType]]: ...
    def check_columns(self, columns: Iterable[str], *, allow_missing_columns: bool = False) -> None: ...
    def check(self) -> List[ExampleResult]:
        """Runs the agreement's examples."""
    def score(
        self,
        lead: Mapping[str, Any],
        *,
        as_of: AsOf = None,
        on_bad_value: OnBadValue = "error",
        explain: bool = True,
    ) -> Decision:
        """Scores one lead; raises LeadError if it is rejected."""
    def score_many(
        self,
        leads: Iterable[Mapping[str, Any]],
        *,
        as_of: AsOf = None,
        threads: Optional[int] = None,
        on_bad_value: OnBadValue = "error",
        explain: bool = True,
    ) -> List[Decision]:
        """Scores many leads in parallel, in order; rejected leads stay in place."""
    def score_arrow(
        self,
        data: Any,
        *,
        as_of: AsOf = None,
        threads: Optional[int] = None,
        on_bad_value: OnBadValue = "error",
        prefix: str = "",
        allow_missing_columns: bool = False,
    ) -> Any:
        """Scores a pyarrow Table / RecordBatch (or any Arrow PyCapsule
        producer) and returns a pyarrow.Table of decision columns."""
    def explain(
        self, lead: Mapping[str, Any], *, as_of: AsOf = None, on_bad_value: OnBadValue = "error"
    ) -> Explanation: ...
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
    ) -> Report: ...
    def diff(
        self,
        other: Agreement,
        data: Any,
        *,
        changes: int = 0,
        as_of: AsOf = None,
        threads: Optional[int] = None,
        on_bad_value: OnBadValue = "error",
        allow_missing_columns: bool = False,
        input_name: str = "data",
    ) -> Diff: ...

def _read_agreement(path: Union[str, os.PathLike[str]]) -> str: ...
def _decision(agreement: Agreement, state: Dict[str, Any]) -> Decision: ...
def _panic_for_test(place: str) -> None:
    """Internal, for leadgate's own tests; not part of the API. Panics inside
    the panic boundary every entry point uses (``"gil"``, ``"detached"`` or
    ``"pool"``) and so raises ``LeadgateError``."""
