// The batch fast path of scoreMany and scoreManyJson (src/fast.js,
// src/batch.rs; every build): a lead whose values the walk's typed arrays
// carry crosses into wasm with its chunk, any other is read per lead. Either way the
// decisions must be those of the per-lead path (kept as the internal
// __scoreManyPerLead and __scoreManyJsonPerLead), byte for byte, with the
// same indices, and the caller's getters must run as often.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { leadgate, loadWeb, readCsv, repoRoot } from './helpers.mjs';

const { compile, Agreement } = leadgate;
const AS_OF = { asOf: '2026-11-23' };

/**
 * Scores `leads` by both paths, asserts byte-identical decisions (texts and
 * objects), and returns the indices of the leads the fast path read per
 * lead (not as JSON).
 */
function bothPaths(agreement, leads, options = AS_OF) {
  const perLead = [];
  const scoreOne = Agreement.prototype.__scoreOne;
  Agreement.prototype.__scoreOne = function (read, index, options) {
    perLead.push(index);
    return scoreOne.call(this, read, index, options);
  };
  let fast;
  let fastObjects;
  try {
    fast = agreement.scoreManyJson(leads, options);
    fastObjects = agreement.scoreMany(leads, options);
  } finally {
    Agreement.prototype.__scoreOne = scoreOne;
  }
  const slow = agreement.__scoreManyJsonPerLead(leads, options);
  assert.equal(fast.length, slow.length, 'one decision per lead');
  fast.forEach((line, i) => assert.equal(line, slow[i], `lead ${i}`));
  assert.deepEqual(fastObjects, agreement.__scoreManyPerLead(leads, options));
  assert.deepEqual(fastObjects, slow.map((line) => JSON.parse(line)));
  fastObjects.forEach((d, i) => assert.equal(d.index, i));
  // Each lead read per lead once by scoreManyJson and once by scoreMany.
  return [...new Set(perLead)].sort((a, b) => a - b);
}

/** A CSV's rows as objects keyed by its header. */
function parseCsv(text) {
  const [header, ...body] = readCsv(text);
  return body.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? ''])));
}

test('conformance corpus: the fast path gives the per-lead decisions, most leads sent in the chunk', () => {
  const dir = path.join(repoRoot, 'tests', 'conformance', 'cases');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  assert.ok(files.length > 0);
  let json = 0;
  for (const file of files) {
    const spec = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const agreement = compile(spec.agreement);
    for (const onBadValue of ['error', 'missing']) {
      for (const explain of [true, false]) {
        const perLead = bothPaths(agreement, spec.leads, { asOf: spec.as_of, onBadValue, explain });
        json += spec.leads.length - perLead.length;
      }
    }
    agreement.free();
  }
  assert.ok(json > 0, 'some leads went in the chunk');
});

test('rules-examples leads (JSON Lines and CSV): same decisions, nearly all sent in the chunk', () => {
  const dir = path.join(repoRoot, 'rules-examples');
  const sets = fs.readdirSync(dir).filter((f) => /\.leads\.(jsonl|csv)$/.test(f));
  assert.ok(sets.length >= 3);
  for (const file of sets) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const leads = file.endsWith('.jsonl')
      ? text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
      : parseCsv(text);
    assert.ok(leads.length > 10, file);
    const agreement = compile(fs.readFileSync(path.join(dir, file.replace(/\.leads\.\w+$/, '.lead')), 'utf8'));
    const perLead = bothPaths(agreement, leads);
    assert.deepEqual(bothPaths(agreement, leads, { ...AS_OF, explain: false }), perLead);
    // Only leads with a nested object (the files' deliberate bad values).
    const nested = (v) => v !== null && typeof v === 'object' && (!Array.isArray(v) || v.some(nested));
    for (const i of perLead) assert.ok(Object.values(leads[i]).some(nested), `${file}: lead ${i}`);
    assert.ok(perLead.length <= leads.length / 100, `${file}: ${perLead.length} per lead`);
    agreement.free();
  }
});

// A field of each type.
const KINDS = compile(`agreement "kinds"
fields { key : text id from "id"
         n : number
         t : text
         b : bool
         d : date
         l : list }
score s { +(n) "n" when n is present
          +1 "t" when t is present
          +1 "b" when b
          +(count(l)) "l"
          +1 "d" when d is present }
route { nurture otherwise }
`);

