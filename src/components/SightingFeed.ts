/**
 * Camera frames through the shelf CNN in the page, into the event store: the first frame a
 * source delivers starts a vision pool (web workers, src/inference/browserVisionPool.ts) on
 * that layout and the shipped model (models/shelf-cnn); every frame after goes to it, and
 * each frame's verdicts go to the store's `slot_sightings` (sightingRows.ts), where the
 * inspector reads a slot's latest. The pool keeps one frame a camera waiting and drops older
 * ones, so ingest is never held up; frames of a source with none are never judged, and a
 * page that never gets a frame never loads tf.js.
 *
 * The pool takes (detaches) the bytes it is given, and the event store still has to write
 * the frame: the pool gets a copy. A pool that fails to start, or a frame it fails on, is a
 * problem record; the frames are still stored.
 */
import modelJsonUrl from '../../models/shelf-cnn/model.json?url';
import weightsUrl from '../../models/shelf-cnn/weights.bin?url';
import type { FrameEvent, TwinEvent } from '../contract/messages';
import type { Problem } from '../core/Problem';
import type { SlotSightingRow } from '../analytics/tables';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { VisionPool, VisionPoolCallbacks } from '../inference/VisionPool';
import type { Finding } from '../inference/fusion';
import type { VisionModel } from '../inference/userModel';
import { FusionFeed } from '../inference/fusionFeed';

export interface SightingFeedOptions {
  /** Where the verdicts go: BrowserEventStore.appendSightings. */
  readonly append: (rows: readonly SlotSightingRow[]) => Promise<void>;
  readonly onProblem: (problem: Problem) => void;
  /** What fusing the verdicts with the load cells found (fusionFeed.ts), each finding once. */
  readonly onFindings?: (layout: LayoutIndex, findings: readonly Finding[]) => void;
  /** Starts a pool on a layout with a model (default: web workers; undefined model: the shipped one; tests pass another). */
  readonly start?: (layout: LayoutIndex, callbacks: VisionPoolCallbacks, model: VisionModel | undefined) => Promise<VisionPool>;
}

export class SightingFeed {
  private current: { layout: LayoutIndex; pool: Promise<VisionPool | undefined>; fusion: FusionFeed } | undefined;
  private failures = 0;
  /** The user's model, or undefined for the shipped one. */
  private model: VisionModel | undefined;

  constructor(private readonly options: SightingFeedOptions) {}

  /** Judges the frames from the next one on with this model (undefined: the shipped one): the running pool ends, the next frame starts one. */
  useModel(model: VisionModel | undefined): void {
    this.model = model;
    this.failures = 0;
    void this.close();
  }

  /** Takes a batch of accepted events read against `layout`: its frames, if any, are judged. Returns at once. */
  frames(layout: LayoutIndex, events: readonly TwinEvent[]): void {
    let frames: FrameEvent[] | undefined;
    for (const e of events) if (e.type === 'frame') (frames ??= []).push(e);
    const pool = frames ? this.poolFor(layout) : undefined;
    // Once frames come, the load cells' readings go to fusion too, before the batch's frames are judged.
    if (this.current?.layout === layout) this.current.fusion.readings(events);
    if (!frames || !pool) return;
    // Copies now: the event store writes these same bytes later.
    const inputs = frames.map((f) => ({ camera: f.camera, ts: f.ts, jpeg: f.jpeg.slice() }));
    void pool.then((p) => {
      if (!p) return;
      for (const f of inputs) {
        try {
          p.push(f);
        } catch {
          return; // closed: another layout took over
        }
      }
    });
  }

  /** Ends the pool (the page is going, or the layout changed). */
  async close(): Promise<void> {
    const c = this.current;
    this.current = undefined;
    await (await c?.pool)?.close();
  }

  private poolFor(layout: LayoutIndex): Promise<VisionPool | undefined> {
    if (this.current?.layout === layout) return this.current.pool;
    void this.close();
    const fusion = new FusionFeed(layout);
    const callbacks: VisionPoolCallbacks = {
      onResult: (result) => {
        if (!result.slots.length) return;
        const found = fusion.result(result);
        if (found.length) this.options.onFindings?.(layout, found);
        // Lazily: sightingRows is small, but keep the page's first load free of it.
        void import('../inference/sightingRows').then(({ sightingRows }) => this.options.append(sightingRows(result)));
      },
      onError: (frame, error) => {
        this.failures++;
        this.options.onProblem({
          id: 'vision-frame',
          severity: 'warning',
          message: `The shelf CNN could not read ${this.failures.toLocaleString('en-US')} camera frame${this.failures === 1 ? '' : 's'} (the last: ${frame.camera}, ${error.message}).`,
          tip: 'The frames are stored; the slots they show have no camera verdict for them.',
        });
      },
    };
    const start = this.options.start ?? startShippedPool;
    const pool = start(layout, callbacks, this.model).catch((e: unknown) => {
      this.options.onProblem({
        id: 'vision-start',
        severity: 'warning',
        message: `The shelf CNN did not start, so camera frames are stored but not judged: ${e instanceof Error ? e.message : String(e)}`,
        tip: 'Reload the page to try again.',
      });
      return undefined;
    });
    this.current = { layout, pool, fusion };
    return pool;
  }
}

/** Web workers on the shipped CNN (loaded only now: tf.js is large). */
async function startShippedPool(layout: LayoutIndex, callbacks: VisionPoolCallbacks, model: VisionModel | undefined): Promise<VisionPool> {
  const [{ startBrowserVisionPool }, modelJson, weights] = await Promise.all([
    import('../inference/browserVisionPool'),
    model ? model.modelJson : fetch(modelJsonUrl).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`the model did not load (${r.status})`)))),
    model ? model.weights : fetch(weightsUrl).then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`the model's weights did not load (${r.status})`)))),
  ]);
  // The workers get copies (structured clone): the user's model stays whole for the next pool.
  return startBrowserVisionPool({ layout: layout.layout, model: model ?? { modelJson, weights }, ...callbacks });
}
