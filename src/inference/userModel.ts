/**
 * A shelf model the user brings: a tf.js Layers model (model.json and its weight shards, as
 * tf.js's converter or `model.save` writes them) and an optional class map that says which
 * of its outputs is the fill level, which of our labels each of its units means, and which
 * output is the match head. Everything is checked before the model runs, and every problem
 * is named at once (a ModelError), so a user fixes a file once, not once per error.
 * The shipped CNN is the same case with the identity map. Runs wherever tf.js does.
 */
import * as tf from '@tensorflow/tfjs';
import { forward, inputCrop, MATCH_THRESHOLD, ShelfCnn, type ModelJson } from './ShelfCnn';
import { CHANNELS, FILL_LABELS, SHELF_CROP, type FillLabel } from './shelfInput';

/** How a model's outputs map to our verdicts. */
export interface ClassMap {
  /** Index of the model output that gives the fill classes' probabilities (a softmax). */
  readonly fillOutput: number;
  /** Our label for each unit of that output, in the model's order: distinct, from empty/low/half/full; a label left out gets probability 0. */
  readonly fillLabels: readonly FillLabel[];
  /** Index of the output that gives the probability that only the planned SKU (or nothing) is on the slot; null: no match head (every slot matches). */
  readonly matchOutput: number | null;
  /** Which unit of the match output is that probability: 0 for a sigmoid, the 'match' unit of a softmax. */
  readonly matchIndex: number;
  /** Below it a slot counts as misplaced; default model.json's `shelfCnn.matchThreshold`, else 0.5. */
  readonly matchThreshold?: number;
}

/** Smallest and largest crop side a model may take, pixels. */
export const MIN_CROP = 8;
export const MAX_CROP = 256;

/** The shipped CNN's map (models/shelfCnnModel.ts): fill softmax first, match sigmoid second. */
export const SHIPPED_CLASS_MAP: ClassMap = { fillOutput: 0, fillLabels: FILL_LABELS, matchOutput: 1, matchIndex: 0 };

/** A model the vision service loads: model.json, its shards concatenated in manifest order, and a class map. */
export interface VisionModel {
  readonly modelJson: ModelJson | string;
  readonly weights: ArrayBuffer;
  /** The class map's JSON (text or parsed); absent: the shipped map. */
  readonly classMap?: unknown;
}

/** A file the user picked. */
export interface ModelFile {
  readonly name: string;
  readonly bytes: ArrayBuffer | Uint8Array;
}

