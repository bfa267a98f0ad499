/**
 * The tf.js wasm binaries in Node: the folder tfjs-backend-wasm ships them in (backend.ts
 * reads them from disk; nothing is downloaded). The browser's are wasmUrls.ts.
 */
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

export function nodeWasmPaths(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist') + sep;
}
