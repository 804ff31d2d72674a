// No panic crosses the boundary (docs/reliability.md, section 3): on wasm32
// a Rust panic cannot unwind, it would end in a trap (`RuntimeError:
// unreachable`). The module's panic hook and the wrapper build.sh appends to
// the glue (src/guard.js) turn it into a thrown `Error` "internal error in
// leadgate: …", and stop the module: later calls throw a clear Error.
// `__panicForTest` is an internal export that panics. Without the hook and
// the wrapper these tests fail: the panic comes out as a RuntimeError, and
// later calls run on a broken instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadWeb, wasmDir } from './helpers.mjs';

const require = createRequire(import.meta.url);
const nodeGlue = path.join(wasmDir, 'pkg', 'node', 'leadgate_wasm.js');
const TEXT = 'agreement "x"\nfields { a : number }\nscore s { +1 "r" when a > 1 }\nroute { nurture otherwise }\n';
const STOPPED = /^the leadgate module stopped after an internal error; load it again \(internal error in leadgate: /;

/** A fresh instance of the node build (a new module, not the cached one). */
function freshNode() {
  delete require.cache[require.resolve(nodeGlue)];
  return require(nodeGlue);
}

function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

/** `load`: the agreement, from the build `m` (the runtime has no compile). */
function checkBoundary(m, load = () => m.compile(TEXT)) {
  const a = load();
  assert.equal(a.score({ a: 2 }, { asOf: 0 }).scores.s, 1);
  const e = thrown(() => m.__panicForTest('boom in the engine'));
  assert.equal(e.constructor, Error, `a plain Error, not ${e.constructor.name}`);
  assert.ok(!(e instanceof WebAssembly.RuntimeError));
  assert.match(e.message, /^internal error in leadgate: boom in the engine \(this is a bug in leadgate; please report it\)$/);
  // Stopped: every later call throws a clear Error instead of running on
  // an instance whose state the panic left unknown.
  for (const call of [
    load,
    () => m.loadCompiled(new Uint8Array(8)),
    () => a.score({ a: 2 }, { asOf: 0 }),
    () => a.scoreMany([{ a: 2 }], { asOf: 0 }),
    () => a.scoreJson({ a: 2 }, { asOf: 0 }),
    () => a.scoreManyJson([{ a: 2 }], { asOf: 0 }),
    () => a.fields(),
    ...(typeof a.check === 'function' ? [() => a.check()] : []),
    () => a.name,
    () => a.version,
    () => a.usesTime,
    () => m.__panicForTest('again'),
  ]) {
    const s = thrown(call);
    assert.equal(s.constructor, Error);
    assert.match(s.message, STOPPED);
  }
  // free() does nothing on a stopped module (cleanup code must not throw).
  a.free();
}

test('a panic is a thrown Error "internal error in leadgate: …"; the module stops (node build)', () => {
  checkBoundary(freshNode());
});

test('loading the module again gives a working instance', () => {
  const broken = freshNode();
  assert.throws(() => broken.__panicForTest('x'), /internal error in leadgate: x/);
  const again = freshNode();
  const a = again.compile(TEXT);
  assert.equal(a.score({ a: 2 }, { asOf: 0 }).scores.s, 1);
  a.free();
  assert.match(thrown(() => broken.compile(TEXT)).message, STOPPED, 'the old instance stays stopped');
});

test('normal errors pass through and do not stop the module', () => {
  const m = freshNode();
  assert.throws(() => m.compile('agreement'), { name: 'CompileError' });
  assert.throws(() => m.compile(42), /expected the agreement text as a string/);
  const a = m.compile(TEXT);
  assert.throws(() => a.score({}, { asOf: 'never' }), /asOf/);
  assert.throws(() => a.scoreMany('x'), /expected an array/);
  assert.equal(a.score({ a: 2 }, { asOf: 0 }).scores.s, 1);
  a.free();
  assert.throws(() => a.score({ a: 2 }, { asOf: 0 }), (e) => e instanceof Error && !STOPPED.test(e.message));
  assert.equal(m.compile(TEXT).name, 'x');
});

test('the web build has the same boundary', async () => {
  checkBoundary(await loadWeb());
});

test('the form runtime has the same boundary', async () => {
  const bytes = freshNode().compile(TEXT).toCompiled();
  const runtime = await loadWeb('runtime');
  checkBoundary(runtime, () => runtime.loadCompiled(bytes));
});

test('a stack overflow inside the module is an internal error too, never a raw RangeError', () => {
  // With a small V8 stack, the deepest accepted agreement overflows inside
  // the module. The stack size where that happens depends on node; try a few.
  const script = `
const { compile } = require(${JSON.stringify(nodeGlue)});
const head = 'agreement "x"\\nfields { a : number }\\n';
const deep = head + 'score s { +1 "r" when a > 1' + ' or a > 1'.repeat(254) + ' }\\nroute { nurture otherwise }\\n';
const out = [];
for (const text of [deep, head + 'score s { +1 "r" when a > 1 }\\nroute { nurture otherwise }\\n']) {
  try { compile(text).score({ a: 2 }, { asOf: 0 }); out.push('ok'); }
  catch (e) { out.push(e.constructor.name + ': ' + e.message); }
}
console.log(JSON.stringify(out));
`;
  let overflowed = 0;
  for (const size of [50, 55, 60, 65, 70]) {
    const r = spawnSync(process.execPath, [`--stack-size=${size}`, '-e', script], { encoding: 'utf8' });
    if (r.status !== 0 && r.stdout === '') continue; // node itself cannot start with this stack
    assert.equal(r.status, 0, r.stderr);
    const [first, second] = JSON.parse(r.stdout);
    if (first === 'ok') {
      assert.equal(second, 'ok');
      continue;
    }
    overflowed++;
    assert.equal(first, 'Error: internal error in leadgate: the stack overflowed (Maximum call stack size exceeded)');
    assert.match(second, /^Error: the leadgate module stopped after an internal error; load it again/);
  }
  assert.ok(overflowed > 0, 'no stack size made the module overflow');
});
