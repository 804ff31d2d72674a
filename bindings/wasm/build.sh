#!/usr/bin/env bash
# Builds the leadgate WebAssembly package into bindings/wasm/pkg/:
#   pkg/index.js  the default entry outside node: an ES module with the
#              .wasm inlined, instantiated on import (top-level await), so
#              Vite, esbuild, webpack and a plain <script type=module> need
#              no init() and no plugin or loader for the .wasm
#   pkg/web/   ES module with a default `init` export, the .wasm beside it
#              (`leadgate/web`: for pages that want it fetched and streamed)
#   pkg/node/  CommonJS module that loads the .wasm synchronously (node,
#              by require or import; `leadgate/node`)
#   pkg/package.json  one package, `exports` picking node or index.js
# then optimises the .wasm with npm binaryen's wasm-opt, copies the web build
# and the example agreement into demo/ (so demo/ is a self-contained static
# site), and prints the sizes.
#
# Needs: rustup target wasm32-unknown-unknown, wasm-bindgen-cli at the
# version pinned in Cargo.toml, `npm ci` done here (test.sh does all three).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

# Two builds of the module. pkg/web, for browsers: size first (the bundle's
# gzipped size is what a page pays). pkg/node: speed first. (Every build,
# the form runtime's too, has the batch fast path of scoreMany: src/fast.js,
# src/batch.rs.) The workspace's release profile is
# tuned for native speed and keeps debug info, so each has its own profile.
# Source paths in the module (panic locations) are written relative
# (--remap-path-prefix): the same bytes, and the same size, wherever the
# checkout and the cargo registry are. The flags go in
# CARGO_ENCODED_RUSTFLAGS (one per field, so paths may hold spaces), after
# any RUSTFLAGS or CARGO_ENCODED_RUSTFLAGS inherited, which cargo would
# otherwise prefer to them.
US=$'\x1f'
if [ -n "${CARGO_ENCODED_RUSTFLAGS:-}" ]; then
  WASM_RUSTFLAGS="$CARGO_ENCODED_RUSTFLAGS"
elif [ -n "${RUSTFLAGS:-}" ]; then
  read -r -a INHERITED <<< "$RUSTFLAGS"
  WASM_RUSTFLAGS="$(IFS="$US"; echo "${INHERITED[*]}")"
else
  WASM_RUSTFLAGS=""
fi
add_rustflag() { WASM_RUSTFLAGS="${WASM_RUSTFLAGS:+$WASM_RUSTFLAGS$US}$1"; }
add_rustflag "--remap-path-prefix=$ROOT=leadgate"
shopt -s nullglob
for src in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  add_rustflag "--remap-path-prefix=${src%/}=crates"
done
shopt -u nullglob
profile() { # NAME OPT-LEVEL: the profile's settings, in PROFILE
  PROFILE=(--config "profile.$1.inherits=\"release\"" --config "profile.$1.opt-level=$2"
    --config "profile.$1.lto=true" --config "profile.$1.codegen-units=1"
    --config "profile.$1.debug=false" --config "profile.$1.panic=\"abort\"")
}
wasm_build() { # cargo build for wasm32 with the flags above
  CARGO_ENCODED_RUSTFLAGS="$WASM_RUSTFLAGS" cargo build --locked -q --target wasm32-unknown-unknown \
    -p leadgate-wasm "$@"
}
WEB_OPT_LEVEL='"z"'
NODE_OPT_LEVEL="${WASM_NODE_OPT_LEVEL:-3}"
# WASM_FEATURES=regex-perf trades ~100 KiB gzipped for faster regex matching;
# WASM_FEATURES=analysis adds report() and diff() to the web build (~80 KiB),
# WASM_FEATURES=analyze analyze(), exampleBlocks() and symbolicDiff() (~69 KiB).
# small-tables: ryu's float tables computed, not stored (Cargo.toml).
WEB_FEATURES="small-tables${WASM_FEATURES:+,$WASM_FEATURES}"
NODE_FEATURES="regex-perf,analysis,analyze,look-alikes,rosters,to-compiled"
cd "$ROOT"
echo "== wasm: cargo build (wasm32-unknown-unknown, web: profile wasm-release, opt-level $WEB_OPT_LEVEL${WEB_FEATURES:+, features $WEB_FEATURES})"
profile wasm-release "$WEB_OPT_LEVEL"
wasm_build --profile wasm-release "${PROFILE[@]}" ${WEB_FEATURES:+--features "$WEB_FEATURES"}
echo "== wasm: cargo build (wasm32-unknown-unknown, node: profile wasm-node, opt-level $NODE_OPT_LEVEL, features $NODE_FEATURES)"
profile wasm-node "$NODE_OPT_LEVEL"
wasm_build --profile wasm-node "${PROFILE[@]}" --features "$NODE_FEATURES"
echo "== wasm: cargo build (wasm32-unknown-unknown, runtime: profile wasm-runtime, opt-level $WEB_OPT_LEVEL, features runtime)"
profile wasm-runtime "$WEB_OPT_LEVEL"
wasm_build --profile wasm-runtime "${PROFILE[@]}" --features runtime
# Where cargo wrote them (CARGO_TARGET_DIR, relative to the root, or target/).
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
RUNTIME_BUILD="$TARGET_DIR/wasm32-unknown-unknown/wasm-runtime/leadgate_wasm.wasm"
WEB_BUILD="$TARGET_DIR/wasm32-unknown-unknown/wasm-release/leadgate_wasm.wasm"
NODE_BUILD="$TARGET_DIR/wasm32-unknown-unknown/wasm-node/leadgate_wasm.wasm"