/** A model or class map that cannot be used; `problems` lists every reason, one a line. */
export class ModelError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `the model cannot be used:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ModelError';
  }
}

/** Parses and checks a class map (its text or its JSON); throws a ModelError naming every fault. */
export function parseClassMap(input: unknown): ClassMap {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e) {
      throw new ModelError([`class map: not JSON (${(e as Error).message})`]);
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelError(['class map: must be a JSON object']);
  const o = json as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set(['fillOutput', 'fillLabels', 'matchOutput', 'matchIndex', 'matchThreshold']);
  for (const k of Object.keys(o)) if (!known.has(k) && !k.startsWith('//')) problems.push(`class map: ${k}: unknown field (known: ${[...known].join(', ')})`);
  const index = (k: string, dflt: number | null, nullable = false): number | null => {
    const v = o[k];
    if (v === undefined) return dflt;
    if (v === null && nullable) return null;
    if (Number.isInteger(v) && (v as number) >= 0) return v as number;
    problems.push(`class map: ${k}: must be an index (an integer >= 0)${nullable ? ' or null' : ''}, not ${JSON.stringify(v)}`);
    return dflt;
  };
  const fillOutput = index('fillOutput', 0)!;
  const matchOutput = index('matchOutput', 1, true);
  const matchIndex = index('matchIndex', 0)!;
  let fillLabels: FillLabel[] = [...FILL_LABELS];
  if (o.fillLabels !== undefined) {
    const v = o.fillLabels;
    if (!Array.isArray(v) || v.length === 0) problems.push(`class map: fillLabels: must be a list of labels (${FILL_LABELS.join(', ')}), one a unit of the fill output`);
    else {
      const bad = v.filter((l) => !(FILL_LABELS as readonly unknown[]).includes(l));
      if (bad.length) problems.push(`class map: fillLabels: ${bad.map((b) => JSON.stringify(b)).join(', ')} not one of ${FILL_LABELS.join(', ')}`);
      const dup = v.filter((l, i) => v.indexOf(l) !== i);
      if (dup.length) problems.push(`class map: fillLabels: ${[...new Set(dup)].join(', ')} named twice`);
      fillLabels = v as FillLabel[];
    }
  }
  if (matchOutput !== null && matchOutput === fillOutput) problems.push(`class map: matchOutput and fillOutput are both ${fillOutput}: the match head must be another output`);
  let matchThreshold: number | undefined;
  if (o.matchThreshold !== undefined) {
    const t = o.matchThreshold;
    if (typeof t === 'number' && t >= 0 && t <= 1) matchThreshold = t;
    else problems.push(`class map: matchThreshold: must be a probability from 0 to 1, not ${JSON.stringify(t)}`);
  }
  if (problems.length) throw new ModelError(problems);
  return { fillOutput, fillLabels, matchOutput, matchIndex, ...(matchThreshold !== undefined ? { matchThreshold } : {}) };
}

/**
 * A model from the files a user picked: the model.json (named so, or the one JSON with a
 * `modelTopology`), each shard its manifest names (by file name), and any other JSON as the
 * class map. Throws a ModelError naming every missing, extra or mis-sized file.
 */
export function modelFromFiles(files: readonly ModelFile[]): VisionModel {
  const text = (f: ModelFile) => new TextDecoder().decode(f.bytes);
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  const parsed = new Map<ModelFile, unknown>();
  for (const f of jsons) {
    try {
      parsed.set(f, JSON.parse(text(f)));
    } catch (e) {
      throw new ModelError([`${f.name}: not JSON (${(e as Error).message})`]);
    }
  }
  const isModel = (f: ModelFile) => typeof parsed.get(f) === 'object' && parsed.get(f) !== null && 'modelTopology' in (parsed.get(f) as object);
  const models = jsons.filter(isModel);
  const modelFile = models.find((f) => baseName(f.name) === 'model.json') ?? (models.length === 1 ? models[0] : undefined);
  if (!modelFile) {
    throw new ModelError([models.length ? `${models.length} model files (${models.map((f) => f.name).join(', ')}): pick one model.json` : 'no model.json among the files (a JSON file with a modelTopology, as tf.js saves it)']);
  }
  const json = parsed.get(modelFile) as ModelJson;
  const problems = checkModelJson(json);
  if (problems.length) throw new ModelError(problems.map((p) => `${modelFile.name}: ${p}`));
  const byName = new Map(files.map((f) => [baseName(f.name), f]));
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  const missing = paths.filter((p) => !byName.has(baseName(p)));
  if (missing.length) throw new ModelError([`weight files missing: ${missing.join(', ')} (${modelFile.name} names ${paths.join(', ')}; pick them with it)`]);
  const shards = paths.map((p) => byName.get(baseName(p))!);
  const weights = concat(shards.map((f) => (f.bytes instanceof Uint8Array ? f.bytes : new Uint8Array(f.bytes))));
  const used = new Set<ModelFile>([modelFile, ...shards]);
  const rest = files.filter((f) => !used.has(f));
  const maps = rest.filter((f) => jsons.includes(f) && !isModel(f));
  const stray = rest.filter((f) => !maps.includes(f));
  if (maps.length > 1) throw new ModelError([`${maps.length} class maps (${maps.map((f) => f.name).join(', ')}): pick one`]);
  if (stray.length) throw new ModelError([`${stray.map((f) => f.name).join(', ')}: not named by ${modelFile.name} and not a class map`]);
  checkWeightBytes(json, weights.byteLength);
  return { modelJson: json, weights: weights.buffer as ArrayBuffer, ...(maps[0] ? { classMap: parsed.get(maps[0]) } : {}) };
}

/** The same from files a user picked (an `<input type=file multiple>`'s list, or drop): read, then `modelFromFiles`. */
export async function readModelFiles(files: Iterable<{ readonly name: string; arrayBuffer(): Promise<ArrayBuffer> }>): Promise<VisionModel> {
  const read = await Promise.all([...files].map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })));
  return modelFromFiles(read);
}

/** What is wrong with a model.json's shape (empty when it looks like a tf.js Layers model). */
export function checkModelJson(json: unknown): string[] {
  if (typeof json !== 'object' || json === null) return ['not a JSON object'];
  const j = json as Record<string, unknown>;
  const problems: string[] = [];
  if (j.format !== undefined && j.format !== 'layers-model') problems.push(`format ${JSON.stringify(j.format)}: only tf.js Layers models (format "layers-model") can be loaded; convert a SavedModel or Keras file with tensorflowjs_converter --output_format tfjs_layers_model`);
  if (typeof j.modelTopology !== 'object' || j.modelTopology === null) problems.push('modelTopology: missing');
  const m = j.weightsManifest;
  if (!Array.isArray(m) || m.some((g) => typeof g !== 'object' || g === null || !Array.isArray(g.paths) || !Array.isArray(g.weights))) problems.push('weightsManifest: must be a list of {paths, weights}');
  return problems;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Throws a ModelError when the weights' bytes are not what the manifest's specs add up to. */
export function checkWeightBytes(json: ModelJson, bytes: number): void {
  let want = 0;
  for (const w of json.weightsManifest.flatMap((g) => g.weights)) {
    const dtype = w.quantization?.dtype ?? w.dtype;
    want += w.shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[dtype] ?? 4);
  }
  if (want !== bytes) throw new ModelError([`the weights are ${bytes.toLocaleString('en-US')} bytes, the manifest's ${json.weightsManifest.flatMap((g) => g.weights).length} weights need ${want.toLocaleString('en-US')}: a shard is missing, extra or from another model`]);
}

