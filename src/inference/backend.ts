/**
 * Chooses and starts tf.js's backend for the shelf CNN, wherever it runs (a web worker, the
 * page, Node): WebGL only on a real GPU, since a software renderer (SwiftShader, llvmpipe:
 * what headless Chromium and most servers have) runs the CNN slower than wasm does; else
 * wasm, with SIMD where the engine has it and threads where SharedArrayBuffer exists (the
 * page cross-origin isolated: vite.config.ts sends COOP/COEP); else tf.js's plain cpu.
 *
 * The wasm binaries are never fetched from a CDN: the caller names where they are served
 * (wasmUrls.ts in a Vite build, the package's dist folder in Node: nodeWasmPaths.ts).
 * tf.js's backend is global to its realm (a worker, a page, a Node process), so this is
 * called once per realm.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'webgl' | 'wasm' | 'cpu';
/** 'auto': webgl on a real GPU, else wasm, else cpu. A named one is tried first, then the rest in that order. */
export type BackendChoice = BackendName | 'auto';

/** The wasm binaries' file names, as tfjs-backend-wasm asks for them. */
export type WasmFile = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

export interface BackendOptions {
  readonly prefer?: BackendChoice;
  /** Where the wasm binaries are: a folder (URL or path ending in '/') or each file's URL. Without it wasm is skipped. */
  readonly wasmPaths?: string | Readonly<Record<WasmFile, string>>;
  /** XNNPACK threads for wasm when threads are available (default and most: cores / 2, tfjs's own cap); a pool of N workers gives each cores / N. */
  readonly threads?: number;
  /** Use WebGL even on a software renderer (the bench measures it, labelled software). */
  readonly allowSoftwareWebgl?: boolean;
  /**
   * JPEG decoding in VisionService: `auto` (default) mozjpeg's wasm where `jpegWasm` is given
   * (wasmJpeg.ts), else the browser's own where it has one (nativeDecode.ts), else jpeg-js;
   * `native` the browser's (an Error where it has none); `wasm` mozjpeg's (an Error without
   * `jpegWasm`); `js` jpeg-js always. mozjpeg first: the held-out scores are measured through
   * it, and in Chromium it was as fast as the browser's decoder and cost the page's ingest less
   * (bench/vision.bench.ts, three runs: 0.93-1.05 of ingest alone, against 0.80-0.95), the
   * browser's decoding on threads of its own beside the worker.
   */
  readonly decode?: 'auto' | 'native' | 'wasm' | 'js';
  /** mozjpeg's decoder compiled (nodeWasmPaths.ts `nodeJpegWasm`, or wasmUrls.ts `JPEG_WASM_URL` compiled): a Module clones to workers. */
  readonly jpegWasm?: WebAssembly.Module;
}

export interface BackendInfo {
  readonly name: BackendName;
  /** wasm: the SIMD build runs. */
  readonly simd: boolean;
  /** wasm: XNNPACK's threads (1: the single-threaded build); 1 for the others. */
  readonly threads: number;
  /** wasm: threads could run here (SharedArrayBuffer: a cross-origin isolated page, or its workers). */
  readonly threadsAvailable: boolean;
  /** webgl: the renderer's name (WEBGL_debug_renderer_info), when one was found. */
  readonly renderer?: string;
  /** webgl: the renderer is software (SwiftShader, llvmpipe, …), not a GPU. */
  readonly software: boolean;
  /** Why a better backend or feature was not used, one line each (e.g. 'webgl skipped: software renderer …'). */
  readonly notes: readonly string[];
}

/** Renderer names of WebGL drawn on the CPU. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|lavapipe|software|basic render driver|mesa offscreen/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERERS.test(renderer);
}

/**
 * The WebGL renderer this realm would draw with, or undefined where there is no WebGL (Node,
 * a worker without OffscreenCanvas, a browser with WebGL off).
 */
export function webglRenderer(): string | undefined {
  let canvas: OffscreenCanvas | HTMLCanvasElement | undefined;
  if (typeof OffscreenCanvas !== 'undefined') canvas = new OffscreenCanvas(1, 1);
  else if (typeof document !== 'undefined') canvas = document.createElement('canvas');
  if (!canvas) return undefined;
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | WebGL2RenderingContext | null;
  if (!gl) return undefined;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

/** Starts the first backend that works, in the order the choice gives; throws only if none does (cpu always does). */
export async function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const prefer = options.prefer ?? 'auto';
  const order: BackendName[] = prefer === 'auto' ? ['webgl', 'wasm', 'cpu'] : [prefer, ...(['webgl', 'wasm', 'cpu'] as const).filter((b) => b !== prefer)];
  const notes: string[] = [];
  for (const name of order) {
    const info = await tryBackend(name, options, notes, prefer === name);
    if (info) return info;
  }
  throw new Error(`no tf.js backend started: ${notes.join('; ')}`);
}

