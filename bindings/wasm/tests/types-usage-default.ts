// The package's default entry (pkg/index.js, as bundlers resolve
// `import … from 'leadgate'`): no init(), the public names and types only.
import { compile, loadCompiled, type Agreement, type Decision, type ScoreOptions } from '../pkg/index.js';
import * as leadgate from '../pkg/index.js';

const options: ScoreOptions = { asOf: '2026-11-23' };
const agreement = compile('agreement "x"\nfields { a : number }\nscore s { +1 "r" when a > 1 }\nroute { nurture otherwise }\n');
const decision: Decision = agreement.score({ a: 2 }, options);
if ('error' in decision) console.log(decision.error.kind);
agreement.free();

// A form loads the compiled agreement a server wrote (leadgate compile … -o agreement.lgc).
export async function form(url: string): Promise<Agreement> {
  const loaded: Agreement = loadCompiled(new Uint8Array(await (await fetch(url)).arrayBuffer()));
  // @ts-expect-error writing compiled agreements is the node build's
  loaded.toCompiled();
  return loaded;
}

// @ts-expect-error init is the /web entry's, not the default's
leadgate.default();
// @ts-expect-error nor is initSync
leadgate.initSync();
