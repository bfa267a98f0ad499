/**
 * The shelf CNN as a service, one per web worker (workers/vision.worker.ts) or Node worker
 * thread (workers/visionNode.worker.ts), or in-process in Node: started once with the layout,
 * the model and the backend's options, then `run` a camera frame at a time (VisionRunner:
 * decode, crop, classify). The frame's JPEG arrives transferred, so the worker owns it.
 * Plain TypeScript: tested in Node without a worker.
 */
import { LayoutIndex } from '../layout/LayoutIndex';
import { parseLayoutText } from '../layout/parseLayout';
import { initBackend, type BackendInfo, type BackendOptions } from './backend';
import { nativeJpegDecoder, type JpegDecoder } from './nativeDecode';
import { loadVisionModel, type ClassMap, type VisionModel } from './userModel';
import { VisionRunner, type FrameInput, type FrameResult } from './VisionRunner';
import { wasmJpegDecoder } from './wasmJpeg';

export type JpegDecoderName = 'native' | 'wasm' | 'js';

export interface VisionReady {
  readonly backend: BackendInfo;
  readonly classMap: ClassMap;
  /** The model's weights, counted. */
  readonly params: number;
  /** Starting the backend and loading the model took this long, ms. */
  readonly ms: number;
  /** Who decodes the frames' JPEGs: the browser (`native`), mozjpeg's wasm (`wasm`) or jpeg-js (`js`). */
  readonly decoder: JpegDecoderName;
}

export class VisionService {
  private runner: VisionRunner | undefined;
  private ready: VisionReady | undefined;
  private decode: JpegDecoder | undefined;

  /**
   * Starts tf.js's backend (backend.ts: once per realm) and loads the layout and the model.
   * A layout that does not load is an Error with its first problems; a model or class map
   * that does not fit is a ModelError naming every problem.
   */
  async init(layout: string | object, model: VisionModel, backend: BackendOptions = {}): Promise<VisionReady> {
    const t0 = performance.now();
    const parsed = parseLayoutText(typeof layout === 'string' ? layout : JSON.stringify(layout));
    if (!parsed.ok) throw new Error(`the layout does not load: ${parsed.problems.slice(0, 3).map((p) => `${p.path}: ${p.reason}`).join('; ')}`);
    const choice = backend.decode ?? 'auto';
    if (choice === 'wasm' && !backend.jpegWasm) throw new Error("decode 'wasm' needs jpegWasm: mozjpeg's decoder compiled");
    const wasm = (choice === 'auto' || choice === 'wasm') && backend.jpegWasm ? await wasmJpegDecoder(backend.jpegWasm) : undefined;
    const native = choice === 'native' || (choice === 'auto' && !wasm) ? nativeJpegDecoder() : undefined;
    if (choice === 'native' && !native) throw new Error("decode 'native': this realm has no JPEG decoder of its own (createImageBitmap and OffscreenCanvas)");
    const info = await initBackend(backend);
    const loaded = await loadVisionModel(model);
    this.runner?.cnn.dispose();
    this.runner = new VisionRunner(new LayoutIndex(parsed.layout), loaded.cnn, wasm);
    // Compile the model's kernels now (wasm's XNNPACK packs weights, webgl compiles shaders), not on the first frame.
    loaded.cnn.classifyInputs(new Float32Array(loaded.cnn.inputSize));
    this.decode = native;
    this.ready = { backend: info, classMap: loaded.classMap, params: loaded.params, ms: performance.now() - t0, decoder: native ? 'native' : wasm ? 'wasm' : 'js' };
    return this.ready;
  }

  /** One frame's verdicts; an unknown camera or a JPEG that does not decode is an Error. */
  async run(frame: FrameInput): Promise<FrameResult> {
    const runner = this.runner;
    if (!runner) throw new Error('the vision service is not started: call init first');
    if (!this.decode) return runner.run(frame);
    const started = performance.now();
    return runner.runImage(frame, await this.decode(frame.jpeg), started);
  }

  /** What init answered (undefined before). */
  info(): VisionReady | undefined {
    return this.ready;
  }

  dispose(): void {
    this.runner?.cnn.dispose();
    this.runner = undefined;
  }
}

/** A result's own buffers (each crop's), to transfer back from a worker instead of copying them. */
export function resultTransferables(result: FrameResult): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const s of result.slots) if (s.crop.buffer instanceof ArrayBuffer && s.crop.byteLength === s.crop.buffer.byteLength) seen.add(s.crop.buffer);
  return [...seen];
}
