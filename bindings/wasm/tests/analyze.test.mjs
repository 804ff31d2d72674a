// analyze, exampleBlocks and symbolicDiff (node build): the core's Analysis
// and SymbolicDiff, equal to what the CLI reports — `leadgate check`'s
// warnings W0007–W0011 and each tests/analysis/*.expected, a verified
// witness for every reachable route rule of every bundled agreement, and
// `leadgate diff OLD NEW --format json|text` for two versions of the
// admissions agreement.
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, leadgate, loadWeb, repoRoot, wasmDir } from './helpers.mjs';

const HAND_MADE = path.join(repoRoot, 'tests', 'analysis');
const EXAMPLES = path.join(repoRoot, 'rules-examples');
const ANALYSIS_CODES = new Set(['W0007', 'W0008', 'W0009', 'W0010', 'W0011']);
const out = path.join(wasmDir, 'test-output');
fs.mkdirSync(out, { recursive: true });

/** `leadgate check`'s analysis warnings (on stderr): "CODE LINE:COLUMN message". */
function cliFindings(file) {
  const bin = process.env.LEADGATE_CLI;
  const r = bin
    ? spawnSync(bin, ['check', file], { encoding: 'utf8' })
    : spawnSync('cargo', ['run', '--locked', '-q', '-p', 'leadgate-cli', '--', 'check', file], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const text = r.stderr;
  return [...text.matchAll(/^warning\[(W\d{4})\]: (.*)\n\s+--> .*:(\d+):(\d+)$/gm)]
    .filter((m) => ANALYSIS_CODES.has(m[1]))
    .map((m) => `${m[1]} ${m[3]}:${m[4]} ${m[2]}`);
}

/** A witness's values as the lead object it stands for. */
const leadOf = (values) => Object.fromEntries(values.map((v) => [v.key, v.value]));

const handMade = fs.readdirSync(HAND_MADE).filter((f) => f.endsWith('.lead')).sort();

test('the hand-made agreements give exactly the findings their .expected files list, as `leadgate check` does', () => {
  assert.ok(handMade.length >= 5, handMade.join(', '));
  let findings = 0;
  for (const name of handMade) {
    const file = path.join(HAND_MADE, name);
    const a = leadgate.compile(fs.readFileSync(file, 'utf8'));
    const r = a.analyze();
    assert.deepEqual(Object.keys(r), ['findings', 'routes', 'undecided']);
    const got = r.findings.map((f) => `${f.code} ${f.line}:${f.column} ${f.message}`);
    const expected = fs.readFileSync(file.replace(/\.lead$/, '.expected'), 'utf8').split('\n');
    assert.deepEqual(got, expected.filter((l) => /^W\d{4} /.test(l)), name);
    assert.deepEqual(got, cliFindings(file), `${name}: leadgate check`);
    // Undecided items: their lines and reasons.
    const undecided = expected.filter((l) => l.startsWith('undecided line '));
    assert.deepEqual(r.undecided.map((u) => `${u.line}: ${u.reason}`),
      undecided.map((l) => l.replace(/^undecided line (\d+): .*\}: (.*)$/, '$1: $2')), name);
    // Every finding is located (its span is the text at line:column).
    const source = fs.readFileSync(file, 'utf8');
    for (const f of r.findings) {
      const before = Buffer.from(source).subarray(0, f.span.start).toString();
      assert.equal(before.split('\n').length, f.line, `${name}: ${f.message}`);
      assert.ok(f.span.end > f.span.start);
      assert.equal(typeof f.subject.kind, 'string');
      assert.equal(typeof f.evidence.kind, 'string');
    }
    // A route rule with a W0007 finding is unreachable; the others are not.
    const unreachable = r.findings.filter((f) => f.code === 'W0007').map((f) => f.subject.index);
    assert.deepEqual(r.routes.filter((x) => x.reach.status === 'unreachable').map((x) => x.index), unreachable, name);
    findings += r.findings.length;
    a.free();
  }
  assert.ok(findings >= 8, `${findings} findings`);
  // The shadowed case in full: the evidence names the earlier rule.
  const a = leadgate.compile(fs.readFileSync(path.join(HAND_MADE, 'shadowed.lead'), 'utf8'));
  const veryHot = a.analyze().findings.find((f) => f.message.includes('"Very hot"'));
  assert.deepEqual(veryHot.subject, { kind: 'route_rule', index: veryHot.subject.index, name: 'Very hot' });
  assert.deepEqual(veryHot.evidence, { kind: 'taken_by_earlier_rules', rules: ['Hot'] });
  a.free();
});

