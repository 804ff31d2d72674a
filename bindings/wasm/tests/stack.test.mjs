// The deepest expressions the core accepts (docs/language.md, "Limits": 256 levels of
// operators, 64 of brackets and prefix operators) compile and score inside
// the JS engine's stack, even fully optimised (V8's TurboFan, which uses
// bigger frames than the baseline tier) and with half of V8's default stack
// (a worker's, say); in the node build and, loaded from the compiled bytes,
// in the form runtime (size-first, so other frames). Run in child processes: a stack overflow would leave
// the wasm instance unusable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { wasmDir } from './helpers.mjs';

const script = `
const { compile } = require(${JSON.stringify(path.join(wasmDir, 'pkg', 'node', 'leadgate_wasm.js'))});
// The form runtime too (an ES module: loaded below), given the compiled bytes.
const runtimeDir = ${JSON.stringify(path.join(wasmDir, 'pkg', 'runtime'))};
(async () => {
const runtime = await import(require('node:url').pathToFileURL(runtimeDir + '/leadgate_wasm.js').href);
runtime.initSync({ module: require('node:fs').readFileSync(runtimeDir + '/leadgate_wasm_bg.wasm') });
const head = 'agreement "x"\\nfields { a : number\\n b : bool }\\n';
const texts = {
  or: head + 'score s { +1 "r" when a > 1' + ' or a > 1'.repeat(254) + ' }\\nroute { nurture otherwise }\\n',
  sum: head + 'score s { +(' + 'a + '.repeat(255) + '1) "r" when a > 1 }\\nroute { nurture otherwise }\\n',
  brackets: head + 'score s { +1 "r" when ' + '('.repeat(60) + 'a > 1' + ')'.repeat(60) + ' }\\nroute { nurture otherwise }\\n',
  nots: head + 'score s { +1 "r" when ' + 'not '.repeat(63) + 'b }\\nroute { nurture otherwise }\\n',
  route: head + 'score s { +1 "r" when b }\\ngrade g { hi when ' + 'a > 1 and '.repeat(250) + 'b\\n lo otherwise }\\n' +
    'route { sales "x" when ' + 'a > 1 and '.repeat(250) + 'g is hi\\n nurture otherwise }\\n',
};
for (const [name, text] of Object.entries(texts)) {
  // Warm up so the engine optimises the hot functions, then go deep.
  for (let i = 0; i < 30; i++) compile(head + 'score s { +1 "r" when a > 1 or b }\\nroute { nurture otherwise }\\n').free();
  const a = compile(text);
  const d = a.score({ a: 2, b: true }, { asOf: 0 });
  if (!('route' in d)) throw new Error(name + ': ' + JSON.stringify(d));
  a.check();
  const loaded = runtime.loadCompiled(a.toCompiled());
  const r = loaded.score({ a: 2, b: true }, { asOf: 0 });
  if (JSON.stringify(r) !== JSON.stringify(d)) throw new Error(name + ' (runtime): ' + JSON.stringify(r));
  loaded.scoreJson({ a: 2, b: true }, { asOf: 0 });
  loaded.free();
  a.free();
}
console.log('deep ok');
})().catch((e) => { console.error(e); process.exit(1); });
`;

for (const flags of [[], ['--no-liftoff'], ['--no-liftoff', '--stack-size=492']]) {
  test(`the deepest accepted agreements fit in the stack (node ${flags.join(' ') || 'defaults'})`, () => {
    const r = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /deep ok/);
  });
}
