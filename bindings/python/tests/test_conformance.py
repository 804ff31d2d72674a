"""The shared conformance vectors (tests/conformance/cases): every case gives
byte-identical canonical JSON to the Rust core's expected lines, through the
dict front (`score_many`) and through Arrow where the leads fit a table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import leadgate

from conftest import CONFORMANCE

CASES = sorted(CONFORMANCE.glob("*.json"))


def _load(path: Path):
    case = json.loads(path.read_text(encoding="utf-8"))
    expected_path = path.with_name(path.name[: -len(".json")] + ".expected.jsonl")
    expected = expected_path.read_text(encoding="utf-8").splitlines()
    return case, [line for line in expected if line.strip()]


def test_the_corpus_is_there():
    assert CASES, f"no conformance cases under {CONFORMANCE}"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_conformance_case(path: Path):
    case, expected = _load(path)
    agreement = leadgate.compile(case["agreement"], file_name=path.name)
    decisions = agreement.score_many(
        case["leads"],
        as_of=case.get("as_of"),
        on_bad_value=case.get("on_bad_value", "error"),
    )
    got = [d.to_json() for d in decisions]
    assert len(got) == len(expected), f"{len(got)} decisions for {len(expected)} expected lines"
    for i, (g, e) in enumerate(zip(got, expected)):
        assert g == e, f"lead {i} of {path.name}"
    # one at a time gives the same decision (index 0 aside)
    for i, lead in enumerate(case["leads"]):
        try:
            single = agreement.score(
                lead, as_of=case.get("as_of"), on_bad_value=case.get("on_bad_value", "error")
            )
        except leadgate.LeadError as e:
            assert decisions[i].error is not None
            assert (e.field, e.message) == (decisions[i].error.field, decisions[i].error.message)
        else:
            assert single.to_dict() == {**decisions[i].to_dict(), "index": 0}
