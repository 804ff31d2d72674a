// The built package: one folder, `exports` picking the node build in node
// (by require and by import) and the web build elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { wasmDir } from './helpers.mjs';

const pkgDir = path.join(wasmDir, 'pkg');
const text = 'agreement "x"\nfields { a : number }\nscore s { +1 "r" when a > 1 }\nroute { nurture otherwise }\n';

test('require(pkg) resolves to the node build, which ES modules can import too', async () => {
  const required = createRequire(import.meta.url)(pkgDir);
  const imported = await import(pathToFileURL(path.join(pkgDir, 'node', 'leadgate_wasm.js')).href);
  for (const m of [required, imported]) {
    const a = m.compile(text);
    assert.equal(a.score({ a: 2 }, { asOf: 0 }).scores.s, 1);
    a.free();
  }
});

test('package.json points each condition at files that exist', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'leadgate');
  const targets = [pkg.main, pkg.module, pkg.types, ...Object.values(pkg.exports['.']).flatMap((c) => Object.values(c))];
  for (const t of targets) assert.ok(fs.existsSync(path.join(pkgDir, t)), t);
  // The web build is an ES module with a default `init` export.
  const web = fs.readFileSync(path.join(pkgDir, 'web', 'leadgate_wasm.js'), 'utf8');
  assert.match(web, /export \{ initSync, __wbg_init as default \}/);
  assert.match(web, /export function compile/);
});