# test.sh installs it (project-local, target/tools) and sets WASM_BINDGEN.
WASM_BINDGEN="${WASM_BINDGEN:-wasm-bindgen}"
command -v "$WASM_BINDGEN" >/dev/null || WASM_BINDGEN="$TARGET_DIR/tools/bin/wasm-bindgen"
WASM_OPT="$HERE/node_modules/.bin/wasm-opt"
[ -x "$WASM_OPT" ] || { echo "wasm-opt from npm binaryen is missing: run 'npm ci' in bindings/wasm" >&2; exit 1; }

PKG="$HERE/pkg"
rm -rf "$PKG"
mkdir -p "$PKG"
echo "== wasm: wasm-bindgen ($("$WASM_BINDGEN" --version))"
"$WASM_BINDGEN" --target web --out-dir "$PKG/web" "$WEB_BUILD"
"$WASM_BINDGEN" --target nodejs --out-dir "$PKG/node" "$NODE_BUILD"

# Rust's wasm32 target enables these proposals by default; wasm-opt must know.
FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
# -ocimfs 0: do not inline a function into its only caller whatever its size.
# That inlining builds huge functions whose frames on the engine's stack made
# the core's deepest accepted expressions (256 levels) overflow V8's stack
# once optimised (RangeError, then a poisoned instance); without it the
# module is also smaller. tests/stack.test.mjs guards this.
WEB_OPT=(-Os -ocimfs 0)
NODE_OPT=("${WASM_NODE_OPT:--O3}" -ocimfs 0)
echo "== wasm: wasm-opt web ${WEB_OPT[*]}, node ${NODE_OPT[*]} (npm binaryen $("$WASM_OPT" --version | awk '{print $3}'))"
WEB_WASM="$PKG/web/leadgate_wasm_bg.wasm"
NODE_WASM="$PKG/node/leadgate_wasm_bg.wasm"
"$WASM_OPT" "${WEB_OPT[@]}" "${FEATURES[@]}" "$WEB_WASM" -o "$WEB_WASM.opt"
"$WASM_OPT" "${NODE_OPT[@]}" "${FEATURES[@]}" "$NODE_WASM" -o "$NODE_WASM.opt"
mv "$WEB_WASM.opt" "$WEB_WASM"
mv "$NODE_WASM.opt" "$NODE_WASM"
# What init() and initSync() give (InitOutput, web build) is the module's raw
# export table, wasm-bindgen's internals: not declared, they give nothing a
# caller may use.
no_init_output() { # DTS
  perl -0pi -e 's/export interface InitOutput \{.*?\n\}\n\n//s; s/Promise<InitOutput>/Promise<void>/g; s/\): InitOutput;/): void;/g; s/ \* \@returns \{InitOutput\}\n//g' "$1"
}
no_init_output "$PKG/web/leadgate_wasm.d.ts"
if grep -q InitOutput "$PKG/web/leadgate_wasm.d.ts"; then echo "build.sh: InitOutput is still declared" >&2; exit 1; fi
# The JS side of the binding, appended to the glue (in its scope): src/args.js
# reads the arguments (the module imports its functions); the batch fast
# path of scoreMany and scoreManyJson: src/fast.js (see its header); then
# the panic boundary: src/guard.js wraps compile and every Agreement method
# of the glue, fast.js's included (see its header); the CommonJS glue
# exports copies, renewed here.
# The web glue is what a page downloads: there the files go without their
# comment lines.
# Before them, what the build has (args.js and guard.js read it; see there).
build_is() { # COMPILES ROSTERS
  echo "const LEADGATE_COMPILES = $1, LEADGATE_ROSTERS = $2;"
}
WEB_ROSTERS=false
case ",$WEB_FEATURES," in *,rosters,*) WEB_ROSTERS=true ;; esac
page_glue() { # GLUE COMPILES ROSTERS: what a page downloads, without comment lines
  { echo '// leadgate: bindings/wasm/src/args.js, fast.js and guard.js, without comments';
    build_is "$2" "$3"
    sed '/^[[:space:]]*\/\//d' "$HERE/src/args.js" "$HERE/src/fast.js" "$HERE/src/guard.js"; } >> "$1"
}
page_glue "$PKG/web/leadgate_wasm.js" true "$WEB_ROSTERS"
{ build_is true true; cat "$HERE/src/args.js" "$HERE/src/fast.js" "$HERE/src/guard.js"; echo 'exports.compile = compile;'; echo 'exports.loadCompiled = loadCompiled;'; echo 'exports.__panicForTest = __panicForTest;'; } >> "$PKG/node/leadgate_wasm.js"
# wasm-bindgen writes a package.json / .gitignore per target; the package is
# one. It also declares the raw exports of each .wasm (leadgate_wasm_bg.wasm.d.ts):
# internals, which no public declaration refers to.
rm -f "$PKG"/web/.gitignore "$PKG"/node/.gitignore "$PKG"/web/package.json "$PKG"/node/package.json \
  "$PKG"/web/leadgate_wasm_bg.wasm.d.ts "$PKG"/node/leadgate_wasm_bg.wasm.d.ts
