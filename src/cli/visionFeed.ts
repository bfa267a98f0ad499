/**
 * Recording lines through the vision pipeline, for `twin vision` and `twin vision eval`:
 * each line read by the contract reader (as the browser reads it); a load cell's reading
 * becomes its units (the twin's count, src/twin/folds.ts `unitsAfter`) for fusion; a camera
 * frame goes through the shelf CNN (VisionRunner) and its sightings into fusion and into a
 * tally per slot and camera. No tf.js here (modelDir.ts loads it with a model), so that a
 * command importing the feed starts without it.
 */
import { join } from 'node:path';
import { ContractReader } from '../contract/ContractReader';
import type { TwinEvent } from '../contract/messages';
import { parseRecordingLine } from '../contract/recording';
import { Fusion, type Finding, type FusionEvent } from '../inference/fusion';
import type { SyncJpegDecoder } from '../inference/wasmJpeg';
import type { ShelfCnn } from '../inference/ShelfCnn';
import { FILL_LABELS, type FillLabel } from '../inference/shelfInput';
import { VisionRunner, type FrameResult, type SlotSighting } from '../inference/VisionRunner';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { unitsAfter } from '../twin/folds';
import { CliError } from './CliError';
import { formatTable } from './incidentsCommand';

/** The shipped model's folder. */
export const DEFAULT_MODEL_DIR = join(import.meta.dirname, '../../models/shelf-cnn');

/** Load-cell noise the units count allows for, grams (the twin's default). */
const NOISE_GRAMS = 10;

/** A model folder's class map, beside its model.json. */
export const CLASS_MAP_FILE = 'classes.json';

/** What one camera made of one slot over the recording. */
export interface SlotCameraTally {
  readonly slot: string;
  readonly camera: string;
  frames: number;
  /** Sightings by fill class. */
  readonly byFill: Record<FillLabel, number>;
  /** Sightings that called the product not the planned SKU. */
  misplaced: number;
  last: SlotSighting;
}

export class VisionFeed {
  /** Undefined until a model is given (useModel): a feed can take readings before it has one. */
  private runner: VisionRunner | undefined;
  readonly fusion: Fusion;
  private readonly reader: ContractReader;
  private readonly units = new Map<string, number>();
  readonly tally = new Map<string, SlotCameraTally>();
  frames = 0;
  /** Frames whose JPEG did not decode. */
  badFrames = 0;
  sightings = 0;
  /** Time spent in the CNN pipeline, ms. */
  ms = 0;
  private lineNo = 0;
  /** Called with each event fusion gets, after it has it (`twin vision eval --save`). */
  tap?: (e: FusionEvent) => void;

  constructor(
    readonly layout: LayoutIndex,
    cnn?: ShelfCnn,
    /** Called with each frame's result, after fusion has it. */
    private readonly onFrame?: (r: FrameResult) => void,
    /** Who decodes the frames (useModel's `decode`). */
    decode?: SyncJpegDecoder,
  ) {
    if (cnn) this.useModel(cnn, decode);
    this.fusion = new Fusion(layout);
    this.reader = new ContractReader(layout);
  }

  /** One recording line; lines that are not valid contract messages are skipped (twin ingest reports them). */
  line(text: string): void {
    this.lineNo++;
    if (text.trim() === '') return;
    const r = parseRecordingLine(text, this.lineNo, 0);
    if (!r.ok) return;
    const out = this.reader.read(r.message);
    if (out.status === 'accepted') this.event(out.event);
  }

  /** The CNN that judges the frames from now on, and who decodes them (src/inference/nodeJpeg.ts `nodeJpegDecoder`: mozjpeg's wasm, as the app's pool; default jpeg-js). */
  useModel(cnn: ShelfCnn, decode?: SyncJpegDecoder): void {
    this.runner = new VisionRunner(this.layout, cnn, decode);
  }

  get hasModel(): boolean {
    return this.runner !== undefined;
  }

  /** One accepted event: a load cell's reading goes to fusion as units, a frame through the CNN (an Error before useModel); others are not the feed's. */
  event(e: TwinEvent): void {
    if (e.type === 'weight') {
      const slot = this.layout.slots.get(e.slot)!;
      const unitGrams = this.layout.skus.get(slot.sku)!.unitGrams;
      const u = unitsAfter(this.units.get(e.slot) ?? null, e.grams, unitGrams, NOISE_GRAMS);
      this.units.set(e.slot, u);
      const units: FusionEvent = { type: 'units', slot: e.slot, ts: e.ts, units: u, grams: e.grams };
      this.fusion.add(units);
      this.tap?.(units);
    } else if (e.type === 'frame') {
      if (!this.runner) throw new Error('the vision feed has no model: call useModel first');
      let result: FrameResult;
      try {
        result = this.runner.run({ camera: e.camera, ts: e.ts, jpeg: e.jpeg });
      } catch {
        // A frame that does not decode is one lost frame, not the end of the run.
        this.badFrames++;
        return;
      }
      this.frames++;
      this.ms += result.ms;
      for (const s of result.slots) {
        this.sightings++;
        const sighting: FusionEvent = { type: 'sighting', sighting: s };
        this.fusion.add(sighting);
        this.tap?.(sighting);
        const key = `${s.slot}\u0000${s.camera}`;
        let t = this.tally.get(key);
        if (!t) {
          t = { slot: s.slot, camera: s.camera, frames: 0, byFill: Object.fromEntries(FILL_LABELS.map((l) => [l, 0])) as Record<FillLabel, number>, misplaced: 0, last: s };
          this.tally.set(key, t);
        }
        t.frames++;
        t.byFill[s.fill]++;
        if (!s.match && s.fill !== 'empty') t.misplaced++;
        t.last = s;
      }
      this.onFrame?.(result);
    }
  }

  /** The tallies by slot, then camera. */
  tallies(): SlotCameraTally[] {
    return [...this.tally.values()].sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : a.camera < b.camera ? -1 : a.camera > b.camera ? 1 : 0));
  }
}

// ---- output shared by twin vision and twin vision eval ---------------------------------

export type VisionFormat = 'table' | 'json';

export function readVisionFormat(v: string | undefined): VisionFormat {
  if (v !== 'table' && v !== 'json') throw new CliError(`--format must be table or json, not "${v}"`);
  return v;
}

export function findingsTable(findings: readonly Finding[]): string {
  return formatTable(
    ['kind', 'slot', 'cameras', 'first', 'last', 'frames', 'confidence', 'evidence'],
    findings.map((f) => [f.kind, f.slot, f.cameras.join(','), iso(f.firstTs), iso(f.lastTs), String(f.frames), f.confidence.toFixed(2), f.evidence]),
  );
}

export const jsonFinding = (f: Finding) => ({ ...f, firstTs: new Date(f.firstTs).toISOString(), lastTs: new Date(f.lastTs).toISOString() });

const iso = (ts: number) => new Date(ts).toISOString().slice(0, 16).replace('T', ' ');

export const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
