// End to end: serve demo/ on 127.0.0.1, fill the sign-up form in headless
// Chromium as a visitor would, and check that the route, scores and the
// canonical decision shown equal what the CLI decides for the same lead,
// and the explanation shown is what `leadgate explain` prints for it. The
// page runs on the form runtime; the web build, which explains, is fetched
// only when the explanation is opened.
// Leaves a screenshot and the browser timing in test-output/.
//
// Env: CHROMIUM (default /usr/bin/chromium), LEADGATE_CLI (a built
// `leadgate` binary; default: `cargo run -p leadgate-cli`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { cli, serve } from '../tests/helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const wasmDir = path.resolve(here, '..');
const repoRoot = path.resolve(wasmDir, '..', '..');
const demoDir = path.join(wasmDir, 'demo');
const outDir = path.join(wasmDir, 'test-output');
const AS_OF = '2026-11-23';
const AGREEMENT = path.join(demoDir, 'agreements', 'b2b-saas-inbound.lead');

let server;
let context;
let page;
let baseUrl;
const offsite = [];
const requested = [];
const pageErrors = [];

/** The CLI's canonical decision lines for `leads` (the reference). */
function cliDecisions(leads) {
  fs.mkdirSync(outDir, { recursive: true });
  const input = path.join(outDir, 'e2e-leads.jsonl');
  fs.writeFileSync(input, leads.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return cli(['score', AGREEMENT, input, '--as-of', AS_OF]).split('\n').filter((l) => l.trim() !== '');
}

/** What `leadgate explain` prints for `lead`. */
function cliExplain(lead) {
  return cli(['explain', AGREEMENT, '--lead', JSON.stringify(lead), '--as-of', AS_OF]);
}

before(async () => {
  assert.ok(fs.existsSync(path.join(demoDir, 'pkg', 'leadgate_wasm_bg.wasm')), 'run build.sh first');
  server = await serve(demoDir);
  baseUrl = server.base;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'leadgate-e2e-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1400 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  // The demo must not reach the network: anything not on our server is blocked and recorded.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requested.push(url);
    if (url.startsWith(baseUrl)) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
});

after(async () => {
  await context?.close();
  server?.stop();
});

/** What the page shows. */
async function shown() {
  const scores = await page.$$eval('#scores td[data-score]', (tds) =>
    Object.fromEntries(tds.map((td) => [td.dataset.score, Number(td.textContent)])),
  );
  return {
    route: await page.textContent('#route'),
    queue: await page.textContent('#queue'),
    rule: await page.textContent('#rule'),
    total: Number(await page.textContent('#total')),
    promise: await page.textContent('#promise'),
    scores,
    canonical: await page.textContent('#decision-json'),
    explanation: await page.textContent('#explanation'),
    lead: JSON.parse(await page.textContent('#lead-json')),
  };
}

test('the demo loads the agreement and scores as the visitor types, like the CLI', async () => {
  await page.goto(`${baseUrl}/index.html?asOf=${AS_OF}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  // The page loads the compiled agreement (build.sh writes it), not the text.
  assert.ok(requested.some((u) => u.endsWith('/agreements/b2b-saas-inbound.lgc')), requested.join(' '));
  assert.ok(!requested.some((u) => u.endsWith('.lead')), requested.join(' '));

  // A VP Product at a mid-sized German fintech asks for a demo.
  await page.fill('#f-name', 'Jana Keller');
  await page.fill('#f-email', 'jana.keller@finlytics.de');
  await page.fill('#f-title', 'VP Product');
  await page.fill('#f-phone', '+49 30 1234567');
  await page.selectOption('#f-country', 'de');
  await page.fill('#f-company', 'Finlytics GmbH');
  await page.selectOption('#f-employees', '500');
  await page.selectOption('#f-industry', 'Fintech');
  await page.selectOption('#f-tool', 'Amplitude');
  await page.selectOption('#f-budget', '35000');
  await page.check('input[name="form_type"][value="demo"]');
  await page.check('input[name="interests"][value="integrations"]');
  await page.check('input[name="interests"][value="dashboards"]');
  await page.fill('#f-pages', '6');
  await page.fill('#f-pricing', '2');

  // Nothing but the runtime so far; opening the explanation fetches the web build.
  assert.ok(!requested.some((u) => u.includes('/pkg/web/')), requested.join(' '));
  await page.click('#explanation-block summary');
  await page.waitForSelector('#explanation[data-ready="true"]', { timeout: 30000 });
  assert.ok(requested.some((u) => u.endsWith('/pkg/web/leadgate_wasm_bg.wasm')), requested.join(' '));
  assert.ok(await page.isVisible('#explanation'));

  const s = await shown();
  // The lead the page built is the visitor's answers, keyed as the agreement reads them.
  assert.deepEqual(s.lead, {
    lead_id: 'web-form',
    email: 'jana.keller@finlytics.de',
    title: 'VP Product',
    phone: '+49 30 1234567',
    country: 'de',
    company: 'Finlytics GmbH',
    employees: '500',
    industry: 'Fintech',
    current_tool: 'Amplitude',
    budget_usd: '35000',
    form_type: 'demo',
    pages_viewed: '6',
    pricing_page_views: '2',
    interests: ['integrations', 'dashboards'],
    demo_requested: true,
    last_activity: '2026-11-23T00:00:00.000Z',
  });
  const [reference] = cliDecisions([s.lead]);
  const cli = JSON.parse(reference);
  assert.equal(s.canonical, reference, 'the page shows the CLI decision, byte for byte');
  assert.equal(s.route, cli.route);
  assert.equal(s.route, 'sales');
  assert.equal(s.queue, cli.queue);
  assert.equal(s.rule, cli.rule);
  assert.deepEqual(s.scores, cli.scores);
  assert.equal(s.total, cli.total);
  assert.match(s.promise, /EMEA sales desk will call you within the hour/);
  // The explanation shown is the CLI's, line for line.
  assert.equal(s.explanation.trimEnd(), cliExplain(s.lead).trimEnd());
  assert.match(s.explanation, /=> SALES \(queue "emea"\), follow up within 1h by route rule 3 of 11: "Hot lead, EMEA"/);

  fs.mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: path.join(outDir, 'demo-sales.png'), fullPage: true });
});

test('changing answers re-routes: a student with a free mailbox goes to nurture', async () => {
  await page.fill('#f-email', 'maria.student@gmail.com');
  await page.fill('#f-title', 'MSc Student');
  await page.fill('#f-phone', '');
  await page.fill('#f-company', '');
  await page.selectOption('#f-employees', '5');
  await page.selectOption('#f-budget', '');
  await page.selectOption('#f-tool', '');
  await page.check('input[name="form_type"][value="ebook"]');
  await page.uncheck('input[name="interests"][value="integrations"]');
  await page.fill('#f-pricing', '0');
  const s = await shown();
  const [reference] = cliDecisions([s.lead]);
  assert.equal(s.canonical, reference);
  const cli = JSON.parse(reference);
  assert.equal(s.route, 'nurture');
  assert.deepEqual(s.scores, cli.scores);
  assert.match(s.promise, /self-serve guide/);
  assert.equal(s.explanation.trimEnd(), cliExplain(s.lead).trimEnd());
  await page.screenshot({ path: path.join(outDir, 'demo-nurture.png'), fullPage: true });
});

test('a lead that cannot be scored shows its error, as the CLI reports it', async () => {
  await page.fill('#f-email', '');
  const lead = JSON.parse(await page.textContent('#lead-json'));
  const [reference] = cliDecisions([lead]);
  assert.equal(await page.textContent('#decision-json'), reference);
  assert.ok(await page.isVisible('#rejected'));
  assert.match(await page.textContent('#rejected'), /email: required field is missing/);
  assert.equal((await page.textContent('#explanation')).trimEnd(), cliExplain(lead).trimEnd());
  await page.fill('#f-email', 'maria.student@gmail.com');
  assert.ok(await page.isHidden('#rejected'));
});

test('per-lead scoring time in the browser', async () => {
  const bench = await page.evaluate(() => window.leadgateBench(5000));
  const browser = await context.browser()?.version();
  const timing = await page.evaluate(() => {
    // The page's own milestones (ms since navigation), beside the demo's.
    const nav = performance.getEntriesByType('navigation')[0];
    return { ...window.leadgateTiming, domContentLoadedMs: nav.domContentLoadedEventEnd, loadEventMs: nav.loadEventEnd };
  });
  timing.afterScriptStartMs = timing.firstDecisionMs - timing.scriptStartMs;
  const record = { ...bench, ...timing, chromium: browser ?? (await page.evaluate(() => navigator.userAgent)), agreement: 'b2b-saas-inbound' };
  fs.writeFileSync(path.join(outDir, 'browser-timing.json'), JSON.stringify(record, null, 2) + '\n');
  console.log(
    `browser timing: score() ${bench.scoreMicrosPerLead.toFixed(1)} µs/lead, scoreMany() ${bench.scoreManyMicrosPerLead.toFixed(1)} µs/lead (${bench.leads} leads, headless Chromium); first decision ${timing.firstDecisionMs.toFixed(0)} ms after navigation, ${timing.afterScriptStartMs.toFixed(0)} ms after the demo's script started (module and agreement.lgc ${timing.readyMs.toFixed(0)} ms; DOMContentLoaded ${timing.domContentLoadedMs.toFixed(0)} ms, load ${timing.loadEventMs.toFixed(0)} ms)`,
  );
  assert.ok(bench.scoreMicrosPerLead > 0);
});

test('no network beyond the demo server, no page errors', () => {
  assert.deepEqual(offsite, []);
  assert.deepEqual(pageErrors, []);
});
