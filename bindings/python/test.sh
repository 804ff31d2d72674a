#!/usr/bin/env bash
# Builds the leadgate wheel users install (abi3, stripped, manylinux2014,
# at most 4 MB), installs it in a test virtualenv with its [test] extra,
# checks the type stubs (mypy.stubtest) against it and runs the pytest suite
# (dicts, Arrow, pandas, polars, Spark local[2], conformance) with no Rust
# toolchain on PATH: what is tested is the wheel, not the checkout.
#
# Idempotent: both virtualenvs are created once and reused; the wheel is
# rebuilt (incrementally) and reinstalled on every run.
#
#   bindings/python/test.sh [pytest args...]
#
# Environment: PYTHON (interpreter for new venvs, default python3),
# LEADGATE_PY_VENV (test venv, default bindings/python/.venv),
# LEADGATE_PY_BUILD_VENV (build venv: maturin, ziglang; default
# bindings/python/.venv-build), LEADGATE_CLI (the CLI the suite compares with).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${LEADGATE_PY_VENV:-$here/.venv}"
build_venv="${LEADGATE_PY_BUILD_VENV:-$here/.venv-build}"
python="${PYTHON:-python3}"
max_bytes=$((4 * 1024 * 1024))
pip_q=(--quiet --disable-pip-version-check)

# Spark needs a JVM (17 on the project's machines); install one if missing.
if ! command -v java >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing a JRE for the Spark tests" >&2
    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi

for v in "$build_venv" "$venv"; do
    if [ ! -x "$v/bin/python" ]; then
        echo "test.sh: creating $v" >&2
        "$python" -m venv "$v"
    fi
done

# The wheel: manylinux2014 (glibc 2.17) needs zig as the linker (from PyPI,
# `ziglang`). Where zig cannot be installed, the wheel is built for this
# machine's glibc instead, and the tag check below says so and fails.
"$build_venv/bin/python" -m pip install "${pip_q[@]}" "maturin>=1.5,<2"
zig=(--zig)
if ! "$build_venv/bin/python" -m pip install "${pip_q[@]}" ziglang; then
    echo "test.sh: ziglang did not install; building without --zig" >&2
    zig=()
fi
dist="$here/dist"
rm -rf "$dist"
echo "test.sh: building the wheel (release, stripped, abi3, manylinux2014)" >&2
(cd "$here" && PATH="$build_venv/bin:$PATH" maturin build --release --strip \
    "${zig[@]}" --compatibility manylinux2014 --out "$dist" --quiet)
wheels=("$dist"/leadgate-*.whl)
[ "${#wheels[@]}" = 1 ] || { echo "test.sh: expected one wheel in $dist: ${wheels[*]}" >&2; exit 1; }
wheel="${wheels[0]}"
size=$(stat -c %s "$wheel")
echo "test.sh: $(basename "$wheel"): $size bytes ($(awk "BEGIN{printf \"%.2f\", $size/1048576}") MiB)" >&2
if [ "$size" -gt "$max_bytes" ]; then
    echo "test.sh: the wheel is larger than 4 MiB ($size > $max_bytes bytes)" >&2
    exit 1
fi
case "$(basename "$wheel")" in
    *-abi3-*manylinux2014_*.whl) ;;
    *) echo "test.sh: the wheel is not tagged abi3 and manylinux2014: $(basename "$wheel")" >&2; exit 1 ;;
esac

# The test venv: the wheel with its [test] extra (pytest, mypy, pyarrow,
# pandas<3, polars, pyspark), then the wheel again over any older build of
# the same version.
echo "test.sh: installing the wheel in $venv" >&2
py="$venv/bin/python"
"$py" -m pip install "${pip_q[@]}" "$wheel[test]"
"$py" -m pip install "${pip_q[@]}" --force-reinstall --no-deps "$wheel"

# From here on, no Rust: PATH without cargo, rustup or rustc.
clean_path="$venv/bin"
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
    case "$d" in *cargo* | *rustup* | "$build_venv"*) continue ;; esac
    [ -x "$d/rustc" ] || [ -x "$d/cargo" ] && continue
    clean_path="$clean_path:$d"
done
export PATH="$clean_path"
if command -v cargo >/dev/null 2>&1 || command -v rustc >/dev/null 2>&1; then
    echo "test.sh: a Rust toolchain is still on PATH: $PATH" >&2
    exit 1
fi

# Run from outside the source tree, so that `import leadgate` is the
# installed wheel, never bindings/python/python.
cd "$here/tests"
echo "test.sh: mypy.stubtest leadgate (the installed wheel)" >&2
"$py" -m mypy.stubtest leadgate --mypy-config-file "$here/pyproject.toml"
"$py" -c 'import leadgate, sys; f = leadgate._leadgate.__file__; print("test.sh: testing", f, file=sys.stderr); sys.exit("site-packages" not in f)'

export PYSPARK_PYTHON="$py"
export PYSPARK_DRIVER_PYTHON="$py"
exec "$py" -m pytest -q -p no:cacheprovider --rootdir "$here" -c "$here/pyproject.toml" "$here/tests" "$@"
