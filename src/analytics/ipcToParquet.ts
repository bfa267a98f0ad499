/**
 * An Arrow IPC stream to a Parquet file, with parquet-wasm (Rust's arrow and parquet crates
 * compiled to WebAssembly). DuckDB-WASM 1.32 cannot write Parquet without downloading its
 * parquet extension, which the workbench never does; the Arrow a query returns already has
 * every column's type, so the file keeps them exactly (timestamps, dates, integers, text).
 * The module is passed in: the page loads the browser build lazily (loadParquetWasm.ts),
 * Node imports the Node build.
 */

/** What is used of parquet-wasm's module (its browser and Node builds both have it). */
export interface ParquetWasm {
  readonly Table: { fromIPCStream(buf: Uint8Array): unknown };
  readonly WriterPropertiesBuilder: new () => { setCompression(c: number): { build(): unknown } };
  readonly Compression: { readonly ZSTD: number };
  writeParquet(table: never, properties?: never): Uint8Array;
}

/** One Parquet file, ZSTD-compressed, from one Arrow IPC stream (any number of record batches). */
export function ipcToParquet(pq: ParquetWasm, ipc: Uint8Array): Uint8Array {
  const properties = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.ZSTD).build();
  return pq.writeParquet(pq.Table.fromIPCStream(ipc) as never, properties as never);
}
