// The form runtime (`leadgate/runtime`, pkg/runtime): init, loadCompiled and
// the scoring calls, typed; no compile, no check, no spreadsheet rows, no
// explanation.
import init, { loadCompiled, type Agreement, type Decision, type ScoreOptions } from '../pkg/runtime/leadgate_wasm.js';
import * as runtime from '../pkg/runtime/leadgate_wasm.js';

export async function form(url: string): Promise<Decision> {
  await init();
  const agreement: Agreement = loadCompiled(await (await fetch(url)).arrayBuffer());
  const options: ScoreOptions = { asOf: new Date() };
  const decision: Decision = agreement.score({ email: 'ana@acme.io' }, options);
  const many: Decision[] = agreement.scoreMany([{ email: 'ana@acme.io' }], options);
  const line: string = agreement.scoreJson({ email: 'ana@acme.io' }, options);
  console.log(many.length, line, agreement.fields().map((f) => f.key), agreement.usesTime);
  // @ts-expect-error nor explains: a page that shows explanations loads the web build for them
  agreement.explain({ email: 'ana@acme.io' }, options);
  // @ts-expect-error the runtime runs no examples: leadgate compile checked the agreement
  agreement.check();
  // @ts-expect-error nor does it score spreadsheet rows
  agreement.scoreRows(['email'], [['ana@acme.io']]);
  return decision;
}

// @ts-expect-error the runtime has no compiler
runtime.compile('agreement "x"');
