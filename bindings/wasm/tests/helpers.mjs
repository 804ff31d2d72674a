// Shared by the node tests: the node build of the package, and paths.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const wasmDir = path.resolve(here, '..');
export const repoRoot = path.resolve(wasmDir, '..', '..');

const require = createRequire(import.meta.url);
/** The node build (`pkg/node`), as the package's `node` export resolves it. */
export const leadgate = require(path.join(wasmDir, 'pkg', 'node', 'leadgate_wasm.js'));
