// The typed surface: a rejected decision's error kind (not enumerable: the
// objects keep the canonical shape, JSON.stringify gives the canonical
// fields), on every scoring path of both builds; a lead keyed by a field's
// name where the field reads another key gets a console warning (the core's
// misnamed keys), once per agreement, and the same decision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { leadgate, loadWeb, repoRoot, withWarnings } from './helpers.mjs';

const AS_OF = { asOf: '2026-11-23' };
const B2B = fs.readFileSync(path.join(repoRoot, 'rules-examples', 'b2b-saas-inbound.lead'), 'utf8');
const revoked = Proxy.revocable({}, {});
revoked.revoke();
/** Leads the b2b agreement rejects, and the kind of each. */
const REJECTED = [
  [{ lead_id: 'A' }, 'missing_required', 'email'],
  [{ lead_id: 'B', email: 'b@acme.io', employees: 'fifty' }, 'bad_value', 'company_size'],
  [{ lead_id: 'C', email: 'c@acme.io', employees: NaN }, 'bad_value', 'company_size'],
  ['a string', 'not_an_object', null],
  [[1, 2], 'not_an_object', null],
  [new Date(0), 'not_an_object', null],
  [revoked.proxy, 'unreadable', null],
  [{ lead_id: 'G', get email() { throw new Error('boom'); } }, 'unreadable', null],
];
const GOOD = { lead_id: 'OK', email: 'ana@acme.io', title: 'VP Sales', employees: 300, country: 'de' };

function checkKinds(ds, what) {
  REJECTED.forEach(([, kind, field], i) => {
    const d = ds[i];
    assert.equal(d.error.kind, kind, `${what} ${i}`);
    assert.equal(d.error.field, field, `${what} ${i}`);
    assert.deepEqual(Object.keys(d.error), ['field', 'message'], 'kind is not enumerable');
    assert.equal(Object.getOwnPropertyDescriptor(d.error, 'kind').writable, false);
  });
  assert.equal(ds[REJECTED.length].error, undefined);
}

for (const build of ['node', 'web']) {
  test(`a rejected decision says its error's kind, on every scoring path (${build} build)`, async () => {
    const m = build === 'node' ? leadgate : await loadWeb();
    const a = m.compile(B2B);
    const leads = [...REJECTED.map(([lead]) => lead), GOOD];
    checkKinds(leads.map((l) => a.score(l, AS_OF)), 'score');
    checkKinds(a.scoreMany(leads, AS_OF), 'scoreMany');
    if (a.__scoreManyPerLead) checkKinds(a.__scoreManyPerLead(leads, AS_OF), 'scoreMany per lead');
    // The objects are the canonical JSON: JSON.stringify gives its fields.
    const lines = a.scoreManyJson(leads, AS_OF);
    a.scoreMany(leads, AS_OF).forEach((d, i) => assert.equal(JSON.stringify(d), JSON.stringify(JSON.parse(lines[i]))));
    assert.equal(JSON.stringify(a.score(REJECTED[1][0], AS_OF)), JSON.stringify(JSON.parse(a.scoreJson(REJECTED[1][0], AS_OF))));
    a.free();
  });

  test(`a lead keyed by a field's name, where the field reads another key: a warning, once, and the same decision (${build} build)`, async () => {
    const m = build === 'node' ? leadgate : await loadWeb();
    const a = m.compile(B2B);
    const lead = { lead_id: 'M', email: 'ana@acme.io', title: 'VP Sales', country: 'de' };
    const misnamed = { ...lead, company_size: 300 };
    const [d, warnings] = withWarnings(() => a.score(misnamed, AS_OF));
    assert.deepEqual(d, a.score(lead, AS_OF), 'keys match exactly: company_size is missing');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /a lead has the key "company_size" but no "employees": the field company_size reads "employees".*did you mean "employees"\?/);
    // Once per agreement.
    assert.deepEqual(withWarnings(() => a.scoreMany([misnamed, misnamed], AS_OF))[1], []);
    // With the key given too, or its name given as null, nothing is said.
    const b = m.compile(B2B + '\n');
    assert.deepEqual(withWarnings(() => b.score({ ...misnamed, employees: 300 }, AS_OF))[1], []);
    assert.deepEqual(withWarnings(() => b.scoreMany([{ ...misnamed, employees: 300 }], AS_OF))[1], []);
    // The batch path (the node build's fast path) warns too.
    const [ds, batchWarnings] = withWarnings(() => b.scoreMany([lead, misnamed], AS_OF));
    assert.deepEqual(ds[1], { ...a.score(lead, AS_OF), index: 1 });
    assert.equal(batchWarnings.length, 1);
    assert.match(batchWarnings[0], /"company_size" but no "employees"/);
    a.free();
    b.free();
  });
}
