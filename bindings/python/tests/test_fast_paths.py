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


# Arrow: score_arrow reads string (plain, large, view, dictionary-encoded),
# float64, int64 and bool columns by type, and every other type through a
# general getter; it splits a batch into chunks scored on several threads and
# joins their columns. Every way of writing the same leads must give the same
# decision columns as score_many over the same leads as dicts.


def _arrow_leads():
    from test_frames import typed

    leads = [typed(lead) for lead in make_leads(3000, seed=31)]
    for i, lead in enumerate(leads):
        if i % 11 == 0:
            lead["title"] = ["  VP Sales ", "Ünïcode DIRECTOR", "", "   ", "cto"][i % 5]
        if i % 13 == 0:
            # (no NaN: a NaN in an Arrow column is a value, in a dict it is missing)
            lead["pages_viewed"] = [-1.5, -0.0, 1e-300, float("inf")][i % 4]
        if i % 17 == 0:
            lead["Company Size"] = ["fifty", " 1e3 ", "", "60.5"][i % 4]
    return leads


def _variants(pa, table):
    """The same table with its columns written in other Arrow types."""
    def cast_all(kind):
        cols = {}
        for name in table.column_names:
            col = table.column(name)
            if pa.types.is_string(col.type):
                if kind == "dictionary":
                    col = col.dictionary_encode()
                elif kind == "dictionary-large":
                    col = col.cast(pa.large_string()).dictionary_encode()
                else:
                    col = col.cast(kind)
            cols[name] = col
        return pa.table(cols)

    yield "large_string", cast_all(pa.large_string())
    yield "string_view", cast_all(pa.string_view())
    yield "dictionary", cast_all("dictionary")
    yield "dictionary-large", cast_all("dictionary-large")
    # float32 and decimal go through the general getter (the values are exact in both)
    exact = [c for c in ("budget",) if c in table.column_names]
    for name in exact:
        i = table.schema.get_field_index(name)
        yield f"{name}-float32", table.set_column(i, name, table.column(name).cast(pa.float32()))
        yield f"{name}-decimal", table.set_column(
            i, name, table.column(name).cast(pa.decimal128(12, 2))
        )
    i = table.schema.get_field_index("demo_requested")
    yield "bool-as-int8", table.set_column(
        i, "demo_requested", table.column("demo_requested").cast(pa.int8())
    )


@pytest.mark.parametrize("threads", [1, 2, None])
def test_arrow_column_types_agree(spec_agreement, threads):
    pa = pytest.importorskip("pyarrow")
    from test_frames import assert_same, to_table

    leads = _arrow_leads()
    table = to_table(leads)
    expected = spec_agreement.score_many(table.to_pylist(), as_of=AS_OF)
    out = spec_agreement.score_arrow(table, as_of=AS_OF, threads=threads)
    assert_same(out, spec_agreement, expected)
    assert out.column("error").null_count < len(leads)
    for name, variant in _variants(pa, table):
        got = spec_agreement.score_arrow(variant, as_of=AS_OF, threads=threads)
        assert got.equals(out), name
    # offsets: a slice of the table, and of every variant
    part = table.slice(7, 2000)
    want = out.slice(7, 2000)
    for name, variant in [("plain", table), *_variants(pa, table)]:
        got = spec_agreement.score_arrow(variant.slice(7, 2000), as_of=AS_OF, threads=threads)
        assert got.equals(want), name
    assert_same(
        spec_agreement.score_arrow(part, as_of=AS_OF, threads=threads),
        spec_agreement,
        spec_agreement.score_many(part.to_pylist(), as_of=AS_OF),
    )


def test_arrow_integer_and_date_columns_agree(spec_agreement):
    pa = pytest.importorskip("pyarrow")
    import datetime as dt

    from test_frames import assert_same

    n = 1200
    sizes = [None if i % 9 == 0 else [5, 60, 200, 999, 1001, 5000][i % 6] for i in range(n)]
    days = [
        None if i % 7 == 0 else dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
        + dt.timedelta(days=i % 170, seconds=i * 37)
        for i in range(n)
    ]
    base = {
        "lead_id": [f"L-{i}" for i in range(n)],
        "email": [f"u{i}@acme.io" for i in range(n)],
        "demo_requested": [None if i % 5 == 0 else i % 2 == 0 for i in range(n)],
    }
    tables = [
        pa.table({**base, "Company Size": pa.array(sizes, t), "last_activity": pa.array(days, d)})
        for t in (pa.int64(), pa.int32(), pa.uint16(), pa.float64())
        for d in (pa.timestamp("s", tz="UTC"), pa.timestamp("ms"), pa.timestamp("us", tz="UTC"),
                  pa.timestamp("ns"))
    ]
    loose = dict(as_of=AS_OF, allow_missing_columns=True)  # five of the columns only
    first = spec_agreement.score_arrow(tables[0], **loose)
    rows = [
        {k: v for k, v in row.items()} for row in tables[0].to_pylist()
    ]
    assert_same(first, spec_agreement, spec_agreement.score_many(rows, as_of=AS_OF))
    for t in tables[1:]:
        for threads in (1, 2):
            got = spec_agreement.score_arrow(t, **loose, threads=threads)
            assert got.equals(first), t.schema


# score_many reads leads in blocks of a few thousand; with more than one
# thread, the pool scores one block while the calling thread reads the next
# and makes the Decisions of the previous one.


@pytest.mark.parametrize("threads", [2, None])
def test_blocks_and_threads_agree(spec_agreement, threads):
    leads = make_leads(7000, seed=41)
    for i in (0, 2047, 2048, 4095, 4096, 6999):
        leads[i] = i  # not a mapping: rejected in its place
    want = decisions(spec_agreement, leads, threads=1)
    got = spec_agreement.score_many(leads, as_of=AS_OF, threads=threads)
    assert [d.to_json() for d in got] == want
    assert [d.index for d in got] == list(range(len(leads)))
    assert [i for i, d in enumerate(got) if d.error is not None and d.error.field is None] == [
        0, 2047, 2048, 4095, 4096, 6999
    ]


@pytest.mark.parametrize("threads", [1, 2, None])
def test_an_error_while_reading_stops_the_batch(spec_agreement, threads):
    def leads():
        yield from make_leads(5000, seed=43)
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="the source broke"):
        spec_agreement.score_many(leads(), as_of=AS_OF, threads=threads)
    # and the agreement still works
    assert len(spec_agreement.score_many(make_leads(3000), as_of=AS_OF, threads=threads)) == 3000


def test_key_objects_do_not_matter(spec_agreement):
    # Dicts are looked up with the key objects of the first dict of each
    # block: leads whose keys are other (equal) str objects, str subclasses,
    # or missing from that first dict, read the same.
    leads = make_leads(5000, seed=47)
    want = decisions(spec_agreement, leads)

    def fresh(key, i):
        if i % 3 == 0:
            return "".join(list(key))  # a new, equal str object
        if i % 3 == 1:
            return S(key)
        return key

    rekeyed = [{fresh(k, i): v for k, v in lead.items()} for i, lead in enumerate(leads)]
    assert decisions(spec_agreement, rekeyed) == want
    assert decisions(spec_agreement, rekeyed, threads=1) == want
    # a first dict with none of the keys, then the leads
    assert decisions(spec_agreement, [{"x": 1}] + leads)[1:] == [
        d.replace('"index": %d,' % i, '"index": %d,' % (i + 1), 1)
        for i, d in enumerate(want)
    ]
