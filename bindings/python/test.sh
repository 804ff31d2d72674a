#!/usr/bin/env bash
# Builds the leadgate Python package into its own virtualenv, checks its
# type stubs (mypy.stubtest) and runs its pytest suite (dicts, Arrow,
# pandas, polars, Spark local[2], conformance).
# Idempotent: the venv is created once and reused; the package is rebuilt
# (incrementally) and reinstalled on every run.
#
#   bindings/python/test.sh [pytest args...]
#
# Environment: PYTHON (interpreter for a new venv, default python3),
# LEADGATE_PY_VENV (venv path, default bindings/python/.venv).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${LEADGATE_PY_VENV:-$here/.venv}"
python="${PYTHON:-python3}"

# Spark needs a JVM (17 on the project's machines); install one if missing.
if ! command -v java >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing a JRE for the Spark tests" >&2
    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "test.sh: creating $venv" >&2
    "$python" -m venv "$venv"
fi
py="$venv/bin/python"
# The maturin build backend runs the `maturin` of the venv by name.
export PATH="$venv/bin:$PATH"
"$py" -m pip install --quiet --disable-pip-version-check \
    "maturin>=1.5,<2" pytest mypy "pyarrow>=14" "pandas<3" "polars>=1" "pyspark>=3.4"

echo "test.sh: building and installing leadgate (release)" >&2
"$py" -m pip install --quiet --disable-pip-version-check --no-build-isolation \
    --force-reinstall --no-deps "$here"

# The stubs (_leadgate.pyi, and the package's annotations) against the
# built module: a name, argument or default that differs fails here.
echo "test.sh: mypy.stubtest leadgate" >&2
"$py" -m mypy.stubtest leadgate --mypy-config-file "$here/pyproject.toml"

export PYSPARK_PYTHON="$py"
export PYSPARK_DRIVER_PYTHON="$py"
cd "$here"
exec "$py" -m pytest -q -p no:cacheprovider tests "$@"
