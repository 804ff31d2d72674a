// Shared by the node tests: the node build of the package, and paths.
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
 * A fresh instance of the web build (`pkg/web`), loaded in node: a copy, so
 * that the import is a module instance of its own.
 */
export async function loadWeb() {
  const webDir = path.join(wasmDir, 'pkg', 'web');
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
