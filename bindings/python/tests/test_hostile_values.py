"""Values and arguments that used to be read wrongly or not at all
(docs/python.md): instants beyond ±100,000 years, pandas Periods, duplicate
column names, absurd thread counts, and KeyboardInterrupt / SystemExit
raised while a lead is read. One rule on every path: dicts, Arrow, pandas,
polars."""

from __future__ import annotations

import time
from collections.abc import Mapping

import pytest

import leadgate

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

AS_OF = "2026-11-23"
# The frames here have a column for one of the two fields only.
LOOSE = dict(as_of=AS_OF, allow_missing_columns=True)

DATED = leadgate.compile(
    'agreement "d"\n'
    'fields { d : date\n n : number }\n'
    'score s { +1 "recent" when d within 30d\n +1 "future" when days_since(d) < 0 }\n'
    'route { sales "hot" when s >= 1\n nurture "rest" otherwise }\n'
)
FAR = "d: expected a date, got a date more than 100,000 years from 1970"

# 10**16 s is about 317 million years after 1970; numpy's own conversion to
# milliseconds wraps that round to a date 290 million years in the past.
FAR_SECONDS = 10**16


def _dict_errors(values: list, **kwargs) -> list:
    return [d.error and str(d.error) for d in DATED.score_many([{"d": v} for v in values], as_of=AS_OF, **kwargs)]


def test_far_instants_from_numpy_and_pandas_scalars_are_bad_values():
    far = [
        np.datetime64(FAR_SECONDS, "s"),
        np.datetime64(-FAR_SECONDS, "s"),
        np.datetime64(200_000, "Y"),
        np.datetime64(-(2**62), "ms"),
        pd.Timestamp(np.datetime64(FAR_SECONDS, "s")),
    ]
    assert _dict_errors(far) == [FAR] * len(far)
    with pytest.raises(leadgate.LeadError, match="more than 100,000 years"):
        DATED.score({"d": far[0]}, as_of=AS_OF)
    # Lenient mode: missing, with a warning.
    d = DATED.score_many([{"d": far[0]}], as_of=AS_OF, on_bad_value="missing")[0]
    assert d.ok and d.route == "nurture"
    assert d.warnings == [{"field": "d", "message": FAR[3:] + "; read as missing"}]


def test_instants_within_range_still_read_from_every_unit():
    near = [
        np.datetime64("2026-11-20"),
        np.datetime64("2026-11-20T10:00:00.123456789"),
        np.datetime64(56, "Y"),  # 2026
        np.datetime64(50_000 * 365, "D"),  # about 51,970: the future, in range
        np.datetime64("NaT"),
    ]
    out = DATED.score_many([{"d": v} for v in near], as_of=AS_OF)
    assert [d.error for d in out] == [None] * 5
    assert [d.fired[0]["rule"] if d.fired else None for d in out] == [
        "recent", "recent", None, "recent", None
    ]
    assert out[3].scores["s"] == 2  # recent (in the future) and future


def _arrow_errors(table) -> list:
    return DATED.score_arrow(table, **LOOSE).column("error").to_pylist()


def test_far_instants_from_arrow_pandas_and_polars_are_bad_values():
    ts = pa.array([FAR_SECONDS, -FAR_SECONDS, 1_795_000_000], pa.timestamp("s"))
    assert _arrow_errors(pa.table({"d": ts})) == [FAR, FAR, None]
    days = pa.array([2**31 - 1, -(2**31), 20_000], pa.date32())
    assert _arrow_errors(pa.table({"d": days})) == [FAR, FAR, None]
    ms = pa.array([2**62, 1_795_000_000_000], pa.date64())
    assert _arrow_errors(pa.table({"d": ms})) == [FAR, None]
    frame = pd.DataFrame({"d": np.array([FAR_SECONDS, 1_795_000_000], dtype="datetime64[s]")})
    assert DATED.score_pandas(frame, **LOOSE)["error"].tolist() == [FAR, None]
    lenient = DATED.score_pandas(frame, **LOOSE, on_bad_value="missing")
    assert lenient["route"].tolist() == ["nurture", "sales"]
    polars = pl.DataFrame({"d": pl.Series([10**9, 20_000]).cast(pl.Date)})
    assert DATED.score_polars(polars, **LOOSE)["error"].to_list() == [FAR, None]


PERIOD = "a pandas Period (a span of time, not an instant: convert it with .to_timestamp())"


