"""Type stubs for the native module `leadgate._leadgate` (use `leadgate`)."""

import datetime
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

__version__: str
#: The agreement size limit in bytes (the core's; `load` reads no more).
_MAX_AGREEMENT_BYTES: int

#: An evaluation instant: None (now, UTC), "2026-11-23" / an RFC 3339 text,
#: or a datetime.date / datetime.datetime (naive datetimes are UTC).
AsOf = Union[None, str, datetime.date, datetime.datetime]

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

    #: The declared field, or None when the record itself is unusable.
    field: Optional[str]
    message: str
    index: int
    id: Optional[str]

class Diagnostic:
    """One finding about an agreement text."""

    code: str
    severity: str  # "error" | "warning"
    message: str
    line: int
    column: int
    help: Optional[str]
    rendered: str

class Field:
    """A declared field."""

    name: str
    type: str  # "text" | "number" | "bool" | "date" | "list"
    key: str
    required: bool
    id: bool

class ExampleResult:
    """The outcome of one ``example`` block."""

    name: str
    line: int
    passed: bool
    failures: List[str]
    def __bool__(self) -> bool: ...

class Decision:
    """One lead's decision. A rejected lead has ``ok`` False, ``error`` set,
    and None for every outcome attribute."""

    @property
    def index(self) -> int: ...
    @property
    def id(self) -> Optional[str]: ...
    @property
    def ok(self) -> bool: ...
    @property
    def error(self) -> Optional[LeadError]: ...
    @property
    def route(self) -> Optional[str]: ...
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
    def fired(self) -> Optional[List[Dict[str, Any]]]: ...
    @property
    def unknown(self) -> Optional[List[Dict[str, Any]]]: ...
    @property
    def undecided(self) -> Optional[List[Dict[str, Any]]]: ...
    @property
    def warnings(self) -> Optional[List[Dict[str, str]]]: ...
    def to_json(self) -> str:
        """The canonical decision JSON (SPEC.md), one line, as the CLI writes it."""
    def to_dict(self) -> Dict[str, Any]:
        """The canonical decision JSON as a dict."""

class Agreement:
    """A compiled agreement (native part; ``leadgate.Agreement`` adds the
    pandas and polars entry points)."""

    def __init__(self, text: str, *, file_name: Optional[str] = None) -> None: ...
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
    def fields(self) -> List[Field]: ...
    @property
    def input_keys(self) -> List[str]: ...
    @property
    def scores(self) -> List[str]: ...
    @property
    def grades(self) -> Dict[str, List[str]]: ...
    @property
    def routes(self) -> List[Dict[str, Any]]: ...
    @property
    def warnings(self) -> List[Diagnostic]: ...
    def check(self) -> List[ExampleResult]:
        """Runs the agreement's examples."""
    def score(
        self,
        lead: Mapping[str, Any],
        *,
        as_of: AsOf = None,
        on_bad_value: str = "error",
        explain: bool = True,
    ) -> Decision:
        """Scores one lead; raises LeadError if it is rejected."""
    def score_many(
        self,
        leads: Iterable[Mapping[str, Any]],
        *,
        as_of: AsOf = None,
        threads: Optional[int] = None,
        on_bad_value: str = "error",
        explain: bool = True,
    ) -> List[Decision]:
        """Scores many leads in parallel, in order; rejected leads stay in place."""
    def score_arrow(
        self,
        data: Any,
        *,
        as_of: AsOf = None,
        threads: Optional[int] = None,
        on_bad_value: str = "error",
        prefix: str = "",
    ) -> Any:
        """Scores a pyarrow Table / RecordBatch (or any Arrow PyCapsule
        producer) and returns a pyarrow.Table of decision columns."""

def _panic_for_test(place: str) -> None:
    """Internal, for leadgate's own tests; not part of the API. Panics inside
    the panic boundary every entry point uses (``"gil"``, ``"detached"`` or
    ``"pool"``) and so raises ``LeadgateError``."""
