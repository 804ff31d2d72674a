"""Optional dependencies: `import leadgate` needs none of them, and an entry
point whose dependency is missing raises ImportError naming the extra that
installs it (`pip install 'leadgate[pandas]'`)."""

import subprocess
import sys
from pathlib import Path

import pytest

import leadgate

SPEC = Path(__file__).parent / "spec_example.lead"
AS_OF = "2026-11-23"


@pytest.fixture(scope="module")
def spec() -> leadgate.Agreement:
    return leadgate.load(SPEC)


def block(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Makes `import <module>` fail as if the module were not installed."""
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)


def _pandas(spec):
    df = pytest.importorskip("pandas").DataFrame({"lead_id": ["a"]})
    return lambda: spec.score_pandas(df, as_of=AS_OF, allow_missing_columns=True)


def _polars(spec):
    df = pytest.importorskip("polars").DataFrame({"lead_id": ["a"]})
    return lambda: spec.score_polars(df, as_of=AS_OF, allow_missing_columns=True)


def _arrow(spec):
    table = pytest.importorskip("pyarrow").table({"lead_id": ["a"]})
    return lambda: spec.score_arrow(table, as_of=AS_OF, allow_missing_columns=True)


@pytest.mark.parametrize(
    "call, missing, extra",
    [
        (_pandas, "pandas", "pandas"),
        (_pandas, "pyarrow", "pandas"),
        (_polars, "polars", "polars"),
        (_polars, "pyarrow", "polars"),
        (_arrow, "pyarrow", "arrow"),
    ],
)
def test_a_missing_dependency_names_its_extra(spec, monkeypatch, call, missing, extra):
    run = call(spec)  # the data is made before the module goes missing
    block(monkeypatch, missing)
    with pytest.raises(ImportError, match=rf"^{missing} .*pip install 'leadgate\[{extra}\]'$") as e:
        run()
    assert e.value.name == missing


def test_report_to_pandas_without_pandas_names_the_extra(spec, monkeypatch):
    report = spec.report([{"lead_id": "a"}], as_of=AS_OF)
    block(monkeypatch, "pandas")
    with pytest.raises(ImportError, match=r"pip install 'leadgate\[pandas\]'"):
        report.to_pandas()


def test_spark_without_pyspark_names_the_extra(spec, monkeypatch):
    import leadgate.spark

    block(monkeypatch, "pyspark", "pyspark.sql", "pyspark.sql.types")
    with pytest.raises(ImportError, match=r"pip install 'leadgate\[spark\]'"):
        leadgate.spark.score(None, spec, as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(ImportError, match=r"pip install 'leadgate\[spark\]'"):
        leadgate.spark.report(None, spec, as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(ImportError, match=r"pip install 'leadgate\[spark\]'"):
        leadgate.spark.decision_fields(spec)


def test_the_core_needs_no_extra():
    """In a fresh interpreter where none of the extras imports, leadgate
    imports, scores dicts and reports; the frame entry points name their extra."""
    code = f"""
import sys
for name in ("pandas", "pyarrow", "polars", "pyspark", "numpy"):
    sys.modules[name] = None
import leadgate, leadgate.spark
a = leadgate.load({str(SPEC)!r})
d = a.score({{"lead_id": "x", "email": "a@b.io"}}, as_of={AS_OF!r})
assert d.ok, d
assert a.report([{{"lead_id": "x"}}], as_of={AS_OF!r}).leads == 1
try:
    a.score_arrow(object())
except ImportError as e:
    print(e)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'leadgate[arrow]'" in out.stdout
