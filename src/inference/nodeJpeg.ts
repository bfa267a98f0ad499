/**
 * mozjpeg's wasm decoder (wasmJpeg.ts) ready on this Node thread, synchronously: what the
 * CLI's vision feed, the training set's renders and the tests decode frames with, as Node's
 * vision pool does in its workers. Node only (reads the binary from the package).
 */
import { nodeJpegWasm } from './nodeWasmPaths';
import { wasmJpegDecoder, type SyncJpegDecoder } from './wasmJpeg';

export const decodeJpegNode: SyncJpegDecoder = await wasmJpegDecoder(nodeJpegWasm());