test('values the typed arrays carry go in the chunk, with the same decisions', () => {
  const values = [null, undefined, true, false, 0, 1, -1, 1.5, -2.25, 0.1 + 0.2, 1e-7, 5e-324, 2 ** 52 + 0.5,
    2 ** 53 - 1, -(2 ** 53 - 1), 123456.789, '', ' ', '42', ' 12.5 ', 'yes', 'N', '2026-11-22', '1e3',
    'a; b;;c', 'emoji 😀', 'ünïcode', 'quote " backslash \\ newline \n tab \t nul \u0000', '\u2028',
    [], ['a', ' b ', '', null, undefined, 1, 2.5, true], [1e-7, -3]];
  const leads = [];
  for (const key of ['id', 'n', 't', 'b', 'd', 'l']) {
    for (const v of values) leads.push({ id: 'x', [key]: v });
  }
  for (const onBadValue of ['error', 'missing']) {
    assert.deepEqual(bothPaths(KINDS, leads, { ...AS_OF, onBadValue }), []);
  }
});

test('random doubles go in the chunk as their 64 bits, -0, NaN, infinities and integers past 2^53 too (as text, number and date)', () => {
  const buf = new DataView(new ArrayBuffer(8));
  const leads = [];
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed;
  };
  while (leads.length < 3000) {
    buf.setUint32(0, next());
    buf.setUint32(4, next());
    const v = buf.getFloat64(0);
    const scaled = leads.length % 3 === 0 ? v : leads.length % 3 === 1 ? (next() / 7) * 1e-3 : next() / 1000;
    leads.push({ id: scaled, n: scaled, t: scaled, d: scaled / 1e6, l: [scaled] });
  }
  leads.push({ n: -0, t: -0, l: [-0] }, { n: NaN, t: Infinity, d: -Infinity }, { n: 2 ** 70, t: 2 ** 53 + 2 });
  assert.ok(leads.some((l) => !Number.isFinite(l.n)), 'non-finite numbers among them');
  assert.deepEqual(bothPaths(KINDS, leads), []);
});

test('texts of any code points (ASCII, two- and three-byte UTF-8, surrogate pairs) are cut where the walk counted', () => {
  let seed = 99;
  const next = (n) => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  const point = () => {
    switch (next(4)) {
      case 0: return String.fromCodePoint(32 + next(95));
      case 1: return String.fromCodePoint(0x80 + next(0x780));
      // No surrogate, and not U+FFFD (a text holding it is read per lead).
      case 2: { const c = 0x800 + next(0xf7fd - 0x800); return String.fromCodePoint(c >= 0xd800 ? c + 0x800 : c); }
      default: return String.fromCodePoint(0x10000 + next(0x100000));
    }
  };
  const text = () => Array.from({ length: next(12) }, point).join('');
  const leads = Array.from({ length: 3000 }, () => ({ id: text(), t: text(), l: [text(), text()], n: next(3) ? text() : 1 }));
  for (const onBadValue of ['error', 'missing']) {
    assert.deepEqual(bothPaths(KINDS, leads, { ...AS_OF, onBadValue }), []);
  }
});

