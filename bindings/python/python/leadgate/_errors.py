"""The errors leadgate raises (the native module raises these classes)."""

from __future__ import annotations

import importlib
from typing import Any, Dict, List, Optional, Sequence

from ._model import Diagnostic, RosterDiagnostic
from .types import LeadErrorKind, MissingColumn

__all__ = ["LeadgateError", "AgreementError", "LeadError", "MissingColumnsError", "RosterError", "require"]


def require(module: str, extra: str) -> Any:
    """Imports the optional dependency ``module``, or raises ImportError
    naming the extra that installs it (``pip install 'leadgate[pandas]'``).
    ``leadgate`` itself needs none of them."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        top = module.split(".")[0]
        raise ImportError(
            f"{top} is needed for this and is not installed (or does not import): "
            f"pip install 'leadgate[{extra}]'",
            name=top,
        ) from e


class LeadgateError(Exception):
    """Base class of the errors leadgate raises. Raised itself, with a message
    starting ``internal error in leadgate:``, if the engine hits a bug (a
    Rust panic): a panic never crosses into Python as anything else."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class AgreementError(LeadgateError):
    """The agreement text does not compile. ``str()`` shows every finding
    with its source line and a caret, then ``error: FILE does not compile: N
    errors``: what ``leadgate check`` prints (the core's rendering);
    ``.diagnostics`` lists them (code, severity, message, line, column, help,
    rendered)."""

    diagnostics: List[Diagnostic]

    def __init__(self, text: str, diagnostics: Sequence[Dict[str, Any]] = ()) -> None:
        super().__init__(text, list(diagnostics))
        self.diagnostics = [Diagnostic.from_dict(d) for d in diagnostics]


class LoadError(LeadgateError):
    """Bytes that are not a compiled agreement this version loads
    (:func:`leadgate.load_compiled`, or :func:`leadgate.load` of a ``.lgc``
    file). ``.kind`` says why: ``version`` (written by another format
    version: compile the agreement again), ``damaged`` (cut short, changed
    or inconsistent) or ``not_compiled``."""

    kind: str

    def __init__(self, text: str, kind: str = "damaged") -> None:
        super().__init__(text, kind)
        self.kind = kind


class LeadError(LeadgateError):
    """A lead was rejected. ``.kind`` says why (tell errors apart by it,
    never by the message): ``bad_value``, ``missing_required``,
    ``not_an_object``, ``unreadable``, ``invalid_json``. ``.field`` names
    the field (None when the record itself is unusable), ``.message`` says
    what was wrong, ``.index`` and ``.id`` say which lead."""

    kind: LeadErrorKind
    field: Optional[str]
    message: str
    index: int
    id: Optional[str]

    def __init__(
        self,
        text: str,
        kind: LeadErrorKind,
        field: Optional[str],
        message: str,
        index: int,
        id: Optional[str],
    ) -> None:
        super().__init__(text, kind, field, message, index, id)
        self.kind, self.field, self.message, self.index, self.id = kind, field, message, index, id


class MissingColumnsError(LeadgateError):
    """Column-wise input (Arrow, pandas, polars, Spark) has no column for
    some declared fields. ``.missing`` lists them: ``{"field", "key",
    "suggestion"}``."""

    missing: List[MissingColumn]

    def __init__(self, text: str, missing: Sequence[MissingColumn] = ()) -> None:
        super().__init__(text, list(missing))
        self.missing = list(missing)


class RosterError(LeadgateError):
    """The roster cannot be used: it does not parse, or does not fit the
    agreement (a queue a route rule sends leads to is missing). ``str()``
    lists every problem as ``file:line:column: error: key: message`` (the
    CLI's text); ``.diagnostics`` lists them (severity, line, column, key,
    message)."""

    diagnostics: List[RosterDiagnostic]

    def __init__(self, text: str, diagnostics: Sequence[Dict[str, Any]] = ()) -> None:
        super().__init__(text, list(diagnostics))
        self.diagnostics = [RosterDiagnostic(**d) for d in diagnostics]