echo '{"type": "commonjs"}' > "$PKG/node/package.json"
echo '{"type": "module"}' > "$PKG/web/package.json"

# The default entry (index.js): the web build with its .wasm inlined as
# base64 and instantiated on import, re-exporting the web build's public
# names (those its declarations export, less init's).
NAMES="$(sed -n 's/^export \(declare \)\{0,1\}\(class\|function\) \([A-Za-z_]*\).*/\3/p' "$PKG/web/leadgate_wasm.d.ts" | grep -vx 'initSync' | sort -u | paste -sd, -)"
TYPES="$(sed -n 's/^export \(interface\|type\) \([A-Za-z_]*\).*/\2/p' "$PKG/web/leadgate_wasm.d.ts" | grep -vx 'InitInput\|SyncInitInput' | sort -u | paste -sd, -)"
{
  echo '// leadgate: the web build (./web/leadgate_wasm.js) with its .wasm inlined,'
  echo '// instantiated when this module is imported: no init() to call.'
  echo "import init from './web/leadgate_wasm.js';"
  echo "export { ${NAMES//,/, } } from './web/leadgate_wasm.js';"
  printf 'const WASM = "%s";\n' "$(base64 -w0 "$WEB_WASM")"
  echo 'const text = atob(WASM);'
  echo 'const bytes = new Uint8Array(text.length);'
  echo 'for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);'
  echo 'await init({ module_or_path: bytes });'
} > "$PKG/index.js"
{
  echo "export { ${NAMES//,/, } } from './web/leadgate_wasm.js';"
  echo "export type { ${TYPES//,/, } } from './web/leadgate_wasm.js';"
} > "$PKG/index.d.ts"
VERSION="$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)"
cat > "$PKG/package.json" <<EOF
{
  "name": "leadgate",
  "version": "$VERSION",
  "description": "Score and route sales leads by a reviewable agreement, in the browser or in node",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "types": "./index.d.ts",
  "main": "./node/leadgate_wasm.js",
  "module": "./index.js",
  "exports": {
    ".": {
      "node": {
        "types": "./node/leadgate_wasm.d.ts",
        "default": "./node/leadgate_wasm.js"
      },
      "default": {
        "types": "./index.d.ts",
        "default": "./index.js"
      }
    },
    "./web": {
      "types": "./web/leadgate_wasm.d.ts",
      "default": "./web/leadgate_wasm.js"
    },
    "./node": {
      "types": "./node/leadgate_wasm.d.ts",
      "default": "./node/leadgate_wasm.js"
    },
    "./runtime": {
      "types": "./runtime/leadgate_wasm.d.ts",
      "default": "./runtime/leadgate_wasm.js"
    },
    "./leadgate_wasm_bg.wasm": "./web/leadgate_wasm_bg.wasm",
    "./runtime/leadgate_wasm_bg.wasm": "./runtime/leadgate_wasm_bg.wasm",
    "./package.json": "./package.json"
  },
  "files": ["index.js", "index.d.ts", "web", "node", "runtime", "LICENSE-MIT", "LICENSE-APACHE"],
  "engines": { "node": ">=18" },
  "sideEffects": ["./index.js", "./web/leadgate_wasm.js", "./node/leadgate_wasm.js", "./runtime/leadgate_wasm.js"]
}
EOF
cp "$ROOT/docs/wasm.md" "$PKG/README.md"
cp "$HERE/LICENSE-MIT" "$HERE/LICENSE-APACHE" "$PKG/"

