"""Type stubs for the native module `leadgate._leadgate` (use `leadgate`)."""

import os
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Tuple, Union

from typing_extensions import Self, disjoint_base, final

from leadgate._errors import LeadError
from leadgate.types import (
    AsOf,
    ColumnType,
    DecisionDict,
    FiredRule,
    LeadWarning,
    OnBadValue,
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
    "_Report",
    "Agreement",
    "Decision",
    "Load",
    "Roster",
]

__version__: str

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
    def assignee(self) -> Optional[str]:
        """With a roster: the person the lead is assigned to (None: nobody, see ``unassigned``)."""
    @property
    def unassigned(self) -> Optional[Literal["everyone away", "closed", "everyone at capacity"]]:
        """With a roster: why nobody takes the lead (None: assigned, or no person needed)."""
    @property
    def follow_up_by(self) -> Optional[str]:
        """With a roster: the deadline in the assignee's working hours (RFC 3339)."""
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
class _Report:
    """The core's report of some leads (``leadgate.Report`` wraps it)."""

    def __new__(cls, agreement: Agreement, state: str) -> Self: ...
    def counts(self) -> Tuple[int, int, int]: ...
    def render(
        self, what: Literal["text", "html", "json", "canonical", "dict"], title: str, top: int
    ) -> Any: ...
    def outcome_error(self) -> Optional[str]: ...
    def to_state(self) -> str: ...
    def merge(self, other: _Report) -> None: ...

@disjoint_base
class Roster:
    """A parsed roster (native part; ``leadgate.Roster`` adds ``load`` and ``parse``)."""

    def __new__(cls, text: str, *, file_name: Optional[str] = None) -> Self: ...
    @property
    def timezone(self) -> str: ...
    @property
    def queues(self) -> List[str]: ...
    @property
    def source(self) -> str: ...
    @property
    def file_name(self) -> str: ...
    def members(self, queue: str) -> Optional[List[str]]:
        """The members of ``queue``, in file order; None if the roster has no such queue."""

@final
class Load:
    """Leads each person has taken per local day, which ``per_day`` is
    checked against. Pass the same ``Load`` to successive calls (one lead at
    a time, as an API or a CRM hook scores): every assignment adds one."""

    def __new__(cls) -> Self: ...
    def set(self, person: str, date: str, count: int) -> None:
        """Says that ``person`` has taken ``count`` leads on ``date`` (YYYY-MM-DD, their local day)."""
    def get(self, person: str, date: str) -> Optional[int]:
        """The leads ``person`` has taken on ``date`` (None: none counted)."""

@disjoint_base
class Agreement:
    """A compiled agreement (native part; ``leadgate.Agreement`` adds the
    pandas and polars entry points)."""

    def __new__(cls, text: Union[str, bytes], *, file_name: Optional[str] = None) -> Self:
        """Compiles ``text``, or loads it when it is a compiled agreement's bytes."""
    @property
    def source(self) -> str: ...
    def to_compiled(self) -> bytes:
        """The compiled agreement's bytes (what ``leadgate compile`` writes)."""
    @property
    def file_name(self) -> str: ...
    @property
    def input_keys(self) -> List[str]: ...
    def _info(self) -> Dict[str, Any]:
        """What the agreement declares: name, version, uses_time, fingerprint,
        fields, scores, grades, routes (``Agreement``'s properties)."""
    def _warnings(self) -> List[Dict[str, Any]]:
        """The compile warnings as dicts (``Agreement.warnings``)."""
    def _check(self) -> List[Dict[str, Any]]:
        """{name, line, failures: [{message, line, column}]} of each example (``Agreement.check``)."""
    def column_for(self, name: str) -> str: ...
    def _decision_columns(self, prefix: str) -> List[Dict[str, Any]]:
        """{name, column_type} of each decision column (``Agreement.decision_columns``)."""
    def check_columns(self, columns: Iterable[str], *, allow_missing_columns: bool = False) -> None: ...
    def score_many(
        self,
        leads: Iterable[Mapping[str, Any]],
        *,
        as_of: AsOf = None,
        threads: Optional[int] = None,
        on_bad_value: OnBadValue = "error",
        explain: bool = True,
        roster: Optional[Roster] = None,
        as_of_column: Optional[str] = None,
        load: Optional[Load] = None,
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
        roster: Optional[Roster] = None,
        as_of_column: Optional[str] = None,
        load: Optional[Load] = None,
    ) -> Any:
        """Scores a pyarrow Table / RecordBatch (or any Arrow PyCapsule
        producer) and returns a pyarrow.Table of decision columns."""
    def _explain(
        self,
        lead: Mapping[str, Any],
        as_of: AsOf,
        on_bad_value: OnBadValue,
        roster: Optional[Roster] = None,
        index: int = 0,
    ) -> Tuple[Decision, str, str]:
        """(decision, text, canonical JSON) of ``Agreement.explain``."""
    def _report(
        self,
        data: Any,
        by: Optional[str],
        outcome: Optional[str],
        as_of: AsOf,
        threads: Optional[int],
        on_bad_value: OnBadValue,
        allow_missing_columns: bool,
        roster: Optional[Roster] = None,
        as_of_column: Optional[str] = None,
        followed_up_at: Optional[str] = None,
    ) -> _Report:
        """The native report of ``Agreement.report`` (outcomes not checked)."""
    def _diff(
        self,
        other: Agreement,
        data: Any,
        changes: int,
        as_of: AsOf,
        threads: Optional[int],
        on_bad_value: OnBadValue,
        allow_missing_columns: bool,
        input_name: str,
        roster: Optional[Roster] = None,
        roster_new: Optional[Roster] = None,
        as_of_column: Optional[str] = None,
    ) -> Tuple[int, int, int, str, str, str]:
        """(leads, moved, rejected, text, JSON, canonical JSON) of ``Agreement.diff``."""
    def _analyze(
        self, budget: Optional[int] = None, samples: Optional[int] = None
    ) -> Tuple[Dict[str, Any], str, List[int], str]:
        """(analysis dict, example blocks, uncovered route indices, JSON) of ``Agreement.analyze``."""
    def _symbolic_diff(self, other: Agreement) -> Tuple[Dict[str, Any], str, str]:
        """(dict, text, JSON) of ``Agreement.symbolic_diff``."""

def _read_agreement(path: Union[str, os.PathLike[str]]) -> Union[str, bytes]: ...
def _decision(agreement: Agreement, state: Dict[str, Any]) -> Decision: ...
def _panic_for_test(place: str) -> None:
    """Internal, for leadgate's own tests; not part of the API. Panics inside
    the panic boundary every entry point uses (``"gil"``, ``"detached"`` or
    ``"pool"``) and so raises ``LeadgateError``."""
