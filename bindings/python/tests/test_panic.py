"""No panic crosses the FFI: a Rust panic inside any entry point comes out
as ``leadgate.LeadgateError`` (an ``Exception``), never pyo3's
``PanicException`` (a ``BaseException`` that ``except Exception`` misses)
nor an abort, and the module keeps working (docs/reliability.md, section 3).

``leadgate._leadgate._panic_for_test`` is an internal hook that panics
inside the same boundary (``errors::guard``) that every entry point uses.
Without the guard these tests fail: pytest sees a ``PanicException``
instead of ``LeadgateError``; with ``panic = "abort"`` the process dies."""

from __future__ import annotations

import subprocess
import sys

import pytest

import leadgate
from leadgate import _leadgate

from conftest import SPEC_AGREEMENT

AS_OF = "2026-11-23"
LEAD = {"lead_id": "L-1", "email": "ana@acme.io", "title": "VP Marketing", "Company Size": 250}
PLACES = {
    "gil": "test panic with the GIL held",
    "detached": "test panic with the GIL released",
    "pool": "test panic on a scoring thread",
}


@pytest.mark.parametrize("place", sorted(PLACES))
def test_a_panic_is_a_leadgate_error(place):
    with pytest.raises(leadgate.LeadgateError) as info:
        _leadgate._panic_for_test(place)
    e = info.value
    assert type(e) is leadgate.LeadgateError
    assert isinstance(e, Exception)
    assert str(e).startswith(f"internal error in leadgate: {PLACES[place]}")
    assert "please report it" in str(e)


def test_except_exception_catches_a_panic():
    caught = None
    try:
        _leadgate._panic_for_test("pool")
    except Exception as e:  # noqa: BLE001 - the point of the test
        caught = e
    assert isinstance(caught, leadgate.LeadgateError)


def test_the_module_still_scores_after_panics(spec):
    before = spec.score(LEAD, as_of=AS_OF).to_json()
    for place in PLACES:
        for _ in range(3):
            with pytest.raises(leadgate.LeadgateError):
                _leadgate._panic_for_test(place)
    assert spec.score(LEAD, as_of=AS_OF).to_json() == before
    many = spec.score_many([LEAD] * 500, as_of=AS_OF, threads=2)
    assert [d.to_json() for d in many[:1]] == [before]
    assert len(many) == 500
    assert leadgate.compile(SPEC_AGREEMENT).score(LEAD, as_of=AS_OF).to_json() == before


def test_unknown_place_is_a_value_error():
    with pytest.raises(ValueError, match="unknown place"):
        _leadgate._panic_for_test("elsewhere")


def test_the_interpreter_survives_a_panic():
    # In a fresh interpreter: a panic (one on a scoring thread too) must not
    # abort the process; it goes on and exits normally.
    code = (
        "import leadgate\n"
        "from leadgate import _leadgate\n"
        "for place in ('gil', 'detached', 'pool'):\n"
        "    try:\n"
        "        _leadgate._panic_for_test(place)\n"
        "    except Exception as e:\n"
        "        print(type(e).__name__, str(e).split(' (')[0])\n"
        f"a = leadgate.compile({SPEC_AGREEMENT!r})\n"
        f"print(a.score({LEAD!r}, as_of={AS_OF!r}).route)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "LeadgateError internal error in leadgate: test panic with the GIL held",
        "LeadgateError internal error in leadgate: test panic with the GIL released",
        "LeadgateError internal error in leadgate: test panic on a scoring thread",
        leadgate.compile(SPEC_AGREEMENT).score(LEAD, as_of=AS_OF).route,
    ]
