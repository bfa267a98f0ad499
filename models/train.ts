/**
 * `npm run train`: trains the shelf CNN on the simulator's renders of gm-large and writes
 * models/shelf-cnn/ (model.json, weights.bin, metrics.json), then scores it on renders it
 * never saw: gm-large with other seeds, and apparel-compact, a layout it never trained on.
 * Seeded end to end (data, initial weights, batch order) on tf.js's cpu backend.
 *
 *   npx tsx models/train.ts [--seed 1] [--worlds 50] [--epochs 6] [--batch 32] [--lr 0.005] [--out models/shelf-cnn]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { Random } from '../src/core/random';
import { CHANNELS, CROP } from '../src/inference/shelfInput';
import { ShelfCnn } from '../src/inference/ShelfCnn';
import { forward, initParams, toLayers } from './shelfCnnModel';
import { datasetInputs, shelfDataset, type DatasetOptions } from './shelfDataset';
import { SHELF_CNN_DIR, loadShelfCnn, saveShelfCnn } from './shelfCnnFiles';
import { formatScore, scoreShelf } from './shelfScore';

/** The held-out sets the model card reports (the test draws its own, with other seeds again). */
export const HELD_OUT: readonly (DatasetOptions & { name: string })[] = [
  { name: 'gm-large, other seeds', layout: 'gm-large', seed: 1001, worlds: 4 },
  { name: 'apparel-compact (layout never trained on)', layout: 'apparel-compact', seed: 2001, worlds: 20 },
];

/** Share of the validation set's misplaced slots the match threshold is set to catch. */
const VALIDATION_RECALL = 0.9;

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    worlds: { type: 'string', default: '50' },
    epochs: { type: 'string', default: '6' },
    batch: { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.005' },
    out: { type: 'string', default: SHELF_CNN_DIR },
  },
});
const seed = Number(values.seed);
const epochs = Number(values.epochs);
const batch = Number(values.batch);
const lr = Number(values.lr);

await tf.setBackend('cpu');
const t0 = performance.now();
const train = shelfDataset({ layout: 'gm-large', seed, worlds: Number(values.worlds) });
const t1 = performance.now();
console.log(`training set: ${train.size} crops from gm-large in ${((t1 - t0) / 1000).toFixed(1)} s`);

const params = initParams(seed);
const rnd = new Random(seed + 7);
const order = Array.from({ length: train.size }, (_, i) => i);
const steps = Math.floor(train.size / batch);
for (let epoch = 0; epoch < epochs; epoch++) {
  // Cosine decay over the epochs, from lr to a tenth of it.
  const optimizer = tf.train.adam(lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * epoch) / epochs))));
  for (let i = order.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let sum = 0;
  const e0 = performance.now();
  for (let s = 0; s < steps; s++) {
    const idx = order.slice(s * batch, (s + 1) * batch);
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(datasetInputs(train, idx), [batch, CROP, CROP, CHANNELS]);
      const fill = tf.oneHot(tf.tensor1d(idx.map((i) => train.fill[i]!), 'int32'), 4);
      const match = tf.tensor2d(idx.map((i) => train.match[i]!), [batch, 1]);
      return optimizer.minimize(() => {
        const o = forward(params, x);
        return tf.add(tf.losses.softmaxCrossEntropy(fill, o.fill), tf.losses.sigmoidCrossEntropy(match, o.match)) as tf.Scalar;
      }, true)!;
    });
    sum += loss.dataSync()[0]!;
    loss.dispose();
  }
  optimizer.dispose();
  console.log(`epoch ${epoch + 1}/${epochs}: loss ${(sum / steps).toFixed(4)}, ${((performance.now() - e0) / 1000).toFixed(1)} s`);
}
const trainSeconds = (performance.now() - t1) / 1000;

const model = toLayers(params);
// The match threshold: the lowest that catches VALIDATION_RECALL of the misplaced slots of a
// validation set (gm-large, seeds apart from training's and the held-out sets').
const validation = shelfDataset({ layout: 'gm-large', seed: 501, worlds: 4 });
const probs = ShelfCnn.wrap(model).classifyInputs(datasetInputs(validation, Array.from({ length: validation.size }, (_, i) => i))).map((v) => v.matchProb);
const misplacedProbs = probs.filter((_, i) => validation.match[i] === 0).sort((a, b) => a - b);
const matchThreshold = Math.min(0.99, Math.max(0.5, (misplacedProbs[Math.ceil(misplacedProbs.length * VALIDATION_RECALL) - 1] ?? 0.5) + 1e-6));
console.log(`match threshold ${matchThreshold.toFixed(4)} (validation: ${validation.size} crops, ${misplacedProbs.length} misplaced)`);
const bytes = await saveShelfCnn(model, values.out, matchThreshold);
console.log(`saved ${values.out}: ${bytes} bytes of weights; trained in ${trainSeconds.toFixed(0)} s`);

// Scored from the files just written, as the test and the app load them.
const cnn = await loadShelfCnn(values.out);
const scores = [];
for (const h of HELD_OUT) {
  const ds = shelfDataset(h);
  const verdicts = cnn.classifyInputs(datasetInputs(ds, Array.from({ length: ds.size }, (_, i) => i)));
  const score = scoreShelf(ds, verdicts);
  console.log(formatScore(h.name, score));
  scores.push({ ...h, score });
}
writeFileSync(join(values.out, 'metrics.json'), `${JSON.stringify({ seed, epochs, batch, lr, trainCrops: train.size, trainSeconds: Math.round(trainSeconds), weightBytes: bytes, matchThreshold, heldOut: scores }, null, 2)}\n`);

