/**
 * Recording lines through the vision pipeline, for `twin vision` and `twin vision eval`:
 * each line read by the contract reader (as the browser reads it); a load cell's reading
 * becomes its units (the twin's count, src/twin/folds.ts `unitsAfter`) for fusion; a camera
 * frame goes through the shelf CNN (VisionRunner) and its sightings into fusion and into a
 * tally per slot and camera. Also the CLI's reader of a model folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractReader } from '../contract/ContractReader';
import type { TwinEvent } from '../contract/messages';
import { parseRecordingLine } from '../contract/recording';
import { Fusion, type Finding } from '../inference/fusion';
import type { ModelJson, ShelfCnn } from '../inference/ShelfCnn';
import { checkModelJson, loadVisionModel, modelFromFiles, ModelError, type ModelFile } from '../inference/userModel';
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

/**
 * DIR/model.json, the weight shards its manifest lists and, when there, DIR/classes.json
 * (src/inference/userModel.ts: which output is the fill level, in what label order, and which
 * the match): checked as a model picked in the page is, every problem named. tf.js runs on
 * WebAssembly with SIMD where it starts (its binaries read from the package), else on the
 * cpu backend.
 */
export async function loadModelDir(dir: string): Promise<ShelfCnn> {
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new CliError(`model ${dir} has no model.json`);
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
  } catch (e) {
    throw new CliError(`model ${path} is not JSON: ${(e as Error).message}`);
  }
  const shape = checkModelJson(json);
  if (shape.length) throw new CliError(`model ${path} is not a tf.js layers model: ${shape.join('; ')}`);
  const files: ModelFile[] = [{ name: 'model.json', bytes: readFileSync(path) }];
  for (const p of json.weightsManifest.flatMap((g) => g.paths)) {
    const file = join(dir, p);
    if (!existsSync(file)) throw new CliError(`model ${dir}: weights file ${p} (listed in model.json) is missing`);
    files.push({ name: p, bytes: readFileSync(file) });
  }
  const classes = join(dir, CLASS_MAP_FILE);
  if (existsSync(classes)) files.push({ name: CLASS_MAP_FILE, bytes: readFileSync(classes) });
  // tf.js loads only once the files are there: a mistake is reported without its start-up.
  const tf = await import('@tensorflow/tfjs');
  tf.env().set('PROD', true);
  const { initBackend } = await import('../inference/backend');
  const { nodeWasmPaths } = await import('../inference/nodeWasmPaths');
  await initBackend({ prefer: 'wasm', wasmPaths: nodeWasmPaths() });
  try {
    return (await loadVisionModel(modelFromFiles(files))).cnn;
  } catch (e) {
    if (e instanceof ModelError) throw new CliError(`model ${dir} cannot be used:\n${e.problems.map((p) => `  ${p}`).join('\n')}`);
    throw new CliError(`model ${dir} cannot be loaded: ${(e as Error).message.split('\n')[0]}`);
  }
}

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
  readonly runner: VisionRunner;
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

  constructor(
    readonly layout: LayoutIndex,
    cnn: ShelfCnn,
    /** Called with each frame's result, after fusion has it. */
    private readonly onFrame?: (r: FrameResult) => void,
  ) {
    this.runner = new VisionRunner(layout, cnn);
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

  /** One accepted event: a load cell's reading goes to fusion as units, a frame through the CNN; others are not the feed's. */
  event(e: TwinEvent): void {
    if (e.type === 'weight') {
      const slot = this.layout.slots.get(e.slot)!;
      const unitGrams = this.layout.skus.get(slot.sku)!.unitGrams;
      const u = unitsAfter(this.units.get(e.slot) ?? null, e.grams, unitGrams, NOISE_GRAMS);
      this.units.set(e.slot, u);
      this.fusion.add({ type: 'units', slot: e.slot, ts: e.ts, units: u });
    } else if (e.type === 'frame') {
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
        this.fusion.add({ type: 'sighting', sighting: s });
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
