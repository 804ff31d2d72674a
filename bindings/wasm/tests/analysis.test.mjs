// explain, report and diff: the core's Explanation, Report and Diff in JS,
// equal to what the CLI prints for the same leads (`leadgate explain`,
// `leadgate report --format json|text --html`, `leadgate diff --format
// json|text`), on leads of rules-examples/b2b-saas-inbound.leads.jsonl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, leadgate, loadWeb, repoRoot, wasmDir } from './helpers.mjs';

const AS_OF = '2026-11-23';
const AGREEMENT = path.join(repoRoot, 'rules-examples', 'b2b-saas-inbound.lead');
const text = fs.readFileSync(AGREEMENT, 'utf8');
const out = path.join(wasmDir, 'test-output');
fs.mkdirSync(out, { recursive: true });
// 300 leads of the example file and three it rejects.
const lines = fs.readFileSync(path.join(repoRoot, 'rules-examples', 'b2b-saas-inbound.leads.jsonl'), 'utf8').split('\n').slice(0, 300);
lines.push('{"lead_id": "NO-EMAIL"}', '{"lead_id": "BAD", "email": "a@b.io", "employees": "fifty"}', '[1, 2]');
const INPUT = path.join(out, 'analysis-leads.jsonl');
fs.writeFileSync(INPUT, lines.join('\n') + '\n');
const leads = lines.map((l) => JSON.parse(l));
// The proposed version: more points for economic buyers, and a title required.
const PROPOSED = path.join(out, 'analysis-proposed.lead');
fs.writeFileSync(PROPOSED, text.replace('+25 "Economic buyer"', '+40 "Economic buyer"').replace('title          : text', 'title          : text required'));

for (const build of ['node', 'web']) {
  test(`explain: the CLI's text, and the decision as data (${build} build)`, async () => {
    const m = build === 'node' ? leadgate : await loadWeb();
    const a = m.compile(text);
    for (const i of [0, 1, 2, 7, 42, 299, 300, 301]) {
      const e = a.explain(leads[i], { asOf: AS_OF });
      assert.equal(e.text.trimEnd(), cli(['explain', AGREEMENT, '--lead', lines[i], '--as-of', AS_OF]).trimEnd(), `lead ${i}`);
      assert.deepEqual(e.decision, JSON.parse(a.scoreJson(leads[i], { asOf: AS_OF })));
      assert.equal(e.agreement, 'Northwind Analytics inbound');
      assert.equal(e.as_of, '2026-11-23T00:00:00Z');
      if ('error' in e.decision) {
        assert.equal(e.scores, undefined);
        assert.equal(e.decision.error.kind, i === 300 ? 'missing_required' : 'bad_value');
      } else {
        assert.deepEqual(e.scores.map((s) => s.name), ['fit', 'intent', 'usage']);
        assert.equal(e.routes.filter((r) => r.status === 'matched').length, 1);
        assert.equal(e.scores[0].value, e.decision.scores.fit);
      }
    }
    assert.match(a.explain('not a lead').text, /expected an object, got a string/);
    a.free();
  });
}

test('report: the CLI\'s JSON, text and HTML page, with a group and an outcome', () => {
  const a = leadgate.compile(text);
  const title = `${AGREEMENT} on ${INPUT}`;
  const args = ['report', AGREEMENT, INPUT, '--as-of', AS_OF, '--by', 'country', '--outcome', 'demo_requested'];
  const html = path.join(out, 'analysis-report.html');
  const cliJson = JSON.parse(cli([...args, '--format', 'json', '--html', html]));
  const r = a.report(leads, { asOf: AS_OF, by: 'country', outcome: 'demo_requested', title });
  const { text: reportText, html: page, ...json } = r;
  assert.deepEqual(json, cliJson);
  assert.equal(reportText.trimEnd(), cli([...args, '--format', 'text']).trimEnd());
  assert.equal(page, fs.readFileSync(html, 'utf8'));
  assert.equal(r.leads, 303);
  assert.equal(r.rejected, 3);
  assert.ok(r.groups.length > 3 && r.backtest.known > 0);
  // Without a group or an outcome; a field's name reads its input key.
  const plain = a.report(leads, { asOf: AS_OF });
  assert.deepEqual({ ...plain, text: undefined, html: undefined }, { ...JSON.parse(cli(['report', AGREEMENT, INPUT, '--as-of', AS_OF, '--format', 'json'])), text: undefined, html: undefined });
  assert.equal(plain.groups, null);
  const bySize = a.report(leads, { asOf: AS_OF, by: 'company_size' });
  assert.equal(bySize.by, 'company_size');
  assert.ok(bySize.groups.some((g) => g.group === '777'), 'grouped by the "employees" key');
  a.free();
});

