// Hostile inputs through the wasm front (docs/reliability.md, section 3,
// wasm column): a thrown Error or a defined result, never a trap, a hang or
// a lost lead. The panic boundary itself is in panic.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { leadgate, loadWeb, repoRoot } from './helpers.mjs';

const { compile } = leadgate;
const AS_OF = { asOf: '2026-11-23' };
// Shared with the Python suite (bindings/python/tests/test_hostile.py).
const SMALL = fs.readFileSync(path.join(repoRoot, 'bindings', 'python', 'tests', 'hostile.lead'), 'utf8');
const small = compile(SMALL);

function compileError(text) {
  const start = Date.now();
  let err;
  try {
    compile(text);
  } catch (e) {
    err = e;
  }
  assert.ok(Date.now() - start < 10_000, 'in under 10 s');
  assert.ok(err instanceof Error && err.name === 'CompileError', String(err));
  return err;
}

test('deep and huge agreements are E0017 compile errors', () => {
  const cases = {
    'nested-parens': '('.repeat(50_000) + 'size' + ')'.repeat(50_000) + ' > 1',
    'unclosed-parens': '('.repeat(50_000),
    'nested-brackets': '['.repeat(50_000),
    'not-run': 'not '.repeat(100_000) + 'size > 1',
    'minus-run': '-'.repeat(100_000) + 'size > 1',
    'or-chain': Array(5_000).fill('size > 1').join(' or '),
    'plus-chain': Array(5_000).fill('size').join(' + ') + ' > 1',
  };
  for (const [name, body] of Object.entries(cases)) {
    const e = compileError(SMALL.replace('+1 "big" when size > 10', `+1 "big" when ${body}`));
    assert.ok(e.diagnostics.some((d) => d.code === 'E0017'), `${name}: ${e.diagnostics.map((d) => d.code)}`);
  }
  const huge = compileError(SMALL.replace('"h"', `"${'x'.repeat(10_000_000)}"`));
  assert.match(huge.diagnostics[0].message, /^the agreement is too large: \d+ bytes, the limit is 4194304 bytes$/);
});

test('large agreements under the limits compile and score', () => {
  const literal = compile(SMALL.replace('"h"', `"${'x'.repeat(3_000_000)}"`));
  assert.equal(literal.name.length, 3_000_000);
  literal.free();
  const body = Array.from({ length: 100_000 }, (_, i) => `  +1 "r${i}" when size > ${i}`).join('\n');
  const start = Date.now();
  const many = compile(SMALL.replace('score s {', `score s {\n${body}\n`));
  assert.equal(many.score({ id: 'x', size: 5e4 }, AS_OF).scores.s, 50_001);
  assert.ok(Date.now() - start < 30_000);
  many.free();
});

test('odd agreement texts: empty, NUL, a lone BOM are compile errors; a lone surrogate reads as U+FFFD', () => {
  for (const text of ['', '\u0000\u0000', '\ufeff', 'agreement "x"\u0000']) {
    const e = compileError(text);
    assert.ok(e.diagnostics.length > 0 && e.diagnostics.every((d) => d.line >= 1 && d.column >= 1));
  }
  const a = compile('agreement "a\ud800b"\nfields { a : number }\nscore s { +1 "r" when a > 1 }\nroute { nurture otherwise }\n');
  assert.equal(a.name, 'a\ufffdb');
  a.free();
});

