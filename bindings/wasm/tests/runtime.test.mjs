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
