// The JavaScript side of benches/compare/run: json-rules-engine, and
// leadgate's wasm package in node when it is built. Each implementation is
// verified against the reference decisions before it is timed.
//
//   node peers/node_peers.mjs WORKDIR REPO_ROOT SECONDS
//
// WORKDIR holds leads.json (the pre-parsed leads), reference.json
// ([route index, profile, engagement, intent] per lead) and
// agreement.byname.lead. Prints one JSON object on stdout.

import { readFileSync, existsSync, mkdtempSync, mkdirSync, copyFileSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";

const [workdir, root, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg || "1.5");
const leads = JSON.parse(readFileSync(join(workdir, "leads.json"), "utf8"));
const reference = JSON.parse(readFileSync(join(workdir, "reference.json"), "utf8"));
const require = createRequire(import.meta.url);
const ROUTES = [["nurture", "suppressed"], ["sales", "enrolment"], ["sales", "partners"],
  ["telemarketing", "qualify"], ["nurture", "ebook-drip"], ["nurture", null]];

function verify(rows) {
  let bad = 0;
  let first = null;
  for (let i = 0; i < reference.length; i++) {
    const a = rows[i];
    const b = reference[i];
    const same = a && a[0] === b[0] && [1, 2, 3].every((k) => Math.abs(a[k] - b[k]) <= 1e-9);
    if (!same) {
      bad++;
      if (first === null) first = { index: i, got: a, want: b };
    }
  }
  return { mismatches: bad + Math.max(0, rows.length - reference.length), first };
}

async function time(pass) {
  let best = Infinity;
  let reps = 0;
  const start = performance.now();
  while (reps < 2 || (performance.now() - start) / 1000 < seconds) {
    const t = performance.now();
    await pass();
    best = Math.min(best, performance.now() - t);
    reps++;
    if ((performance.now() - start) / 1000 > 4 * seconds) break;
  }
  return { best_s: best / 1000, reps, leads_per_s: leads.length / (best / 1000) };
}

// ---------------------------------------------------------------------------
// json-rules-engine: one engine per stage of the agreement (score rules,
// grade, routes), run per lead. It has no regex or suffix operator, so the
// rules use custom operators (endsWith, lower-case membership, lower-case
// substring), as its users do.

async function jsonRulesEngine() {
  const { Engine } = require("json-rules-engine");
  const options = { allowUndefinedFacts: true };
  const operators = (engine) => {
    engine.addOperator("endsWith", (a, b) => typeof a === "string" && a.endsWith(b));
    engine.addOperator("lowerIn", (a, b) => typeof a === "string" && b.includes(a.toLowerCase()));
    engine.addOperator("lowerContainsAny", (a, b) => {
      if (typeof a !== "string") return false;
      const low = a.toLowerCase();
      return b.some((p) => low.includes(p));
    });
    return engine;
  };
  const c = (fact, operator, value) => ({ fact, operator, value });
  // [score, points or {fact, times, cap}, condition]
  const scoreRules = [
    ["profile", 30, c("occupation", "equal", "Working Professional")],
    ["profile", 15, c("occupation", "equal", "Businessman")],
    ["profile", -10, c("occupation", "equal", "Student")],
    ["profile", 5, c("city", "in", ["Mumbai", "Thane & Outskirts", "Other Metro Cities"])],
    ["profile", 20, c("lead_quality", "equal", "High in Relevance")],
    ["engagement", { fact: "seconds_on_site", div: 60, cap: 30 },
      c("seconds_on_site", "greaterThan", 0)],
    ["engagement", { fact: "visits", times: 2, cap: 10 }, c("visits", "greaterThanInclusive", 2)],
    ["engagement", 20, c("last_activity", "in", ["Had a Phone Conversation", "Approached upfront"])],
    ["engagement", -15, c("last_activity", "in", ["Email Bounced", "Unsubscribed", "Unreachable"])],
    ["intent", 25, c("origin", "endsWith", "Add Form")],
    ["intent", 5, c("lead_source", "lowerIn", ["google", "bing", "organic search"])],
    ["intent", 40, c("counselor_tag", "lowerContainsAny",
      ["will revert", "next batch", "want to take admission", "next coming month"])],
    ["intent", -30, c("counselor_tag", "in", ["Interested in other courses", "Not doing further education",
      "Already a student", "Lost to EINS", "Lost to Others", "Diploma holder (Not Eligible)"])],
  ];
  const scores = operators(new Engine([], options));
  scoreRules.forEach(([, , cond], i) =>
    scores.addRule({ name: `s${i}`, conditions: { all: [cond] }, event: { type: "fired", params: { i } } }));
  const stage = new Engine([], options);
  [
    ["ready", { any: [c("intent", "greaterThanInclusive", 40),
      { all: [c("profile", "greaterThanInclusive", 30), c("engagement", "greaterThanInclusive", 30)] }] }],
    ["promising", { any: [c("profile", "greaterThanInclusive", 25), c("engagement", "greaterThanInclusive", 25),
      c("intent", "greaterThanInclusive", 25)] }],
  ].forEach(([label, conditions], order) =>
    stage.addRule({ name: label, conditions, event: { type: "stage", params: { label, order } } }));
  const route = new Engine([], options);
  [
    { all: [c("do_not_call", "equal", true), c("do_not_email", "equal", true)] },
    { all: [c("stage", "equal", "ready"), c("do_not_call", "equal", false)] },
    { all: [c("intent", "greaterThanInclusive", 25), c("engagement", "greaterThanInclusive", 10),
      c("do_not_call", "equal", false)] },
    { all: [c("engagement", "greaterThanInclusive", 30), c("occupation", "equal", null),
      c("potential_profile", "greaterThanInclusive", 50), c("do_not_call", "equal", false)] },
    { all: [c("free_ebook", "equal", true), c("do_not_email", "equal", false)] },
  ].forEach((conditions, index) =>
    route.addRule({ name: `r${index}`, conditions, event: { type: "route", params: { index } } }));

  const clamp = (x, lo, hi) => Math.min(Math.max(x, lo), hi);
  async function one(lead) {
    const { events } = await scores.run(lead);
    const fired = new Array(scoreRules.length).fill(false);
    for (const e of events) fired[e.params.i] = true;
    const sum = { profile: 0, engagement: 0, intent: 0 };
    scoreRules.forEach(([score, points], i) => {
      if (!fired[i]) return;
      sum[score] += typeof points === "number"
        ? points
        : Math.min(points.div ? lead[points.fact] / points.div : lead[points.fact] * points.times, points.cap);
    });
    const extra = (lead.occupation == null ? 45 : 0) + (lead.city == null ? 5 : 0)
      + (lead.lead_quality == null ? 20 : 0);
    const facts = {
      ...lead,
      profile: clamp(sum.profile, 0, 100),
      potential_profile: clamp(sum.profile + extra, 0, 100),
      engagement: clamp(sum.engagement, 0, 80),
      intent: clamp(sum.intent, 0, 100),
    };
    const st = await stage.run(facts);
    facts.stage = st.events.length
      ? st.events.reduce((a, b) => (a.params.order <= b.params.order ? a : b)).params.label
      : "early";
    const rt = await route.run(facts);
    const index = rt.events.reduce((m, e) => Math.min(m, e.params.index), 5);
    return [index, facts.profile, facts.engagement, facts.intent];
  }
  return async () => {
    const out = new Array(leads.length);
    for (let i = 0; i < leads.length; i++) out[i] = await one(leads[i]);
    return out;
  };
}

// ---------------------------------------------------------------------------
// leadgate's wasm package, when built (bindings/wasm, node target).

function findWasm() {
  for (const dir of ["bindings/wasm/pkg-node", "bindings/wasm/pkg/node", "bindings/wasm/pkg",
    "bindings/wasm/dist/node"]) {
    const pkg = join(root, dir);
    // wasm-bindgen's node target: a CommonJS file beside its .wasm.
    for (const file of ["leadgate_wasm.js", "leadgate.js", "index.js"]) {
      if (existsSync(join(pkg, file))) return join(pkg, file);
    }
  }
  return null;
}

function decisionRow(d) {
  if (typeof d === "string") d = JSON.parse(d);
  const get = (o, k) => (o instanceof Map ? o.get(k) : o?.[k]);
  const s = get(d, "scores");
  const route = get(d, "route");
  const queue = get(d, "queue") ?? null;
  const index = ROUTES.findIndex(([r, q]) => r === route && q === queue);
  return [index, Number(get(s, "profile")), Number(get(s, "engagement")), Number(get(s, "intent"))];
}

// ---------------------------------------------------------------------------
// The form runtime (bindings/wasm/pkg/runtime, `leadgate/runtime`: no
// compiler, its regexes from the compiled agreement), given the agreement as
// the bytes the node build's toCompiled writes (`leadgate compile`'s), in
// node and in headless Chromium.

const RUNTIME = () => join(root, "bindings", "wasm", "pkg", "runtime");

function compiledBytes() {
  const pkg = findWasm();
  if (!pkg || !existsSync(join(RUNTIME(), "leadgate_wasm.js"))) return null;
  const a = require(pkg).compile(readFileSync(join(workdir, "agreement.byname.lead"), "utf8"));
  return a.toCompiled();
}

async function runtimeNode() {
  const bytes = compiledBytes();
  if (!bytes) return null;
  const m = await import(pathToFileURL(join(RUNTIME(), "leadgate_wasm.js")).href);
  m.initSync({ module: readFileSync(join(RUNTIME(), "leadgate_wasm_bg.wasm")) });
  const agreement = m.loadCompiled(bytes);
  return async () => Array.from(agreement.scoreMany(leads, { asOf: "2026-11-23" }), decisionRow);
}

// The page: loads the runtime and the .lgc as a form would, then on request
// scores every lead once (for verification) or times scoreMany in the page.
const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import init, { loadCompiled } from './runtime/leadgate_wasm.js';
await init();
const agreement = loadCompiled(await (await fetch('agreement.lgc')).arrayBuffer());
const leads = await (await fetch('leads.json')).json();
const opts = { asOf: '2026-11-23' };
window.scoreAll = () => agreement.scoreMany(leads, opts).map((d) => JSON.stringify(d));
window.timeScoreMany = (seconds) => {
  let best = Infinity, reps = 0;
  const start = performance.now();
  while (reps < 2 || (performance.now() - start) / 1000 < seconds) {
    const t = performance.now();
    agreement.scoreMany(leads, opts);
    best = Math.min(best, performance.now() - t);
    reps++;
    if ((performance.now() - start) / 1000 > 4 * seconds) break;
  }
  return { best_s: best / 1000, reps, leads_per_s: leads.length / (best / 1000) };
};
window.ready = true;
</script>`;

async function runtimeChromium(results) {
  const name = "leadgate-wasm-runtime-chromium";
  const bytes = compiledBytes();
  const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
  const playwright = join(root, "bindings", "wasm", "node_modules", "playwright-core");
  if (!bytes || !existsSync(chromiumPath) || !existsSync(playwright)) {
    results.push({ name, status: "not built", note: "needs bindings/wasm built and tested (pkg/runtime, playwright-core, Chromium)" });
    return;
  }
  const { chromium } = require(playwright);
  const site = mkdtempSync(join(tmpdir(), "leadgate-runtime-bench-"));
  mkdirSync(join(site, "runtime"));
  for (const f of ["leadgate_wasm.js", "leadgate_wasm_bg.wasm", "package.json"]) {
    copyFileSync(join(RUNTIME(), f), join(site, "runtime", f));
  }
  writeFileSync(join(site, "agreement.lgc"), bytes);
  copyFileSync(join(workdir, "leads.json"), join(site, "leads.json"));
  writeFileSync(join(site, "index.html"), PAGE);
  const { serve } = await import(pathToFileURL(join(root, "bindings", "wasm", "tests", "helpers.mjs")).href);
  const server = await serve(site);
  const profile = mkdtempSync(join(tmpdir(), "leadgate-runtime-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath, headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.base}/index.html`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 60000 });
    const rows = (await page.evaluate(() => window.scoreAll())).map(decisionRow);
    const v = verify(rows);
    if (v.mismatches) {
      results.push({ name, status: "wrong", mismatches: v.mismatches, first: v.first });
      return;
    }
    const t = await page.evaluate((s) => window.timeScoreMany(s), seconds);
    results.push({ name, status: "ok", leads: leads.length, ...t, chromium: context.browser()?.version() });
  } catch (e) {
    results.push({ name, status: "failed", note: String(e?.message ?? e).slice(0, 300) });
  } finally {
    await context?.close();
    server.stop();
    rmSync(site, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

async function main() {
  const results = [];
  const run = async (name, make) => {
    let pass;
    try {
      pass = await make();
    } catch (e) {
      results.push({ name, status: "not built", note: String(e?.message ?? e).slice(0, 200) });
      return;
    }
    if (!pass) {
      results.push({ name, status: "not built" });
      return;
    }
    const rows = await pass();
    const v = verify(rows);
    if (v.mismatches) {
      results.push({ name, status: "wrong", mismatches: v.mismatches, first: v.first });
      return;
    }
    results.push({ name, status: "ok", leads: leads.length, ...(await time(pass)) });
  };
  await run("json-rules-engine", jsonRulesEngine);
  const wasmPkg = findWasm();
  const wasm = (method) => async () => {
    if (!wasmPkg) return null;
    const lg = require(wasmPkg);
    const agreement = lg.compile(readFileSync(join(workdir, "agreement.byname.lead"), "utf8"));
    if (typeof agreement[method] !== "function") return null;
    return async () => {
      const ds = agreement[method](leads, { asOf: "2026-11-23" });
      return Array.from(ds, decisionRow);
    };
  };
  await run("leadgate-wasm-scoreMany", wasm("scoreMany"));
  // The node build's batch fast path against its per-lead path (an internal
  // method of the package, kept for its tests), in the same process.
  await run("leadgate-wasm-scoreMany-per-lead", wasm("__scoreManyPerLead"));
  await run("leadgate-wasm-runtime-scoreMany", runtimeNode);
  await runtimeChromium(results);
  console.log(JSON.stringify({ node: process.version, wasm_package: wasmPkg, results }));
}

await main();
