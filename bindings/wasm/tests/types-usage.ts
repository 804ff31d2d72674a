// Compiled by types.test.mjs with `tsc --strict --noEmit` against the built
// package's declarations: the API is typed, and misuse does not compile.
import init, {
  compile,
  type Agreement,
  type CheckReport,
  type ColumnCheck,
  type CompileError,
  type Decision,
  type Explanation,
  type FieldInfo,
  type LeadErrorKind,
  type MissingColumnsError,
  type Row,
  type RowsOptions,
  type ScoreOptions,
} from '../pkg/web/leadgate_wasm.js';

interface FormLead {
  lead_id: string;
  email: string;
  employees?: number;
}

export async function usage(text: string): Promise<string> {
  await init();
  let agreement: Agreement;
  try {
    agreement = compile(text);
  } catch (e) {
    const err = e as CompileError;
    const where: string = err.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`).join('\n');
    return where;
  }
  const options: ScoreOptions = { asOf: '2026-11-23', onBadValue: 'missing', explain: true };
  const lead: FormLead = { lead_id: 'L-1', email: 'a@b.io', employees: 200 };
  const d: Decision = agreement.score(lead, options);
  let summary: string;
  if ('error' in d) {
    const field: string | null = d.error.field;
    const kind: LeadErrorKind | undefined = d.error.kind;
    summary = `${field}: ${d.error.message} (${kind === 'missing_required' ? 'missing' : kind})`;
  } else {
    const route: 'sales' | 'nurture' | 'telemarketing' = d.route;
    const within: number | null = d.follow_up_within_s;
    const fit: number | undefined = d.scores['fit'];
    const reasons: string[] = d.fired.map((f) => `${f.points} ${f.rule} (${f.score})`);
    summary = `${route} ${within} ${fit} ${reasons.join(', ')} ${d.unknown.length} ${d.undecided.length}`;
  }
  const many: Decision[] = agreement.scoreMany([lead, new Map([['email', 'x@y.io']])]);
  const lines: string[] = agreement.scoreManyJson([lead], { asOf: new Date() });
  const one: string = agreement.scoreJson(lead);
  const fields: FieldInfo[] = agreement.fields();
  const types: Array<'text' | 'number' | 'bool' | 'date' | 'list'> = fields.map((f) => f.type);
  const report: CheckReport = agreement.check();
  const ok: boolean = report.ok && report.examples.every((e) => e.passed);
  const name: string = agreement.name;
  // Rows under one header, as a spreadsheet library gives them.
  const header: string[] = ['lead_id', 'email', 'employees'];
  const rows: Row[] = [['L-2', 'c@d.io', 200], ['L-3', null, new Date()], []];
  const rowsOptions: RowsOptions = { asOf: '2026-11-23', allowMissingColumns: true };
  const fromRows: Decision[] = agreement.scoreRows(header, rows, rowsOptions);
  const columns: ColumnCheck = agreement.checkColumns(header);
  const suggestions: Array<string | null> = columns.missing.map((m) => m.suggestion);
  const why: string | null = columns.message;
  try {
    agreement.scoreRows(header, rows);
  } catch (e) {
    const err = e as MissingColumnsError;
    suggestions.push(...err.missing.map((m) => `${m.field} ${m.key}`), err.message);
  }
  // One lead explained.
  const explained: Explanation = agreement.explain(lead, options);
  const steps: string = explained.text;
  const matched = explained.routes?.find((r) => r.status === 'matched')?.position;
  const worth: number | undefined = explained.scores?.[0]?.undecided.map((u) => (typeof u.worth === 'object' && 'points' in u.worth ? u.worth.points : 0))[0];
  agreement.free();
  // @ts-expect-error report and diff are in the node build (and a web build with feature analysis)
  agreement.report([lead]);
  // @ts-expect-error allowMissingColumns is a boolean
  const badRows: RowsOptions = { allowMissingColumns: 'yes' };
  // @ts-expect-error the fast path's internals are not declared
  agreement.__scoreOne(lead);
  // @ts-expect-error onBadValue is "error" or "missing"
  const bad: ScoreOptions = { onBadValue: 'skip' };
  // @ts-expect-error a decision's route is one of three destinations
  const wrong: Decision = { index: 0, id: null, route: 'marketing' };
  return [summary, many.length, lines.length, one, types.join(), ok, name, bad, wrong, fromRows.length, suggestions, why, badRows, steps, matched, worth].join(' ');
}
