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
      path.join(wasmDir, 'tests', 'types-usage-node.ts'), path.join(wasmDir, 'tests', 'types-usage-default.ts'),
      path.join(wasmDir, 'tests', 'types-usage-runtime.ts')],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the public declarations have no `any`, and no internals', () => {
  const runtime = fs.readFileSync(path.join(wasmDir, 'pkg', 'runtime', 'leadgate_wasm.d.ts'), 'utf8');
  assert.doesNotMatch(runtime, /\bany\b(?![^\n]*\*)/, `runtime: ${runtime.match(/.*\bany\b.*/)?.[0]}`);
  assert.doesNotMatch(runtime, /export function compile\(|__panicForTest|__scoreOne|__scoreBatch|__id\b|__wbindgen|__wbg_(?!init )|InitOutput/);
  assert.match(runtime, /export function loadCompiled\(bytes: Uint8Array \| ArrayBuffer\): Agreement;/);
  for (const target of ['web', 'node']) {
    const dts = fs.readFileSync(path.join(wasmDir, 'pkg', target, 'leadgate_wasm.d.ts'), 'utf8');
    assert.doesNotMatch(dts, /\bany\b(?![^\n]*\*)/, `${target}: ${dts.match(/.*\bany\b.*/)?.[0]}`);
    // The node build's scoring calls take a roster (src/roster.rs); the web build has none.
    const scoreOptions = target === 'node' ? 'ScoreOptions & RosterOptions' : 'ScoreOptions';
    assert.ok(dts.includes(`score(lead: LeadInput, options?: ${scoreOptions} | null): Decision;`), target);
    assert.equal(/\bRoster\b/.test(dts), target === 'node');
    assert.match(dts, /scoreRows\(header: ReadonlyArray<string>, rows: ReadonlyArray<Row>, options\?: RowsOptions \| null\): Decision\[\];/);
    assert.match(dts, /export function compile\(text: string\): Agreement;/);
    // An ArrayBuffer is taken (a fetched .lgc), as the Uint8Array it views.
    assert.match(dts, /export function loadCompiled\(bytes: Uint8Array \| ArrayBuffer\): Agreement;/);
    // Generated from the Rust types (bindings/wasm/types), doc comments included.
    assert.match(dts, /export type Decision = ScoredDecision \| RejectedDecision;/);
    assert.match(dts, /export type LeadErrorKind = "invalid_json" \| "not_an_object" \| "bad_value" \| "missing_required" \| "unreadable";/);
    assert.match(dts, /export interface CompileError extends Error \{/);
    assert.doesNotMatch(dts, /__panicForTest|__scoreOne|__prepare|__scoreBatch|__id\b|__wbindgen|__wbg_(?!init )/);
    // init()'s raw export table is not declared (it gives nothing to use).
    assert.doesNotMatch(dts, /InitOutput/);
    if (target === 'web') assert.match(dts, /export default function __wbg_init \([^\n]*\): Promise<void>;/);
  }
});
