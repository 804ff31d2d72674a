// The npm package as users get it: `npm pack` of pkg/, installed from the
// tarball into temporary apps, each scoring a lead with a plain
// `import { compile } from 'leadgate'` (no init(), no plugin, no loader):
// bundled by esbuild, Vite and webpack, each page loaded in headless
// Chromium; and node scripts, ESM and CommonJS, and the `/node` and `/web`
// subpaths. Every decision must be the CLI's canonical line for that lead.
//
// Env: LEADGATE_TARBALL (a packed tarball; default: npm pack here),
// CHROMIUM (default /usr/bin/chromium), LEADGATE_CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { cli, serve } from '../tests/helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const wasmDir = path.resolve(here, '..');
const bin = (name) => path.join(wasmDir, 'node_modules', '.bin', name);
const AS_OF = '2026-11-23';
const AGREEMENT = `agreement "Package check"
fields {
  lead_id : text id
  employees : number
  title : text
}
score fit {
  +30 "Big company" when employees >= 200
  +20 "Decision maker" when title matches /vp|head|chief/i
}
route {
  sales within 1h "Hot" when fit >= 40
  nurture otherwise
}
`;
const LEAD = { lead_id: 'pkg-1', employees: 350, title: 'VP Product' };

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'leadgate-package-'));
let tarball;
let expected;
let context;

/** The app's source: scores LEAD and shows the canonical decision. */
const MAIN = `import { compile } from 'leadgate';
const agreement = compile(${JSON.stringify(AGREEMENT)});
const decision = agreement.score(${JSON.stringify(LEAD)}, { asOf: '${AS_OF}' });
document.body.dataset.route = decision.route;
document.body.textContent = agreement.scoreJson(${JSON.stringify(LEAD)}, { asOf: '${AS_OF}' });
document.body.dataset.done = 'true';
`;

/** A new app with the tarball installed (nothing else: the package has no dependencies). */
function app(name) {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', tarball], { cwd: dir });
  fs.writeFileSync(path.join(dir, 'src', 'main.js'), MAIN);
  return dir;
}

/** Serves `dir`, opens its index.html in Chromium, and returns what the page shows. */
async function load(dir) {
  const server = await serve(dir);
  const page = await context.newPage();
  const errors = [];
  const requested = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => requested.push(r.url()));
  try {
    await page.goto(`${server.base}/index.html`);
    await page.waitForSelector('body[data-done="true"]', { timeout: 30000 }).catch((e) => {
      throw new Error(`${e.message}; page errors: ${errors.join('; ')}`);
    });
    assert.deepEqual(errors, []);
    return { text: await page.textContent('body'), requested };
  } finally {
    await page.close();
    server.stop();
  }
}

before(async () => {
  tarball = process.env.LEADGATE_TARBALL;
  if (!tarball) {
    const name = execFileSync('npm', ['pack', path.join(wasmDir, 'pkg'), '--silent', '--pack-destination', work], { encoding: 'utf8' }).trim();
    tarball = path.join(work, name);
  }
  const input = path.join(work, 'lead.jsonl');
  fs.writeFileSync(input, JSON.stringify(LEAD) + '\n');
  const agreement = path.join(work, 'check.lead');
  fs.writeFileSync(agreement, AGREEMENT);
  expected = cli(['score', agreement, input, '--as-of', AS_OF]).trim();
  assert.match(expected, /"route": "sales"/);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'leadgate-package-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  // Nothing leaves the machine: a request off 127.0.0.1 fails the page.
  await context.route('**/*', (route) => (route.request().url().startsWith('http://127.0.0.1:') ? route.continue() : route.abort()));
});

