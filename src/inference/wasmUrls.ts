/**
 * The tf.js wasm binaries as the Vite build serves them (same origin, so nothing is fetched
 * from a CDN and cross-origin isolation holds), for backend.ts in a web worker or the page.
 * Node reads them from the package instead (nodeWasmPaths.ts). Beside them, mozjpeg's JPEG
 * decoder (wasmJpeg.ts).
 */
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import jpegWasm from '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm?url';
import type { WasmFile } from './backend';

export const WASM_URLS: Readonly<Record<WasmFile, string>> = {
  'tfjs-backend-wasm.wasm': plain,
  'tfjs-backend-wasm-simd.wasm': simd,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
};

/** mozjpeg's decoder, compiled on the page and handed to the workers (browserVisionPool.ts). */
export const JPEG_WASM_URL: string = jpegWasm;
