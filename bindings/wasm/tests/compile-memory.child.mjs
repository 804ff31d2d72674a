// Run by memory.test.mjs as `node --expose-gc compile-memory.child.mjs
// BUILD MODE N`: compiles the b2b agreement N times without free() and
// prints, as JSON, the process's external memory (which holds the wasm
// instance's memory) and RSS before and after, after garbage collection.
//   same-sync       the same text N times in one synchronous run
//   distinct-async  N different texts, the event loop turning every 25
import fs from 'node:fs';
import path from 'node:path';
import { leadgate, loadWeb, repoRoot } from './helpers.mjs';

const [build, mode, n] = [process.argv[2], process.argv[3], Number(process.argv[4])];
const m = build === 'web' ? await loadWeb() : leadgate;
const text = fs.readFileSync(path.join(repoRoot, 'rules-examples', 'b2b-saas-inbound.lead'), 'utf8');
const lead = { lead_id: 'L-1', email: 'ana@acme.io', title: 'VP Product', employees: 350, form_type: 'demo' };
const variant = (i) => (mode === 'same-sync' ? text : text.replace('version "2026.11"', `version "v${i}"`));
const turn = () => new Promise((resolve) => setImmediate(resolve));
async function settle() {
  for (let k = 0; k < 3; k++) {
    global.gc();
    await turn();
  }
}

async function run(count, offset) {
  for (let i = 0; i < count; i++) {
    const a = m.compile(variant(offset + i));
    if (i % 100 === 0 && a.score(lead, { asOf: '2026-11-23' }).id !== 'L-1') throw new Error('scored wrong');
    if (mode === 'same-sync') {
      if (i % 100 === 99) global.gc();
    } else if (i % 25 === 24) {
      await settle();
    }
  }
}

// Warm up (the first compiles grow the instance's memory to its working size).
await run(mode === 'same-sync' ? 1 : 100, 0);
await settle();
const before = process.memoryUsage();
const start = Date.now();
await run(n, 1000);
const ms = Date.now() - start;
await settle();
const after = process.memoryUsage();
console.log(JSON.stringify({ ms, external: [before.external, after.external], rss: [before.rss, after.rss] }));
