// The conformance corpus beyond decisions (tests/conformance/README.md), in
// the node build: for every case, each lead's explanation
// (`*.explained.expected.jsonl`) and the report of the whole batch
// (`*.report.expected.jsonl`); and every diff case (`diffs/`). The objects
// The texts `explainJson` and `reportJson` return, and the object `diff`
// returns less its `text`, written as canonical JSON (", " and ": ", keys in
// order), must be the expected files byte for byte; `explain` and `report`
// give the same data as objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { leadgate, repoRoot } from './helpers.mjs';

const corpus = path.join(repoRoot, 'tests', 'conformance');
const inputs = (dir) => fs.readdirSync(path.join(corpus, dir))
  .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json')).sort();

/** Canonical JSON, as the core writes it (serde_json's escaping is JSON.stringify's). */
function canonical(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${canonical(x)}`).join(', ')}}`;
}

/** The data of a rendered result: without its renderings. */
function data(rendered) {
  const { text, html, ...rest } = rendered;
  assert.equal(typeof text, 'string');
  return rest;
}

const read = (...p) => fs.readFileSync(path.join(corpus, ...p), 'utf8');

test('the view files are there', () => {
  assert.ok(inputs('cases').length > 10);
  assert.ok(inputs('diffs').length >= 2);
});

for (const file of inputs('cases')) {
  const name = file.replace(/\.json$/, '');
  test(`explanations and report: ${name}`, () => {
    const spec = JSON.parse(read('cases', file));
    const options = { asOf: spec.as_of, onBadValue: spec.on_bad_value ?? 'error' };
    const agreement = leadgate.compile(spec.agreement);
    try {
      // explain scores one lead, as lead 0: the files number them in the batch.
      const explained = spec.leads.map((lead, i) => {
        const text = agreement.explainJson(lead, options);
        const e = data(agreement.explain(lead, options));
        assert.deepEqual(e, JSON.parse(text), `lead ${i}: explain and explainJson`);
        return `${text.replace(/"decision": \{"index": 0,/, `"decision": {"index": ${i},`)}\n`;
      });
      const want = read('cases', `${name}.explained.expected.jsonl`);
      const got = explained.join('');
      if (got !== want) {
        const [w, g] = [want.split('\n'), got.split('\n')];
        const at = w.findIndex((line, i) => line !== g[i]);
        assert.equal(g[at], w[at], `${name}.explained.expected.jsonl, line ${at + 1}`);
      }
      // The report's text, as a JS number cannot keep `1.0`; its object is the same data.
      const report = agreement.reportJson(spec.leads, { ...options, title: '' });
      assert.equal(`${report}\n`, read('cases', `${name}.report.expected.jsonl`));
      assert.deepEqual(data(agreement.report(spec.leads, { ...options, title: '' })), JSON.parse(report));
    } finally {
      agreement.free();
    }
  });
}

for (const file of inputs('diffs')) {
  const name = file.replace(/\.json$/, '');
  test(`diff: ${name}`, () => {
    const spec = JSON.parse(read('diffs', file));
    const [old, proposed] = [leadgate.compile(spec.old), leadgate.compile(spec.new)];
    try {
      const diff = data(old.diff(proposed, spec.leads, { asOf: spec.as_of, changes: spec.changes }));
      assert.equal(`${canonical(diff)}\n`, read('diffs', `${name}.expected.json`));
    } finally {
      old.free();
      proposed.free();
    }
  });
}
