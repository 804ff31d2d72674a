// The form runtime (`leadgate/runtime`, pkg/runtime): no compile(), and its
// regexes run from the NFA each compiled agreement stores (the core's
// feature runtime-regex), and no explanation (a page that shows one loads the
// web build for it, as the demo does). The bundled agreements decide as the
// node build does on their own example leads and on texts that exercise
// Unicode word boundaries and case folding (the conformance corpus runs on
// it in compiled.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { leadgate, loadWeb, repoRoot } from './helpers.mjs';

const runtime = await loadWeb('runtime');

test('the runtime has no compiler, nor the calls a form does not need', () => {
  assert.equal(typeof runtime.compile, 'undefined');
  assert.equal(typeof runtime.loadCompiled, 'function');
  for (const method of ['check', 'scoreRows', 'checkColumns', 'explain', 'explainJson']) {
    assert.equal(typeof runtime.Agreement.prototype[method], 'undefined', method);
  }
  for (const method of ['score', 'scoreMany', 'scoreJson', 'scoreManyJson', 'fields']) {
    assert.equal(typeof runtime.Agreement.prototype[method], 'function', method);
  }
});

test('the bundled agreements decide as the full build, regexes included', () => {
  const examples = path.join(repoRoot, 'rules-examples');
  const texts = ['VP Sales', 'Directeur Général', 'vice-président', 'CTO', 'ctos', 'Head of Ωmega', 'Dr. Müller, CEO',
    'KELVIN \u212A', 'straße', 'ſtudent', '', '  ', 'vp\u00e9', '\u00e9vp', 'Chief Ωfficer', 'c\u0301eo'];
  for (const file of fs.readdirSync(examples).filter((f) => f.endsWith('.lead')).sort()) {
    const text = fs.readFileSync(path.join(examples, file), 'utf8');
    const full = leadgate.compile(text);
    const lean = runtime.loadCompiled(full.toCompiled());
    try {
      const input = path.join(examples, file.replace(/\.lead$/, '.leads.jsonl'));
      const leads = fs.existsSync(input)
        ? fs.readFileSync(input, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
        : [];
      // Every text field of a lead, set to each of the texts.
      const textFields = full.fields().filter((f) => f.type === 'text').map((f) => f.key);
      for (const base of leads.slice(0, 20)) {
        for (const t of texts) {
          const lead = { ...base };
          for (const k of textFields) lead[k] = t;
          leads.push(lead);
        }
      }
      const options = { asOf: '2026-11-23', onBadValue: 'missing' };
      assert.deepEqual(lean.scoreManyJson(leads, options), full.scoreManyJson(leads, options), file);
      for (const lead of leads.slice(0, 50)) {
        assert.equal(lean.scoreJson(lead, options), full.scoreJson(lead, options), file);
      }
    } finally {
      lean.free();
      full.free();
    }
  }
});

test('numbers given as texts read to the same floats as in the node build (the runtime reads them without std\'s tables)', () => {
  const full = leadgate.compile('agreement "n"\nfields { n : number }\nscore s { +(n) "r" when n is present }\nroute { nurture otherwise }\n');
  const lean = runtime.loadCompiled(full.toCompiled());
  try {
    const digits = (k, seed) => Array.from({ length: k }, (_, i) => String((i * 7 + seed * 13) % 10)).join('');
    const texts = ['12.5', '0.1', '-0', '+3', ' 7 ', '1.', '.5', '1e', '1e5', '1E-5', '1e400', '-1e400', '1e-400',
      '9007199254740993', '9007199254740993.000000000000000001', '2.2250738585072011e-308', '4.9e-324',
      '2.4703282292062327e-324', '2.4703282292062328e-324', '1.7976931348623157e308', '1.7976931348623159e308',
      '1' + '0'.repeat(400), '0.' + '0'.repeat(400) + '1', '1_000', '0x10', '\u0661\u0662', 'NaN', 'inf', '1e-99999',
      '10201039226423554199265476608.000000000000000000000000000001'];
    for (let seed = 0; seed < 20; seed++) {
      texts.push(digits(30 + seed * 47, seed), `${digits(17, seed)}.${digits(seed * 40, seed + 1)}e-${seed * 17}`);
    }
    const options = { asOf: '2026-11-23', onBadValue: 'missing' };
    for (const n of texts) {
      assert.equal(lean.scoreJson({ n }, options), full.scoreJson({ n }, options), n.slice(0, 60));
    }
    assert.deepEqual(lean.scoreManyJson(texts.map((n) => ({ n })), options),
      full.scoreManyJson(texts.map((n) => ({ n })), options));
    // Not every text is a number: the check is not vacuous.
    assert.match(full.scoreJson({ n: '12.5' }, options), /"s": 12\.5/);
    assert.match(full.scoreJson({ n: '1e400' }, options), /"n"/);
  } finally {
    lean.free();
    full.free();
  }
});

test('scoreMany of the web build and the runtime: decisions parsed a piece (8,192) at a time, rejected leads marked in every piece', async () => {
  // The per-lead path of these builds writes the decisions as the core's
  // DecisionPieces and parses each piece once (src/lib.rs, `output`): the
  // objects must be score()'s, in order, across the pieces' bounds, with the
  // kind of each lead error set (not enumerable) wherever it falls.
  const web = await loadWeb('web');
  const text = 'agreement "p"\nfields { n : number  t : text }\nscore s { +(n) "r" when n is present  +5 "t" when t == "x" }\nroute { sales "hot" when s >= 50  nurture otherwise }\n';
  const full = leadgate.compile(text);
  const builds = [['web', web.compile(text)], ['runtime', runtime.loadCompiled(full.toCompiled())]];
  try {
    const leads = Array.from({ length: 8192 * 2 + 5 }, (_, i) => (i % 997 === 3 ? { n: 'many' }
      : i % 1009 === 7 ? 'not a lead' : { n: i % 100, t: i % 3 ? 'x' : 'y' }));
    for (const at of [8190, 8191, 8192, 8193, 16383, 16384]) leads[at] = { n: 'bad' };
    const options = { asOf: '2026-11-23' };
    const reference = leads.map((lead, i) => ({ ...JSON.parse(full.scoreJson(lead, options)), index: i }));
    for (const [name, a] of builds) {
      const many = a.scoreMany(leads, options);
      assert.equal(many.length, leads.length, name);
      assert.deepEqual(many, reference, name);
      assert.deepEqual(a.scoreManyJson(leads, options), reference.map((d) => full.scoreJson(leads[d.index], options).replace(/^\{"index": 0/, `{"index": ${d.index}`)), name);
      let rejected = 0;
      many.forEach((d, i) => {
        if (d.error) {
          rejected++;
          assert.equal(d.error.kind, a.score(leads[i], options).error.kind, `${name} lead ${i}`);
          assert.ok(['bad_value', 'not_an_object'].includes(d.error.kind), `${name} lead ${i}: ${d.error.kind}`);
          assert.equal(Object.keys(d.error).includes('kind'), false);
        }
      });
      assert.ok(rejected >= 40, `${name}: ${rejected} rejected leads`);
      assert.ok(many.slice(8190, 8194).every((d) => d.error?.kind === 'bad_value'), name);
    }
  } finally {
    for (const [, a] of builds) a.free();
    full.free();
  }
});

test('the batch fast path of the web build and the runtime gives the per-lead decisions on hostile and plain leads', async () => {
  // src/fast.js and src/batch.rs are in every build; tests/fastpath.test.mjs
  // holds them to the per-lead path in the node build, this in the others.
  const web = await loadWeb('web');
  const text = 'agreement "kinds"\nfields { key : text id from "id"\n n : number\n t : text\n b : bool\n d : date\n l : list }\n'
    + 'score s { +(n) "n" when n is present\n +1 "t" when t is present\n +1 "b" when b\n +(count(l)) "l"\n +1 "d" when d is present }\n'
    + 'route { nurture otherwise }\n';
  const full = leadgate.compile(text);
  const builds = [['web', web.compile(text)], ['runtime', runtime.loadCompiled(full.toCompiled())]];
  const pool = [null, undefined, 0, -0, 1, 2.5, NaN, Infinity, 2 ** 60, 7n, '', ' 3 ', 'yes', 'a\ud800', '\ufffd',
    'x; y', '2026-01-01', true, false, [], ['a', 1], [['n']], [NaN], {}, new Date(0), new Map(), Symbol('q'),
    () => 0, Object('s'), 'Ünïcode 😀', 'ü', '€', '𝄞 clef'];
  let seed = 11;
  const pick = (n) => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  const leads = [];
  for (let i = 0; i < 2000; i++) {
    const lead = {};
    for (const k of ['id', 'key', 'n', 't', 'b', 'd', 'l', 'other']) if (pick(3)) lead[k] = pool[pick(pool.length)];
    leads.push(pick(20) ? lead : pool[pick(pool.length)]);
  }
  try {
    for (const [name, a] of builds) {
      for (const onBadValue of ['error', 'missing']) {
        const options = { asOf: '2026-11-23', onBadValue };
        const fast = a.scoreManyJson(leads, options);
        assert.deepEqual(fast, a.__scoreManyJsonPerLead(leads, options), name);
        assert.deepEqual(fast, full.__scoreManyJsonPerLead(leads, options), name);
        assert.deepEqual(a.scoreMany(leads, options), a.__scoreManyPerLead(leads, options), name);
      }
    }
  } finally {
    for (const [, a] of builds) a.free();
    full.free();
  }
});
