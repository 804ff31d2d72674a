// A page's own globals named as the module's exports (`compile`, `Roster`)
// are neither read nor replaced by a build that lacks them: the web build
// (no Roster) and the form runtime (no compile, no Roster) are told what
// they hold by build.sh, not by `typeof` (which would find the globals).
// Run in child processes, where the globals are declared before the module
// loads, as a page's scripts would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { wasmDir } from './helpers.mjs';

const TEXT = 'agreement "x"\nfields { a : number }\nscore s { +1 "r" when a > 1 }\nroute { nurture otherwise }\n';

for (const build of ['web', 'runtime']) {
  test(`the ${build} build leaves a page's globals compile and Roster alone`, () => {
    const dir = path.join(wasmDir, 'pkg', build);
    const node = path.join(wasmDir, 'pkg', 'node', 'leadgate_wasm.js');
    const script = `
const compile = () => 'the page\\'s compile';
globalThis.Roster = function Roster() {};
Roster.parse = () => 'the page\\'s Roster.parse';
(async () => {
  const bytes = require(${JSON.stringify(node)}).compile(${JSON.stringify(TEXT)}).toCompiled();
  const m = await import(${JSON.stringify(pathToFileURL(path.join(dir, 'leadgate_wasm.js')).href)});
  m.initSync({ module: require('node:fs').readFileSync(${JSON.stringify(path.join(dir, 'leadgate_wasm_bg.wasm'))}) });
  const a = m.loadCompiled(bytes);
  const d = a.score({ a: 2 }, { asOf: 0 });
  if (d.scores.s !== 1) throw new Error(JSON.stringify(d));
  // A roster option is not an option of a build without rosters.
  let refused = false;
  try { a.score({ a: 2 }, { asOf: 0, roster: {} }); } catch (e) { refused = /roster/.test(e.message); }
  if (!refused) throw new Error('a roster option was accepted');
  if (compile() !== "the page's compile") throw new Error('compile was replaced');
  if (Roster.parse() !== "the page's Roster.parse") throw new Error('Roster.parse was replaced');
  console.log('globals ok');
})().catch((e) => { console.error(e); process.exit(1); });
`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /globals ok/);
  });
}
