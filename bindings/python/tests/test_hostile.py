"""Hostile inputs through the Python front (docs/reliability.md, Python
column): a clear exception or a defined result, never a crash, a hang or a
lost lead."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import leadgate

from conftest import SPEC_AGREEMENT

AS_OF = "2026-11-23"

# Shared with the wasm suite (bindings/wasm/tests/hostile.test.mjs).
SMALL = (Path(__file__).resolve().parent / "hostile.lead").read_text(encoding="utf-8")


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
    deep_dict: dict = {}
    for _ in range(100_000):
        deep_dict = {"k": deep_dict}
    cases = {
        "nan": {"size": float("nan")},
        "inf": {"size": float("inf")},
        "-inf": {"size": float("-inf")},
        "1e400 text": {"size": "1e400"},
        "NaN text": {"size": "NaN"},
        "inf text": {"size": "inf"},
        "beyond 2^53": {"size": 2**53 + 1},
        "beyond 2^64": {"size": 2**70},
        "below -2^64": {"size": -(2**70)},
        "1e-400": {"size": 1e-400},
        "beyond float": {"size": 10**400},
        "17 digits": {"size": 0.7926776124479642},
        "1e-400 text": {"size": "1e-400"},
        "deep list": {"tags": deep},
        "lone surrogate": {"note": "a\ud800b"},
        "nul": {"note": "a\x00b"},
        "10 MB text": {"note": "y" * 10_000_000},
        "huge list": {"tags": ["x"] * 1_000_000},
        "dict": {"note": {"a": 1}},
        "deep dict": {"note": deep_dict},
        "deep dict, undeclared key": {"other": deep_dict},
    }
    leads = [{"id": name, **values} for name, values in cases.items()]
    leads += [None, [], "text", 5, {"id": "no fields"}]
    start = time.perf_counter()
    out = small.score_many(leads, as_of=AS_OF)
    assert time.perf_counter() - start < 30
    assert len(out) == len(leads)
    by_id = {d.id: d for d in out if d.id}
    msg = lambda name: by_id[name].error.message if by_id[name].error else None  # noqa: E731
    assert by_id["nan"].ok and by_id["nan"].scores["s"] == 0  # NaN is missing, as None
    assert msg("inf") == "expected a number, got Infinity"
    assert msg("-inf") == "expected a number, got -Infinity"
    assert msg("1e400 text") == 'expected a number, got "1e400"'
    assert msg("NaN text") == 'expected a number, got "NaN"'
    assert msg("inf text") == 'expected a number, got "inf"'
    assert by_id["beyond 2^53"].ok and by_id["beyond 2^53"].scores["s"] == 1
    assert by_id["beyond 2^64"].ok and by_id["beyond 2^64"].scores["s"] == 1
    assert by_id["below -2^64"].ok and by_id["below -2^64"].scores["s"] == 0
    assert by_id["1e-400"].ok and by_id["1e-400"].scores["s"] == 0
    assert msg("beyond float") == "expected a number, got Infinity"
    assert by_id["17 digits"].ok
    assert by_id["1e-400 text"].ok
    assert msg("deep list") == "expected a list of texts, got an array in the list"
    assert msg("lone surrogate") == "expected a text, got a text that is not valid Unicode"
    assert by_id["nul"].ok and "\\u0000" not in by_id["nul"].to_json()  # the note is not echoed
    assert by_id["10 MB text"].ok
    assert by_id["huge list"].scores["s"] == 1
    assert msg("dict") == "expected a text, got an object"
    assert msg("deep dict") == "expected a text, got an object"
    assert by_id["deep dict, undeclared key"].ok
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


def test_large_agreements_under_the_limits(small):
    literal = leadgate.compile(SMALL.replace('"h"', '"' + "x" * 3_000_000 + '"'))
    assert len(literal.name) == 3_000_000
    body = "\n".join(f'  +1 "r{i}" when size > {i}' for i in range(100_000))
    start = time.perf_counter()
    many = leadgate.compile(SMALL.replace("score s {", "score s {\n" + body + "\n", 1))
    assert many.score({"id": "x", "size": 5e4}, as_of=AS_OF).scores["s"] == 50_001
    assert time.perf_counter() - start < 30


def test_odd_agreement_inputs(tmp_path):
    with pytest.raises(TypeError):
        leadgate.compile(b'agreement "x"')  # type: ignore[arg-type]
    with pytest.raises(UnicodeEncodeError):
        leadgate.compile('agreement "a\ud800"')
    path = tmp_path / "latin1.lead"
    path.write_bytes(b'agreement "\xff"\n')
    with pytest.raises(leadgate.AgreementError) as info:
        leadgate.load(path)
    (d,) = info.value.diagnostics
    assert (d.code, d.line, d.column) == ("E0001", 1, 12)
    assert d.message == "the agreement is not valid UTF-8 text (at byte 11)"
    assert f"{path}:1:12" in str(info.value)


def test_nul_in_an_id_is_kept_and_escaped(small):
    d = small.score({"id": "a\x00b"}, as_of=AS_OF)
    assert d.id == "a\x00b"
    assert '"id": "a\\u0000b"' in d.to_json()


def test_empty_batches(small):
    assert small.score_many([], as_of=AS_OF) == []
    assert small.score_many(iter(()), as_of=AS_OF) == []


def _broken_leads(n: int) -> list:
    leads: list = []
    for i in range(n):
        r = i % 10
        if r < 7:
            leads.append({"id": f"g{i}", "size": i})
        elif r == 7:
            leads.append({"id": f"b{i}", "size": "fifty"})
        elif r == 8:
            leads.append(None)
        else:
            leads.append({"id": f"n{i}", "size": float("nan")})
    return leads


def test_rows_in_equal_decisions_out_with_broken_leads(small):
    leads = _broken_leads(100_000)
    out = small.score_many(leads, as_of=AS_OF, threads=2)
    assert len(out) == len(leads)
    assert all(d.index == i for i, d in enumerate(out))
    assert sum(1 for d in out if not d.ok) == 20_000
    assert [d.error.message if d.error else None for d in out[-3:]] == [
        'expected a number, got "fifty"',
        "expected a mapping of field values, got NoneType",
        None,  # NaN is missing
    ]
    assert [d.error.kind for d in out[-3:-1]] == ["bad_value", "not_an_object"]


def test_arrow_rows_in_equal_rows_out_with_bad_values(small):
    pa = pytest.importorskip("pyarrow")
    n = 100_000
    table = pa.table(
        {
            "id": [None if i % 10 == 8 else f"r{i}" for i in range(n)],
            "size": [float("nan") if i % 10 == 9 else float(i) for i in range(n)],
            "note": ["x" * 1000 if i % 10 == 7 else None for i in range(n)],
        }
    )
    out = small.score_arrow(table, as_of=AS_OF, threads=2, allow_missing_columns=True)
    assert out.num_rows == n
    errors = out.column("error").to_pylist()
    assert sum(e is not None for e in errors) == 20_000
    assert errors[7:10] == [None, "lid: required field is missing", "size: expected a number, got NaN"]


def test_arrow_duplicate_column_names_read_the_first(small):
    pa = pytest.importorskip("pyarrow")
    table = pa.Table.from_arrays(
        [pa.array(["a", "b"]), pa.array([20, 1]), pa.array([1, 20])], names=["id", "size", "size"]
    )
    out = small.score_arrow(table, as_of=AS_OF, allow_missing_columns=True)
    assert out.column("total").to_pylist() == [1.0, 0.0]


def test_bad_options_are_value_errors(small):
    for kwargs, match in [
        ({"threads": 0}, "thread count must be at least 1"),
        ({"as_of": "never"}, "as_of: expected a date"),
        ({"on_bad_value": "x"}, "unknown on_bad_value"),
    ]:
        with pytest.raises(ValueError, match=match):
            small.score_many([{}], **{"as_of": AS_OF, **kwargs})
    assert small.score({"id": "after", "size": 20}, as_of=AS_OF).scores["s"] == 1
