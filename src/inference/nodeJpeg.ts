/**
 * mozjpeg's wasm decoder (wasmJpeg.ts) on this Node thread: what the CLI's vision feed and the
 * shelf CNN's held-out sets decode frames with, as Node's vision pool does in its workers.
 * Started on first use (compiling the binary takes a few milliseconds), once a thread. Node
 * only (reads the binary from the package).
 */
import { nodeJpegWasm } from './nodeWasmPaths';
import { wasmJpegDecoder, type SyncJpegDecoder } from './wasmJpeg';

export function nodeJpegDecoder(): Promise<SyncJpegDecoder> {
  return wasmJpegDecoder(nodeJpegWasm());
}
