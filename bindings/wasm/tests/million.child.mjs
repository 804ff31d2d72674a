// Run by million.test.mjs as `node million.child.mjs BUILD N`: scores N
// leads (the 1,000 leads of rules-examples/b2b-saas-inbound.leads.jsonl, over
// and over) with one scoreMany call of the BUILD (node: the batch fast
// path; web: the per-lead reader), checks every decision against the
// decision of its lead scored alone, and prints, as JSON, the time of the
// call, the decisions out and the peak RSS.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { leadgate, loadWeb, repoRoot } from './helpers.mjs';

const [build, n] = [process.argv[2], Number(process.argv[3])];
const m = build === 'web' ? await loadWeb() : leadgate;
const examples = path.join(repoRoot, 'rules-examples');
const agreement = m.compile(fs.readFileSync(path.join(examples, 'b2b-saas-inbound.lead'), 'utf8'));
const base = fs.readFileSync(path.join(examples, 'b2b-saas-inbound.leads.jsonl'), 'utf8')
  .trim().split('\n').map((line) => JSON.parse(line));
const options = { asOf: '2026-11-23' };
// The decision of each lead alone, as canonical text without its index.
const alone = base.map((lead) => agreement.scoreJson(lead, options).replace(/^\{"index": 0, /, ''));
const leads = Array.from({ length: n }, (_, i) => base[i % base.length]);

const start = Date.now();
const out = agreement.scoreMany(leads, options);
const ms = Date.now() - start;

assert.equal(out.length, n, 'leads in == decisions out');
for (let i = 0; i < n; i++) {
  const d = out[i];
  const expected = alone[i % base.length];
  if (d.index !== i || !expected.startsWith(`"id": ${JSON.stringify(d.id)}, `)) {
    assert.fail(`decision ${i}: index ${d.index}, id ${d.id}`);
  }
  // Every 1,009th decision in full (a prime: every lead of the 1,000 in turn).
  if (i % 1009 === 0) {
    assert.deepEqual(d, JSON.parse(`{"index": ${i}, ${expected}`), `decision ${i}`);
  }
}
const routes = {};
for (const d of out) routes[d.route ?? 'error'] = (routes[d.route ?? 'error'] ?? 0) + 1;
// The module goes on.
assert.equal(agreement.score(base[1], options).id, base[1].lead_id);
console.log(JSON.stringify({ ms, decisions: out.length, routes, maxRssKiB: process.resourceUsage().maxRSS }));