export interface LoadedModel {
  readonly cnn: ShelfCnn;
  readonly classMap: ClassMap;
  /** Trainable and other weights, counted. */
  readonly params: number;
}

/** Loads and checks a model against the shelf input (a crop of MIN_CROP to MAX_CROP pixels a side, CHANNELS deep) and its class map. */
export async function loadVisionModel(model: VisionModel): Promise<LoadedModel> {
  let json: ModelJson;
  try {
    json = typeof model.modelJson === 'string' ? (JSON.parse(model.modelJson) as ModelJson) : model.modelJson;
  } catch (e) {
    throw new ModelError([`model.json: not JSON (${(e as Error).message})`]);
  }
  const jsonProblems = checkModelJson(json);
  if (jsonProblems.length) throw new ModelError(jsonProblems.map((p) => `model.json: ${p}`));
  const map = model.classMap === undefined ? SHIPPED_CLASS_MAP : parseClassMap(model.classMap);
  checkWeightBytes(json, model.weights.byteLength);
  let loaded: ShelfCnn;
  try {
    loaded = await ShelfCnn.load(json, model.weights);
  } catch (e) {
    throw new ModelError([`the model does not load in tf.js: ${(e as Error).message}`]);
  }
  const m = loaded.model;
  const problems: string[] = [];
  const input = m.inputs.map((i) => i.shape);
  const [batch, h, w, c] = input[0] ?? [];
  const side = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= MIN_CROP && n <= MAX_CROP;
  if (input.length !== 1 || input[0]!.length !== 4 || batch !== null || !side(h) || !side(w) || c !== CHANNELS) {
    const shipped = [null, SHELF_CROP.height, SHELF_CROP.width, CHANNELS];
    problems.push(`input ${input.map((s) => JSON.stringify(s)).join(', ')}: the shelf input is [null, height, width, ${CHANNELS}], a slot crop ${MIN_CROP} to ${MAX_CROP} pixels a side with ${CHANNELS} channels a pixel (RGB, its colour against the planned SKU's, and the view's side reach: src/inference/shelfInput.ts writeInput); the shipped model's is ${JSON.stringify(shipped)}`);
  }
  const outs = m.outputs.map((o) => o.shape);
  const units = (i: number) => outs[i]?.[outs[i]!.length - 1];
  if (map.fillOutput >= outs.length) problems.push(`class map: fillOutput ${map.fillOutput}: the model has ${outs.length} output(s)`);
  else if (outs[map.fillOutput]!.length !== 2 || units(map.fillOutput) !== map.fillLabels.length) {
    problems.push(`fill output ${map.fillOutput} is ${JSON.stringify(outs[map.fillOutput])}: the class map names ${map.fillLabels.length} fill labels (${map.fillLabels.join(', ')}), so it should be [null, ${map.fillLabels.length}]`);
  }
  if (map.matchOutput !== null) {
    if (map.matchOutput >= outs.length) problems.push(`class map: matchOutput ${map.matchOutput}: the model has ${outs.length} output(s)${outs.length === 1 ? '; set "matchOutput": null for a model without a match head' : ''}`);
    else if (outs[map.matchOutput]!.length !== 2 || map.matchIndex >= (units(map.matchOutput) ?? 0)) {
      problems.push(`match output ${map.matchOutput} is ${JSON.stringify(outs[map.matchOutput])}: it has no unit ${map.matchIndex} (matchIndex)`);
    }
  }
  if (problems.length) {
    loaded.dispose();
    throw new ModelError(problems);
  }
  const threshold = map.matchThreshold ?? json.shelfCnn?.matchThreshold ?? MATCH_THRESHOLD;
  const identity = map.fillOutput === 0 && map.matchOutput === 1 && map.matchIndex === 0 && map.fillLabels.join() === FILL_LABELS.join() && outs.length === 2 && units(1) === 1;
  const cnn = ShelfCnn.wrap(identity ? m : (remapped(m, map) as unknown as tf.LayersModel), threshold, inputCrop(m));
  return { cnn, classMap: map, params: m.countParams() };
}

