#!/usr/bin/env bash
# The wasm package's tests: installs what it needs (idempotently), builds the
# package, runs the node tests and the headless-Chromium end-to-end test of
# the demo, packs the npm package and tests the tarball in esbuild, Vite,
# webpack and node apps, and prints the gzipped bundle and tarball sizes.
# Exits non-zero on failure.
#
# Installs, each only when missing: the rustup target wasm32-unknown-unknown,
# wasm-bindgen-cli at exactly the version pinned in Cargo.toml (into
# target/tools, project-local), node and npm (Debian), the npm dev
# dependencies from package-lock.json (binaryen's wasm-opt — never Debian's
# binaryen, too old for Rust's wasm output —, playwright-core, typescript,
# esbuild, vite, webpack), and Debian's chromium.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
APT_UPDATED=""
apt_install() {
  [ -n "$APT_UPDATED" ] || { $SUDO apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
}

echo "== wasm: toolchain"
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

WB_VERSION="$(sed -n 's/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' Cargo.toml)"
[ -n "$WB_VERSION" ] || { echo "cannot read the pinned wasm-bindgen version from Cargo.toml" >&2; exit 1; }
export PATH="$HOME/.cargo/bin:$PATH"
# Project-local: target/tools/bin/wasm-bindgen, unless the one on PATH is
# already the pinned version.
TOOLS="${CARGO_TARGET_DIR:-$ROOT/target}/tools"
export WASM_BINDGEN="$TOOLS/bin/wasm-bindgen"
if [ "$("$WASM_BINDGEN" --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]; then
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" = "wasm-bindgen $WB_VERSION" ]; then
    WASM_BINDGEN="$(command -v wasm-bindgen)"
  else
    echo "installing wasm-bindgen-cli $WB_VERSION into $TOOLS"
    # The registry here can miss the newest versions the tool's lock names
    # (webpki-roots 1.0.11): fall back to an unlocked install of the same
    # pinned version.
    cargo install --root "$TOOLS" --locked --force wasm-bindgen-cli --version "$WB_VERSION" ||
      cargo install --root "$TOOLS" --force wasm-bindgen-cli --version "$WB_VERSION"
  fi
fi
echo "== wasm: $("$WASM_BINDGEN" --version) ($WASM_BINDGEN)"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM:-}" ]; then
  apt_install chromium
fi

# npm ci is quick, but skip it when node_modules already matches the lock.
if ! cmp -s package-lock.json node_modules/.package-lock.json.copy 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock.json.copy
fi

./build.sh

echo "== wasm: the declared shapes against the core's outputs (types/tests/shapes.rs)"
(cd "$ROOT" && cargo test --locked -q -p leadgate-wasm-types)

# The CLI is the reference some node tests and the browser test compare with.
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
(cd "$ROOT" && cargo build --locked -q -p leadgate-cli)
export LEADGATE_CLI="$TARGET_DIR/debug/leadgate"

echo "== wasm: node tests"
node --test tests/

echo "== wasm: end-to-end test of the demo in headless Chromium"
node --test tests-e2e/demo.e2e.mjs

echo "== wasm: the npm package (npm pack), in esbuild, Vite, webpack and node apps"
mkdir -p test-output
rm -f test-output/leadgate-*.tgz
TARBALL="$HERE/test-output/$(npm pack ./pkg --silent --pack-destination test-output)"
export LEADGATE_TARBALL="$TARBALL"
node --test tests-e2e/package.e2e.mjs

GZ="$(cat pkg/.bundle-gzip-bytes)"
echo "== wasm: gzipped bundle (wasm + JS glue): $GZ bytes ($((GZ / 1024)) KiB); browser timing in test-output/browser-timing.json"
INDEX_GZ="$(gzip -9 -c pkg/index.js | wc -c)"
echo "== wasm: the default entry index.js (.wasm inlined, with the glue it imports): $((INDEX_GZ + $(gzip -9 -c pkg/web/leadgate_wasm.js | wc -c))) bytes gzipped"
# The form runtime (leadgate/runtime): at most 120 KB (120,000 bytes)
# gzipped, wasm and JS glue; what it weighs and why is in docs/wasm.md,
# "The form runtime" (113,208 bytes on 2026-12-01).
RT="$(cat pkg/.runtime-gzip-bytes)"
RT_TARGET=120000
if [ "$RT" -le "$RT_TARGET" ]; then
  echo "== wasm: form runtime (wasm + JS glue): $RT bytes gzipped, within its $RT_TARGET-byte target"
else
  echo "wasm: the form runtime is $RT bytes gzipped, over its target of $RT_TARGET bytes (docs/wasm.md, \"The form runtime\")" >&2
  exit 1
fi
TB="$(wc -c < "$TARBALL")"
echo "== wasm: npm tarball $(basename "$TARBALL"): $TB bytes ($((TB / 1024)) KiB)"
