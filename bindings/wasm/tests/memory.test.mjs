// Agreements compiled without free() do not pile up in the wasm instance's
// memory (which only grows: a wasm32 instance has 4 GiB, then traps). The
// JS garbage collector cannot see that memory; wasm-bindgen's
// FinalizationRegistry frees an agreement once its object is collected
// and the event loop turns. A synchronous loop gives it no turn: there,
// compiling the same text again shares the compiled agreement (src/shared.rs)
// instead of taking a new copy, +180 KB each for this agreement before.
// Each case runs in a child process with --expose-gc; the figures it
// prints are in docs/reliability.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { wasmDir } from './helpers.mjs';

const MiB = 1024 * 1024;

function compileLoop(t, build, mode, n) {
  const child = path.join(wasmDir, 'tests', 'compile-memory.child.mjs');
  const r = spawnSync(process.execPath, ['--expose-gc', child, build, mode, String(n)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const [e0, e1] = out.external.map((b) => (b / MiB).toFixed(1));
  const [r0, r1] = out.rss.map((b) => (b / MiB).toFixed(0));
  t.diagnostic(`${build}, ${mode}, ${n} compiles without free(): ${out.ms} ms; external (wasm) memory ${e0} -> ${e1} MiB, RSS ${r0} -> ${r1} MiB`);
  return out;
}

for (const build of ['node', 'web']) {
  test(`2,000 compiles of the b2b agreement in one synchronous run, never freed: flat memory (${build} build)`, (t) => {
    const out = compileLoop(t, build, 'same-sync', 2000);
    assert.ok(out.external[1] - out.external[0] < 2 * MiB, 'the wasm memory stays flat');
    assert.ok(out.rss[1] - out.rss[0] < 64 * MiB, 'RSS stays flat');
  });

  test(`500 different agreements compiled, never freed, the event loop turning: the finalizer reclaims them (${build} build)`, (t) => {
    const out = compileLoop(t, build, 'distinct-async', 500);
    assert.ok(out.external[1] - out.external[0] < 8 * MiB, 'the wasm memory stays flat');
    assert.ok(out.rss[1] - out.rss[0] < 64 * MiB, 'RSS stays flat');
  });
}