test('hostile host values: each lead rejected in place with its reason, or scored', () => {
  let deepArray = ['x'];
  for (let i = 0; i < 100_000; i++) deepArray = [deepArray];
  let deepObject = {};
  for (let i = 0; i < 100_000; i++) deepObject = { k: deepObject };
  const cases = {
    nan: { size: NaN },
    inf: { size: Infinity },
    '-inf': { size: -Infinity },
    '1e400 number': { size: 1e400 },
    '1e400 text': { size: '1e400' },
    'NaN text': { size: 'NaN' },
    'inf text': { size: 'inf' },
    '1e-400 number': { size: 1e-400 },
    '1e-400 text': { size: '1e-400' },
    'beyond 2^53': { size: 2 ** 53 + 2 },
    'beyond 2^64': { size: 2 ** 70 },
    'bigint beyond 2^53': { size: 2n ** 53n + 1n },
    'bigint 2^64-1': { size: 2n ** 64n - 1n },
    'bigint beyond 2^64': { size: 2n ** 70n },
    '17 digits': { size: 0.7926776124479642 },
    'deep array': { tags: deepArray },
    'deep object': { note: deepObject },
    'deep object, undeclared key': { other: deepObject },
    'lone surrogate': { note: 'a\ud800b' },
    'nul in the id': { id: 'a\u0000b' },
    '10 MB text': { note: 'y'.repeat(10_000_000) },
    'huge list': { tags: Array(1_000_000).fill('x') },
    object: { note: { a: 1 } },
  };
  const leads = Object.entries(cases).map(([name, values]) => ({ id: name, ...values }));
  leads.push(null, undefined, [], 'text', 5, true, 5n, Symbol('s'), () => 1, new Date(0), { id: 'no fields' });
  const start = Date.now();
  const out = small.scoreMany(leads, AS_OF);
  assert.ok(Date.now() - start < 30_000);
  assert.equal(out.length, leads.length, 'leads in == decisions out');
  out.forEach((d, i) => assert.equal(d.index, i));
  const by = Object.fromEntries(Object.keys(cases).map((name, i) => [name, out[i]]));
  const msg = (name) => by[name].error?.message ?? null;
  assert.equal(msg('nan'), 'expected a number, got NaN');
  assert.equal(msg('inf'), 'expected a number, got Infinity');
  assert.equal(msg('-inf'), 'expected a number, got -Infinity');
  assert.equal(msg('1e400 number'), 'expected a number, got Infinity');
  assert.equal(msg('1e400 text'), 'expected a number, got "1e400"');
  assert.equal(msg('NaN text'), 'expected a number, got "NaN"');
  assert.equal(msg('inf text'), 'expected a number, got "inf"');
  for (const name of ['1e-400 number', '1e-400 text']) assert.equal(by[name].scores.s, 0, name);
  for (const name of ['beyond 2^53', 'beyond 2^64', 'bigint beyond 2^53', 'bigint 2^64-1', '17 digits']) {
    assert.equal(msg(name), null, name);
  }
  assert.equal(by['beyond 2^64'].scores.s, 1);
  assert.equal(by['bigint 2^64-1'].scores.s, 1);
  assert.equal(msg('bigint beyond 2^64'), 'expected a number, got a bigint out of range');
  assert.equal(msg('deep array'), 'expected a list of texts, got an array in the list');
  assert.equal(msg('deep object'), 'expected a text, got an object');
  assert.equal(msg('deep object, undeclared key'), null);
  assert.equal(msg('lone surrogate'), 'expected a text, got a text that is not valid Unicode');
  assert.equal(by['nul in the id'].id, 'a\u0000b');
  assert.match(small.scoreJson({ id: 'a\u0000b' }, AS_OF), /"id": "a\\u0000b"/);
  assert.equal(by['10 MB text'].scores.s, 1);
  assert.equal(by['huge list'].scores.s, 1);
  assert.equal(msg('object'), 'expected a text, got an object');
  const kinds = ['null', 'undefined', 'an array', 'a string', 'a number', 'a boolean', 'a bigint', 'a symbol', 'a function', 'a Date'];
  out.slice(-11, -1).forEach((d, i) => assert.deepEqual(d.error, { field: null, message: `expected an object, got ${kinds[i]}` }));
  assert.equal(out.at(-1).route, 'nurture');
});

test('duplicate keys cannot reach the module: a Map built from pairs keeps the last value, like JSON', () => {
  const pairs = [['id', 'm'], ['size', 1], ['size', 20]];
  assert.equal(small.score(new Map(pairs), AS_OF).scores.s, 1);
});

test('empty batches give no decisions; 100,000 leads with 30 % broken give 100,000 decisions in order', () => {
  assert.deepEqual(small.scoreMany([], AS_OF), []);
  assert.deepEqual(small.scoreManyJson([], AS_OF), []);
  const leads = [];
  for (let i = 0; i < 100_000; i++) {
    const r = i % 10;
    leads.push(r < 7 ? { id: `g${i}`, size: i } : r === 7 ? { id: `b${i}`, size: 'fifty' } : r === 8 ? null : { id: `n${i}`, size: NaN });
  }
  const out = small.scoreMany(leads, AS_OF);
  assert.equal(out.length, leads.length);
  assert.ok(out.every((d, i) => d.index === i));
  assert.equal(out.filter((d) => d.error).length, 30_000);
  assert.equal(out[99_997].error.message, 'expected a number, got "fifty"');
  assert.equal(out[99_998].error.message, 'expected an object, got null');
  assert.equal(out[99_999].error.message, 'expected a number, got NaN');
});