def test_pandas_periods_are_bad_values_not_ordinals():
    # Before: a Period column was read as its ordinals (2026-11 as 682: a
    # number, or 682 seconds after 1970 for a date field).
    months = pd.period_range("2026-11", periods=2, freq="M")
    frame = pd.DataFrame({"d": months, "n": months})
    out = DATED.score_pandas(frame, **LOOSE)
    assert out["error"].tolist() == [f"d: expected a date, got {PERIOD}"] * 2
    table = pa.Table.from_pandas(frame)
    assert _arrow_errors(table) == [f"d: expected a date, got {PERIOD}"] * 2
    lenient = DATED.score_pandas(frame, **LOOSE, on_bad_value="missing")
    assert lenient["error"].tolist() == [None, None]
    assert lenient["route"].tolist() == ["nurture", "nurture"]
    with_nat = pd.DataFrame({"n": pd.PeriodIndex([None, "2026-11"], freq="M")})
    assert DATED.score_pandas(with_nat, **LOOSE)["error"].tolist() == [
        None, f"n: expected a number, got {PERIOD}"
    ]
    d = DATED.score_many([{"d": months[0]}], as_of=AS_OF)[0]
    assert str(d.error) == f"d: expected a date, got {PERIOD}"
    # Converted by the caller, it is an instant.
    converted = pd.DataFrame({"d": months.to_timestamp()})
    assert DATED.score_pandas(converted, **LOOSE)["route"].tolist() == ["sales", "sales"]


def test_duplicate_column_names_read_the_first_everywhere():
    small = leadgate.compile(
        'agreement "h"\nfields { n : number }\nscore s { +1 "big" when n > 10 }\n'
        'route { nurture otherwise }\n'
    )
    frame = pd.DataFrame([[20, 1], [1, 20]], columns=["n", "n"])
    assert small.score_pandas(frame, as_of=AS_OF)["total"].tolist() == [1.0, 0.0]
    table = pa.Table.from_arrays([pa.array([20, 1]), pa.array([1, 20])], names=["n", "n"])
    assert small.score_arrow(table, as_of=AS_OF).column("total").to_pylist() == [1.0, 0.0]
    # polars cannot hold two columns of one name.
    with pytest.raises(pl.exceptions.DuplicateError):
        pl.DataFrame([[20, 1], [1, 20]], schema=["n", "n"], orient="col")


def test_absurd_thread_counts_are_value_errors():
    # Before: 10,000 took 29 s and 1 GB for 1,000 leads, 2**64 - 1 never finished.
    leads = [{"d": "2026-11-20"}] * 1000
    frame = pa.table({"d": ["2026-11-20"] * 1000})
    for threads in [10_000, 1025, 2**64 - 1, 2**100, 0, -1]:
        start = time.perf_counter()
        with pytest.raises(ValueError, match="thread count must be at least 1 and at most 1024"):
            DATED.score_many(leads, as_of=AS_OF, threads=threads)
        with pytest.raises(ValueError, match="thread count must be at least 1 and at most 1024"):
            DATED.score_arrow(frame, **LOOSE, threads=threads)
        assert time.perf_counter() - start < 1
    with pytest.raises(TypeError):
        DATED.score_many(leads, as_of=AS_OF, threads=2.0)  # type: ignore[arg-type]
    for threads in [None, 1, 2, np.int64(3), 64]:
        assert len(DATED.score_many(leads, as_of=AS_OF, threads=threads)) == 1000


class Raising(Mapping):
    """A lead whose `__getitem__` raises `error` for the key `d`."""

    def __init__(self, error: BaseException):
        self.error = error

    def __getitem__(self, key):
        if key == "d":
            raise self.error
        raise KeyError(key)

    def __iter__(self):
        return iter(["d"])

    def __len__(self):
        return 1


class Stubborn:
    """A value whose `dtype` raises `error` (as numpy-like values are asked)."""

    def __init__(self, error: BaseException):
        self.error = error

    @property
    def dtype(self):
        raise self.error


@pytest.mark.parametrize("error", [KeyboardInterrupt, SystemExit])
def test_keyboard_interrupt_and_system_exit_while_reading_propagate(error):
    # Before: they made the lead a rejected one ("cannot read key") and the
    # run went on.
    leads = [{"d": "2026-11-20"}] * 5000 + [Raising(error())] + [{"d": "2026-11-20"}] * 5000
    with pytest.raises(error):
        DATED.score_many(leads, as_of=AS_OF, threads=2)
    with pytest.raises(error):
        DATED.score_many(leads, as_of=AS_OF, threads=1)
    with pytest.raises(error):
        DATED.score(Raising(error()), as_of=AS_OF)
    with pytest.raises(error):
        DATED.score_many([{"d": Stubborn(error())}], as_of=AS_OF)
    # An ordinary exception still rejects just that lead.
    out = DATED.score_many([Raising(RuntimeError("gone")), {"d": Stubborn(ValueError("no"))}], as_of=AS_OF)
    assert [str(d.error) for d in out] == [
        "cannot read key \"d\": RuntimeError: gone",
        "d: expected a date, got a value of an unsupported type",
    ]
