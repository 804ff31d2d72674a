// Column-wise input: scoreRows (rows of cells under one header, as
// spreadsheet libraries give them) binds by column with the core, checks the
// header against the declared fields (did-you-mean), and decides as the CLI
// does on the same CSV; checkColumns says what is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, leadgate, loadWeb, readCsv, repoRoot, withWarnings } from './helpers.mjs';

const AGREEMENT = path.join(repoRoot, 'rules-examples', 'education-admissions.lead');
const CSV = path.join(repoRoot, '..', 'shared', 'data', 'x-education-leads.csv');
const text = fs.readFileSync(AGREEMENT, 'utf8');
const [header, ...rows] = readCsv(fs.readFileSync(CSV, 'utf8'));

test('the X Education export is there, 9,240 leads', () => {
  assert.equal(rows.length, 9240);
  assert.ok(header.includes('Tags'));
});

test('scoreRows of the X Education export: the CLI\'s decisions, lead for lead', () => {
  const expected = cli(['score', AGREEMENT, CSV]).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  const a = leadgate.compile(text);
  const ds = a.scoreRows(header, rows);
  assert.equal(ds.length, expected.length);
  assert.deepEqual(ds, expected);
  // Typed cells (numbers, booleans, as SheetJS gives them) decide the same.
  const typed = rows.map((r) => r.map((c) => (c === 'Yes' ? true : c === 'No' ? false : c !== '' && !Number.isNaN(Number(c)) ? Number(c) : c)));
  assert.deepEqual(a.scoreRows(header, typed).map((d) => d.route), expected.map((d) => d.route));
  a.free();
});

test('a renamed column is an error with did-you-mean; allowMissingColumns scores with a warning', () => {
  const a = leadgate.compile(text);
  const renamed = header.map((h) => (h === 'Tags' ? 'Tagz' : h));
  let err;
  try {
    a.scoreRows(renamed, rows.slice(0, 50));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error, 'thrown');
  assert.equal(err.name, 'MissingColumnsError');
  assert.match(err.message, /no column for 1 declared field: `Tags` \(field counselor_tag\), did you mean `Tagz`\?/);
  assert.match(err.message, /allowMissingColumns: true/);
  assert.deepEqual(err.missing, [{ field: 'counselor_tag', key: 'Tags', suggestion: 'Tagz' }]);
  const [ds, warnings] = withWarnings(() => a.scoreRows(renamed, rows.slice(0, 50), { allowMissingColumns: true }));
  assert.equal(ds.length, 50);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /no column for 1 declared field: `Tags`/);
  // The same as the rows with every Tags cell blank.
  const t = header.indexOf('Tags');
  const blank = rows.slice(0, 50).map((r) => r.map((c, i) => (i === t ? '' : c)));
  assert.deepEqual(ds, a.scoreRows(header, blank));
  assert.throws(() => a.scoreRows(renamed, rows, { allowMissingColumns: 'yes' }), /allowMissingColumns: expected true or false, got "yes"/);
  a.free();
});

test('checkColumns lists what is missing, with the closest column', () => {
  const a = leadgate.compile(text);
  assert.deepEqual(a.checkColumns(header), { missing: [], message: null });
  const check = a.checkColumns(header.filter((h) => h !== 'City').map((h) => (h === 'Tags' ? 'tags' : h)));
  assert.deepEqual(check.missing, [
    { field: 'city', key: 'City', suggestion: null },
    { field: 'counselor_tag', key: 'Tags', suggestion: 'tags' },
  ]);
  assert.match(check.message, /2 declared fields: `City` \(field city\); `Tags` \(field counselor_tag\), did you mean `tags`\?/);
  // A byte order mark before the first column is not part of its name.
  assert.deepEqual(a.checkColumns(['\uFEFF' + header[0], ...header.slice(1)]).missing, []);
  assert.throws(() => a.checkColumns('Tags'), /checkColumns: expected the column names as an array, got a string/);
  a.free();
});

test('bad rows are rejected in place, with their kind; bad arguments throw', async () => {
  for (const m of [leadgate, await loadWeb()]) {
    const a = m.compile(text);
    const revoked = Proxy.revocable([], {});
    revoked.revoke();
    const ds = a.scoreRows(header, [rows[0], 'a row', null, revoked.proxy, rows[1].slice(0, 3), [], rows[2]]);
    assert.deepEqual(ds.map((d) => d.index), [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(ds[0].error, undefined);
    assert.deepEqual({ ...ds[1].error, kind: ds[1].error.kind }, { field: null, message: 'expected a row (an array of cells), got a string', kind: 'not_an_object' });
    assert.equal(ds[2].error.message, 'expected a row (an array of cells), got null');
    assert.equal(ds[3].error.kind, 'unreadable');
    assert.match(ds[3].error.message, /^cannot read the row: /);
    // Short rows: the cells that are not there are missing.
    assert.equal(ds[4].id, rows[1][0]);
    assert.ok('route' in ds[4]);
    assert.deepEqual([ds[5].error.field, ds[5].error.kind], ['prospect_id', 'missing_required']);
    assert.equal(ds[6].error, undefined);
    assert.throws(() => a.scoreRows(header, 'rows'), /scoreRows: expected an array of rows, got a string/);
    assert.throws(() => a.scoreRows(null, []), /scoreRows: expected the column names as an array, got null/);
    assert.throws(() => a.scoreRows(header, [], { allow_missing_columns: true }), /unknown option `allow_missing_columns` \(did you mean `allowMissingColumns`\?\); the options are asOf, onBadValue, explain and allowMissingColumns/);
    a.free();
  }
});