test('each value the typed arrays do not carry takes the per-lead path, with the documented result', () => {
  const revoked = Proxy.revocable([], {});
  revoked.revoke();
  class Custom extends Array {}
  const cases = {
    NaN: [{ n: NaN }, 'n: expected a number, got NaN'],
    Infinity: [{ n: Infinity }, 'n: expected a number, got Infinity'],
    '-Infinity': [{ n: -Infinity }, 'n: expected a number, got -Infinity'],
    '-0': [{ n: -0 }, null],
    '2^53': [{ n: 2 ** 53 }, null],
    '2^70 as text': [{ t: 2 ** 70 }, null],
    bigint: [{ n: 5n }, null],
    'bigint out of range': [{ n: 2n ** 70n }, 'n: expected a number, got a bigint out of range'],
    'lone surrogate': [{ t: 'a\ud800b' }, 't: expected a text, got a text that is not valid Unicode'],
    'U+FFFD': [{ t: 'a\ufffdb' }, null],
    symbol: [{ t: Symbol('s') }, 't: expected a text, got a symbol'],
    function: [{ t: () => 1 }, 't: expected a text, got a function'],
    object: [{ t: { a: 1 } }, 't: expected a text, got an object'],
    Map: [{ t: new Map() }, 't: expected a text, got an object'],
    Date: [{ d: new Date(Date.UTC(2026, 0, 2)) }, null],
    'invalid Date': [{ d: new Date(NaN) }, 'd: expected a date, got an invalid Date'],
    'nested array': [{ l: [['a']] }, 'l: expected a list of texts, got an array in the list'],
    'object in a list': [{ l: ['a', {}] }, 'l: expected a list of texts, got an object in the list'],
    'Date in a list': [{ l: [new Date(0)] }, 'l: expected a list of texts, got a date in the list'],
    'NaN in a list': [{ l: [NaN] }, 'l: expected a list of texts, got NaN in the list'],
    'revoked proxy': [{ l: revoked.proxy }, 'l: expected a list, got an unreadable object'],
    'array subclass': [{ l: Custom.from(['a', 'b']) }, null],
    'boxed string': [{ t: Object('x') }, 't: expected a text, got an object'],
  };
  const names = Object.keys(cases);
  const leads = names.map((name) => ({ id: name, ...cases[name][0] }));
  // Plain leads around each: they still go in the chunk. So do numbers of
  // every kind (the module gets their bits) and an array subclass's items.
  const sent = new Set(['NaN', 'Infinity', '-Infinity', '-0', '2^53', '2^70 as text', 'NaN in a list', 'array subclass']);
  const mixed = leads.flatMap((lead, i) => [{ id: `plain ${i}`, n: i }, lead]);
  for (const onBadValue of ['error', 'missing']) {
    const perLead = bothPaths(KINDS, mixed, { ...AS_OF, onBadValue });
    const expected = names.map((_, i) => 2 * i + 1).filter((i) => !sent.has(names[(i - 1) / 2]));
    assert.deepEqual(perLead, expected, onBadValue);
  }
  const out = KINDS.scoreMany(leads, AS_OF);
  names.forEach((name, i) => {
    const e = out[i].error;
    assert.equal(e ? `${e.field}: ${e.message}` : null, cases[name][1], name);
  });
  assert.equal(out[names.indexOf('2^70 as text')].id, '2^70 as text');
  assert.equal(out[names.indexOf('Date')].scores.s, 1);
});

test('leads that are not plain objects are read per lead, in place', () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  class Lead {
    constructor() {
      this.id = 'class';
      this.n = 2;
    }
  }
  const nullProto = Object.assign(Object.create(null), { id: 'null proto', n: 3 });
  const inherited = Object.assign(Object.create({ n: 50 }), { id: 'inherited' });
  const leads = [null, undefined, 'text', 5, true, 5n, Symbol('s'), () => 1, [], new Date(0),
    new Map([['id', 'map'], ['n', 'x'], ['n', 1]]), new Lead(), revoked.proxy, inherited, nullProto,
    new Proxy({ id: 'proxy', n: 4 }, {}), { id: 'plain', n: 5 }];
  const perLead = bothPaths(KINDS, leads);
  // The null-prototype object, the proxy of a plain object and the plain object go in the chunk.
  assert.deepEqual(perLead, Array.from({ length: leads.length - 3 }, (_, i) => i).filter((i) => i !== 14));
  const out = KINDS.scoreMany(leads, AS_OF);
  assert.equal(out[10].error, undefined, 'a Map: the last value wins');
  assert.match(out[12].error.message, /^cannot read the lead: .*revoked/);
  assert.equal(out[13].scores.s, 0, 'inherited keys are not read');
  assert.equal(out[14].scores.s, 3);
});

test('getters run once per lead on either path, and a throwing getter rejects the lead', () => {
  const counts = { fast: 0, slow: 0 };
  const make = (which) => [
    { id: 'g', get n() { counts[which]++; return counts[which]; }, get other() { counts[which] += 100; return 1; } },
    { id: 'throws', get t() { throw new Error('boom'); } },
    { id: 'late', n: 1, get t() { counts[which] += 10_000; return NaN; }, l: ['a'] },
  ];
  const fast = KINDS.scoreManyJson(make('fast'), AS_OF);
  const slow = KINDS.__scoreManyJsonPerLead(make('slow'), AS_OF);
  assert.deepEqual(fast, slow);
  assert.equal(counts.fast, 10_101);
  assert.equal(counts.slow, 10_101);
  assert.match(fast[1], /"message": "cannot read the lead: boom"/);
});

