/**
 * The tf.js wasm binaries in Node: the folder tfjs-backend-wasm ships them in (backend.ts
 * reads them from disk; nothing is downloaded), and mozjpeg's decoder (wasmJpeg.ts). The
 * browser's are wasmUrls.ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

export function nodeWasmPaths(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(pkg), 'dist') + sep;
}

let jpegWasm: WebAssembly.Module | undefined;

/** mozjpeg's decoder (wasmJpeg.ts) compiled from the binary @jsquash/jpeg ships, once a thread. */
export function nodeJpegWasm(): WebAssembly.Module {
  const file = createRequire(import.meta.url).resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm');
  return (jpegWasm ??= new WebAssembly.Module(readFileSync(file)));
}
