// Rosters (docs/rosters.md) in the node build: every case of
// tests/conformance/rosters scored through `roster`, `asOfColumn` and
// `load`, byte for byte the expected lines (the CLI's); located, typed
// roster errors; a roster the agreement's routes cannot use refused before
// any lead is scored; leads without a readable arrival kept in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { leadgate, repoRoot } from './helpers.mjs';

const { compile, Roster } = leadgate;
const dir = path.join(repoRoot, 'tests', 'conformance', 'rosters');
const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('the roster corpus is there', () => {
  assert.ok(cases.length >= 7, `${cases.length} roster cases in ${dir}`);
});

for (const file of cases) {
  const name = file.replace(/\.json$/, '');
  test(`roster conformance: ${name}`, () => {
    const spec = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const expected = fs.readFileSync(path.join(dir, `${name}.expected.jsonl`), 'utf8');
    const agreement = compile(spec.agreement);
    const roster = Roster.parse(fs.readFileSync(path.join(dir, `${name}.roster.yaml`), 'utf8'));
    try {
      const options = { asOf: spec.as_of, onBadValue: spec.on_bad_value ?? 'error', roster, load: spec.load ?? [] };
      if (spec.as_of_key) options.asOfColumn = spec.as_of_key;
      const lines = agreement.scoreManyJson(spec.leads, options);
      assert.equal(lines.map((l) => `${l}\n`).join(''), expected);
      // The objects are the same decisions; assignment is by input order.
      assert.deepEqual(agreement.scoreMany(spec.leads, options), expected.trimEnd().split('\n').map((l) => JSON.parse(l)));
    } finally {
      agreement.free();
      roster.free();
    }
  });
}

const AGREEMENT = `agreement "Arrivals"
fields {
  ref       : text id from "Ref"
  employees : number from "Employees"
}
score size {
  +25 "Large company" when employees >= 250
  +5 "Mid-size company" when employees >= 50
}
route {
  sales within 1h "Large" when size >= 25
  nurture otherwise
}
`;
const ROSTER = `timezone: Europe/Paris
holidays: [2026-12-24, 2026-12-31]
queues:
  sales:
    hours: Mon-Fri 09:00-18:00, Sat 10:00-13:00
    members:
      - { name: Mia Chen, per_day: 2, weight: 2 }
      - { name: Omar Haddad, timezone: Europe/Dublin }
`;
test('a bad roster throws a RosterError locating each problem', () => {
  const caught = (text) => {
    try {
      Roster.parse(text);
    } catch (e) {
      return e;
    }
    assert.fail('no RosterError');
  };
  const zone = caught(ROSTER.replace('Europe/Dublin', 'Europe/Dublni'));
  assert.ok(zone instanceof Error);
  assert.equal(zone.name, 'RosterError');
  assert.equal(zone.message, '8:40: error: queues.sales.members[1].timezone: unknown time zone "Europe/Dublni"');
  assert.deepEqual(zone.diagnostics, [{ severity: 'error', line: 8, column: 40, key: 'queues.sales.members[1].timezone', message: 'unknown time zone "Europe/Dublni"' }]);
  const typo = caught(ROSTER.replace('weight: 2', 'wieght: 2'));
  assert.equal(typo.name, 'RosterError');
  assert.match(typo.message, /^7:\d+: error: queues\.sales\.members\[0\]: unknown field `wieght`/);
  assert.equal(typo.diagnostics[0].line, 7);
  assert.throws(() => Roster.parse(42), /expected/);
});

test('a roster without the queue a route needs is refused before any lead is scored', () => {
  const a = compile(AGREEMENT);
  const r = Roster.parse(ROSTER.replace('  sales:', '  emea:'));
  assert.throws(() => a.scoreMany([{ 'Ref': 'L-1', Employees: 500 }], { asOf: '2026-12-21', roster: r }),
    (e) => e.name === 'RosterError' && /"Large" sends leads to sales without a queue, and the roster has no queue named "sales"/.test(e.message));
  assert.equal(r.timezone, 'Europe/Paris');
  assert.deepEqual(r.queues(), ['emea']);
  a.free();
  r.free();
});

test('each lead as of its arrival; one without a readable arrival is a lead error in place', () => {
  const a = compile(AGREEMENT);
  const r = Roster.parse(ROSTER);
  const leads = [
    { 'Ref': 'L-1', Employees: 500, Arrived: '2026-12-21 10:00' },
    { 'Ref': 'L-2', Employees: 500, Arrived: 'someday' },
    { 'Ref': 'L-3', Employees: 500 },
    { 'Ref': 'L-4', Employees: 500, Arrived: new Date('2026-12-23T16:30:00Z') },
    { 'Ref': 'L-5', Employees: 500, Arrived: 7 },
  ];
  const ds = a.scoreMany(leads, { roster: r, asOfColumn: 'Arrived' });
  assert.ok(['Mia Chen', 'Omar Haddad'].includes(ds[0].assignee), ds[0].assignee);
  // Monday 10:00 in Paris (09:00 in Dublin), within 1h of working time.
  assert.ok(['2026-12-21T11:00:00+01:00', '2026-12-21T10:00:00+00:00'].includes(ds[0].follow_up_by), ds[0].follow_up_by);
  assert.equal(ds[1].error.message, '"Arrived" holds "someday", not a date or timestamp (2026-11-23, 2026-11-23 10:30, RFC 3339)');
  assert.equal(ds[1].error.kind, 'bad_value');
  assert.match(ds[2].error.message, /no arrival time: "Arrived" is empty or missing/);
  // A Date is an arrival too: Wednesday 17:30 in Paris, 16:30 in Dublin.
  assert.equal(ds[3].route, 'sales');
  assert.equal(typeof ds[3].follow_up_by, 'string');
  assert.match(ds[4].error.message, /^"Arrived" holds 7, not a date or timestamp text$/);
  // With asOf, a lead without an arrival is scored as of it.
  const withAsOf = a.scoreMany(leads.slice(2, 3), { roster: r, asOfColumn: 'Arrived', asOf: '2026-12-21T09:00:00Z' });
  assert.equal(withAsOf[0].route, 'sales');
  // explain says who takes it.
  const ex = a.explain(leads[0], { roster: r, asOfColumn: 'Arrived' });
  assert.equal(ex.decision.assignee, ds[0].assignee);
  a.free();
  r.free();
});

test('per_day counts leads in input order, from a given load; a freed roster is a clear Error', () => {
  const a = compile(AGREEMENT);
  const r = Roster.parse(ROSTER);
  const lead = (n) => ({ 'Ref': `C-${n}`, Employees: 500 });
  const opts = { asOf: '2026-12-21T10:00:00+01:00', roster: r };
  const fresh = a.scoreMany([1, 2, 3, 4, 5, 6].map(lead), opts).filter((d) => d.assignee === 'Mia Chen').length;
  assert.ok(fresh <= 2, `${fresh}`);
  const full = a.scoreMany([1, 2, 3, 4, 5, 6].map(lead), { ...opts, load: [{ person: 'Mia Chen', date: '2026-12-21', count: 2 }] });
  assert.equal(full.filter((d) => d.assignee === 'Mia Chen').length, 0);
  assert.throws(() => a.score(lead(1), { ...opts, load: [{ person: 'Mia Chen', date: 'monday', count: 1 }] }), /^Error: load: /);
  assert.throws(() => a.score(lead(1), { ...opts, roster: {} }), /roster: expected a Roster \(Roster\.parse\), got an object/);
  r.free();
  assert.throws(() => a.score(lead(1), opts), /roster: this Roster was freed/);
  a.free();
});
