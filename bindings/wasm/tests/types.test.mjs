// The TypeScript declarations: strict-mode usage compiles, and the public API
// never falls back to `any`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { wasmDir } from './helpers.mjs';

test('a strict TypeScript program using the package type-checks', () => {
  const tsc = path.join(wasmDir, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(
    process.execPath,
    [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'es2022', '--moduleResolution', 'bundler',
      '--lib', 'esnext,dom', '--skipLibCheck', 'false', path.join(wasmDir, 'tests', 'types-usage.ts')],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the public declarations have no `any`', () => {
  for (const target of ['web', 'node']) {
    const dts = fs.readFileSync(path.join(wasmDir, 'pkg', target, 'leadgate_wasm.d.ts'), 'utf8');
    // wasm-bindgen's raw export table (InitOutput, web only) is internal.
    const api = dts.split('export type InitInput')[0];
    assert.doesNotMatch(api, /\bany\b(?![^\n]*\*)/, `${target}: ${api.match(/.*\bany\b.*/)?.[0]}`);
    assert.match(api, /score\(lead: LeadInput, options\?: ScoreOptions\): Decision;/);
    assert.match(api, /export function compile\(text: string\): Agreement;/);
  }
});
