/**
 * parquet-wasm's browser build, loaded on the first Parquet export: its 5 MB of WebAssembly
 * is served by Vite from the package (`?url`), never fetched from elsewhere, and never in
 * the page's first load.
 */
import type { ParquetWasm } from './ipcToParquet';

let loading: Promise<ParquetWasm> | undefined;

export function loadParquetWasm(): Promise<ParquetWasm> {
  loading ??= (async () => {
    const [{ default: wasmUrl }, mod] = await Promise.all([import('parquet-wasm/esm/parquet_wasm_bg.wasm?url'), import('parquet-wasm/esm')]);
    await mod.default({ module_or_path: wasmUrl });
    return mod as unknown as ParquetWasm;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
