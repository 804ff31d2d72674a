"""The dict API: compile, check, score, score_many, errors, value mapping."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import pickle

import pytest

import leadgate

from conftest import SPEC_AGREEMENT, make_leads

AS_OF = "2026-11-23"

VP = {
    "lead_id": "L-17",
    "email": "ana@acme.io",
    "title": "VP Marketing",
    "Company Size": 200,
    "industry": " Software ",
    "demo_requested": True,
    "last_activity": "2026-11-20",
    "pages_viewed": "5",
    "tags": ["Webinar"],
}


def test_model_accessors(spec):
    assert spec.name == "Acme inbound"
    assert spec.version == "2026.11"
    assert spec.uses_time
    assert spec.scores == ["fit", "engagement"]
    assert spec.grades == {"tier": ["hot", "warm", "cold"]}
    names = [f.name for f in spec.fields]
    assert names[:3] == ["lead_id", "email", "title"]
    size = spec.fields[3]
    assert (size.name, size.type, size.key, size.required, size.id) == (
        "company_size",
        "number",
        "Company Size",
        False,
        False,
    )
    assert spec.fields[0].id and spec.fields[0].required
    assert "Company Size" in spec.input_keys and "company_size" not in spec.input_keys
    assert spec.routes[0] == {
        "route": "sales",
        "queue": None,
        "rule": "Hot lead",
        "follow_up_within_s": 3600,
    }
    assert "Acme inbound" in repr(spec)


def test_check_runs_examples(spec):
    results = spec.check()
    assert len(results) == 1
    (r,) = results
    assert r.passed and bool(r) and r.failures == []
    assert r.line > 1 and r.name.startswith("A VP")


def test_check_reports_failing_example():
    text = SPEC_AGREEMENT.replace("expect fit == 45", "expect fit == 46")
    (r,) = leadgate.compile(text).check()
    assert not r.passed
    assert any("fit == 46" in f and "45" in f for f in r.failures)


def test_single_lead(spec):
    d = spec.score(VP, as_of=AS_OF)
    assert d.ok and d.error is None
    assert d.index == 0 and d.id == "L-17"
    assert (d.route, d.queue, d.rule, d.follow_up_within_s) == ("sales", None, "Hot lead", 3600)
    assert d.scores["fit"] == 45
    assert d.total == pytest.approx(sum(d.scores.values()))
    assert d.grades == {"tier": "hot"}
    assert {"rule": "Decision maker", "score": "fit", "points": 20.0} in d.fired
    assert [u["rule"] for u in d.unknown] == ["Has budget"]
    assert d.unknown[0]["missing"] == ["budget"]
    assert d.undecided == [] and d.warnings == []
    assert d.potentials["fit"] >= d.scores["fit"]
    r = repr(d)
    assert 'route="sales"' in r and 'id="L-17"' in r and "fit=45" in r


def test_to_dict_is_the_canonical_json(spec):
    d = spec.score(VP, as_of=AS_OF)
    text = d.to_json()
    assert "\n" not in text
    assert d.to_dict() == json.loads(text)
    assert list(d.to_dict()) == [
        "index", "id", "route", "queue", "rule", "follow_up_within_s",
        "scores", "total", "grades", "fired", "unknown", "undecided", "warnings",
    ]
    assert '"fit": 45,' in text  # whole numbers print without a fraction


def test_bad_lead_raises_lead_error(spec):
    with pytest.raises(leadgate.LeadError) as info:
        spec.score({"lead_id": "L-20", "email": "x@y.io", "Company Size": "fifty"}, as_of=AS_OF)
    e = info.value
    assert e.field == "company_size"
    assert e.message == 'expected a number, got "fifty"'
    assert e.id == "L-20" and e.index == 0
    assert "company_size" in str(e)
    assert isinstance(e, leadgate.LeadgateError) and isinstance(e, Exception)


def test_required_missing_and_not_a_mapping(spec):
    with pytest.raises(leadgate.LeadError) as info:
        spec.score({"lead_id": "L-1"}, as_of=AS_OF)
    assert info.value.field == "email"
    assert info.value.message == "required field is missing"
    with pytest.raises(leadgate.LeadError) as info:
        spec.score(["not", "a", "dict"], as_of=AS_OF)
    assert info.value.field is None
    assert "mapping" in info.value.message


def test_lenient_mode_reads_bad_values_as_missing(spec):
    d = spec.score(
        {"lead_id": "L-1", "email": "a@b.io", "Company Size": "fifty"},
        as_of=AS_OF,
        on_bad_value="missing",
    )
    assert d.ok
    assert d.warnings[0]["field"] == "company_size"
    assert "read as missing" in d.warnings[0]["message"]


def test_batch_keeps_bad_rows_in_place(spec):
    leads = [
        VP,
        {"lead_id": "L-20", "email": "x@y.io", "Company Size": "fifty"},
        "not a lead",
        {"lead_id": "L-21", "email": "b@gmail.com", "Company Size": "5000"},
        {"email": "no-id@acme.io"},
    ]
    out = spec.score_many(leads, as_of=AS_OF)
    assert [d.index for d in out] == [0, 1, 2, 3, 4]
    assert [d.ok for d in out] == [True, False, False, True, False]
    assert out[1].error.field == "company_size" and out[1].id == "L-20"
    assert out[1].route is None and out[1].scores is None
    assert out[2].error.field is None
    assert out[4].error.field == "lead_id"
    assert out[1].to_dict() == {
        "index": 1,
        "id": "L-20",
        "error": {"field": "company_size", "message": 'expected a number, got "fifty"'},
    }
    assert "error=LeadError" in repr(out[1])
    assert out[0] == spec.score(VP, as_of=AS_OF)


def test_score_many_accepts_any_iterable(spec):
    gen = (lead for lead in make_leads(10))
    assert len(spec.score_many(gen, as_of=AS_OF)) == 10
    assert spec.score_many([], as_of=AS_OF) == []


def test_thread_counts_give_identical_results(spec):
    leads = make_leads(3000)
    runs = [
        [d.to_json() for d in spec.score_many(leads, as_of=AS_OF, threads=t)]
        for t in (1, 2, 4, None)
    ]
    assert runs[0] == runs[1] == runs[2] == runs[3]
    assert any('"error"' in line for line in runs[0])


def test_as_of_forms(spec):
    lead = {**VP, "last_activity": "2026-10-24"}

    def fit_engagement(as_of):
        return spec.score(lead, as_of=as_of).scores["engagement"]

    base = fit_engagement("2026-11-23")
    assert fit_engagement("2026-11-23T00:00:00Z") == base
    assert fit_engagement("2026-11-23T01:00:00+01:00") == base
    assert fit_engagement(dt.date(2026, 11, 23)) == base
    assert fit_engagement(dt.datetime(2026, 11, 23)) == base  # naive = UTC
    assert fit_engagement(dt.datetime(2026, 11, 23, tzinfo=dt.timezone.utc)) == base
    assert fit_engagement(
        dt.datetime(2026, 11, 23, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    ) == base
    assert fit_engagement("2026-12-23") < base
    assert fit_engagement(None) <= base  # now is later than the fixed date
    with pytest.raises(ValueError, match="as_of"):
        spec.score(lead, as_of="23/11/2026")
    with pytest.raises(TypeError, match="as_of"):
        spec.score(lead, as_of=12345)


def test_bad_options_raise(spec):
    with pytest.raises(ValueError, match="on_bad_value"):
        spec.score(VP, as_of=AS_OF, on_bad_value="ignore")
    with pytest.raises(ValueError, match="thread"):
        spec.score_many([VP], as_of=AS_OF, threads=0)
    with pytest.raises(TypeError):
        spec.score_many(42, as_of=AS_OF)


def _one(spec, **values):
    lead = {"lead_id": "L", "email": "a@b.io", **values}
    return spec.score_many([lead], as_of=AS_OF)[0]


def test_python_values_map_to_the_core_coercions(spec):
    # bool is checked before int: True is not the number 1 for a text field
    assert _one(spec, title=True).ok
    assert _one(spec, demo_requested=1).scores["engagement"] == 30
    assert _one(spec, demo_requested=True).scores["engagement"] == 30
    assert _one(spec, **{"Company Size": 2000}).scores["fit"] == 25
    assert _one(spec, **{"Company Size": 10**30}).scores["fit"] == 25  # beyond 64 bits: a float
    assert _one(spec, **{"Company Size": 2000.0}).scores["fit"] == 25
    assert _one(spec, **{"Company Size": decimal.Decimal("2000.5")}).scores["fit"] == 25
    assert _one(spec, tags=("webinar",)).scores["engagement"] == 10
    assert _one(spec, tags="ebook; Webinar").scores["engagement"] == 10
    assert _one(spec, last_activity=dt.date(2026, 11, 23)).ok
    # NaN is no value in Python data (pandas writes a blank cell so), as None
    assert _one(spec, **{"Company Size": float("nan")}).to_json() == _one(spec).to_json()
    assert _one(spec, budget=float("inf")).error.field == "budget"
    obj = _one(spec, title={"a": 1})
    assert obj.error.message == "expected a text, got an object"
    assert _one(spec, title=b"bytes").error.message == "expected a text, got bytes"
    assert _one(spec, tags=[["nested"]]).error.message == (
        "expected a list of texts, got an array in the list"
    )
    # None and blank strings are missing
    assert _one(spec, title=None).unknown[0]["missing"] == ["title"]
    assert _one(spec, title="   ").unknown[0]["missing"] == ["title"]


def test_numpy_and_pandas_scalars():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    spec = leadgate.compile(SPEC_AGREEMENT)
    assert _one(spec, **{"Company Size": np.int64(2000)}).scores["fit"] == 25
    assert _one(spec, **{"Company Size": np.float32(2000)}).scores["fit"] == 25
    assert _one(spec, demo_requested=np.bool_(True)).scores["engagement"] == 30
    assert _one(spec, title=pd.NA).unknown[0]["missing"] == ["title"]
    assert _one(spec, last_activity=pd.NaT).ok
    assert _one(spec, last_activity=pd.Timestamp("2026-11-23")).ok
    assert _one(spec, last_activity=np.datetime64("2026-11-23")).ok


def test_mappings_other_than_dict(spec):
    from collections import OrderedDict
    from types import MappingProxyType

    base = {k: v for k, v in VP.items()}
    expected = spec.score(base, as_of=AS_OF).to_json()
    assert spec.score(OrderedDict(base), as_of=AS_OF).to_json() == expected
    assert spec.score(MappingProxyType(base), as_of=AS_OF).to_json() == expected


def test_compile_error_has_diagnostics_with_line_and_column():
    text = SPEC_AGREEMENT.replace("when title matches", "when titel matches")
    with pytest.raises(leadgate.AgreementError) as info:
        leadgate.compile(text, file_name="acme.lead")
    e = info.value
    assert isinstance(e, leadgate.LeadgateError)
    errors = [d for d in e.diagnostics if d.severity == "error"]
    assert errors, e.diagnostics
    d = errors[0]
    assert d.code.startswith("E")
    assert "titel" in d.message
    line_text = text.splitlines()[d.line - 1]
    assert line_text[d.column - 1 :].startswith("titel")
    assert d.help and "title" in d.help
    message = str(e)
    assert f"acme.lead:{d.line}:{d.column}" in message
    assert line_text.strip() in message
    assert "^^^^^" in message
    assert repr(d).startswith("Diagnostic(code=")


def test_every_error_is_reported():
    text = SPEC_AGREEMENT.replace("when title matches", "when titel matches").replace(
        "when industry in targets", "when industri in targets"
    )
    with pytest.raises(leadgate.AgreementError) as info:
        leadgate.compile(text)
    messages = [d.message for d in info.value.diagnostics if d.severity == "error"]
    assert any("titel" in m for m in messages) and any("industri" in m for m in messages)


def test_syntax_error_and_garbage_do_not_panic():
    for text in ["", "agreement", "agreement \"x\" fields {", "\x00\xff", "}" * 10000]:
        with pytest.raises(leadgate.AgreementError) as info:
            leadgate.compile(text)
        assert info.value.diagnostics
    with pytest.raises(TypeError):
        leadgate.compile(None)  # type: ignore[arg-type]


def test_load_and_warnings(tmp_path, spec):
    path = tmp_path / "acme.lead"
    path.write_text(SPEC_AGREEMENT.replace("  phone          : text\n", "  phone : text\n  fax : text\n"))
    agreement = leadgate.load(path)
    assert agreement.file_name == str(path)
    warnings = agreement.warnings
    assert any(w.severity == "warning" and "fax" in w.message for w in warnings)
    with pytest.raises(FileNotFoundError):
        leadgate.load(tmp_path / "missing.lead")


def test_agreement_pickles_as_its_text(spec):
    again = pickle.loads(pickle.dumps(spec))
    assert isinstance(again, leadgate.Agreement)
    assert again.source == spec.source
    assert again.score(VP, as_of=AS_OF) == spec.score(VP, as_of=AS_OF)


def test_odd_python_objects_never_raise_in_a_batch(spec):
    class Weird:
        dtype = property(lambda self: 1 / 0)

    class BadMapping(dict):
        pass

    from collections.abc import Mapping

    class Exploding(Mapping):
        def __getitem__(self, key):
            raise RuntimeError("boom")

        def __iter__(self):
            return iter(())

        def __len__(self):
            return 0

    class MyStr(str):
        pass

    class MyInt(int):
        pass

    loop: list = []
    loop.append(loop)
    values = [object(), Weird(), loop, "\ud800", MyStr("VP"), MyInt(7), 2**200, -(2**2000),
              float("-inf"), set(), frozenset({"a"}), range(3), 1j, type, print]
    leads = []
    for v in values:
        for key in ("title", "Company Size", "demo_requested", "tags", "last_activity"):
            leads.append({"lead_id": "L", "email": "a@b.io", key: v})
    leads += [Exploding(), BadMapping(lead_id="L", email="a@b.io"), None, 42, "text"]
    out = spec.score_many(leads, as_of=AS_OF)
    assert len(out) == len(leads)
    assert out[-5].error.field is None and "boom" in out[-5].error.message
    assert out[-4].ok
    assert all(not d.ok for d in out[-3:])
    for d in out:
        json.loads(d.to_json())