test('report: groups of values of every JSON kind are the CLI\'s (a text trimmed, a number as written, a list\'s items joined)', () => {
  const a = leadgate.compile(text);
  const kinds = [['DE', null, ' FR '], '  ', ' DE ', true, 12.5, 1e21, -0, { x: 1 }, [], [[1], 'a'], null, 7, 1e16, 2];
  const some = lines.slice(0, kinds.length).map((l, i) => JSON.stringify({ ...JSON.parse(l), segment: kinds[i] }));
  const file = path.join(out, 'analysis-kinds.jsonl');
  fs.writeFileSync(file, some.join('\n') + '\n');
  const r = a.report(some.map((l) => JSON.parse(l)), { asOf: AS_OF, by: 'segment', title: 't' });
  const want = JSON.parse(cli(['report', AGREEMENT, file, '--as-of', AS_OF, '--by', 'segment', '--format', 'json']));
  assert.deepEqual(r.groups, want.groups);
  assert.ok(r.groups.some((g) => g.group === 'DE; FR'), JSON.stringify(r.groups.map((g) => g.group)));
  a.free();
});

test('report: an outcome that no lead holds as truthy or falsy is an error naming what it holds; bad options throw', () => {
  const a = leadgate.compile(text);
  assert.throws(() => a.report(leads, { asOf: AS_OF, outcome: 'form_type' }), /report: outcome `form_type`: no lead has a truthy or falsy value \(1\/0, true\/false, yes\/no\); found (".*", )?"ebook"/);
  // In the CLI's words (the core's), after the call's own prefix.
  const words = (f) => { try { f(); } catch (e) { return e.message; } return 'no error'; };
  const cliWords = words(() => cli(['report', AGREEMENT, INPUT, '--as-of', AS_OF, '--outcome', 'form_type'])).split('error: --outcome form_type: ')[1].trim();
  assert.equal(words(() => a.report(leads, { asOf: AS_OF, outcome: 'form_type' })), `report: outcome \`form_type\`: ${cliWords}`);
  assert.throws(() => a.report(leads, { top: -1 }), /top: expected a whole number from 0, got a number/);
  assert.throws(() => a.report(leads, { by: 3 }), /by: expected a text, got a number/);
  assert.throws(() => a.report(leads, { groupBy: 'country' }), /unknown option `groupBy`; the options are asOf, onBadValue, explain, by, outcome, title and top/);
  assert.throws(() => a.report({}, {}), /report: expected an array of leads, got an object/);
  a.free();
});

test('diff: the CLI\'s JSON and text for a proposed version over the same leads', () => {
  const a = leadgate.compile(text);
  const p = leadgate.compile(fs.readFileSync(PROPOSED, 'utf8'));
  const args = ['diff', AGREEMENT, PROPOSED, INPUT, '--as-of', AS_OF, '--changes', '15'];
  const d = a.diff(p, leads, { asOf: AS_OF, changes: 15, oldName: AGREEMENT, newName: PROPOSED, inputName: INPUT });
  const { text: diffText, ...json } = d;
  assert.deepEqual(json, JSON.parse(cli([...args, '--format', 'json'])));
  assert.equal(diffText.trimEnd(), cli([...args, '--format', 'text']).trimEnd());
  assert.ok(d.moved > 0 && d.rejected > 0 && d.changes.length === 15);
  assert.equal(d.edited_rules['Economic buyer'], 'edited');
  // Default names: the agreements' own.
  assert.match(a.diff(p, leads.slice(0, 5)).text, /Northwind Analytics inbound/);
  // The proposed agreement must be a live one.
  p.free();
  assert.throws(() => a.diff(p, leads), /^Error: this agreement was freed: .*\(the agreement to compare with\)$/);
  assert.throws(() => a.diff({}, leads), /^Error: not an agreement: .*\(the agreement to compare with\)$/);
  assert.throws(() => a.diff(Object.assign(Object.create(leadgate.Agreement.prototype), { __wbg_ptr: 8 }), leads), /not an agreement/);
  assert.equal(a.score(leads[0], { asOf: AS_OF }).index, 0, 'the agreement goes on');
  a.free();
});
