// The JS API: compile errors, single and batch scoring, bad leads in place,
// options, fields(), check(), and that nothing escapes as anything but an Error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { leadgate, loadWeb, repoRoot } from './helpers.mjs';

const { compile, Agreement } = leadgate;

const SMALL = `agreement "Test" version "1"
fields {
  lead_id : text id
  email   : text required
  title   : text
  size    : number from "Company Size"
  demo    : bool
  tags    : list
  seen    : date
}
score fit {
  +20 "Decision maker" when title matches /\\b(vp|head|chief)\\b/i
  +15 "Mid-market"     when size between 50 and 1000
  +10 "Webinar"        when tags contains "webinar"
}
score intent {
  +30 "Demo" when demo
  halve every 30d since seen
}
grade tier {
  hot  when fit >= 30 and intent >= 30
  cold otherwise
}
route {
  sales within 1h "Hot" when tier is hot
  telemarketing "Could be hot" when potential(fit) >= 30
  nurture "Everyone else" otherwise
}
example "a VP who asked for a demo goes to sales" {
  as_of 2026-11-23
  lead { email: "a@b.io", title: "VP Sales", size: 200, demo: true, seen: 2026-11-23 }
  expect route sales
  expect fit == 35
}
`;

const AS_OF = { asOf: '2026-11-23' };
const agreement = compile(SMALL);
/** A lead SMALL routes to sales. */
const LEAD = { lead_id: 'L-1', email: 'a@b.io', title: 'VP Sales', 'Company Size': 200, demo: true, seen: '2026-11-23' };

test('compile returns an Agreement with name, version, usesTime', () => {
  assert.ok(agreement instanceof Agreement);
  assert.equal(agreement.name, 'Test');
  assert.equal(agreement.version, '1');
  assert.equal(agreement.usesTime, true);
});

test('a compile error is a thrown Error with every diagnostic, line and column', () => {
  const bad = SMALL.replace('when title matches', 'when titel matches').replace(
    'between 50 and 1000',
    'between "a" and 1000',
  );
  let err;
  try {
    compile(bad);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error, 'an Error');
  assert.equal(err.name, 'CompileError');
  assert.match(err.message, /does not compile: 2 errors/);
  assert.match(err.message, /titel/);
  assert.match(err.message, /\^/, 'the message shows the source line with a caret');
  const errors = err.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 2);
  const [unknown] = errors;
  assert.match(unknown.code, /^E\d{4}$/);
  assert.equal(unknown.line, 12);
  assert.equal(unknown.column, SMALL.split('\n')[11].indexOf('title') + 1);
  assert.match(unknown.message, /titel/);
  assert.match(unknown.help ?? '', /title/, 'did you mean');
  assert.equal(typeof unknown.rendered, 'string');
  for (const d of err.diagnostics) {
    assert.deepEqual(Object.keys(d), ['code', 'severity', 'message', 'span', 'line', 'column', 'help', 'rendered']);
    // The span is in bytes of the UTF-8 text; line and column say it for people.
    assert.ok(d.span.end >= d.span.start);
  }
});

test('a syntax error and an empty text are compile errors too', () => {
  for (const text of ['', 'agreement', 'agreement "x" fields { a : text } route {', '\u0000\uffff']) {
    assert.throws(() => compile(text), (e) => e instanceof Error && e.diagnostics.length > 0 && e.diagnostics[0].line >= 1);
  }
});

