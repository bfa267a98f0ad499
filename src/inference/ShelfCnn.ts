/**
 * The shelf CNN at inference (models/shelf-cnn/, trained by models/train.ts): each slot crop
 * to a fill class and whether only the planned SKU is there. Loads a tf.js Layers model from
 * its model.json and weight bytes (read from files in Node, fetched in a worker or the
 * page), so it runs wherever tf.js does; the caller picks the backend (cpu in Node tests).
 */
import * as tf from '@tensorflow/tfjs';
import { CHANNELS, FILL_LABELS, inputSize, SHELF_CROP, slotInputs, type CropSize, type FillLabel, type FrameImage, type SlotCrop } from './shelfInput';

/** What the model says about one slot. */
export interface ShelfVerdict {
  readonly fill: FillLabel;
  /** Probability of `fill`, 0 to 1. */
  readonly fillProb: number;
  /** Only the planned SKU's units, or none, are on the slot (`matchProb` >= the threshold). */
  readonly match: boolean;
  /** Probability that only the planned SKU (or nothing) is there; 1 - it is the chance of a misplaced product. */
  readonly matchProb: number;
}

/** model.json as tf.js writes it: the topology and one weights manifest. */
export interface ModelJson {
  readonly modelTopology: object;
  readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: tf.io.WeightsManifestEntry[] }[];
  /** Our own settings beside tf.js's, chosen at training (models/train.ts). */
  readonly shelfCnn?: { readonly matchThreshold: number };
}

/** Below this match probability a slot counts as holding a misplaced product, unless model.json names its own. */
export const MATCH_THRESHOLD = 0.5;

/** Input floats a batch (256 of the shipped model's crops): bounds memory and keeps one predict call short, whatever a model's crop size. */
const BATCH_FLOATS = 256 * 64 * 16 * CHANNELS;

/** The crop size a model's input [batch, height, width, channels] takes; undefined when its shape is not one. */
export function inputCrop(model: Pick<tf.LayersModel, 'inputs'>): CropSize | undefined {
  const shape = model.inputs?.[0]?.shape;
  if (!shape || shape.length !== 4 || typeof shape[1] !== 'number' || typeof shape[2] !== 'number') return undefined;
  return { width: shape[2], height: shape[1] };
}

export class ShelfCnn {
  /** Floats one slot's input takes (inputSize of `crop`). */
  readonly inputSize: number;
  /** The model's outputs for a batch: see `forward`. */
  private readonly run: (x: tf.Tensor) => tf.Tensor[];

  private constructor(
    readonly model: tf.LayersModel,
    /** Below it, `match` is false (a misplaced product). */
    readonly matchThreshold = MATCH_THRESHOLD,
    /** The slot crop the model takes: its input's height and width (SHELF_CROP for the shipped model). */
    readonly crop: CropSize = SHELF_CROP,
  ) {
    this.inputSize = inputSize(crop);
    this.run = forward(model);
  }

  /** From model.json's content and its weights' bytes (the manifest's files, concatenated in order). */
  static async load(modelJson: ModelJson | string, weights: ArrayBuffer): Promise<ShelfCnn> {
    const json: ModelJson = typeof modelJson === 'string' ? JSON.parse(modelJson) : modelJson;
    const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData: weights }));
    return new ShelfCnn(model, json.shelfCnn?.matchThreshold ?? MATCH_THRESHOLD, inputCrop(model));
  }

  /** Around a model in memory (training scores the model it has just trained). */
  static wrap(model: tf.LayersModel, matchThreshold = MATCH_THRESHOLD, crop: CropSize | undefined = inputCrop(model)): ShelfCnn {
    return new ShelfCnn(model, matchThreshold, crop);
  }

  /** From a model.json URL, its weight files beside it (fetch: a worker, the page, Node 20). */
  static async fromUrl(url: string): Promise<ShelfCnn> {
    const json = (await (await fetch(url)).json()) as ModelJson;
    const model = await tf.loadLayersModel(url);
    return new ShelfCnn(model, json.shelfCnn?.matchThreshold ?? MATCH_THRESHOLD, inputCrop(model));
  }

  /** Classifies slots of one frame: each cut by its box and compared with its planned SKU. */
  classify(frame: FrameImage, slots: readonly SlotCrop[]): ShelfVerdict[] {
    return this.classifyInputs(slotInputs(frame, slots, this.crop));
  }

  /** Classifies packed inputs (shelfInput.ts writeInput at `crop`: `inputSize` floats a slot). */
  classifyInputs(inputs: Float32Array): ShelfVerdict[] {
    const size = this.inputSize;
    const n = inputs.length / size;
    if (!Number.isInteger(n)) throw new Error(`inputs hold ${inputs.length} floats, not a multiple of ${size}`);
    const out: ShelfVerdict[] = [];
    const batch = Math.max(1, Math.floor(BATCH_FLOATS / size));
    for (let start = 0; start < n; start += batch) {
      const m = Math.min(batch, n - start);
      const [fill, match] = tf.tidy(() => {
        const x = tf.tensor4d(inputs.subarray(start * size, (start + m) * size), [m, this.crop.height, this.crop.width, CHANNELS]);
        const [f, g] = this.run(x);
        return [f!.dataSync(), g!.dataSync()];
      });
      for (let i = 0; i < m; i++) {
        let best = 0;
        for (let k = 1; k < FILL_LABELS.length; k++) if (fill[i * FILL_LABELS.length + k]! > fill[i * FILL_LABELS.length + best]!) best = k;
        const matchProb = match[i]!;
        out.push({ fill: FILL_LABELS[best]!, fillProb: fill[i * FILL_LABELS.length + best]!, match: matchProb >= this.matchThreshold, matchProb });
      }
    }
    return out;
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * A Layers model's outputs for one batch, through `execute` on its output tensors where that
 * is sure to work: the same numbers as `predict`, at half the time and half the garbage
 * (`predict` validates, slices the batch into 32s and concatenates them again; the shipped
 * model on a frame's 16 slots, wasm backend: 1.7-1.9 ms against 0.9-1.0 ms). `execute` finds
 * the outputs by the layers' `output`, which tf.js refuses for a layer called more than once
 * (a nested backbone model, a shared layer), and answers a tensor listed twice only once: such
 * models, and a stand-in without output tensors (userModel.ts `remapped`), go through `predict`.
 */
export function forward(model: RunnableModel): (x: tf.Tensor) => tf.Tensor[] {
  const list = (out: tf.Tensor | tf.Tensor[]) => (Array.isArray(out) ? out : [out]);
  if (runsByExecute(model)) {
    const names = model.outputs!.map((o) => o.name);
    return (x) => list(model.execute!(x, names));
  }
  return (x) => list(model.predict(x) as tf.Tensor | tf.Tensor[]);
}

type RunnableModel = Pick<tf.LayersModel, 'predict'> & Partial<Pick<tf.LayersModel, 'execute' | 'outputs' | 'layers'>>;

/** Whether `forward` runs the model through `execute`: it has distinct output tensors and no layer called more than once. */
export function runsByExecute(model: RunnableModel): boolean {
  const names = model.outputs?.map((o) => o.name) ?? [];
  return typeof model.execute === 'function' && names.length > 0 && new Set(names).size === names.length && (model.layers ?? []).every((l) => l.inboundNodes.length <= 1);
}