after(async () => {
  await context?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball has the licenses, the four entries, and no internals in its declarations', () => {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
  for (const f of ['LICENSE-MIT', 'LICENSE-APACHE', 'README.md', 'package.json', 'index.js', 'index.d.ts',
    'web/leadgate_wasm.js', 'web/leadgate_wasm.d.ts', 'web/leadgate_wasm_bg.wasm',
    'node/leadgate_wasm.js', 'node/leadgate_wasm.d.ts', 'node/leadgate_wasm_bg.wasm',
    'runtime/leadgate_wasm.js', 'runtime/leadgate_wasm.d.ts', 'runtime/leadgate_wasm_bg.wasm']) {
    assert.ok(files.includes(`package/${f}`), `${f} in the tarball: ${files.join(' ')}`);
  }
  for (const f of files.filter((f) => f.endsWith('.d.ts'))) {
    const dts = execFileSync('tar', ['-xzOf', tarball, f], { encoding: 'utf8' });
    assert.doesNotMatch(dts, /__panicForTest|__parseInstant|__scoreOne|__scoreBatch|__share|InitOutput/, f);
  }
  const index = execFileSync('tar', ['-xzOf', tarball, 'package/index.d.ts'], { encoding: 'utf8' });
  assert.match(index, /export \{ Agreement, compile, loadCompiled \} from/);
  assert.match(index, /export type \{[^}]*\bDecision\b[^}]*\bScoreOptions\b/);
  // The form runtime loads compiled agreements and compiles none.
  const runtime = execFileSync('tar', ['-xzOf', tarball, 'package/runtime/leadgate_wasm.d.ts'], { encoding: 'utf8' });
  assert.match(runtime, /export function loadCompiled\(/);
  assert.doesNotMatch(runtime, /export function compile\(/);
});

test('esbuild: the bundle scores a lead in Chromium, the .wasm inside it', async () => {
  const dir = app('esbuild-app');
  execFileSync(bin('esbuild'), ['src/main.js', '--bundle', '--format=esm', '--outfile=dist/main.js', '--log-level=warning'], { cwd: dir });
  fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><body><script type="module" src="main.js"></script></body>');
  const shown = await load(path.join(dir, 'dist'));
  assert.equal(shown.text, expected);
  assert.ok(!shown.requested.some((u) => u.endsWith('.wasm')), shown.requested.join(' '));
});

test('Vite: the build scores a lead in Chromium', async () => {
  const dir = app('vite-app');
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><body><script type="module" src="/src/main.js"></script></body>');
  execFileSync(process.execPath, [path.join(wasmDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', '--base', './'], { cwd: dir });
  const shown = await load(path.join(dir, 'dist'));
  assert.equal(shown.text, expected);
});

test('webpack: the bundle scores a lead in Chromium', async () => {
  const dir = app('webpack-app');
  const { createRequire } = await import('node:module');
  const webpack = createRequire(path.join(wasmDir, 'package.json'))('webpack');
  const stats = await new Promise((resolve, reject) => {
    webpack({
      mode: 'production',
      context: dir,
      entry: './src/main.js',
      output: { path: path.join(dir, 'dist'), filename: 'main.js' },
      performance: { hints: false },
    }, (err, s) => (err ? reject(err) : resolve(s)));
  });
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><body><script src="main.js"></script></body>');
  const shown = await load(path.join(dir, 'dist'));
  assert.equal(shown.text, expected);
});

test('node: ESM and CommonJS scripts, and the /node, /web and /runtime subpaths, score a lead', () => {
  const dir = app('node-app');
  const score = `.scoreJson(${JSON.stringify(LEAD)}, { asOf: '${AS_OF}' })`;
  const scripts = {
    'esm.mjs': `import { compile } from 'leadgate';\nconsole.log(compile(${JSON.stringify(AGREEMENT)})${score});\n`,
    'cjs.cjs': `const { compile } = require('leadgate');\nconsole.log(compile(${JSON.stringify(AGREEMENT)})${score});\n`,
    'node-subpath.cjs': `const { compile } = require('leadgate/node');\nconsole.log(compile(${JSON.stringify(AGREEMENT)})${score});\n`,
    // The /web build in node: init() with the bytes, as a page would fetch them.
    'web-subpath.mjs': `import fs from 'node:fs';\nimport { createRequire } from 'node:module';\nimport init, { compile } from 'leadgate/web';\n`
      + `await init({ module_or_path: fs.readFileSync(createRequire(import.meta.url).resolve('leadgate/leadgate_wasm_bg.wasm')) });\n`
      + `console.log(compile(${JSON.stringify(AGREEMENT)})${score});\n`,
    // The form runtime: an agreement compiled by the node build, loaded.
    'runtime-subpath.mjs': `import fs from 'node:fs';\nimport { createRequire } from 'node:module';\nimport { compile } from 'leadgate';\n`
      + `import init, { loadCompiled } from 'leadgate/runtime';\n`
      + `await init({ module_or_path: fs.readFileSync(createRequire(import.meta.url).resolve('leadgate/runtime/leadgate_wasm_bg.wasm')) });\n`
      + `console.log(loadCompiled(compile(${JSON.stringify(AGREEMENT)}).toCompiled())${score});\n`,
  };
  for (const [name, source] of Object.entries(scripts)) {
    fs.writeFileSync(path.join(dir, name), source);
    const out = execFileSync(process.execPath, [name], { cwd: dir, encoding: 'utf8' }).trim();
    assert.equal(out, expected, name);
  }
});