# The form runtime (`leadgate/runtime`; feature runtime: no compile(), hence
# no parser, checker or formatter, and regexes run from the NFA each .lgc
# stores, hence no regex compiler or Unicode tables), made as the web build
# is: for pages that load compiled agreements. The demo runs on it.
RUNTIME="$PKG/runtime"
"$WASM_BINDGEN" --target web --out-dir "$RUNTIME" "$RUNTIME_BUILD"
"$WASM_OPT" "${WEB_OPT[@]}" "${FEATURES[@]}" "$RUNTIME/leadgate_wasm_bg.wasm" -o "$RUNTIME/leadgate_wasm_bg.wasm.opt"
mv "$RUNTIME/leadgate_wasm_bg.wasm.opt" "$RUNTIME/leadgate_wasm_bg.wasm"
page_glue "$RUNTIME/leadgate_wasm.js" false false
# Its glue minified (npm esbuild; names kept, as classes' and errors' names
# are what callers see), the code for compile() and rosters left out (the
# build's constants defined, not declared): every page that scores pays for
# it, 3.4 KB gzipped less. The declarations (leadgate_wasm.d.ts) document it.
sed -i '/^const LEADGATE_COMPILES = /d' "$RUNTIME/leadgate_wasm.js"
"$HERE/node_modules/.bin/esbuild" "$RUNTIME/leadgate_wasm.js" --minify --keep-names --format=esm \
  --tree-shaking=true --define:LEADGATE_COMPILES=false --define:LEADGATE_ROSTERS=false \
  --log-level=warning --outfile="$RUNTIME/leadgate_wasm.min.js"
mv "$RUNTIME/leadgate_wasm.min.js" "$RUNTIME/leadgate_wasm.js"
rm -f "$RUNTIME/.gitignore" "$RUNTIME/package.json" "$RUNTIME/leadgate_wasm_bg.wasm.d.ts"
no_init_output "$RUNTIME/leadgate_wasm.d.ts"
echo '{"type": "module"}' > "$RUNTIME/package.json"

# The demo: a static site, self-contained once these are copied in. It runs
# on the runtime and loads the compiled agreement; the explanation, when a
# visitor opens it, comes from the web build (pkg/web/).
DEMO="$HERE/demo"
rm -rf "$DEMO/pkg" "$DEMO/agreements"
mkdir -p "$DEMO/pkg" "$DEMO/agreements"
cp "$RUNTIME/leadgate_wasm.js" "$RUNTIME/leadgate_wasm_bg.wasm" "$DEMO/pkg/"
mkdir -p "$DEMO/pkg/web"
cp "$PKG/web/leadgate_wasm.js" "$WEB_WASM" "$DEMO/pkg/web/"
cp "$ROOT/rules-examples/b2b-saas-inbound.lead" "$DEMO/agreements/"
# The page fetches the compiled agreement (what `leadgate compile` writes;
# the node build writes the same bytes), not the text it would compile.
node -e "const l=require(process.argv[1]),fs=require('fs');const a=l.compile(fs.readFileSync(process.argv[2],'utf8'));fs.writeFileSync(process.argv[3],a.toCompiled());a.free()" \
  "$PKG/node/leadgate_wasm.js" "$DEMO/agreements/b2b-saas-inbound.lead" "$DEMO/agreements/b2b-saas-inbound.lgc"

RAW=$(wc -c < "$WEB_WASM")
GZ_WASM=$(gzip -9 -c "$WEB_WASM" | wc -c)
GZ_JS=$(gzip -9 -c "$PKG/web/leadgate_wasm.js" | wc -c)
TOTAL=$((GZ_WASM + GZ_JS))
echo "== wasm: bundle size: leadgate_wasm_bg.wasm $RAW bytes ($GZ_WASM gzipped), JS glue $GZ_JS gzipped; total $TOTAL bytes gzipped ($((TOTAL / 1024)) KiB; target <= 250 KiB)"
BR=$(node -e "const z=require('zlib'),fs=require('fs');let n=0;for(const f of process.argv.slice(1))n+=z.brotliCompressSync(fs.readFileSync(f),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length;console.log(n)" "$WEB_WASM" "$PKG/web/leadgate_wasm.js")
echo "== wasm: with Brotli (quality 11) instead: $BR bytes ($((BR / 1024)) KiB)"
echo "$TOTAL" > "$PKG/.bundle-gzip-bytes"
RT_GZ=$(( $(gzip -9 -c "$RUNTIME/leadgate_wasm_bg.wasm" | wc -c) + $(gzip -9 -c "$RUNTIME/leadgate_wasm.js" | wc -c) ))
echo "== wasm: form runtime (leadgate/runtime: loadCompiled, no compiler; the demo's): $RT_GZ bytes gzipped, wasm + glue ($((RT_GZ / 1024)) KiB; docs/wasm.md, \"The form runtime\")"
echo "$RT_GZ" > "$PKG/.runtime-gzip-bytes"
