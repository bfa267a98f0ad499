/**
 * A user's own shelf model: its files picked together (model.json, shards, class map), every
 * fault named at once, and the class map honoured (outputs in another order, labels in
 * another order or fewer of them, no match head).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetInputs, shelfDataset } from '../../models/shelfDataset';
import { CHANNELS, FILL_LABELS, INPUT_SIZE, inputSize, SHELF_CROP } from '../../src/inference/shelfInput';
import { runsByExecute, type ModelJson } from '../../src/inference/ShelfCnn';
import { VisionService } from '../../src/inference/VisionService';
import { FrameRenderer } from '../../sim/render/FrameRenderer';
import { loadLayout } from '../../models/shelfDataset';
import { loadVisionModel, ModelError, modelFromFiles, parseClassMap, readModelFiles, type ModelFile } from '../../src/inference/userModel';

const shippedJson = readFileSync('models/shelf-cnn/model.json', 'utf8');
const shippedWeights = new Uint8Array(readFileSync('models/shelf-cnn/weights.bin'));

/** Random but seeded crops: enough to see every label's mapping. */
function inputs(n: number, size = INPUT_SIZE): Float32Array {
  let s = 7;
  return Float32Array.from({ length: n * size }, () => ((s = (s * 16807) % 2147483647) / 2147483647) * 1.2 - 0.1);
}

/** A tiny Layers model: dense heads over a flattened side x side crop, one an entry of `heads` (units, activation). */
function denseHeads(side: number, heads: readonly (readonly [number, 'softmax' | 'sigmoid'])[]): tf.LayersModel {
  const input = tf.input({ shape: [side, side, CHANNELS] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: heads.map(([units, activation]) => tf.layers.dense({ units, activation }).apply(flat) as tf.SymbolicTensor) });
}

/** A tiny Layers model saved to memory: model.json's object and its weights. */
async function saved(model: tf.LayersModel): Promise<{ json: ModelJson; weights: ArrayBuffer }> {
  let out: { json: ModelJson; weights: ArrayBuffer } | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const w = a.weightData as ArrayBuffer;
      out = { json: { modelTopology: a.modelTopology as object, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs ?? [] }] }, weights: w };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  return out!;
}

function problems(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModelError) return e.problems;
    throw e;
  }
  throw new Error('expected a ModelError');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('class map', () => {
  it('reads a full map and defaults to the shipped one', () => {
    expect(parseClassMap('{}')).toEqual({ fillOutput: 0, fillLabels: FILL_LABELS, matchOutput: 1, matchIndex: 0 });
    expect(parseClassMap({ fillOutput: 1, fillLabels: ['full', 'empty'], matchOutput: null, matchThreshold: 0.7, '//': 'a note' })).toEqual({ fillOutput: 1, fillLabels: ['full', 'empty'], matchOutput: null, matchIndex: 0, matchThreshold: 0.7 });
  });

  it('names every fault at once', () => {
    const p = problems(() => parseClassMap({ fillOutput: 1, matchOutput: 1, fillLabels: ['full', 'full', 'stocked'], matchThreshold: 2, colour: 'red' }));
    expect(p).toHaveLength(5);
    expect(p.join('\n')).toMatch(/colour: unknown field/);
    expect(p.join('\n')).toMatch(/"stocked" not one of empty, low, half, full/);
    expect(p.join('\n')).toMatch(/full named twice/);
    expect(p.join('\n')).toMatch(/both 1/);
    expect(p.join('\n')).toMatch(/matchThreshold: must be a probability/);
    expect(problems(() => parseClassMap('{oops'))[0]).toMatch(/class map: not JSON/);
  });
});