test('an inherited toJSON or a setter named as a declared key changes nothing and is never called', () => {
  const leads = [{ id: 'a', n: 2, t: 'x' }, { id: 'b', n: NaN }];
  const expected = KINDS.__scoreManyJsonPerLead(leads, AS_OF);
  // An inherited toJSON: no JSON text is written, so nothing calls it.
  Object.prototype.toJSON = function () { throw new Error('toJSON called'); };
  try {
    assert.deepEqual(KINDS.scoreManyJson(leads, AS_OF), expected);
    assert.deepEqual(KINDS.scoreMany(leads, AS_OF), expected.map((l) => JSON.parse(l)));
  } finally {
    delete Object.prototype.toJSON;
  }
  // A setter on Object.prototype named as a declared key: no object is written, so nothing calls it.
  let calls = 0;
  Object.defineProperty(Object.prototype, 't', { set() { calls++; }, get() { return undefined; }, configurable: true });
  try {
    assert.deepEqual(KINDS.scoreManyJson(leads, AS_OF), expected);
  } finally {
    delete Object.prototype.t;
  }
  assert.equal(calls, 0);
  // And errors are the per-lead path's: options first, then the leads array.
  assert.throws(() => KINDS.scoreMany(leads, { asof: 1 }), /unknown option `asof`/);
  assert.throws(() => KINDS.scoreMany({ length: 1 }, AS_OF), /^Error: scoreMany: expected an array of leads, got an object$/);
  assert.throws(() => KINDS.scoreManyJson('x', AS_OF), /^Error: scoreManyJson|scoreMany: expected an array of leads, got a string$/);
  assert.deepEqual(KINDS.scoreMany([], AS_OF), []);
  assert.deepEqual(KINDS.scoreManyJson([], AS_OF), []);
});

test('2,000 random leads of hostile and plain values: both paths agree', () => {
  const pool = [null, undefined, 0, -0, 1, 2.5, NaN, Infinity, 2 ** 60, 7n, '', ' 3 ', 'yes', 'a\ud800', '\ufffd',
    'x; y', '2026-01-01', true, false, [], ['a', 1], [['n']], [NaN], {}, new Date(0), new Map(), Symbol('q'),
    () => 0, Object('s'), 'Ünïcode 😀'];
  let seed = 7;
  const pick = (n) => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  const keys = ['id', 'n', 't', 'b', 'd', 'l', 'other'];
  const leads = [];
  for (let i = 0; i < 2000; i++) {
    const lead = {};
    for (const k of keys) if (pick(3)) lead[k] = pool[pick(pool.length)];
    leads.push(pick(20) ? lead : pool[pick(pool.length)]);
  }
  for (const onBadValue of ['error', 'missing']) {
    const perLead = bothPaths(KINDS, leads, { ...AS_OF, onBadValue });
    assert.ok(perLead.length > 100 && perLead.length < 1900, String(perLead.length));
  }
});

/**
 * Scores `leads` by both paths (bothPaths) while recording each chunk the
 * fast path sends: its leads, the bytes of its arrays, and the number of
 * decisions it added to the batch's.
 */
function chunked(agreement, leads, options = AS_OF) {
  const chunks = [];
  const scoreBatch = Agreement.prototype.__scoreBatch;
  Agreement.prototype.__scoreBatch = function (ints, nums, text, slots, options, lines, base, out) {
    const before = out.length;
    const scored = scoreBatch.call(this, ints, nums, text, slots, options, lines, base, out);
    const bytes = ints.byteLength + nums.byteLength + text.length;
    chunks.push({ base, leads: slots.length, bytes, decisions: scored.length - before });
    return scored;
  };
  let perLead;
  try {
    perLead = bothPaths(agreement, leads, options);
  } finally {
    Agreement.prototype.__scoreBatch = scoreBatch;
  }
  // Two calls (scoreManyJson, scoreMany) chunk alike.
  const half = chunks.slice(0, chunks.length / 2);
  assert.deepEqual(half.map((c) => [c.base, c.leads]), chunks.slice(chunks.length / 2).map((c) => [c.base, c.leads]));
  let base = 0;
  for (const c of half) {
    assert.equal(c.base, base, 'chunks follow each other');
    base += c.leads;
  }
  assert.equal(base, leads.length, 'every lead in a chunk');
  for (const c of half) assert.equal(c.decisions, c.leads, 'a decision a lead');
  return { perLead, chunks: half };
}

test('a batch is sent in chunks of at most 8,192 leads; decisions and indices across chunks are the per-lead ones', () => {
  const leads = Array.from({ length: 2 * 8192 + 5 }, (_, i) => (i % 1000 === 7
    ? { id: `x${i}`, n: 5n } // read per lead, at its turn
    : { id: `l${i}`, n: i % 50, t: i % 3 ? 'text' : null, l: ['a', 'b'] }));
  const { perLead, chunks } = chunked(KINDS, leads);
  assert.deepEqual(chunks.map((c) => c.leads), [8192, 8192, 5]);
  assert.equal(perLead.length, 17);
  // The per-lead path (the web build's reader) ends pieces at 8,192 too.
  assert.equal(KINDS.__scoreManyPerLead(leads, AS_OF).length, leads.length);
});

