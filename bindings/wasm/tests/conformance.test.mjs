// The cross-front conformance vectors (tests/conformance/cases): every case
// compiled and scored as a batch in wasm must give, byte for byte, the
// canonical decision lines the Rust core gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { leadgate, repoRoot } from './helpers.mjs';

const casesDir = process.env.LEADGATE_CONFORMANCE_DIR ?? path.join(repoRoot, 'tests', 'conformance', 'cases');
const cases = fs
  .readdirSync(casesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the conformance corpus is there', () => {
  assert.ok(cases.length >= 1, `no case in ${casesDir}`);
});

for (const file of cases) {
  const name = file.replace(/\.json$/, '');
  test(`conformance: ${name}`, () => {
    const spec = JSON.parse(fs.readFileSync(path.join(casesDir, file), 'utf8'));
    const expected = fs
      .readFileSync(path.join(casesDir, `${name}.expected.jsonl`), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const agreement = leadgate.compile(spec.agreement);
    try {
      const options = { asOf: spec.as_of, onBadValue: spec.on_bad_value ?? 'error' };
      const lines = agreement.scoreManyJson(spec.leads, options);
      assert.equal(lines.length, expected.length, 'one decision per lead');
      lines.forEach((line, i) => assert.equal(line, expected[i], `lead ${i}`));
      // The object API gives the same decisions (JSON.parse of the same text).
      const objects = agreement.scoreMany(spec.leads, options);
      assert.deepEqual(objects, expected.map((line) => JSON.parse(line)));
      // And one lead at a time gives the same, with index 0.
      spec.leads.forEach((lead, i) => {
        const one = JSON.parse(agreement.scoreJson(lead, options));
        assert.deepEqual(one, { ...JSON.parse(expected[i]), index: 0 }, `single lead ${i}`);
      });
    } finally {
      agreement.free();
    }
  });
}
