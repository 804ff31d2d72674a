// The report's HTML pages in headless Chromium, as a person opens them:
// the backtest of the real export (calibration chart, histograms with axes)
// and a roster replay (per-person load and SLA). Each page must load with
// no request leaving the file, show its charts with a size on screen, and
// its screenshot must hold the charts' colours (a page that renders blank,
// or charts drawn outside the view, fail here).
//
// Needs: the real export at ../shared/data/x-education-leads.csv (never
// copied into the repository), /usr/bin/chromium (or CHROMIUM) and
// playwright-core from bindings/wasm/node_modules (bindings/wasm/test.sh
// installs both), LEADGATE_CLI (a built `leadgate`; default
// target/debug/leadgate). Leaves the pages and screenshots in
// target/report-pages/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(path.join(root, 'bindings', 'wasm', 'package.json'));
const { chromium } = require('playwright-core');

const CLI = process.env.LEADGATE_CLI || path.join(root, 'target', 'debug', 'leadgate');
const EXPORT = path.resolve(root, '..', 'shared', 'data', 'x-education-leads.csv');
const AGREEMENT = path.join(root, 'rules-examples', 'education-admissions.lead');
const ROSTER = path.join(root, 'rules-examples', 'education-admissions.roster.yaml');
const OUT = path.join(root, 'target', 'report-pages');

let context;
let profile;

function leadgate(args) {
  return execFileSync(CLI, args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
}

before(async () => {
  assert.ok(fs.existsSync(EXPORT), `the real export is needed at ${EXPORT}`);
  assert.ok(fs.existsSync(CLI), `no leadgate binary at ${CLI} (cargo build -p leadgate-cli)`);
  fs.mkdirSync(OUT, { recursive: true });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'leadgate-report-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await context?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

/** Opens `file` and fails on any request that is not the file itself or a
 * data: URL, and on any page error. */
async function open(file) {
  const page = await context.newPage();
  const offsite = [];
  const errors = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file://') && !u.startsWith('data:')) offsite.push(u);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(file).href);
  await page.waitForLoadState('load');
  assert.deepEqual(offsite, [], 'the page is self-contained');
  assert.deepEqual(errors, []);
  return page;
}

/** Pixel statistics of a PNG, decoded by the browser itself: the share of
 * pixels that are not near-white and the distinct saturated colours (hue
 * buckets) among them. */
async function pixels(png) {
  const page = await context.newPage();
  const stats = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    const hues = new Set();
    for (let i = 0; i < d.length; i += 4) {
      const [r, gr, b] = [d[i], d[i + 1], d[i + 2]];
      const max = Math.max(r, gr, b);
      const min = Math.min(r, gr, b);
      if (min < 235) ink++;
      if (max - min > 60) {
        // saturated: bucket its hue into twelve sectors
        let h;
        if (max === r) h = ((gr - b) / (max - min) + 6) % 6;
        else if (max === gr) h = (b - r) / (max - min) + 2;
        else h = (r - gr) / (max - min) + 4;
        hues.add(Math.floor(h * 2));
      }
    }
    return { width: c.width, height: c.height, ink: ink / (d.length / 4), hues: hues.size };
  }, png.toString('base64'));
  await page.close();
  return stats;
}

/** Every chart matched by `selector` is on the page with a size, and draws
 * at least `bars` bars (rectangles with a tooltip), some of them with a
 * height. */
async function chartsShown(page, selector, bars) {
  const charts = await page.$$(selector);
  for (const chart of charts) {
    const box = await chart.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 40, `${selector} has a size on screen: ${JSON.stringify(box)}`);
    const [all, tall] = await chart.$$eval('rect', (rs) => {
      const barsOf = rs.filter((r) => r.querySelector('title'));
      return [barsOf.length, barsOf.filter((r) => Number(r.getAttribute('height')) > 0).length];
    });
    assert.ok(all >= bars && tall >= 1, `${selector} draws at least ${bars} bars, some with a height: ${all} bars, ${tall} with a height`);
  }
  return charts.length;
}