describe('model files picked together', () => {
  const file = (name: string, bytes: Uint8Array | string): ModelFile => ({ name, bytes: typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes });

  it('finds model.json, its shard and the class map among the files, in any order', () => {
    const m = modelFromFiles([file('weights.bin', shippedWeights), file('classes.json', '{"matchThreshold": 0.6}'), file('model.json', shippedJson)]);
    expect(m.weights.byteLength).toBe(shippedWeights.byteLength);
    expect(m.classMap).toEqual({ matchThreshold: 0.6 });
  });

  it('reads the files a user picked in the page (File objects)', async () => {
    const m = await readModelFiles([new File([shippedJson], 'model.json'), new File([shippedWeights], 'weights.bin'), new File(['{"fillLabels": ["empty", "low", "half", "full"]}'], 'shelf.classes.json')]);
    expect(m.weights.byteLength).toBe(shippedWeights.byteLength);
    const loaded = await loadVisionModel(m);
    expect(loaded.classMap.fillLabels).toEqual(FILL_LABELS);
    loaded.cnn.dispose();
  });

  it('names a missing shard, a shard of the wrong size, a stray file and a second class map', () => {
    expect(problems(() => modelFromFiles([file('model.json', shippedJson)]))[0]).toMatch(/weight files missing: weights\.bin/);
    expect(problems(() => modelFromFiles([file('model.json', shippedJson), file('weights.bin', shippedWeights.subarray(0, 1000))]))[0]).toMatch(new RegExp(`weights are 1,000 bytes, the manifest's \\d+ weights need ${shippedWeights.byteLength.toLocaleString('en-US')}`));
    expect(problems(() => modelFromFiles([file('model.json', shippedJson), file('weights.bin', shippedWeights), file('notes.txt', 'hi')]))[0]).toMatch(/notes\.txt: not named by model\.json/);
    expect(problems(() => modelFromFiles([file('model.json', shippedJson), file('weights.bin', shippedWeights), file('a.json', '{}'), file('b.json', '{}')]))[0]).toMatch(/2 class maps/);
    expect(problems(() => modelFromFiles([file('weights.bin', shippedWeights)]))[0]).toMatch(/no model\.json/);
  });

  it('refuses a graph model with how to convert it', () => {
    const graph = JSON.stringify({ format: 'graph-model', modelTopology: {}, weightsManifest: [] });
    expect(problems(() => modelFromFiles([file('model.json', graph)]))[0]).toMatch(/only tf\.js Layers models.*tensorflowjs_converter/);
  });
});