test('the deepest expressions the core accepts fit in the wasm stack; deeper ones are compile errors', () => {
  const chain = (n) => `agreement "x"\nfields { a : number }\nscore s { +1 "r" when a > 1${' or a > 1'.repeat(n)} }\nroute { nurture otherwise }\n`;
  const sum = (n) => `agreement "x"\nfields { a : number }\nscore s { +(${'a + '.repeat(n)}1) "r" when a > 1 }\nroute { nurture otherwise }\n`;
  const deep = compile(chain(254));
  assert.equal(deep.score({ a: 2 }, AS_OF).scores.s, 1);
  deep.free();
  const long = compile(sum(255));
  assert.equal(long.score({ a: 2 }, AS_OF).scores.s, 511);
  long.free();
  for (const text of [chain(10000), sum(100000), `agreement "x" fields { a : number } score s { +1 "r" when ${'('.repeat(100000)}a > 1${')'.repeat(100000)} } route { nurture otherwise }`]) {
    assert.throws(() => compile(text), (e) => e.name === 'CompileError' && e.diagnostics.some((d) => d.code === 'E0017'));
  }
});

test('compile of a non-string throws an Error with a message', () => {
  for (const v of [undefined, null, 42, {}, ['agreement']]) {
    assert.throws(() => compile(v), { name: 'Error', message: /expected the agreement text as a string/ });
  }
});

