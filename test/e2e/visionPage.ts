/**
 * The page side of vision.test.ts and bench/vision.bench.ts: starts a vision pool of web
 * workers on the shipped CNN and a layout, and hands the test a small API on
 * `window.__vision`: push frames (base64 JPEGs rendered in Node), keep the pool busy, and
 * time ingest on the page's thread beside it.
 */
import { messageMix } from '../../bench/messageMix';
import { startBrowserVisionPool } from '../../src/inference/browserVisionPool';
import { readModelFiles } from '../../src/inference/userModel';
import { Ingest } from '../../src/ingest/Ingest';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';
import type { BackendChoice } from '../../src/inference/backend';
import type { VisionPool, VisionPoolStats } from '../../src/inference/VisionPool';
import type { FrameResult } from '../../src/inference/VisionRunner';

export interface VisionPageApi {
  /** Starts a pool on the shipped CNN; with `classMap`, its files go through readModelFiles as a user's picked files would. */
  start(options: { layout: string; backend?: BackendChoice; allowSoftwareWebgl?: boolean; size?: number; classMap?: object; decode?: 'auto' | 'native' | 'wasm' | 'js' }): Promise<{ size: number; isolated: boolean; cores: number }>;
  /** Pushes a frame; answers the byte length its JPEG's buffer has in the page afterwards (0: transferred). */
  push(camera: string, ts: number, jpegBase64: string): number;
  /** Keeps one frame a camera in the pool for `ms` (a new one as each result comes back), counting frames and crops judged. */
  saturate(frames: Record<string, string>, ms: number): Promise<{ frames: number; crops: number; ms: number }>;
  /** saturate in two halves: start, then stop (waiting for the frames in flight). */
  startLoop(frames: Record<string, string>): void;
  stopLoop(): Promise<{ frames: number; crops: number; ms: number }>;
  /** Messages a second through Ingest on this thread (bench/messageMix.ts on the layout), in chunks with the event loop turning between them; best of `rounds`. */
  ingestRate(layoutUrl: string, n: number, rounds: number): Promise<number>;
  /** Starts (true) or ends (false) a worker that only spins: what any second busy thread costs. */
  spin(on: boolean): void;
  idle(): Promise<void>;
  stats(): VisionPoolStats;
  results(): { camera: string; ts: number; slots: number; fills: string[]; matches: number; likelyOwn: number; cropBytes: number }[];
  errors(): string[];
  close(): Promise<void>;
}

declare global {
  interface Window {
    __vision?: VisionPageApi;
  }
}

const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

let pool: VisionPool | undefined;
const results: FrameResult[] = [];
const errors: string[] = [];
let onResult: ((r: FrameResult) => void) | undefined;
let spinner: Worker | undefined;
let loop: (() => Promise<{ frames: number; crops: number; ms: number }>) | undefined;

/** Messages between turns of the event loop while ingesting, as a source worker hands batches on. */
const INGEST_CHUNK = 5000;

/** A turn of the event loop without setTimeout's 4 ms clamp. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

window.__vision = {
  async start(o) {
    await pool?.close();
    results.length = 0;
    errors.length = 0;
    const [modelJson, weights, layout] = await Promise.all([
      fetch('/models/shelf-cnn/model.json').then((r) => r.text()),
      fetch('/models/shelf-cnn/weights.bin').then((r) => r.arrayBuffer()),
      fetch(o.layout).then((r) => r.text()),
    ]);
    const model = o.classMap
      ? await readModelFiles([new File([modelJson], 'model.json'), new File([weights], 'weights.bin'), new File([JSON.stringify(o.classMap)], 'classes.json')])
      : { modelJson, weights };
    pool = await startBrowserVisionPool({
      layout,
      model,
      ...(o.backend ? { backend: o.backend } : {}),
      ...(o.allowSoftwareWebgl ? { allowSoftwareWebgl: true } : {}),
      ...(o.size ? { size: o.size } : {}),
      ...(o.decode ? { decode: o.decode } : {}),
      onResult: (r) => (onResult ? onResult(r) : results.push(r)),
      onError: (f, e) => errors.push(`${f.camera}@${f.ts}: ${e.name}: ${e.message}`),
    });
    return { size: pool.size, isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency };
  },
  push(camera, ts, jpegBase64) {
    const jpeg = bytes(jpegBase64);
    pool!.push({ camera, ts, jpeg });
    return jpeg.buffer.byteLength;
  },
  async saturate(frames, ms) {
    window.__vision!.startLoop(frames);
    await new Promise((r) => setTimeout(r, ms));
    return window.__vision!.stopLoop();
  },
  startLoop(frames) {
    const jpegs = new Map(Object.entries(frames).map(([c, b]) => [c, bytes(b)]));
    let sent = 0;
    let running = true;
    const t0 = performance.now();
    const counts = { frames: 0, crops: 0 };
    let done: () => void = () => {};
    const finished = new Promise<void>((r) => (done = r));
    // One frame a camera in flight: nothing waits long enough to be dropped.
    const send = (camera: string) => pool!.push({ camera, ts: sent++, jpeg: jpegs.get(camera)!.slice() });
    onResult = (r) => {
      counts.frames++;
      counts.crops += r.slots.length;
      if (running) send(r.camera);
      else if (counts.frames === sent) done();
    };
    for (const c of jpegs.keys()) send(c);
    loop = async () => {
      running = false;
      if (counts.frames !== sent) await finished;
      onResult = undefined;
      // Up to the last frame's result: every frame counted ran within this time.
      return { ...counts, ms: performance.now() - t0 };
    };
  },
  stopLoop: () => loop!(),
  async ingestRate(layoutUrl, n, rounds) {
    const parsed = parseLayoutText(await (await fetch(layoutUrl)).text());
    if (!parsed.ok) throw new Error(`${layoutUrl} does not load`);
    const layout = new LayoutIndex(parsed.layout);
    const msgs = messageMix(layout, n, 1);
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const ingest = new Ingest(layout);
      for (let i = 0; i < msgs.length; i += INGEST_CHUNK) {
        for (let j = i; j < Math.min(i + INGEST_CHUNK, msgs.length); j++) ingest.push(msgs[j]!);
        await yieldToEvents();
      }
      best = Math.min(best, performance.now() - t0);
    }
    return (n / best) * 1000;
  },
  spin(on) {
    spinner?.terminate();
    spinner = on ? new Worker(URL.createObjectURL(new Blob(['let x = 0; for (;;) x++;'], { type: 'text/javascript' }))) : undefined;
  },
  idle: () => pool!.idle(),
  stats: () => pool!.stats(),
  results: () => results.map((r) => ({ camera: r.camera, ts: r.ts, slots: r.slots.length, fills: r.slots.map((s) => s.fill), matches: r.slots.filter((s) => s.match).length, likelyOwn: r.slots.filter((s) => s.matchProb > 0.5).length, cropBytes: r.slots[0]?.crop.byteLength ?? 0 })),
  errors: () => [...errors],
  async close() {
    await pool?.close();
    pool = undefined;
  },
};
