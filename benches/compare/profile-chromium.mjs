// Where the form runtime's scoreMany spends its time in headless Chromium:
// the page benches/compare/run times (the runtime and the compiled
// agreement loaded as a form does, the harness's 9,240 leads), then
//   - per lead: scoreMany, scoreManyJson, JSON.parse of the decisions'
//     text alone, JSON.stringify of the leads alone (best of 1.5 s each);
//   - a CPU profile (CDP Profiler, 100 µs sampling) of 40 scoreMany calls:
//     self time by function, the top 30.
// docs/benchmarks.md ("Issue 15: where each target stands") quotes it.
//
//   benches/compare/run                      # once: writes benches/compare/.work
//   bindings/wasm/build.sh                   # pkg/runtime, pkg/node
//   node benches/compare/profile-chromium.mjs [RUNTIME_DIR]
//
// RUNTIME_DIR: a runtime build's glue and .wasm (default
// bindings/wasm/pkg/runtime, whose names wasm-opt strips; for names, run
// wasm-bindgen --target web on target/wasm32-unknown-unknown/wasm-runtime/
// leadgate_wasm.wasm, wasm-opt it with --debuginfo, and append
// src/args.js, fast.js and guard.js as build.sh does). Needs Chromium at
// /usr/bin/chromium (or $CHROMIUM) and bindings/wasm's npm install.
import { createRequire } from "node:module";
import { mkdtempSync, mkdirSync, copyFileSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const wasm = join(root, "bindings", "wasm");
const work = join(root, "benches", "compare", ".work");
const require = createRequire(join(wasm, "package.json"));
const runtime = process.argv[2] ?? join(wasm, "pkg", "runtime");

const full = require(join(wasm, "pkg", "node", "leadgate_wasm.js"));
const agreement = full.compile(readFileSync(join(work, "agreement.byname.lead"), "utf8"));
const site = mkdtempSync(join(tmpdir(), "leadgate-profile-"));
mkdirSync(join(site, "runtime"));
for (const f of ["leadgate_wasm.js", "leadgate_wasm_bg.wasm"]) copyFileSync(join(runtime, f), join(site, "runtime", f));
writeFileSync(join(site, "runtime", "package.json"), '{"type": "module"}');
writeFileSync(join(site, "agreement.lgc"), agreement.toCompiled());
copyFileSync(join(work, "leads.json"), join(site, "leads.json"));
writeFileSync(join(site, "index.html"), `<!doctype html><meta charset="utf-8"><script type="module">
import init, { loadCompiled } from './runtime/leadgate_wasm.js';
await init();
const agreement = loadCompiled(await (await fetch('agreement.lgc')).arrayBuffer());
const leads = await (await fetch('leads.json')).json();
const opts = { asOf: '2026-11-23' };
const perLead = (f) => {
  let best = Infinity, reps = 0;
  const start = performance.now();
  while (reps < 3 || performance.now() - start < 1500) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
    reps++;
  }
  return (best * 1000 / leads.length).toFixed(2) + ' µs';
};
window.measure = () => {
  const text = JSON.stringify(agreement.scoreMany(leads, opts));
  return {
    scoreMany: perLead(() => agreement.scoreMany(leads, opts)),
    scoreManyJson: perLead(() => agreement.scoreManyJson(leads, opts)),
    'JSON.parse of the decisions alone': perLead(() => JSON.parse(text)),
    'JSON.stringify of the leads alone': perLead(() => JSON.stringify(leads)),
  };
};
window.profiled = () => { for (let i = 0; i < 40; i++) agreement.scoreMany(leads, opts); };
window.ready = true;
</script>`);

const { serve } = await import(pathToFileURL(join(wasm, "tests", "helpers.mjs")).href);
const server = await serve(site);
const { chromium } = require("playwright-core");
const profile = mkdtempSync(join(tmpdir(), "leadgate-profile-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${server.base}/index.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 60000 });
  console.log(await page.evaluate(() => window.measure()));
  const cdp = await context.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  await page.evaluate(() => window.profiled());
  const { profile: p } = await cdp.send("Profiler.stop");
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  p.samples.forEach((id, i) => {
    const f = nodes.get(id).callFrame;
    const name = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}`;
    self.set(name, (self.get(name) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  for (const [name, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`${((100 * t) / total).toFixed(1).padStart(5)} %  ${name}`);
  }
} finally {
  await context.close();
  server.stop();
  rmSync(site, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
  agreement.free();
}
