// Compiled by types.test.mjs with `tsc --strict --noEmit` against the node
// build's declarations: report and diff (feature analysis) are typed.
import { compile, loadCompiled, type Decision, type Diff, type Report, type ReportOptions } from '../pkg/node/leadgate_wasm.js';

export function usage(text: string, proposedText: string, leads: object[]): string {
  const agreement = compile(text);
  const proposed = compile(proposedText);
  const bytes: Uint8Array = proposed.toCompiled();
  const again = loadCompiled(bytes);
  again.free();
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

// Rosters (node build): Roster.parse, and the roster options of the scoring calls.
import { Roster, type RosterOptions } from '../pkg/node/leadgate_wasm.js';

export function staffed(text: string, rosterText: string, leads: object[]): Array<string | null> {
  const agreement = compile(text);
  const roster = Roster.parse(rosterText);
  const options: RosterOptions = { roster, asOfColumn: 'created', load: [{ person: 'Ana', date: '2026-12-01', count: 1 }] };
  const decisions: Decision[] = agreement.scoreMany(leads, { ...options, asOf: '2026-12-01' });
  const zone: string = roster.timezone;
  const queues: string[] = roster.queues();
  // @ts-expect-error a roster is a Roster, not its text
  agreement.score({}, { roster: rosterText });
  roster.free();
  agreement.free();
  return decisions.map((d) => ('error' in d ? null : (d.assignee ?? null))).concat(zone, ...queues);
}

// The analysis (node build, feature analyze): findings, witnesses, symbolic diff.
import { type Analysis, type SymbolicDiff } from '../pkg/node/leadgate_wasm.js';

export function analysed(text: string, proposedText: string): string[] {
  const agreement = compile(text);
  const proposed = compile(proposedText);
  const analysis: Analysis = agreement.analyze();
  const where = analysis.findings.map((f) => `${f.code} ${f.line}:${f.column} ${f.span.start}`);
  const earlier = analysis.findings.flatMap((f) => (f.evidence.kind === 'taken_by_earlier_rules' ? f.evidence.rules : []));
  const leads = analysis.routes.map((r) => (r.reach.status === 'reachable' ? r.reach.witness.values.map((v) => v.key) : r.destination));
  const scores: Array<[string, number]> = analysis.routes.flatMap((r) => (r.reach.status === 'reachable' ? r.reach.witness.scores : []));
  const blocks: string = agreement.exampleBlocks();
  const diff: SymbolicDiff = agreement.symbolicDiff(proposed);
  const moves = diff.regions.map((r) => `${r.old.destination} -> ${r.new.destination} (${r.new.name ?? 'otherwise'}) ${r.condition} ${r.leads}`);
  // @ts-expect-error a finding's subject is tagged by kind: no index without narrowing
  const index: number = analysis.findings[0].subject.label;
  // @ts-expect-error symbolicDiff compares with an Agreement
  agreement.symbolicDiff(proposedText);
  proposed.free();
  agreement.free();
  return [...where, ...earlier, ...leads.flat(), String(scores.length), blocks, diff.text, ...moves, String(index)];
}
