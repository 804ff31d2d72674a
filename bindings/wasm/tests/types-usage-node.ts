// Compiled by types.test.mjs with `tsc --strict --noEmit` against the node
// build's declarations: report and diff (feature analysis) are typed.
import { compile, type Decision, type Diff, type Report, type ReportOptions } from '../pkg/node/leadgate_wasm.js';

export function usage(text: string, proposedText: string, leads: object[]): string {
  const agreement = compile(text);
  const proposed = compile(proposedText);
  const options: ReportOptions = { asOf: '2026-11-23', by: 'country', outcome: 'converted', top: 5 };
  const report: Report = agreement.report(leads, options);
  const conversion: number | null | undefined = report.backtest?.rate;
  const page: string = report.html;
  const sales: number | undefined = report.groups?.[0]?.routes.sales;
  const dist = report.scores.map((s) => `${s.score} ${s.median ?? '-'}`);
  const diff: Diff = agreement.diff(proposed, leads, { changes: 10, oldName: 'in force' });
  const moved: number = diff.moved + diff.matrix[0].new.rejected;
  const changed: Decision | undefined = diff.changes[0]?.new;
  const why = diff.explained_by.map((e) => `${e.rule} ${e.change} ${e.edited ?? ''}`);
  // @ts-expect-error a report's top is a number
  agreement.report(leads, { top: '5' });
  // @ts-expect-error diff compares with an Agreement
  agreement.diff('proposed.lead', leads);
  return [conversion, page, sales, dist, moved, changed, why, report.text, diff.text].join(' ');
}
