import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

/** Cross-origin isolation lets DuckDB-WASM and the tfjs wasm backend use threads. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * DuckDB-WASM's worker scripts (src/analytics/openBrowserDuckDB.ts imports their URLs) are
 * served as they ship. Read by Vite's own loader, their source maps, which point outside the
 * package, cost one dev-server warning a source file: over a hundred lines at the first run.
 */
const duckdbWorkersAsShipped: Plugin = {
  name: 'duckdb-workers-as-shipped',
  apply: 'serve',
  load(id) {
    const file = id.split('?')[0]!;
    if (/[\\/]@duckdb[\\/]duckdb-wasm[\\/]dist[\\/]duckdb-browser-[a-z]+\.worker\.js$/.test(file)) return { code: readFileSync(file, 'utf8'), map: null };
    return undefined;
  },
};

export default defineConfig({
  root: '.',
  plugins: [duckdbWorkersAsShipped],
  server: { headers: isolationHeaders, host: '127.0.0.1' },
  preview: { headers: isolationHeaders, host: '127.0.0.1' },
  // Reached only through import() (the event store and the analytics charts load on first
  // need) or from a worker (the shelf CNN's: tf.js, its wasm backend, the JPEG decoder):
  // named here so the dev server never discovers them mid-session and reloads the page to
  // re-bundle.
  optimizeDeps: { include: ['@duckdb/duckdb-wasm', 'apache-arrow', '@observablehq/plot', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'jpeg-js'] },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', chunkSizeWarningLimit: 2000 },
});
