"""Hostile inputs through the Python front (docs/reliability.md, Python
column): a clear exception or a defined result, never a crash, a hang or a
lost lead."""

from __future__ import annotations

import json
import time

import pytest

import leadgate

from conftest import SPEC_AGREEMENT

AS_OF = "2026-11-23"

SMALL = """agreement "h"
fields { lid : text id from "id"
         size : number
         note : text
         tags : list
         seen : date }
score s { +1 "big" when size > 10
          +1 "tagged" when tags contains "x"
          +1 "noted" when note is present
          +1 "recent" when seen within 30d }
route { sales "Big lead" when s >= 1
        nurture otherwise }
"""


@pytest.fixture(scope="module")
def small():
    return leadgate.compile(SMALL)


def _limit_error(text: str) -> leadgate.AgreementError:
    start = time.perf_counter()
    with pytest.raises(leadgate.AgreementError) as info:
        leadgate.compile(text)
    assert time.perf_counter() - start < 10
    return info.value


@pytest.mark.parametrize(
    "body",
    [
        "(" * 50_000 + "size" + ")" * 50_000 + " > 1",
        "(" * 50_000,
        "not " * 100_000 + "size > 1",
        " or ".join(["size > 1"] * 5_000),
    ],
    ids=["nested-parens", "unclosed-parens", "not-run", "or-chain"],
)
def test_deep_agreements_are_limit_errors(body):
    text = SMALL.replace('+1 "big" when size > 10', f'+1 "big" when {body}')
    e = _limit_error(text)
    assert any(d.code == "E0017" for d in e.diagnostics), [d.code for d in e.diagnostics]


def test_huge_and_odd_agreement_texts():
    e = _limit_error(SMALL.replace('"h"', '"' + "x" * 10_000_000 + '"'))
    assert any(d.code == "E0017" for d in e.diagnostics)
    for text in ["", "\x00\x00", "\ufeff", "agreement \"x\"\x00"]:
        e = _limit_error(text)
        assert all(d.line >= 1 and d.column >= 1 for d in e.diagnostics)


def test_host_values(small):
    deep: list = ["x"]
    for _ in range(100_000):
        deep = [deep]
    cases = {
        "nan": {"size": float("nan")},
        "inf": {"size": float("inf")},
        "-inf": {"size": float("-inf")},
        "1e400 text": {"size": "1e400"},
        "NaN text": {"size": "NaN"},
        "beyond 2^64": {"size": 2**70},
        "beyond float": {"size": 10**400},
        "17 digits": {"size": 0.7926776124479642},
        "1e-400 text": {"size": "1e-400"},
        "deep list": {"tags": deep},
        "lone surrogate": {"note": "a\ud800b"},
        "nul": {"note": "a\x00b"},
        "10 MB text": {"note": "y" * 10_000_000},
        "huge list": {"tags": ["x"] * 1_000_000},
        "dict": {"note": {"a": 1}},
    }
    leads = [{"id": name, **values} for name, values in cases.items()]
    leads += [None, [], "text", 5, {"id": "no fields"}]
    start = time.perf_counter()
    out = small.score_many(leads, as_of=AS_OF)
    assert time.perf_counter() - start < 30
    assert len(out) == len(leads)
    by_id = {d.id: d for d in out if d.id}
    msg = lambda name: by_id[name].error.message if by_id[name].error else None  # noqa: E731
    assert msg("nan") == "expected a number, got NaN"
    assert msg("inf") == "expected a number, got Infinity"
    assert msg("-inf") == "expected a number, got -Infinity"
    assert msg("1e400 text") == 'expected a number, got "1e400"'
    assert msg("NaN text") == 'expected a number, got "NaN"'
    assert by_id["beyond 2^64"].ok and by_id["beyond 2^64"].scores["s"] == 1
    assert msg("beyond float") == "expected a number, got Infinity"
    assert by_id["17 digits"].ok
    assert by_id["1e-400 text"].ok
    assert msg("deep list") == "expected a list of texts, got an array in the list"
    assert msg("lone surrogate") == "expected a text, got a text that is not valid Unicode"
    assert by_id["nul"].ok and "\\u0000" not in by_id["nul"].to_json()  # the note is not echoed
    assert by_id["10 MB text"].ok
    assert by_id["huge list"].scores["s"] == 1
    assert msg("dict") == "expected a text, got an object"
    for d in out[-5:-1]:
        assert d.error.field is None and "mapping" in d.error.message
    assert out[-1].ok
    for d in out:
        json.loads(d.to_json())


def test_a_generator_that_fails_raises_its_own_error(small):
    def leads():
        yield {"id": "a"}
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError, match="source failed"):
        small.score_many(leads(), as_of=AS_OF)


def test_a_lead_with_a_million_keys(small):
    lead = {f"k{i}": i for i in range(1_000_000)}
    lead["id"] = "many keys"
    assert small.score(lead, as_of=AS_OF).ok
    assert leadgate.compile(SPEC_AGREEMENT).score_many([lead], as_of=AS_OF)[0].error.field == "lead_id"
