#!/usr/bin/env bash
# Builds the leadgate Python package into its own virtualenv and runs its
# pytest suite (dicts, Arrow, pandas, polars, Spark local[2], conformance).
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

if [ ! -x "$venv/bin/python" ]; then
    echo "test.sh: creating $venv" >&2
    "$python" -m venv "$venv"
fi
py="$venv/bin/python"
# The maturin build backend runs the `maturin` of the venv by name.
export PATH="$venv/bin:$PATH"
"$py" -m pip install --quiet --disable-pip-version-check \
    "maturin>=1.5,<2" pytest "pyarrow>=14" "pandas<3" "polars>=1" "pyspark>=3.4"

echo "test.sh: building and installing leadgate (release)" >&2
"$py" -m pip install --quiet --disable-pip-version-check --no-build-isolation \
    --force-reinstall --no-deps "$here"

export PYSPARK_PYTHON="$py"
export PYSPARK_DRIVER_PYTHON="$py"
cd "$here"
exec "$py" -m pytest -q -p no:cacheprovider tests "$@"