test('score: a plain object in, a plain object in the canonical shape out', () => {
  const d = agreement.score(
    { lead_id: 'L-1', email: 'ana@acme.io', title: 'VP Marketing', 'Company Size': '200', demo: 'yes', seen: '2026-11-23', extra: { ignored: true } },
    AS_OF,
  );
  assert.deepEqual(Object.keys(d), [
    'index', 'id', 'route', 'queue', 'rule', 'follow_up_within_s', 'scores', 'total',
    'grades', 'fired', 'unknown', 'undecided', 'warnings',
  ]);
  assert.equal(d.index, 0);
  assert.equal(d.id, 'L-1');
  assert.equal(d.route, 'sales');
  assert.equal(d.rule, 'Hot');
  assert.equal(d.follow_up_within_s, 3600);
  assert.deepEqual(d.scores, { fit: 35, intent: 30 });
  assert.equal(d.total, 65);
  assert.deepEqual(d.grades, { tier: 'hot' });
  assert.deepEqual(d.fired.map((f) => f.rule), ['Decision maker', 'Mid-market', 'Demo']);
  assert.deepEqual(d.unknown, [{ rule: 'Webinar', score: 'fit', missing: ['tags'] }]);
  // scoreJson is the canonical text of the same decision.
  const text = agreement.scoreJson(
    { lead_id: 'L-1', email: 'ana@acme.io', title: 'VP Marketing', 'Company Size': '200', demo: 'yes', seen: '2026-11-23' },
    AS_OF,
  );
  assert.match(text, /^\{"index": 0, "id": "L-1", "route": "sales", "queue": null, "rule": "Hot", "follow_up_within_s": 3600, "scores": \{"fit": 35, "intent": 30\}/);
  assert.deepEqual(JSON.parse(text), d);
});

test('JS values bind like their JSON counterparts; Date and Map are read too', () => {
  const base = { lead_id: 'L-2', email: 'b@c.io', 'Company Size': 300, demo: true, tags: ['Webinar', ' ', 'x'] };
  const withString = agreement.score({ ...base, seen: '2026-11-01T00:00:00Z' }, AS_OF);
  const withDate = agreement.score({ ...base, seen: new Date(Date.UTC(2026, 10, 1)) }, AS_OF);
  const withSeconds = agreement.score({ ...base, seen: Date.UTC(2026, 10, 1) / 1000 }, AS_OF);
  const fromMap = agreement.score(new Map(Object.entries({ ...base, seen: '2026-11-01' })), AS_OF);
  assert.deepEqual(withDate, withString);
  assert.deepEqual(withSeconds, withString);
  assert.deepEqual(fromMap, withString);
  assert.ok(withString.scores.intent < 30 && withString.scores.intent > 15, 'decayed');
  assert.deepEqual(withString.fired.map((f) => f.rule), ['Mid-market', 'Webinar', 'Demo']);
});

test('asOf: a date text, a Date and epoch milliseconds agree; default is now', () => {
  const lead = { lead_id: 'L-3', email: 'a@b.io', demo: true, seen: '2026-10-01' };
  const a = agreement.scoreJson(lead, { asOf: '2026-11-23' });
  assert.equal(agreement.scoreJson(lead, { asOf: new Date('2026-11-23T00:00:00Z') }), a);
  assert.equal(agreement.scoreJson(lead, { asOf: Date.UTC(2026, 10, 23) }), a);
  assert.equal(agreement.scoreJson(lead, { asOf: '2026-11-23T01:00:00+01:00' }), a);
  // Without asOf: Date.now(); a lead seen "now" is not decayed.
  const now = agreement.score({ ...lead, seen: new Date() });
  assert.equal(now.scores.intent, 30);
  assert.deepEqual(agreement.score({ ...lead, seen: new Date() }, {}), now);
  assert.deepEqual(agreement.score({ ...lead, seen: new Date() }, undefined), now);
});

test('bad options are thrown Errors that say what is wrong', () => {
  const lead = { email: 'a@b.io' };
  assert.throws(() => agreement.score(lead, { asOf: 'yesterday' }), { name: 'Error', message: /asOf: cannot read "yesterday"/ });
  assert.throws(() => agreement.score(lead, { asOf: NaN }), { name: 'Error', message: /asOf/ });
  assert.throws(() => agreement.score(lead, { asOf: new Date('nope') }), { name: 'Error', message: /asOf/ });
  assert.throws(() => agreement.score(lead, { as_of: '2026-11-23' }), { name: 'Error', message: /unknown option `as_of`.*did you mean `asOf`/ });
  assert.throws(() => agreement.score(lead, { onBadValue: 'skip' }), { name: 'Error', message: /onBadValue: expected "error" or "missing", got "skip"/ });
  assert.throws(() => agreement.score(lead, { explain: 'yes' }), { name: 'Error', message: /explain/ });
  assert.throws(() => agreement.score(lead, 'fast'), { name: 'Error', message: /options: expected an object/ });
  assert.throws(() => agreement.scoreMany({ email: 'a@b.io' }, AS_OF), { name: 'Error', message: /scoreMany: expected an array of leads, got an object/ });
  assert.throws(() => agreement.scoreManyJson('leads', AS_OF), { name: 'Error', message: /expected an array/ });
});

test('scoreMany: order kept, indices set, bad leads rejected in place', () => {
  const leads = [
    { lead_id: 'A', email: 'a@acme.io', title: 'Head of Data', 'Company Size': 500, demo: true, seen: '2026-11-23' },
    { lead_id: 'B', email: 'b@acme.io', 'Company Size': 'fifty' },
    { lead_id: 'C' },
    'not a lead',
    null,
    [1, 2],
    { lead_id: 'G', email: 'g@acme.io', 'Company Size': NaN },
    { lead_id: 'H', email: 'h@acme.io', title: { first: 'VP' } },
    { lead_id: 'I', email: 'i@acme.io', tags: [['nested']] },
    { lead_id: 'J', email: 'j@acme.io' },
  ];
  const ds = agreement.scoreMany(leads, AS_OF);
  assert.equal(ds.length, leads.length);
  ds.forEach((d, i) => assert.equal(d.index, i));
  assert.equal(ds[0].route, 'sales');
  assert.deepEqual(ds[1], { index: 1, id: 'B', error: { field: 'size', message: 'expected a number, got "fifty"' } });
  assert.deepEqual(ds[2], { index: 2, id: 'C', error: { field: 'email', message: 'required field is missing' } });
  assert.deepEqual(ds[3], { index: 3, id: null, error: { field: null, message: 'expected an object, got a string' } });
  assert.deepEqual(ds[4].error, { field: null, message: 'expected an object, got null' });
  assert.deepEqual(ds[5].error, { field: null, message: 'expected an object, got an array' });
  assert.deepEqual(ds[6].error, { field: 'size', message: 'expected a number, got NaN' });
  assert.deepEqual(ds[7].error, { field: 'title', message: 'expected a text, got an object' });
  assert.equal(ds[8].error.field, 'tags');
  assert.equal(ds[9].route, 'telemarketing', 'title and size unknown: potential(fit) is 35');
  assert.deepEqual(ds[9].unknown.map((u) => u.rule), ['Decision maker', 'Mid-market', 'Webinar', 'Demo']);
  // The JSON variant says the same, line by line.
  assert.deepEqual(agreement.scoreManyJson(leads, AS_OF).map((l) => JSON.parse(l)), ds);
  assert.deepEqual(agreement.scoreMany([], AS_OF), []);
});

test('onBadValue "missing" reads bad values as missing, with a warning', () => {
  const [d] = agreement.scoreMany([{ lead_id: 'B', email: 'b@acme.io', 'Company Size': 'fifty' }], { ...AS_OF, onBadValue: 'missing' });
  assert.equal(d.route, 'telemarketing');
  assert.ok(d.warnings.some((w) => w.field === 'size' && /fifty/.test(w.message)));
  assert.ok(d.unknown.some((u) => u.rule === 'Mid-market'));
});

test('explain: false leaves out the explanation, not the decision', () => {
  const lead = { lead_id: 'E', email: 'a@acme.io', title: 'VP', 'Company Size': 500, demo: true, seen: '2026-11-23' };
  const full = agreement.score(lead, AS_OF);
  const terse = agreement.score(lead, { ...AS_OF, explain: false });
  assert.equal(terse.route, full.route);
  assert.deepEqual(terse.scores, full.scores);
  assert.ok(full.fired.length > 0);
  assert.deepEqual(terse.fired, []);
});

test('hostile JS values never escape as anything but a rejected lead', () => {
  const throwing = { lead_id: 'T', email: 'a@b.io', get title() { throw new Error('boom'); } };
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const cyclic = ['a'];
  cyclic.push(cyclic);
  const leads = [
    throwing,
    revoked.proxy,
    { lead_id: 'T', email: 'a@b.io', tags: cyclic },
    { lead_id: 'T', email: 'a@b.io', title: Symbol('s') },
    { lead_id: 'T', email: 'a@b.io', title: () => 1 },
    { lead_id: 'T', email: 'a@b.io', 'Company Size': 10n ** 30n },
    { lead_id: 'T', email: 'a@b.io', 'Company Size': 120n, title: 5, demo: 1 },
    Object.assign(Object.create({ email: 'inherited@b.io' }), { lead_id: 'T' }),
    { lead_id: 'T', email: 'a@b.io', [Symbol('k')]: 1, seen: new Date(NaN) },
  ];
  const ds = agreement.scoreMany(leads, AS_OF);
  assert.match(ds[0].error.message, /cannot read the lead: boom/);
  assert.match(ds[1].error.message, /cannot read the lead/);
  assert.equal(ds[2].error.field, 'tags');
  assert.equal(ds[3].error.message, 'expected a text, got a symbol');
  assert.equal(ds[4].error.message, 'expected a text, got a function');
  assert.equal(ds[5].error.field, 'size');
  assert.equal(ds[6].scores.fit, 15);
  assert.equal(ds[7].error.field, 'email', 'inherited keys are not read');
  assert.equal(ds[8].error.message, 'expected a date, got an invalid Date');
  // The agreement is still usable afterwards.
  assert.equal(agreement.score({ lead_id: 'X', email: 'x@y.io', title: 'intern', 'Company Size': 5 }, AS_OF).route, 'nurture');
});

test('random values: score never throws for any lead', () => {
  const pool = [null, undefined, true, false, 0, 1, -1, 1.5, NaN, Infinity, '', ' ', 'x', 'VP', '2026-11-23', '1e3', [], ['a', 1, null], {}, new Date(0), new Map(), 10n];
  const keys = ['lead_id', 'email', 'title', 'Company Size', 'demo', 'tags', 'seen', 'other'];
  let seed = 7;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  for (let i = 0; i < 2000; i++) {
    const lead = {};
    for (const k of keys) if (rand(2)) lead[k] = pool[rand(pool.length)];
    const d = agreement.score(lead, AS_OF);
    assert.ok('route' in d || 'error' in d);
  }
});

test('fields() describes the declared fields, for building or validating a form', () => {
  assert.deepEqual(agreement.fields(), [
    { name: 'lead_id', type: 'text', required: true, id: true, key: 'lead_id' },
    { name: 'email', type: 'text', required: true, id: false, key: 'email' },
    { name: 'title', type: 'text', required: false, id: false, key: 'title' },
    { name: 'size', type: 'number', required: false, id: false, key: 'Company Size' },
    { name: 'demo', type: 'bool', required: false, id: false, key: 'demo' },
    { name: 'tags', type: 'list', required: false, id: false, key: 'tags' },
    { name: 'seen', type: 'date', required: false, id: false, key: 'seen' },
  ]);
});

test('check() runs the examples and lists warnings', () => {
  const report = agreement.check();
  assert.equal(report.ok, true);
  const exampleLine = SMALL.split('\n').findIndex((l) => l.startsWith('example')) + 1;
  assert.deepEqual(report.examples, [{ name: 'a VP who asked for a demo goes to sales', line: exampleLine, passed: true, failures: [] }]);
  assert.deepEqual(report.warnings, []);

  const failing = compile(SMALL.replace('expect fit == 35', 'expect fit == 40') + '\nlist unused = ["x"]\n');
  const bad = failing.check();
  assert.equal(bad.ok, false);
  assert.equal(bad.examples[0].passed, false);
  assert.match(bad.examples[0].failures[0], /40/);
  assert.ok(bad.warnings.length >= 1);
  assert.equal(bad.warnings[0].severity, 'warning');
  failing.free();
});

test('the bundled example agreement compiles and its examples pass', () => {
  const text = fs.readFileSync(path.join(repoRoot, 'rules-examples', 'b2b-saas-inbound.lead'), 'utf8');
  const a = compile(text);
  const report = a.check();
  assert.equal(report.ok, true, JSON.stringify(report.examples.filter((e) => !e.passed)));
  assert.equal(report.examples.length, 6);
  assert.equal(a.fields().find((f) => f.name === 'company_size').key, 'employees');
  a.free();
});

/**
 * free() ends an agreement: every method and getter after it throws the
 * same clear Error (not wasm-bindgen's "null pointer passed to rust"),
 * free() again and Symbol.dispose do nothing, and the module goes on.
 */
function afterFree(m) {
  const FREED = /^this agreement was freed: free\(\) ends it for good; compile the agreement again$/;
  const a = m.compile(SMALL);
  const twin = m.compile(SMALL);
  a.free();
  for (const [name, call] of Object.entries({
    score: () => a.score({ email: 'a@b.io' }, AS_OF),
    scoreJson: () => a.scoreJson({ email: 'a@b.io' }, AS_OF),
    scoreMany: () => a.scoreMany([{ email: 'a@b.io' }], AS_OF),
    scoreManyJson: () => a.scoreManyJson([{ email: 'a@b.io' }], AS_OF),
    fields: () => a.fields(),
    check: () => a.check(),
    explain: () => a.explain({ email: 'a@b.io' }, AS_OF),
    scoreRows: () => a.scoreRows(['email'], [['a@b.io']], { ...AS_OF, allowMissingColumns: true }),
    checkColumns: () => a.checkColumns(['email']),
    ...(a.report ? { report: () => a.report([LEAD], AS_OF), diff: () => a.diff(twin, [LEAD], AS_OF) } : {}),
    name: () => a.name,
    version: () => a.version,
    usesTime: () => a.usesTime,
  })) {
    assert.throws(call, (e) => e.constructor === Error && FREED.test(e.message), name);
  }
  a.free();
  a[Symbol.dispose]();
  // Not an agreement compile() made: a clear Error too, not a forged pointer.
  for (const fake of [Object.create(m.Agreement.prototype), Object.assign(Object.create(m.Agreement.prototype), { __wbg_ptr: 8 })]) {
    assert.throws(() => fake.score({}), /^Error: not an agreement: call this on an Agreement that compile\(\) returned$/);
    fake.free();
  }
  // The module goes on, and an agreement of the same text is its own.
  assert.equal(twin.score(LEAD, AS_OF).route, 'sales');
  twin.free();
  assert.equal(m.compile(SMALL).score(LEAD, AS_OF).route, 'sales');

  // free() from inside a call (a getter of a lead): no error, the
  // agreement is dropped when the call ends, and it is freed after it.
  const b = m.compile(SMALL);
  let freeError = null;
  const lead = {
    lead_id: 'L-2',
    get email() {
      try {
        b.free();
      } catch (e) {
        freeError = e;
      }
      return 'a@b.io';
    },
  };
  let out;
  try {
    out = b.scoreMany([LEAD, lead, LEAD], AS_OF);
  } catch (e) {
    // The node build's fast path stops at its next call into the module.
    assert.match(e.message, FREED);
  }
  assert.equal(freeError, null);
  if (out !== undefined) {
    assert.equal(out.length, 3);
    assert.equal(out[1].error ?? null, null);
  }
  assert.throws(() => b.score(LEAD, AS_OF), (e) => FREED.test(e.message));
  assert.equal(m.compile(SMALL).score(LEAD, AS_OF).route, 'sales');
}

test('free() ends the agreement: afterwards every method throws a clear Error; free() again does nothing (node build)', () => {
  afterFree(leadgate);
});

test('free() ends the agreement: afterwards every method throws a clear Error; free() again does nothing (web build)', async () => {
  afterFree(await loadWeb());
});

test('a compile error\'s message is what `leadgate check` prints (one renderer)', (t) => {
  if (!process.env.LEADGATE_CLI) return t.skip('needs LEADGATE_CLI');
  const bad = 'agreement "a"\nfields { n : number }\nscore s { +1 "r" when m > 1 }\nroute { sales "r" when s >= "x"\n nurture otherwise }\n';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadgate-compile-'));
  fs.writeFileSync(path.join(dir, 'agreement.lead'), bad);
  const run = spawnSync(process.env.LEADGATE_CLI, ['check', 'agreement.lead'], { cwd: dir, encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true });
  assert.equal(run.status, 1);
  let err;
  try { compile(bad); } catch (e) { err = e; }
  assert.equal(err.message, run.stderr.trimEnd());
  assert.match(err.message, /error: agreement\.lead does not compile: 3 errors$/);
  assert.deepEqual(err.diagnostics.map((d) => d.code), ['E0007', 'E0009', 'E0010']);
});

test('check()\'s text is what `leadgate check` prints (one renderer), passed or failed', (t) => {
  if (!process.env.LEADGATE_CLI) return t.skip('needs LEADGATE_CLI');
  const failing = SMALL.replace('expect fit == 35', 'expect fit == 40');
  for (const [text, status] of [[SMALL, 0], [failing, 1]]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leadgate-check-'));
    fs.writeFileSync(path.join(dir, 'agreement.lead'), text);
    const run = spawnSync(process.env.LEADGATE_CLI, ['check', 'agreement.lead'], { cwd: dir, encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true });
    assert.equal(run.status, status, run.stderr);
    const a = compile(text);
    const report = a.check();
    a.free();
    assert.equal(report.ok, status === 0);
    if (status === 0) {
      assert.equal(report.text, run.stdout);
    } else {
      // The CLI prints the example lines on stdout and ends with the summary on stderr.
      assert.equal(report.text, run.stdout + run.stderr.trimEnd().split('\n').pop() + '\n');
      assert.match(report.text, /FAILED  example .*\n {10}agreement\.lead:\d+:\d+: .*40/);
    }
  }
});