async function tryBackend(name: BackendName, options: BackendOptions, notes: string[], named: boolean): Promise<BackendInfo | undefined> {
  if (name === 'webgl') {
    const renderer = webglRenderer();
    if (renderer === undefined) {
      notes.push('webgl skipped: no WebGL here');
      return undefined;
    }
    // A named webgl on software still counts as skipped unless allowed: a user who asks for
    // the GPU should not silently get a CPU drawing triangles.
    if (isSoftwareRenderer(renderer) && !options.allowSoftwareWebgl) {
      notes.push(`webgl skipped: software renderer (${renderer})${named ? '; allowSoftwareWebgl to use it anyway' : ''}`);
      return undefined;
    }
    if (!(await setBackend('webgl', notes))) return undefined;
    return { name, simd: false, threads: 1, threadsAvailable: false, renderer, software: isSoftwareRenderer(renderer), notes };
  }
  if (name === 'wasm') {
    if (!options.wasmPaths) {
      notes.push('wasm skipped: no wasmPaths given');
      return undefined;
    }
    const [simd, threaded] = await Promise.all([tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')]);
    if (!threaded) notes.push(threadsNote());
    if (!simd) notes.push('wasm SIMD: not supported by this engine');
    // XNNPACK in tfjs-backend-wasm uses at most hardwareConcurrency / 2 threads (it assumes
    // two hyperthreads a core). Where that, or the share the pool gives this worker, is one
    // thread, the threaded build would only start 8 idle pthread workers: load the plain one.
    const cap = Math.floor(cores() / 2);
    const want = Math.min(options.threads ?? cap, cap);
    if (threaded && simd && want < 2) {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      notes.push(`wasm threads: available but not used (${options.threads !== undefined && options.threads < cap ? `this worker's share of the cores is ${options.threads}` : `tfjs uses at most cores / 2 = ${cap}`})`);
    }
    configureWasm({ ...options, threads: Math.max(1, want) });
    if (!(await setBackend('wasm', notes))) return undefined;
    return { name, simd: Boolean(simd), threads: getThreadsCount(), threadsAvailable: Boolean(threaded), software: false, notes };
  }
  if (!(await setBackend('cpu', notes))) return undefined;
  return { name, simd: false, threads: 1, threadsAvailable: false, software: false, notes };
}

/** setWasmPaths throws once the wasm backend has been tried; a second init in one realm keeps the first paths. */
let wasmConfigured = false;

function configureWasm(options: BackendOptions): void {
  if (wasmConfigured) return;
  setWasmPaths(options.wasmPaths as string | Record<WasmFile, string>);
  if (options.threads !== undefined) setThreadsCount(Math.max(1, Math.floor(options.threads)));
  wasmConfigured = true;
}

async function setBackend(name: BackendName, notes: string[]): Promise<boolean> {
  const restore = keepProcessHandlers();
  try {
    if (await tf.setBackend(name)) {
      await tf.ready();
      return true;
    }
    notes.push(`${name} failed to start`);
  } catch (e) {
    notes.push(`${name} failed to start: ${(e as { message?: string }).message ?? String(e)}`);
  } finally {
    restore();
  }
  return false;
}

/**
 * In Node, the wasm backend's Emscripten glue adds process-wide uncaughtException and
 * unhandledRejection handlers that rethrow, so that any later unhandled error in the process
 * prints the glue's whole minified source line and crashes where Node would only warn or
 * print the error. Whatever it adds is taken off again.
 */
function keepProcessHandlers(): () => void {
  type Listener = (...args: any[]) => void; // Node's own listener type
  const p = (globalThis as { process?: { listeners?(event: string): Listener[]; removeListener(event: string, l: Listener): unknown } }).process;
  if (!p?.listeners) return () => {};
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((e) => new Set(p.listeners!(e)));
  return () =>
    events.forEach((e, i) => {
      for (const l of p.listeners!(e)) if (!before[i]!.has(l)) p.removeListener(e, l);
    });
}

function cores(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return n && n > 0 ? n : 1;
}

function threadsNote(): string {
  const g = globalThis as { crossOriginIsolated?: boolean; process?: { versions?: { node?: string } } };
  if (g.process?.versions?.node && typeof g.crossOriginIsolated === 'undefined') return 'wasm threads: off in Node (tfjs-backend-wasm runs single-threaded there)';
  if (g.crossOriginIsolated === false) return 'wasm threads: off, the page is not cross-origin isolated (COOP/COEP headers)';
  return 'wasm threads: not supported here';
}
