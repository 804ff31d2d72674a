"""Compiled agreements (``Agreement.to_compiled``, ``load_compiled``, and
``load`` of a ``.lgc`` file the CLI wrote): the same decisions as the text,
the same bytes as the CLI, and clear refusals."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
from pathlib import Path

import pytest

import leadgate

from conftest import CONFORMANCE

REPO = Path(__file__).resolve().parents[3]
CASES = sorted(CONFORMANCE.glob("*.json"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_conformance_corpus_decides_the_same_from_compiled_bytes(path: Path):
    case = json.loads(path.read_text(encoding="utf-8"))
    expected = [
        line
        for line in path.with_name(path.name[: -len(".json")] + ".expected.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    data = leadgate.compile(case["agreement"]).to_compiled()
    assert isinstance(data, bytes) and data[:4] == b"LGC\0"
    loaded = leadgate.load_compiled(data)
    assert isinstance(loaded, leadgate.Agreement)
    decisions = loaded.score_many(case["leads"], as_of=case["as_of"], on_bad_value=case.get("on_bad_value", "error"))
    assert [d.to_json() for d in decisions] == expected


def _cli() -> str:
    built = REPO / "target" / "debug" / "leadgate"
    found = shutil.which("leadgate")
    if built.exists():
        return str(built)
    if found:
        return found
    pytest.skip("no leadgate CLI built (cargo build -p leadgate-cli)")


def test_load_reads_the_cli_s_compiled_file_and_the_bytes_are_the_cli_s(tmp_path: Path):
    for name in ["b2b-saas-inbound", "education-admissions"]:
        lead = REPO / "rules-examples" / f"{name}.lead"
        lgc = tmp_path / f"{name}.lgc"
        subprocess.run([_cli(), "compile", str(lead), "-o", str(lgc)], check=True, capture_output=True)
        text = leadgate.load(lead)
        compiled = leadgate.load(lgc)
        assert compiled.to_compiled() == lgc.read_bytes() == text.to_compiled()
        assert compiled.fingerprint == text.fingerprint and compiled.source == text.source
        assert compiled.file_name == str(lgc)
        sample = REPO / "rules-examples" / "b2b-saas-inbound.leads.jsonl"
        if name == "b2b-saas-inbound":
            leads = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines()]
            got = [d.to_json() for d in compiled.score_many(leads, as_of="2026-11-23")]
            assert got == [d.to_json() for d in text.score_many(leads, as_of="2026-11-23")]
        assert all(r.passed for r in compiled.check())
        # It pickles (as its text) and comes back deciding the same.
        again = pickle.loads(pickle.dumps(compiled))
        assert again.to_compiled() == compiled.to_compiled()


def test_outdated_damaged_and_wrong_inputs_are_refused(tmp_path: Path):
    data = leadgate.compile(
        'agreement "a"\nfields { n : number }\nscore s { +1 "r" when n > 1 }\nroute { nurture otherwise }\n'
    ).to_compiled()
    outdated = bytearray(data)
    outdated[4] = 1
    with pytest.raises(leadgate.LoadError) as e:
        leadgate.load_compiled(bytes(outdated))
    assert e.value.kind == "version"
    assert str(e.value) == (
        "the compiled agreement is of format version 1, this leadgate reads version 2: "
        "compile the agreement again with this version"
    )
    with pytest.raises(leadgate.LoadError) as e:
        leadgate.load_compiled(data[:20])
    assert e.value.kind == "damaged"
    with pytest.raises(leadgate.LoadError) as e:
        leadgate.load_compiled(b"agreement")
    assert e.value.kind == "not_compiled" and isinstance(e.value, leadgate.LeadgateError)
    with pytest.raises(TypeError, match="load_compiled: expected bytes, got str"):
        leadgate.load_compiled("LGC")  # type: ignore[arg-type]
    cut = tmp_path / "cut.lgc"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(leadgate.LoadError, match="is damaged: its checksum does not match"):
        leadgate.load(cut)
    # bytearray and memoryview are bytes too.
    assert leadgate.load_compiled(memoryview(data)).to_compiled() == data
