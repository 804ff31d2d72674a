// Compiled agreements (`toCompiled`, `loadCompiled`, the CLI's .lgc files):
// every conformance case scored with an agreement loaded from its compiled
// bytes gives the expected lines byte for byte; the bytes are the CLI's;
// outdated, damaged and wrong arguments are refused with a LoadError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, leadgate, loadWeb, repoRoot } from './helpers.mjs';

const runtime = await loadWeb('runtime');
const casesDir = path.join(repoRoot, 'tests', 'conformance', 'cases');
const cases = fs.readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort();

test('the conformance corpus decides the same from compiled bytes, in the node build and the runtime', () => {
  assert.ok(cases.length >= 1);
  for (const file of cases) {
    const name = file.replace(/\.json$/, '');
    const spec = JSON.parse(fs.readFileSync(path.join(casesDir, file), 'utf8'));
    const expected = fs.readFileSync(path.join(casesDir, `${name}.expected.jsonl`), 'utf8')
      .split('\n').filter((line) => line.trim() !== '');
    const compiled = leadgate.compile(spec.agreement);
    const bytes = compiled.toCompiled();
    assert.ok(bytes instanceof Uint8Array, name);
    // In the node build, and in the form runtime (its regexes from the
    // stored NFAs: tests/runtime.test.mjs).
    for (const loader of [leadgate, runtime]) {
      const loaded = loader.loadCompiled(bytes);
      try {
        const options = { asOf: spec.as_of, onBadValue: spec.on_bad_value ?? 'error' };
        assert.deepEqual(loaded.scoreManyJson(spec.leads, options), expected, name);
        assert.equal(loaded.name, compiled.name);
        assert.deepEqual(loaded.fields(), compiled.fields());
      } finally {
        loaded.free();
      }
    }
    compiled.free();
  }
});

test('the bytes are the CLI\'s, and the web build loads them from an ArrayBuffer', async () => {
  const web = await loadWeb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadgate-lgc-'));
  try {
    for (const name of ['b2b-saas-inbound', 'education-admissions', 'events-webinars']) {
      const file = path.join(repoRoot, 'rules-examples', `${name}.lead`);
      const out = path.join(dir, `${name}.lgc`);
      cli(['compile', file, '-o', out]);
      const fromCli = new Uint8Array(fs.readFileSync(out));
      const a = leadgate.compile(fs.readFileSync(file, 'utf8'));
      assert.deepEqual(a.toCompiled(), fromCli, `${name}: node build`);
      // The web build loads (it does not write: toCompiled is the node build's).
      assert.equal(typeof web.toCompiled, 'undefined');
      const w = web.loadCompiled(fromCli.buffer.slice(fromCli.byteOffset, fromCli.byteOffset + fromCli.length));
      const text = web.compile(fs.readFileSync(file, 'utf8'));
      assert.equal(typeof w.toCompiled, 'undefined');
      const lead = { email: 'ana@acme.io', title: 'VP Sales', 'Company Size': 300 };
      assert.equal(w.scoreJson(lead, { asOf: '2026-11-23' }), text.scoreJson(lead, { asOf: '2026-11-23' }));
      assert.equal(w.explain(lead, { asOf: '2026-11-23' }).text, text.explain(lead, { asOf: '2026-11-23' }).text);
      for (const x of [a, w, text]) x.free();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('outdated, damaged and wrong arguments are refused, the module goes on', () => {
  const a = leadgate.compile('agreement "a"\nfields { n : number }\nscore s { +1 "r" when n > 1 }\nroute { nurture otherwise }\n');
  const bytes = a.toCompiled();
  a.free();
  const outdated = bytes.slice();
  outdated[4] = 1;
  assert.throws(() => leadgate.loadCompiled(outdated), (e) => e.name === 'LoadError' && e.kind === 'version'
    && e.message === 'the compiled agreement is of format version 1, this leadgate reads version 2: compile the agreement again with this version');
  assert.throws(() => leadgate.loadCompiled(bytes.slice(0, 20)), (e) => e.name === 'LoadError' && e.kind === 'damaged');
  assert.throws(() => leadgate.loadCompiled(new TextEncoder().encode('agreement "a"')), (e) => e.kind === 'not_compiled');
  for (const bad of ['LGC', 42, null, undefined, [76, 71, 67, 0], { length: 3 }]) {
    assert.throws(() => leadgate.loadCompiled(bad), /loadCompiled: expected the compiled agreement as a Uint8Array or an ArrayBuffer/);
  }
  // The module still works.
  const again = leadgate.loadCompiled(bytes);
  assert.equal(again.scoreMany([{ n: 2 }], { asOf: '2026-11-23' })[0].route, 'nurture');
  again.free();
  assert.throws(() => again.scoreJson({ n: 2 }), /this agreement was freed/);
});