test('every bundled agreement: a witness per reachable route rule, which reaches that rule when scored in wasm; exampleBlocks as `leadgate examples`', () => {
  const bundled = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.lead')).sort();
  assert.ok(bundled.length >= 3);
  let witnesses = 0;
  for (const name of bundled) {
    const file = path.join(EXAMPLES, name);
    const a = leadgate.compile(fs.readFileSync(file, 'utf8'));
    const r = a.analyze();
    assert.deepEqual(r.findings, [], name);
    assert.deepEqual(r.undecided, [], name);
    assert.deepEqual(r.routes.map((x) => x.index), [...r.routes.keys()], name);
    for (const route of r.routes) {
      assert.equal(route.reach.status, 'reachable', `${name}: ${route.name}`);
      const { witness } = route.reach;
      const d = a.score(leadOf(witness.values), { asOf: witness.as_of });
      assert.equal(d.rule, route.name ?? 'otherwise', `${name}: ${route.name}`);
      assert.equal(d.route, route.destination);
      assert.equal(d.queue ?? null, route.queue);
      assert.deepEqual(Object.entries(d.scores), witness.scores, `${name}: ${route.name}: scores`);
      witnesses++;
    }
    assert.equal(a.exampleBlocks(), cli(['examples', file]), `${name}: leadgate examples`);
    a.free();
  }
  assert.ok(witnesses >= 10, `${witnesses} witnesses`);
});

test('symbolicDiff: the regions `leadgate diff OLD NEW` lists for two versions of the admissions agreement, each witness moving as stated', () => {
  const OLD = path.join(EXAMPLES, 'education-admissions.lead');
  const oldText = fs.readFileSync(OLD, 'utf8');
  // A threshold change and a new telemarketing rule (as the core's test).
  const newText = oldText
    .replace('and engagement >= 20', 'and engagement >= 25')
    .replace('  nurture       queue "ebook-drip" ',
      '  telemarketing queue "callback" within 24h "Came back often" when visits >= 10 and reachability is phone_ok\n  nurture       queue "ebook-drip" ');
  assert.ok(newText.includes('Came back often') && !newText.includes('engagement >= 20'));
  const NEW = path.join(out, 'analyze-education-v2.lead');
  fs.writeFileSync(NEW, newText);
  const [a, b] = [leadgate.compile(oldText), leadgate.compile(newText)];
  const d = a.symbolicDiff(b);
  const { text, ...data } = d;
  assert.deepEqual(data, JSON.parse(cli(['diff', OLD, NEW, '--format', 'json'])));
  assert.equal(text.trimEnd(), cli(['diff', OLD, NEW]).trimEnd());
  assert.ok(d.regions.length >= 2, `${d.regions.length} regions`);
  assert.ok(d.regions.some((r) => r.new.name === 'Came back often'));
  for (const region of d.regions) {
    const lead = leadOf(region.witness);
    const [o, n] = [a, b].map((x) => x.score(lead, { asOf: d.as_of }));
    assert.equal(o.rule, region.old.name ?? 'otherwise', region.condition);
    assert.equal(n.rule, region.new.name ?? 'otherwise', region.condition);
    assert.notEqual(o.route, n.route, region.condition);
    assert.ok(region.leads >= 1);
  }
  // The same agreement on both sides: nothing moves.
  assert.deepEqual(a.symbolicDiff(a).regions, []);
  // The proposed agreement must be a live one.
  b.free();
  assert.throws(() => a.symbolicDiff(b), /^Error: this agreement was freed: .*\(the agreement to compare with\)$/);
  assert.throws(() => a.symbolicDiff({}), /^Error: not an agreement: .*\(the agreement to compare with\)$/);
  assert.equal(a.analyze().routes.length > 0, true, 'the agreement goes on');
  a.free();
});

test('the web build leaves analyze, exampleBlocks and symbolicDiff out (WASM_FEATURES=analyze adds them)', async () => {
  const m = await loadWeb();
  const text = fs.readFileSync(path.join(EXAMPLES, 'b2b-saas-inbound.lead'), 'utf8');
  const a = m.compile(text);
  if (process.env.WASM_FEATURES?.split(',').includes('analyze')) {
    assert.deepEqual(a.analyze(), leadgate.compile(text).analyze());
  } else {
    for (const k of ['analyze', 'exampleBlocks', 'symbolicDiff']) assert.equal(a[k], undefined, k);
  }
  a.free();
});