test('a chunk ends at about 16 MiB of values; a lead larger than that is read per lead', () => {
  const MiB = 1024 * 1024;
  // Two texts of 1 MiB a lead (a bound of 6 MiB: 3 bytes a UTF-16 unit),
  // and one lead whose bound is over 16 MiB.
  const leads = [];
  for (let i = 0; i < 24; i++) leads.push({ id: `${i}-${'i'.repeat(MiB)}`, t: String.fromCharCode(97 + i).repeat(MiB), n: i });
  leads.splice(9, 0, { id: 'huge', t: '\u0001'.repeat(6 * MiB) });
  const { perLead, chunks } = chunked(KINDS, leads);
  assert.deepEqual(perLead, [9], 'the lead over the bound is read per lead');
  assert.ok(chunks.length >= 8, `${chunks.length} chunks`);
  for (const c of chunks) assert.ok(c.bytes <= 3 * (16 * MiB + 6 * MiB), `a chunk of ${c.bytes} bytes`);
  // Three leads fill a chunk (the one read per lead adds its decision only).
  assert.ok(chunks.every((c) => c.leads <= 3 + (c.base <= 9 && 9 < c.base + c.leads)), 'three leads fill a chunk');
});

// (The pieces' bounds are DecisionPieces' own: crates/leadgate/src/pieces.rs.)
test('a chunk whose decisions fill several pieces of 16 MiB (about 1 MiB each here) gives the per-lead decisions', () => {
  const MiB = 1024 * 1024;
  const rules = Array.from({ length: 20_000 }, (_, i) => `+1 "rule ${i}" when n > 0`).join('\n');
  const wide = compile(`agreement "wide"\nfields { key : text id from "id"\n n : number }\nscore s {\n${rules}\n}\nroute { nurture otherwise }\n`);
  const leads = Array.from({ length: 40 }, (_, i) => ({ id: `w${i}`, n: i % 2 }));
  const { chunks } = chunked(wide, leads);
  assert.equal(chunks.length, 1);
  const bytes = wide.scoreManyJson(leads, AS_OF).reduce((n, l) => n + l.length, 0);
  assert.ok(bytes > 16 * MiB, `${bytes} bytes of decisions: more than one piece`);
  wide.free();
});

// Review of the fast path: each case gave a different result, call count,
// warning order or a hang on the fast path before it was fixed.
const RENAMED = `agreement "renamed"
fields { key : text id from "id"
         company_size : number from "Company Size"
         lead_source : text from "Lead Source"
         l : list }
score s { +1 "big" when company_size > 10
          +(count(l)) "l" }
route { nurture otherwise }
`;

/** Runs `f` with console.warn logged into `log` (as 'warn <field>'). */
function logWarnings(log, f) {
  const warn = console.warn;
  console.warn = (m) => log.push(`warn ${/the field (\w+)/.exec(m)[1]}`);
  try {
    return f();
  } finally {
    console.warn = warn;
  }
}

test('a lead keyed by a field name is read per lead: its value is not iterated, and warnings come at its turn', async () => {
  const builds = { node: leadgate, web: await loadWeb('web'), runtime: await loadWeb('runtime') };
  const bytes = compile(RENAMED).toCompiled();
  for (const [name, build] of Object.entries(builds)) {
    const run = (method) => {
      const a = build.loadCompiled(bytes);
      const log = [];
      const items = [1, 2];
      Object.defineProperty(items, 0, { get() { log.push('item'); return 1; }, enumerable: true });
      const leads = [
        { id: 'a', company_size: items },
        { id: 1n, lead_source: 'x', get z() { log.push('getter b'); return 1; } },
        { id: 'c', get z() { log.push('getter c'); return 1; } },
      ];
      const out = logWarnings(log, () => a[method](leads, AS_OF));
      a.free();
      return [out, log];
    };
    const [fast, fastLog] = run('scoreManyJson');
    const [slow, slowLog] = run('__scoreManyJsonPerLead');
    assert.deepEqual(fast, slow, name);
    assert.deepEqual(fastLog, ['warn company_size', 'getter b', 'warn lead_source', 'getter c'], name);
    assert.deepEqual(fastLog, slowLog, name);
  }
});