describe('loading a model with its class map', () => {
  it('maps the shipped model\'s fill units through a reversed label order', async () => {
    const weights = shippedWeights.slice().buffer;
    const plain = await loadVisionModel({ modelJson: shippedJson, weights });
    const reversed = await loadVisionModel({ modelJson: shippedJson, weights, classMap: { fillLabels: [...FILL_LABELS].reverse() } });
    // Real crops (one seeded world of renders): random numbers all read as one class.
    const ds = shelfDataset({ layout: 'apparel-compact', seed: 5, worlds: 1 });
    const x = datasetInputs(ds, Array.from({ length: ds.size }, (_, i) => i));
    const a = plain.cnn.classifyInputs(x);
    const b = reversed.cnn.classifyInputs(x);
    expect(new Set(a.map((v) => v.fill)).size).toBe(4);
    for (let i = 0; i < a.length; i++) {
      expect(b[i]!.fill).toBe(FILL_LABELS[3 - FILL_LABELS.indexOf(a[i]!.fill)]);
      expect(b[i]!.fillProb).toBeCloseTo(a[i]!.fillProb, 6);
      expect(b[i]!.matchProb).toBeCloseTo(a[i]!.matchProb, 6);
    }
    expect(plain.params).toBe(reversed.params);
  });

  it('runs a model with three fill classes, its outputs swapped, no match head and a square crop of its own', async () => {
    // Outputs: a two-way head, then three fill classes.
    const { json, weights } = await saved(denseHeads(32, [[2, 'softmax'], [3, 'softmax']]));
    const loaded = await loadVisionModel({ modelJson: json, weights, classMap: { fillOutput: 1, fillLabels: ['empty', 'half', 'full'], matchOutput: null } });
    // It takes 32 x 32 crops, not the shipped 64 x 16: the runner cuts them at its size.
    expect(loaded.cnn.crop).toEqual({ width: 32, height: 32 });
    expect(() => loaded.cnn.classifyInputs(inputs(3, inputSize({ width: 32, height: 32 }) + 1))).toThrow(/not a multiple of/);
    const v = loaded.cnn.classifyInputs(inputs(16, inputSize({ width: 32, height: 32 })));
    expect(v).toHaveLength(16);
    expect(v.every((s) => s.fill !== 'low' && s.match && s.matchProb === 1)).toBe(true);
    // The same model read as a two-way match head on output 0.
    const asMatch = await loadVisionModel({ modelJson: json, weights, classMap: { fillOutput: 1, fillLabels: ['empty', 'half', 'full'], matchOutput: 0, matchIndex: 1 } });
    expect(asMatch.cnn.classifyInputs(inputs(4, inputSize(asMatch.cnn.crop))).every((s) => s.matchProb > 0 && s.matchProb < 1)).toBe(true);
  });

  it('runs a model with a nested backbone model and one with a layer used twice (tf.js cannot execute those by output name: they go through predict)', async () => {
    const side = 16;
    const x = inputs(5, inputSize({ width: side, height: side }));
    // A backbone model called as a layer, as a transfer-learning model is built.
    const backboneIn = tf.input({ shape: [side, side, CHANNELS] });
    const backbone = tf.model({ inputs: backboneIn, outputs: tf.layers.flatten().apply(backboneIn) as tf.SymbolicTensor });
    const outerIn = tf.input({ shape: [side, side, CHANNELS] });
    const features = backbone.apply(outerIn) as tf.SymbolicTensor;
    const nested = tf.model({ inputs: outerIn, outputs: [tf.layers.dense({ units: 4, activation: 'softmax' }).apply(features) as tf.SymbolicTensor, tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(features) as tf.SymbolicTensor] });
    // One dense layer applied twice.
    const sharedIn = tf.input({ shape: [side, side, CHANNELS] });
    const dense = tf.layers.dense({ units: 8, activation: 'relu' });
    const twice = dense.apply(dense.apply(tf.layers.dense({ units: 8 }).apply(tf.layers.flatten().apply(sharedIn)))) as tf.SymbolicTensor;
    const shared = tf.model({ inputs: sharedIn, outputs: [tf.layers.dense({ units: 4, activation: 'softmax' }).apply(twice) as tf.SymbolicTensor, tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(twice) as tf.SymbolicTensor] });
    for (const model of [nested, shared]) {
      const { json, weights } = await saved(model);
      const loaded = await loadVisionModel({ modelJson: json, weights });
      expect(runsByExecute(loaded.cnn.model)).toBe(false);
      const v = loaded.cnn.classifyInputs(x);
      expect(v).toHaveLength(5);
      // The same calls predict makes.
      const [fill, match] = tf.tidy(() => (loaded.cnn.model.predict(tf.tensor4d(x, [5, side, side, CHANNELS])) as tf.Tensor[]).map((t) => Array.from(t.dataSync())));
      v.forEach((s, i) => {
        expect(s.fillProb).toBeCloseTo(Math.max(...fill!.slice(i * 4, i * 4 + 4)), 6);
        expect(s.matchProb).toBeCloseTo(match![i]!, 6);
      });
    }
  });

  it('starts the vision service on a model of its own crop size (48 x 48) and judges a frame\'s slots with it', async () => {
    // The shipped heads: four fill classes, then the match sigmoid.
    const { json, weights } = await saved(denseHeads(48, [[4, 'softmax'], [1, 'sigmoid']]));
    const service = new VisionService();
    await service.init(readFileSync('scenarios/layouts/apparel-compact.layout.json', 'utf8'), { modelJson: json, weights }, { prefer: 'cpu', decode: 'js' });
    const layout = loadLayout('apparel-compact');
    const ts = Date.parse('2026-11-17T16:00:00Z');
    const stock = new Map([...layout.slots.values()].map((s) => [s.id, new Map([[s.sku, s.capacity]])]));
    const { jpeg } = new FrameRenderer(layout).jpeg('cam-cage', { ts, stock, people: [] }, { width: 1280 });
    const r = await service.run({ camera: 'cam-cage', ts, jpeg });
    expect(r.slots.length).toBeGreaterThan(0);
    for (const s of r.slots) {
      expect(s.cropWidth).toBe(48);
      expect(s.crop).toHaveLength(48 * 48 * 4);
    }
    service.dispose();
  });

  it('names a wrong input, an output of the wrong width and a head that is not there', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const out = tf.layers.dense({ units: 5, activation: 'softmax' }).apply(tf.layers.flatten().apply(input)) as tf.SymbolicTensor;
    const { json, weights } = await saved(tf.model({ inputs: input, outputs: out }));
    const err = await loadVisionModel({ modelJson: json, weights }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelError);
    const p = (err as ModelError).problems.join('\n');
    expect(p).toMatch(`input [null,8,8,3]: the shelf input is [null, height, width, ${CHANNELS}]`);
    expect(p).toMatch(`the shipped model's is [null,${SHELF_CROP.height},${SHELF_CROP.width},${CHANNELS}]`);
    expect(p).toMatch(/fill output 0 is \[null,5\]: the class map names 4 fill labels/);
    expect(p).toMatch(/matchOutput 1: the model has 1 output\(s\); set "matchOutput": null/);
  });
});