/**
 * The model's outputs in ShelfCnn's order: [fill over FILL_LABELS, match as [n, 1]]. ShelfCnn
 * asks a model without output tensors through `predict` (inside tf.tidy) and calls `dispose`,
 * so this stands in for the LayersModel; keep it without `outputs` and `execute`. The user's
 * model itself runs through ShelfCnn.ts `forward` (`execute` where that works, else `predict`).
 */
function remapped(model: tf.LayersModel, map: ClassMap): Pick<tf.LayersModel, 'predict' | 'dispose'> {
  // Our label k reads the model's unit at gather[k]; a label the model lacks reads an appended zero column.
  const gather = FILL_LABELS.map((l) => (map.fillLabels.includes(l) ? map.fillLabels.indexOf(l) : map.fillLabels.length));
  const run = forward(model);
  return {
    predict(x: tf.Tensor | tf.Tensor[]) {
      const outs = run(x as tf.Tensor);
      const fill = outs[map.fillOutput]!;
      const padded = tf.concat([fill, tf.zeros([fill.shape[0]!, 1])], 1);
      const fillOut = tf.gather(padded, gather, 1);
      const match = map.matchOutput === null ? tf.ones([fill.shape[0]!, 1]) : tf.slice(outs[map.matchOutput]!, [0, map.matchIndex], [-1, 1]);
      return [fillOut, match];
    },
    dispose() {
      return model.dispose();
    },
  };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop()!;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  return all;
}
