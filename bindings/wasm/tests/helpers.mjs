// Shared by the node tests: the node build of the package, and paths.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const wasmDir = path.resolve(here, '..');
export const repoRoot = path.resolve(wasmDir, '..', '..');

const require = createRequire(import.meta.url);
/** The node build (`pkg/node`), as the package's `node` export resolves it. */
export const leadgate = require(path.join(wasmDir, 'pkg', 'node', 'leadgate_wasm.js'));

/**
 * A fresh instance of the web build (`pkg/web`), or of the form runtime
 * (`build` = 'runtime': `pkg/runtime`), loaded in node: a copy, so that the
 * import is a module instance of its own.
 */
export async function loadWeb(build = 'web') {
  const webDir = path.join(wasmDir, 'pkg', build);
  const dir = fs.mkdtempSync(path.join(wasmDir, 'test-output-web-'));
  try {
    for (const f of ['leadgate_wasm.js', 'leadgate_wasm_bg.wasm', 'package.json']) {
      fs.copyFileSync(path.join(webDir, f), path.join(dir, f));
    }
    const m = await import(pathToFileURL(path.join(dir, 'leadgate_wasm.js')).href);
    m.initSync({ module: fs.readFileSync(path.join(dir, 'leadgate_wasm_bg.wasm')) });
    return m;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A small CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF), as
 * spreadsheet libraries give a sheet: an array of rows of text cells.
 */
export function readCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** Runs `f` with console.warn captured; returns [f's result, the warnings]. */
export function withWarnings(f) {
  const warn = console.warn;
  const seen = [];
  console.warn = (...args) => seen.push(args.join(' '));
  try {
    return [f(), seen];
  } finally {
    console.warn = warn;
  }
}

/** The CLI's canonical decision lines for `args` (LEADGATE_CLI, else cargo run). */
export function cli(args, input) {
  const bin = process.env.LEADGATE_CLI;
  const r = bin
    ? spawnSync(bin, args, { encoding: 'utf8', input, maxBuffer: 1 << 30 })
    : spawnSync('cargo', ['run', '--locked', '-q', '-p', 'leadgate-cli', '--', ...args], { cwd: repoRoot, encoding: 'utf8', input, maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 3) throw new Error(`leadgate ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/**
 * Serves `dir` on 127.0.0.1 with Python's http.server (which serves .wasm
 * as application/wasm) once its index.html answers: `{ base, stop }`.
 */
export async function serve(dir) {
  const port = await new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
  });
  const server = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', String(port)], { cwd: dir, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const end = Date.now() + 10000;
  for (;;) {
    try {
      if ((await fetch(`${base}/index.html`)).ok) return { base, stop: () => server.kill() };
    } catch {
      // not up yet
    }
    if (Date.now() > end) {
      server.kill();
      throw new Error(`no server at ${base} for ${dir}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