test('the backtest page of the real export shows calibration per score decile, histograms with axes', async () => {
  const html = path.join(OUT, 'backtest.html');
  const json = JSON.parse(leadgate(['report', AGREEMENT, EXPORT, '--by', 'lead_source', '--outcome', 'Converted',
    '--as-of', '2026-11-23', '--format', 'json', '--html', html]));
  const page = await open(html);
  const heading = page.locator('h2', { hasText: 'Calibration: conversion per score decile' });
  assert.ok(await heading.isVisible());
  // One calibration chart for the total and one per score: a bar per
  // decile (fewer where many leads share a score).
  // (the JSON lists the total among the scores' distributions).
  const names = json.scores.map((d) => d.score);
  assert.ok(names.includes('total') && names.length >= 2, `scores: ${names}`);
  const cal = await chartsShown(page, 'svg.cal', 2);
  assert.equal(cal, names.length, 'one calibration chart for the total and one per score');
  // Every histogram has axis labels (numbers under it).
  const hist = await chartsShown(page, 'svg.hist', 3);
  assert.ok(hist >= 2, `histograms: ${hist}`);
  const axisLabels = await page.$$eval('svg.hist', (svgs) => svgs.map((s) => [...s.querySelectorAll('text')].filter((t) => /\d/.test(t.textContent)).length));
  assert.ok(axisLabels.every((n) => n >= 2), `each histogram labels its axis: ${axisLabels}`);
  // No rule label is cut in the middle of a word: a cut label ends with an
  // ellipsis that follows a whole word of the full label.
  const labels = await page.$$eval('svg text', (ts) => ts.map((t) => t.textContent).filter((s) => s.endsWith('…')));
  const rules = new Set(fs.readFileSync(AGREEMENT, 'utf8').match(/"[^"]+"/g).map((s) => s.slice(1, -1)));
  for (const label of labels) {
    const head = label.slice(0, -1).trimEnd();
    const full = [...rules].find((r) => r.startsWith(head));
    if (full) assert.ok(full.length === head.length || /\s/.test(full[head.length]), `"${label}" is cut between words of "${full}"`);
  }

  await heading.scrollIntoViewIfNeeded();
  const section = await page.screenshot({ path: path.join(OUT, 'backtest-calibration.png') });
  const s = await pixels(section);
  assert.ok(s.ink > 0.03, `the calibration view has ink: ${JSON.stringify(s)}`);
  assert.ok(s.hues >= 2, `the calibration view is drawn in colour: ${JSON.stringify(s)}`);
  const whole = await page.screenshot({ path: path.join(OUT, 'backtest.png'), fullPage: true });
  const w = await pixels(whole);
  assert.ok(w.height > 2000 && w.ink > 0.03 && w.hues >= 3, `the whole page: ${JSON.stringify(w)}`);
  await page.close();
});

/** The export with an arrival time (`Created`, 13 weeks from 2026-03-02,
 * in input order) and a follow-up time for 85% of the leads, from a fixed
 * pseudo-random sequence. */
function withTimes(dst) {
  const lines = fs.readFileSync(EXPORT, 'utf8').split(/\r?\n/).filter((l) => l !== '');
  let seed = 13;
  const rand = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const start = Date.UTC(2026, 2, 2, 3, 30); // 09:00 in Kolkata
  const span = 91 * 24 * 60;
  const minutes = lines.slice(1).map(() => Math.floor(rand() * span)).sort((a, b) => a - b);
  const stamp = (ms) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
  const out = [`${lines[0]},Created,Followed up`];
  lines.slice(1).forEach((line, i) => {
    const created = start + minutes[i] * 60000;
    const followed = rand() < 0.85 ? stamp(created + (10 + Math.floor(rand() * 30 * 60)) * 60000) : '';
    out.push(`${line},${stamp(created)},${followed}`);
  });
  fs.writeFileSync(dst, out.join('\n') + '\n');
  return lines.length - 1;
}

test('the replay page of the real export with the bundled roster shows load and SLA per person', async () => {
  const csv = path.join(OUT, 'replay.csv');
  const n = withTimes(csv);
  assert.equal(n, 9240);
  const html = path.join(OUT, 'replay.html');
  const json = JSON.parse(leadgate(['report', AGREEMENT, csv, '--roster', ROSTER, '--as-of-column', 'Created',
    '--followed-up-at', 'Followed up', '--format', 'json', '--html', html]));
  assert.equal(json.leads ?? json.funnel?.leads ?? n, n);
  const page = await open(html);
  const heading = page.locator('h2#assignment');
  assert.ok(await heading.isVisible());
  // Every person of the roster has a row in the assignment part.
  const people = [...new Set([...fs.readFileSync(ROSTER, 'utf8').matchAll(/name: ([^,}]+)/g)].map((m) => m[1].trim()))];
  const text = await page.$eval('body', (b) => b.innerText);
  const part = text.slice(text.indexOf('Assignment (roster)'));
  for (const person of people) assert.ok(part.includes(person), `${person} has a row`);
  assert.match(part, /SLA|within/i);
  await heading.scrollIntoViewIfNeeded();
  const shot = await page.screenshot({ path: path.join(OUT, 'replay-assignment.png') });
  const s = await pixels(shot);
  assert.ok(s.ink > 0.03, `the assignment view has ink: ${JSON.stringify(s)}`);
  await page.screenshot({ path: path.join(OUT, 'replay.png'), fullPage: true });
  await page.close();
});
