"""The plain objects leadgate returns: fields, diagnostics, example results,
reports, diffs and explanations. Their data and their texts are the core's
(the native module makes them); these classes only hold and show them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional

from ._leadgate import _Report
from .types import EvidenceDict, ReportDict, SubjectDict

if TYPE_CHECKING:  # pragma: no cover
    from . import Agreement, Decision

__all__ = [
    "Field", "Diagnostic", "RosterDiagnostic", "ExampleResult", "Report", "Diff", "Explanation",
    "Analysis", "Finding", "RouteReach", "Witness", "Undecided", "SymbolicDiff", "Region", "RuleRef",
]


@dataclass(frozen=True)
class Field:
    """A declared field of an agreement."""

    #: The field's name in the agreement.
    name: str
    type: Literal["text", "number", "bool", "date", "list"]
    #: The input key or column it is read from (``from "…"``, else the name).
    key: str
    required: bool
    #: Whether it is the agreement's ``id`` field.
    id: bool


@dataclass(frozen=True)
class Diagnostic:
    """One finding about an agreement text: an error or a warning."""

    #: Stable code: ``E0001``… for errors, ``W0001``… for warnings.
    code: str
    severity: Literal["error", "warning"]
    message: str
    #: 1-based line of the finding's start.
    line: int
    #: 1-based column (in characters) of the finding's start.
    column: int
    #: A suggestion ("did you mean `title`?"), or None.
    help: Optional[str]
    #: The diagnostic as a compiler shows it: the source line and a caret.
    rendered: str = field(repr=False)

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Diagnostic":
        keys = ("code", "severity", "message", "line", "column", "help", "rendered")
        return cls(*(d[k] for k in keys))

    def __str__(self) -> str:
        return self.rendered


@dataclass(frozen=True)
class RosterDiagnostic:
    """One problem with a roster, located."""

    severity: Literal["error", "warning"]
    #: 1-based line.
    line: int
    #: 1-based column, in characters.
    column: int
    #: The key path of the value (``queues.emea.members[1].timezone``); empty
    #: when the problem is the file's.
    key: str
    message: str


@dataclass(frozen=True)
class ExampleResult:
    """The outcome of one of the agreement's ``example`` blocks; true when it passed."""

    name: str
    #: 1-based line of the ``example`` keyword.
    line: int
    passed: bool
    #: One line per failed expectation: what was expected, what came out.
    failures: List[str]

    def __bool__(self) -> bool:
        return self.passed


class Report:
    """The funnel of many decisions: routes, queues, grades, scores, rules,
    groups (``by``) and a backtest against an outcome, as the CLI's
    ``leadgate report`` shows it. ``title`` (of the text and the HTML page)
    and ``top`` (how many groups they list) can be changed."""

    def __init__(self, native: _Report, agreement: "Agreement", title: str, top: int = 20) -> None:
        self._native = native
        #: The agreement that made the decisions counted.
        self.agreement = agreement
        self.title = title
        self.top = top

    @property
    def leads(self) -> int:
        """Leads counted."""
        return self._native.counts()[0]

    @property
    def rejected(self) -> int:
        """Leads counted that were rejected."""
        return self._native.counts()[1]

    @property
    def outcomes_known(self) -> int:
        """Scored leads with a known outcome."""
        return self._native.counts()[2]

    @property
    def text(self) -> str:
        """The report as text (``leadgate report``)."""
        return str(self._native.render("text", self.title, self.top))

    def to_json(self) -> str:
        """The report's JSON, as ``leadgate report --format json`` prints it."""
        return str(self._native.render("json", self.title, self.top))

    def to_canonical_json(self) -> str:
        """The report's canonical JSON, one line, keys sorted (as the
        conformance corpus pins it, ``tests/conformance``)."""
        return str(self._native.render("canonical", self.title, self.top))

    def to_dict(self) -> ReportDict:
        """The report's JSON as a dict."""
        return self._native.render("dict", self.title, self.top)  # type: ignore[no-any-return]

    def to_html(self) -> str:
        """The report as one self-contained HTML page (``leadgate report --html``)."""
        return str(self._native.render("html", self.title, self.top))

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_pandas(self) -> Dict[str, Any]:
        """The report's tables as pandas DataFrames by name: routes, queues,
        route_rules, grades, scores, rules, data_gaps, rejections, groups,
        calibration."""
        from ._tables import report_tables

        return report_tables(self.to_dict())

    def to_state(self) -> str:
        """The counts as text, exact, to send elsewhere and read back with
        :meth:`from_state` (a Spark partition's report to the driver)."""
        return self._native.to_state()

    @classmethod
    def from_state(
        cls, agreement: "Agreement", state: str, *, title: Optional[str] = None, top: int = 20
    ) -> "Report":
        """A report from :meth:`to_state`, for the same agreement text."""
        title = agreement.name if title is None else title
        return cls(_Report(agreement, state), agreement, title, top)

    def merge(self, other: "Report") -> None:
        """Adds the counts of another report of the same agreement, ``by``
        and ``outcome`` (another part of the leads)."""
        self._native.merge(other._native)

    def __repr__(self) -> str:
        return f"<Report leads={self.leads} rejected={self.rejected}>"