test('a free() of the agreement from a getter takes effect when the call ends, on either path', async () => {
  const builds = { node: leadgate, web: await loadWeb('web'), runtime: await loadWeb('runtime') };
  const bytes = KINDS.toCompiled();
  for (const [name, build] of Object.entries(builds)) {
    for (const method of ['scoreManyJson', '__scoreManyJsonPerLead', 'scoreMany']) {
      const a = build.loadCompiled(bytes);
      const leads = [{ id: 'a', n: 1 }, { id: 'b', get n() { a.free(); return 2; } }, { id: 'c', n: 3n }, { id: 'd', n: 4 }];
      assert.equal(a[method](leads, AS_OF).length, 4, `${name} ${method}`);
      assert.throws(() => a.scoreMany([], AS_OF), /this agreement was freed/);
    }
  }
});

test('options with a roster are read once (node build)', () => {
  const a = compile(RENAMED.replace('route { nurture otherwise }', 'route { sales within 1h "large" when s >= 1\n nurture otherwise }'));
  const roster = leadgate.Roster.parse('timezone: Europe/Paris\nqueues:\n  sales:\n    hours: Mon-Fri 09:00-18:00\n    members:\n      - { name: Mia Chen }\n');
  for (const method of ['scoreMany', 'scoreManyJson', '__scoreManyPerLead']) {
    const log = [];
    const options = {
      get asOf() { log.push('asOf'); return '2026-12-21T10:00:00Z'; },
      get roster() { log.push('roster'); return roster; },
      get load() { log.push('load'); return []; },
    };
    a[method]([{ id: 'L-1', 'Company Size': 500 }], options);
    assert.deepEqual(log, ['asOf', 'roster', 'load'], method);
  }
  roster.free();
  a.free();
});

test('a list copied by the walk is not iterated again by the per-lead reader', () => {
  const iterator = Array.prototype[Symbol.iterator];
  for (const method of ['scoreMany', '__scoreManyPerLead']) {
    let calls = 0;
    Array.prototype[Symbol.iterator] = function () {
      calls++;
      return iterator.call(this);
    };
    try {
      KINDS[method]([{ id: 'x', l: ['a', new Date(0)] }], AS_OF);
    } finally {
      Array.prototype[Symbol.iterator] = iterator;
    }
    assert.equal(calls, 3, method); // the batch, the lead's entries, the list
  }
});

test('accessors on Object.prototype, Array.prototype and the typed arrays do not derail the walk', () => {
  const leads = Array.from({ length: 300 }, (_, i) => ({ id: `l${i}`, n: i, t: 'é'.repeat(i % 7), l: ['a'] }));
  const expected = KINDS.__scoreManyJsonPerLead(leads, AS_OF);
  KINDS.scoreManyJson(leads, AS_OF); // its keys read
  // `bytes` on Object.prototype once made the walk loop for ever.
  let calls = 0;
  Object.defineProperty(Object.prototype, 'bytes', { get() { calls++; return Infinity; }, set() { calls++; }, configurable: true });
  Object.defineProperty(Array.prototype, '0', { get() { calls++; return undefined; }, set() { calls++; }, configurable: true });
  try {
    assert.deepEqual(KINDS.scoreManyJson(leads, AS_OF), expected);
  } finally {
    delete Object.prototype.bytes;
    delete Array.prototype[0];
  }
  assert.equal(calls, 0);
  // A `length` that under-reports views, set by a getter during the walk:
  // the glue's copy into the module's memory once overran its allocation.
  const typed = Object.getPrototypeOf(Uint32Array.prototype);
  const length = Object.getOwnPropertyDescriptor(typed, 'length').get;
  const protos = [Uint8Array.prototype, Uint32Array.prototype, Float64Array.prototype];
  const hostile = leads.map((lead, i) => (i !== 3 ? lead : {
    ...lead,
    get other() {
      for (const p of protos) {
        Object.defineProperty(p, 'length', {
          get() { return this.byteLength < this.buffer.byteLength ? 1 : length.call(this); }, configurable: true,
        });
      }
      return 1;
    },
  }));
  try {
    assert.deepEqual(KINDS.scoreManyJson(hostile, AS_OF), expected);
  } finally {
    for (const p of protos) delete p.length;
  }
  assert.deepEqual(KINDS.scoreManyJson(leads, AS_OF), expected, 'the module goes on');
});
