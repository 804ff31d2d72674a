// A million leads through one scoreMany call (issue 17): the batch is read,
// sent and answered in pieces bounded by leads and by bytes (src/fast.js,
// src/batch.rs), so no text grows with the batch. Before, the decisions of
// a million realistic leads were one text past what a wasm32 String holds
// ("internal error in leadgate: capacity overflow", and the module stopped
// for good), and 600,000 leads' past what a JS string holds. Each build runs
// in a child process, for its own peak RSS, both at once (the web build,
// slower, with 600,000 leads); the figures they print are in
// docs/reliability.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { wasmDir } from './helpers.mjs';

// The node build takes a million leads; the web build, whose per-lead reader
// is slower, 600,000 (past the JS string limit that stopped it before).
const N = { node: 1_000_000, web: 600_000 };

/** Runs the child for `build`; resolves to its exit and output. */
function million(build) {
  const child = path.join(wasmDir, 'tests', 'million.child.mjs');
  // The decisions alone take about 2.5 GiB of JS heap.
  const args = ['--max-old-space-size=6144', child, build, String(N[build])];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      resolve({ error, stdout, stderr });
    });
  });
}

// Both builds at once, in two processes (one core each).
const runs = { node: million('node'), web: million('web') };

for (const [build, how] of [['node', 'the batch fast path'], ['web', 'the per-lead reader']]) {
  const n = N[build];
  test(`${n.toLocaleString('en')} realistic leads in one scoreMany call: every decision, in order; the module goes on (${build} build, ${how})`, async (t) => {
    const r = await runs[build];
    assert.equal(r.error, null, r.stderr || r.stdout);
    const out = JSON.parse(r.stdout);
    assert.equal(out.decisions, n);
    // The 1,000 example leads' routes, n / 1,000 times over.
    const k = n / 1000;
    assert.deepEqual(out.routes, { nurture: 831 * k, telemarketing: 109 * k, sales: 55 * k, error: 5 * k });
    t.diagnostic(`${build}: scoreMany of ${n} leads ${out.ms} ms; peak RSS ${(out.maxRssKiB / 1024).toFixed(0)} MiB`);
  });
}