@dataclass(frozen=True)
class Diff:
    """Two agreements over the same leads: which leads change destination,
    and which rule changes move them, as ``leadgate diff`` shows it."""

    leads: int
    #: Leads whose destination changed.
    moved: int
    #: Leads rejected by either agreement.
    rejected: int
    #: The diff as text.
    text: str = field(repr=False)
    _json: str = field(repr=False)
    _canonical: str = field(repr=False)

    def to_json(self) -> str:
        """The diff's JSON, as ``leadgate diff --format json`` prints it."""
        return self._json

    def to_canonical_json(self) -> str:
        """The diff's canonical JSON, one line, keys sorted (as the
        conformance corpus pins it, ``tests/conformance/diffs``)."""
        return self._canonical

    def to_dict(self) -> Dict[str, Any]:
        """The diff's JSON as a dict."""
        return json.loads(self._json)  # type: ignore[no-any-return]


@dataclass(frozen=True, repr=False)
class Explanation:
    """One lead's decision explained for a person: every score with its
    rules, each grade's line, every route rule in order."""

    #: The decision explained.
    decision: "Decision"
    #: The explanation as text (as ``leadgate explain`` prints it).
    text: str
    _json: str

    def to_json(self) -> str:
        """The explanation as canonical JSON (one line)."""
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        """The explanation as a dict."""
        return json.loads(self._json)  # type: ignore[no-any-return]

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<Explanation {self.decision!r}>"


def decision_repr(d: "Decision") -> str:
    """``<Decision index=0 id="L-17" route="sales" … scores(fit=45) grades(tier=hot) …>``."""
    j: Dict[str, Any] = dict(d.to_dict())

    def text(v: Any) -> str:
        return "None" if v is None else json.dumps(v, ensure_ascii=False)

    out = f"<Decision index={j['index']} id={text(j['id'])}"
    if "error" in j:
        e = j["error"]
        return f"{out} error=LeadError(field={text(e['field'])}, message={text(e['message'])})>"
    out += "".join(f" {key}={text(j[key])}" for key in ("route", "queue", "rule", "total"))
    for key in ("scores", "grades"):
        items = (f"{k}={v if isinstance(v, str) else text(v)}" for k, v in j[key].items())
        out += f" {key}({', '.join(items)})"
    return f"{out} fired={len(j['fired'])} unknown={len(j['unknown'])}>"


def _lead(values: List[Dict[str, Any]]) -> Dict[str, Any]:
    """A witness's values (``[{"field", "key", "value"}]``) as a lead dict keyed by input keys."""
    return {v["key"]: v["value"] for v in values}


@dataclass(frozen=True)
class Finding:
    """A proven finding of :meth:`Agreement.analyze`: a warning (W0007 route
    rule never reached, W0008 score rule never fires, W0009 grade label
    never given, W0010 destination never reached, W0011 ``potential`` test
    that never differs from the score test), as ``leadgate check`` shows it."""

    code: str
    message: str
    #: 1-based line of what it points at.
    line: int
    #: 1-based column (in characters).
    column: int
    #: What it is about: a dict tagged by ``kind`` (``route_rule``,
    #: ``score_rule``, ``grade_label``, ``destination``, ``potential_test``).
    subject: SubjectDict
    #: Why it holds: a dict tagged by ``kind`` (``condition_never_true``,
    #: ``taken_by_earlier_rules`` with ``rules``, ``no_reachable_rule``,
    #: ``potential_equals_score``, ``never_across_value``).
    evidence: EvidenceDict

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Finding":
        return cls(d["code"], d["message"], d["line"], d["column"], d["subject"], d["evidence"])


@dataclass(frozen=True)
class Witness:
    """A lead that reaches a route rule, verified by scoring it as of ``as_of``."""

    #: The lead, keyed by input keys (missing fields left out); score it as is.
    lead: Dict[str, Any]
    #: The instant it was scored at (a date or RFC 3339).
    as_of: str
    #: Its scores and grade labels.
    scores: Dict[str, float]
    grades: Dict[str, str]

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Witness":
        return cls(_lead(d["values"]), d["as_of"], dict(d["scores"]), dict(d["grades"]))


