"""The conformance views (tests/conformance): every case's explanations
(`<name>.explained.expected.jsonl`) and report (`<name>.report.expected.jsonl`),
and every diff case (`diffs/<name>.expected.json`), byte for byte what the
Rust core writes (crates/leadgate/tests/conformance_views.rs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import leadgate

from conftest import CONFORMANCE

CASES = sorted(CONFORMANCE.glob("*.json"))
DIFFS = sorted((CONFORMANCE.parent / "diffs").glob("*.json"))
DIFFS = [p for p in DIFFS if not p.name.endswith(".expected.json")]


def _beside(path: Path, suffix: str) -> str:
    return path.with_name(path.name[: -len(".json")] + suffix).read_text(encoding="utf-8")


def test_the_views_are_there():
    assert len(CASES) > 10 and len(DIFFS) >= 2


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_explanations_and_report(path: Path):
    case = json.loads(path.read_text(encoding="utf-8"))
    agreement = leadgate.compile(case["agreement"])
    as_of, on_bad_value = case["as_of"], case["on_bad_value"]
    explained = "".join(
        agreement.explain(lead, as_of=as_of, on_bad_value=on_bad_value, index=i).to_json() + "\n"
        for i, lead in enumerate(case["leads"])
    )
    assert explained == _beside(path, ".explained.expected.jsonl")
    report = agreement.report(case["leads"], as_of=as_of, on_bad_value=on_bad_value, title="")
    assert report.to_canonical_json() + "\n" == _beside(path, ".report.expected.jsonl")
    # The same report from two parts merged.
    half = len(case["leads"]) // 2
    parts = [agreement.report(leads, as_of=as_of, on_bad_value=on_bad_value, title="")
             for leads in (case["leads"][:half], case["leads"][half:])]
    parts[0].merge(parts[1])
    assert parts[0].to_canonical_json() == report.to_canonical_json()


@pytest.mark.parametrize("path", DIFFS, ids=[p.stem for p in DIFFS])
def test_diff(path: Path):
    case = json.loads(path.read_text(encoding="utf-8"))
    old, new = leadgate.compile(case["old"]), leadgate.compile(case["new"])
    diff = old.diff(new, case["leads"], changes=case["changes"], as_of=case["as_of"])
    assert diff.to_canonical_json() + "\n" == _beside(path, ".expected.json")
    assert json.loads(diff.to_json()) == json.loads(diff.to_canonical_json())
