"""The fast paths must not change a decision.

``score_many`` and ``score`` read the exact built-in types a lead is usually
made of (``str``, ``float``, ``int``, ``bool``, ``None``) by a type-pointer
test and borrow a text's UTF-8 from the Python string; every other value
(subclasses, numpy scalars, ``pandas.NA``, a non-dict ``Mapping``) takes the
general conversion. The same leads written both ways must give byte-identical
decisions, good values and bad ones alike."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

import leadgate

from conftest import SPEC_AGREEMENT, make_leads

AS_OF = "2026-11-23"


class S(str):
    pass


class F(float):
    pass


class I(int):  # noqa: E742 - a one-letter int subclass, as S and F
    pass


class Lead(Mapping):
    """A lead that is a Mapping but not a dict."""

    def __init__(self, data):
        self._data = data

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


# Values that are bad, odd or on an edge, for every field type, as exact
# built-in types (the fast path).
ODD = [
    {"Company Size": "fifty"},
    {"Company Size": " 1e3 "},
    {"Company Size": float("nan")},
    {"Company Size": float("inf")},
    {"Company Size": -float("inf")},
    {"Company Size": 2**63},
    {"Company Size": 2**64 + 1},
    {"Company Size": -(2**70)},
    {"Company Size": 10**400},
    {"Company Size": True},
    {"Company Size": ""},
    {"Company Size": "   "},
    {"pages_viewed": 2.5, "budget": 10000},
    {"pages_viewed": -0.0, "budget": 1e-400},
    {"demo_requested": 1},
    {"demo_requested": 0},
    {"demo_requested": 2},
    {"demo_requested": 1.0},
    {"demo_requested": " YES "},
    {"demo_requested": "maybe"},
    {"title": 42},
    {"title": 2.5},
    {"title": True},
    {"title": float("nan")},
    {"title": "  VP Marketing  "},
    {"title": "Ünïcode DIRECTOR"},
    {"title": "\ud800 lone surrogate"},
    {"title": ""},
    {"email": "\ud800@acme.io"},
    {"email": None},
    {"lead_id": 7},
    {"lead_id": "é" * 80},
    {"tags": ["Webinar", " ebook "]},
    {"tags": ["webinar", 3]},
    {"tags": ["webinar", None]},
    {"tags": "webinar; ebook;"},
    {"tags": 5},
    {"last_activity": "2026-11-01"},
    {"last_activity": "2026-11-01T10:00:00+02:00"},
    {"last_activity": 1_790_000_000},
    {"last_activity": 1.79e9},
    {"last_activity": "yesterday"},
    {"last_activity": True},
]


def leads_with_odd_values() -> list:
    leads = make_leads(1500, seed=23)
    for i, odd in enumerate(ODD):
        for j in range(3):
            leads[(i * 7 + j * 500) % len(leads)].update(odd)
    return leads


def general(value):
    """The same value as a type that the fast path does not take."""
    if value is None or isinstance(value, bool):
        return value  # None and bool cannot be subclassed (see numpy_like)
    if isinstance(value, int):
        return I(value)
    if isinstance(value, float):
        return F(value)
    if isinstance(value, str):
        return S(value)
    if isinstance(value, list):
        return tuple(general(v) for v in value)
    return value


def numpy_like(value, np, pd):
    """The same value as numpy / pandas scalars, where one exists."""
    if value is None:
        return pd.NA
    if isinstance(value, bool):
        return np.bool_(value)
    if isinstance(value, int):
        return np.int64(value) if -(2**63) <= value < 2**63 else value
    if isinstance(value, float):
        return np.float64(value)
    if isinstance(value, str):
        return np.str_(value)
    if isinstance(value, list):
        return [numpy_like(v, np, pd) for v in value]
    return value


def decisions(agreement, leads, **kw):
    return [d.to_json() for d in agreement.score_many(leads, as_of=AS_OF, **kw)]


@pytest.fixture(scope="module")
def spec_agreement():
    return leadgate.compile(SPEC_AGREEMENT)


@pytest.mark.parametrize("threads", [1, None])
def test_fast_and_general_paths_agree_on_dicts(spec_agreement, threads):
    leads = leads_with_odd_values()
    expected = decisions(spec_agreement, leads, threads=threads)
    assert any('"error"' in d for d in expected) and any('"route"' in d for d in expected)
    as_general = [{k: general(v) for k, v in lead.items()} for lead in leads]
    assert decisions(spec_agreement, as_general, threads=threads) == expected
    as_mappings = [Lead(lead) for lead in leads]
    assert decisions(spec_agreement, as_mappings, threads=threads) == expected
    # a generator, not a list: same decisions
    assert decisions(spec_agreement, (lead for lead in leads), threads=threads) == expected


def test_fast_and_general_paths_agree_with_numpy_and_pandas(spec_agreement):
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    leads = leads_with_odd_values()
    expected = decisions(spec_agreement, leads)
    as_numpy = [{k: numpy_like(v, np, pd) for k, v in lead.items()} for lead in leads]
    assert decisions(spec_agreement, as_numpy) == expected


def test_score_and_score_many_agree(spec_agreement):
    leads = leads_with_odd_values()[:300]
    for lead in leads:
        [d] = spec_agreement.score_many([lead], as_of=AS_OF)
        if d.ok:
            assert spec_agreement.score(lead, as_of=AS_OF).to_json() == d.to_json()
        else:
            with pytest.raises(leadgate.LeadError) as info:
                spec_agreement.score(lead, as_of=AS_OF)
            assert (info.value.field, info.value.message) == (d.error.field, d.error.message)


def test_none_and_absent_are_the_same(spec_agreement):
    leads = make_leads(400, seed=3)
    with_none = [
        {**lead, **{k: None for k in ("title", "industry", "budget", "tags") if k not in lead}}
        for lead in leads
    ]
    assert decisions(spec_agreement, with_none) == decisions(spec_agreement, leads)


def test_texts_outlive_their_dicts(spec_agreement):
    # The texts are borrowed from the Python strings while the GIL is
    # released: the strings must stay alive even if nothing else holds them.
    def fresh():
        for i in range(3000):
            yield {"lead_id": f"L-{i}", "email": f"user{i}@acme.io", "title": "VP " + str(i)}

    got = decisions(spec_agreement, fresh(), threads=2)
    want = decisions(spec_agreement, list(fresh()), threads=1)
    assert got == want