@dataclass(frozen=True)
class RuleRef:
    """A route rule: of an analysis (:class:`RouteReach`) or of one side of
    a symbolic diff (:class:`Region`)."""

    #: Position in the route block (0-based).
    index: int
    #: Its name (None for an unnamed ``otherwise``).
    name: Optional[str]
    destination: Literal["sales", "nurture", "telemarketing"]
    queue: Optional[str]


@dataclass(frozen=True)
class RouteReach(RuleRef):
    """One route rule and whether a lead can reach it."""

    status: Literal["reachable", "unreachable", "undecided"]
    #: A lead that reaches it, when reachable.
    witness: Optional[Witness]
    #: Why it is undecided, when undecided.
    reason: Optional[str]

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "RouteReach":
        reach = d["reach"]
        witness = Witness.from_dict(reach["witness"]) if "witness" in reach else None
        return cls(d["index"], d["name"], d["destination"], d["queue"], reach["status"],
                   witness, reach.get("reason"))


@dataclass(frozen=True)
class Undecided:
    """Something the analysis could neither prove impossible nor witness."""

    #: What it is about (as :attr:`Finding.subject`).
    subject: SubjectDict
    reason: str
    #: 1-based line where it is written.
    line: int


class _CoreJson:
    """``to_json``/``to_dict`` of an object that holds the core's serde JSON."""

    _json: str

    def to_json(self) -> str:
        """The core's JSON (indented): for a symbolic diff, what
        ``leadgate diff OLD NEW --format json`` prints."""
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        """The core's JSON as a dict (witness values as ``[{field, key, value}]``)."""
        return json.loads(self._json)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Analysis(_CoreJson):
    """What holds for every possible lead of an agreement
    (:meth:`Agreement.analyze`, docs/analysis.md): proven findings, every
    route rule with a witness lead or why none, and what was left undecided."""

    #: Proven findings, in source order.
    findings: List[Finding]
    #: Every route rule, in order.
    routes: List[RouteReach]
    #: What the analysis could not decide (a regex, a computed value, the budget).
    undecided: List[Undecided]
    #: The route rules no ``example`` block of the agreement reaches
    #: (``leadgate check --coverage``).
    uncovered: List[RouteReach] = field(repr=False)
    _blocks: str = field(repr=False)
    _json: str = field(repr=False)

    @classmethod
    def _make(cls, d: Dict[str, Any], blocks: str, uncovered: List[int], json_text: str) -> "Analysis":
        routes = [RouteReach.from_dict(r) for r in d["routes"]]
        return cls(
            [Finding.from_dict(f) for f in d["findings"]],
            routes,
            [Undecided(u["subject"], u["reason"], u["line"]) for u in d["undecided"]],
            [routes[i] for i in uncovered],
            blocks,
            json_text,
        )

    def example_blocks(self) -> str:
        """Ready-to-paste ``example`` blocks, one per reachable route rule
        (``leadgate examples`` without its comments on unreachable rules)."""
        return self._blocks


@dataclass(frozen=True)
class Region:
    """Leads the old agreement decides by one rule and the new one by
    another, with a different destination."""

    old: RuleRef
    new: RuleRef
    #: What the region's leads share, readable ("fit 30–34 and tier warm").
    condition: str
    #: A lead of the region keyed by input keys, confirmed by both agreements.
    witness: Dict[str, Any]
    #: How many searched leads fell in the region.
    leads: int


@dataclass(frozen=True)
class SymbolicDiff(_CoreJson):
    """The regions of leads whose destination changes between two
    agreements, found without data (``leadgate diff OLD NEW``)."""

    regions: List[Region]
    #: How many leads were scored with both agreements.
    leads_searched: int
    #: The instant leads were scored at.
    as_of: str
    #: As ``leadgate diff OLD NEW`` prints it.
    text: str = field(repr=False)
    _json: str = field(repr=False)

    @classmethod
    def _make(cls, d: Dict[str, Any], text: str, json_text: str) -> "SymbolicDiff":
        regions = [
            Region(RuleRef(**r["old"]), RuleRef(**r["new"]), r["condition"], _lead(r["witness"]),
                   r["leads"])
            for r in d["regions"]
        ]
        return cls(regions, d["leads_searched"], d["as_of"], text, json_text)

    def __str__(self) -> str:
        return self.text
