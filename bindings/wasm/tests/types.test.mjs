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
      '--lib', 'esnext,dom', '--skipLibCheck', 'false', path.join(wasmDir, 'tests', 'types-usage.ts'),
      path.join(wasmDir, 'tests', 'types-usage-node.ts')],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the public declarations have no `any`, and no internals', () => {
  for (const target of ['web', 'node']) {
    const dts = fs.readFileSync(path.join(wasmDir, 'pkg', target, 'leadgate_wasm.d.ts'), 'utf8');
    assert.doesNotMatch(dts, /\bany\b(?![^\n]*\*)/, `${target}: ${dts.match(/.*\bany\b.*/)?.[0]}`);
    assert.match(dts, /score\(lead: LeadInput, options\?: ScoreOptions\): Decision;/);
    assert.match(dts, /scoreRows\(header: ReadonlyArray<string>, rows: ReadonlyArray<Row>, options\?: RowsOptions\): Decision\[\];/);
    assert.match(dts, /export function compile\(text: string\): Agreement;/);
    // Generated from the Rust types (bindings/wasm/types), doc comments included.
    assert.match(dts, /export type Decision = ScoredDecision \| RejectedDecision;/);
    assert.match(dts, /export type LeadErrorKind = "invalid_json" \| "not_an_object" \| "bad_value" \| "missing_required" \| "unreadable";/);
    assert.match(dts, /export interface CompileError extends Error \{/);
    assert.doesNotMatch(dts, /__panicForTest|__scoreOne|__prepare|__scoreBatch|__wbindgen|__wbg_(?!init )/);
    if (target === 'web') {
      assert.match(dts, /export interface InitOutput \{\n\s*readonly memory: WebAssembly\.Memory;\n\}/);
    }
  }
});