test('bad options are thrown Errors, not decisions', () => {
  for (const [options, pattern] of [
    [{ asOf: 'never' }, /^asOf: cannot read "never"/],
    [{ asOf: NaN }, /^asOf: cannot read a number/],
    [{ onBadValue: 'x' }, /^onBadValue: expected "error" or "missing"/],
    [{ explain: 1 }, /^explain: expected true or false/],
    [{ threads: 2 }, /^options: unknown option `threads`/],
    ['2026-11-23', /^options: expected an object/],
  ]) {
    const e = (() => { try { small.scoreMany([{}], options); } catch (err) { return err; } })();
    assert.ok(e instanceof Error, JSON.stringify(options));
    assert.match(e.message, pattern);
  }
  assert.equal(small.score({ id: 'after', size: 20 }, AS_OF).scores.s, 1, 'still usable');
});

/** Dates that cannot be read, and Errors whose message cannot be. */
function unreadableValues() {
  const throwing = new Date(0);
  throwing.getTime = () => { throw new Error('getTime: no'); };
  const nonMessage = new Error('x');
  Object.defineProperty(nonMessage, 'message', { get() { throw new Error('message: no'); } });
  return {
    throwing,
    fake: Object.create(Date.prototype),
    // Thrown by a getter of the lead: its message is read for the lead error.
    nonMessage,
    numberMessage: Object.assign(Object.create(Error.prototype), { message: 42 }),
  };
}

/**
 * Each way of scoring `m`'s agreement (score, scoreJson, scoreMany,
 * scoreManyJson, and the node build's per-lead path): a Date whose getTime
 * throws, an object that only inherits from Date.prototype, and a getter
 * that throws an Error whose message cannot be read are lead errors in
 * place; the other leads of the batch are scored; nothing is left borrowed.
 */
function unreadableInPlace(m) {
  const a = m.compile(SMALL);
  const v = unreadableValues();
  const getterThrowing = (e) => ({ id: 'g', get size() { throw e; } });
  const leads = [
    { id: 'a', size: 20 },
    { id: 'throwing', seen: v.throwing },
    { id: 'fake', seen: v.fake },
    { id: 'in a list', tags: ['x', v.fake] },
    getterThrowing(v.nonMessage),
    getterThrowing(v.numberMessage),
    { id: 'b', size: 20 },
  ];
  const expected = [
    null,
    { field: 'seen', message: 'expected a date, got an unreadable Date' },
    { field: 'seen', message: 'expected a date, got an unreadable Date' },
    { field: 'tags', message: 'expected a list of texts, got an unreadable Date in the list' },
    { field: null, message: 'cannot read the lead: an Error whose message cannot be read' },
    { field: null, message: 'cannot read the lead: an Error whose message is a number' },
    null,
  ];
  const batches = { scoreMany: a.scoreMany(leads, AS_OF), scoreManyJson: a.scoreManyJson(leads, AS_OF).map((l) => JSON.parse(l)) };
  if (a.__scoreManyPerLead) batches.perLead = a.__scoreManyPerLead(leads, AS_OF);
  batches.score = leads.map((lead) => a.score(lead, AS_OF));
  batches.scoreJson = leads.map((lead) => JSON.parse(a.scoreJson(lead, AS_OF)));
  for (const [how, out] of Object.entries(batches)) {
    assert.equal(out.length, leads.length, `${how}: leads in == decisions out`);
    out.forEach((d, i) => assert.deepEqual(d.error ?? null, expected[i], `${how}, lead ${i}`));
    assert.equal(out[6].scores.s, 1, how);
  }
  // As the batch's asOf: a thrown Error that says so, nothing scored.
  for (const asOf of [v.throwing, v.fake]) {
    assert.throws(() => a.scoreMany(leads, { asOf }), /^Error: asOf: cannot read an object as an instant/);
  }
  // Nothing was left borrowed: free() works, and the module goes on.
  a.free();
  assert.equal(m.compile(SMALL).score({ id: 'after', size: 20 }, AS_OF).scores.s, 1);
}

test('a Date whose getTime throws, or an unreadable Error, is a lead error in place (node build)', () => {
  unreadableInPlace(leadgate);
});

test('a Date whose getTime throws, or an unreadable Error, is a lead error in place (web build)', async () => {
  unreadableInPlace(await loadWeb());
});
