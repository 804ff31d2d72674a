"""Types of leadgate's arguments and of the dicts it returns, for
annotations: ``def route(d: leadgate.types.DecisionDict) -> ...``."""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Literal, Optional, TypeAlias, TypedDict, Union

__all__ = [
    "AsOf",
    "OnBadValue",
    "Route",
    "LeadErrorKind",
    "ColumnType",
    "FiredRule",
    "UnknownRule",
    "UndecidedRoute",
    "LeadWarning",
    "LeadErrorDict",
    "DecisionDict",
    "RouteRule",
    "MissingColumn",
    "ReportDict",
    "SubjectDict",
    "EvidenceDict",
]

# (Unions of one-value Literals, which a type checker reads as one Literal
# of several values: so the checker of the stubs sees the same at run time.)

#: An evaluation instant: None (now, UTC), "2026-11-23" / an RFC 3339 text,
#: or a datetime.date / datetime.datetime (naive datetimes are UTC).
AsOf: TypeAlias = Union[None, str, datetime.date, datetime.datetime]
#: What a value that does not fit its field does: reject the lead, or read
#: it as missing (with a warning on the decision).
OnBadValue: TypeAlias = Union[
    Literal["error"], Literal["missing"],
]
Route: TypeAlias = Union[
    Literal["sales"], Literal["nurture"], Literal["telemarketing"],
]
#: Why a lead was rejected (`LeadError.kind`).
LeadErrorKind: TypeAlias = Union[
    Literal["invalid_json"], Literal["not_an_object"], Literal["bad_value"], Literal["missing_required"], Literal["unreadable"],
]
#: The type of a decision column (`Agreement.decision_columns`).
ColumnType: TypeAlias = Union[
    Literal["text"], Literal["integer"], Literal["number"], Literal["text_list"],
]


class FiredRule(TypedDict):
    rule: str
    score: str
    points: float


class UnknownRule(TypedDict):
    rule: str
    score: str
    missing: List[str]


class UndecidedRoute(TypedDict):
    rule: Optional[str]
    route: Route
    missing: List[str]


class LeadWarning(TypedDict):
    field: str
    message: str


class LeadErrorDict(TypedDict):
    field: Optional[str]
    message: str


class DecisionDict(TypedDict, total=False):
    """The canonical decision JSON as a dict: `index` and `id`, then either
    `error`, or the route and its reasons."""

    index: int
    id: Optional[str]
    error: LeadErrorDict
    route: Route
    queue: Optional[str]
    rule: Optional[str]
    follow_up_within_s: Optional[int]
    #: With a roster (docs/rosters.md).
    assignee: Optional[str]
    unassigned: Optional[str]
    follow_up_by: Optional[str]
    scores: Dict[str, float]
    total: float
    grades: Dict[str, str]
    fired: List[FiredRule]
    unknown: List[UnknownRule]
    undecided: List[UndecidedRoute]
    warnings: List[LeadWarning]


class RouteRule(TypedDict):
    route: Route
    queue: Optional[str]
    rule: Optional[str]
    follow_up_within_s: Optional[int]


class MissingColumn(TypedDict):
    """A declared field without a column (`MissingColumnsError.missing`)."""

    field: str
    key: str
    suggestion: Optional[str]


class ReportDict(TypedDict):
    """The report's JSON (`leadgate report --format json`): each list holds
    one dict per row (see `Report.to_pandas` for them as tables)."""

    agreement: str
    version: Optional[str]
    leads: int
    scored: int
    rejected: int
    routes: List[Dict[str, Any]]
    queues: List[Dict[str, Any]]
    route_rules: List[Dict[str, Any]]
    grades: List[Dict[str, Any]]
    scores: List[Dict[str, Any]]
    rules: List[Dict[str, Any]]
    data_gaps: List[Dict[str, Any]]
    rejections: List[Dict[str, Any]]
    by: Optional[str]
    groups: Optional[List[Dict[str, Any]]]
    backtest: Optional[Dict[str, Any]]


class SubjectDict(TypedDict, total=False):
    """What a finding of ``Agreement.analyze`` is about (the core's
    ``Subject``): ``kind`` and the keys of that kind."""

    kind: Union[
        Literal["route_rule"], Literal["score_rule"], Literal["grade_label"],
        Literal["destination"], Literal["potential_test"],
    ]
    #: route_rule, score_rule: position (0-based) and name (None: ``otherwise``).
    index: int
    name: Optional[str]
    #: grade_label.
    grade: str
    label: str
    #: destination.
    destination: Route
    #: potential_test: the score and the test as written.
    score: str
    test: str


class EvidenceDict(TypedDict, total=False):
    """Why a finding holds (the core's ``Evidence``)."""

    kind: Union[
        Literal["condition_never_true"], Literal["taken_by_earlier_rules"],
        Literal["no_reachable_rule"], Literal["potential_equals_score"],
        Literal["never_across_value"],
    ]
    #: taken_by_earlier_rules: the earlier rules; no_reachable_rule: the
    #: destination's rules.
    rules: List[str]
