/**
 * `npm run train`: trains the shelf CNN on the simulator's renders of gm-large and writes
 * models/shelf-cnn/ (model.json, weights.bin, metrics.json), then scores it on renders it
 * never saw: gm-large with other seeds, and apparel-compact, a layout it never trained on.
 * Seeded end to end (data, initial weights, batch order) on tf.js's cpu backend.
 *
 *   npx tsx models/train.ts [--seed 1] [--worlds 150] [--jitter 0.5] [--shared-skus 0] [--epochs 4] [--batch 64] [--lr 0.005] [--ratio 5] [--match-weight 2] [--out models/shelf-cnn]
 *   npx tsx models/train.ts --rescore [--out DIR]   (the model in DIR: match threshold and scores only)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { Random } from '../src/core/random';
import { CHANNELS, SHELF_CROP } from '../src/inference/shelfInput';
import { ShelfCnn } from '../src/inference/ShelfCnn';
import { forward, initParams, toLayers, toPatches } from './shelfCnnModel';
import { datasetInputs, shelfDataset, type DatasetOptions } from './shelfDataset';
import { SHELF_CNN_DIR, loadShelfCnn, saveShelfCnn } from './shelfCnnFiles';
import { formatScore, scoreShelf } from './shelfScore';

/** The held-out sets the model card reports; the last is the test's (test/inference/shelfCnn.test.ts). */
export const HELD_OUT: readonly (DatasetOptions & { name: string })[] = [
  { name: 'gm-large, other seeds', layout: 'gm-large', seed: 1001, worlds: 4 },
  { name: 'apparel-compact (layout never trained on)', layout: 'apparel-compact', seed: 2001, worlds: 20 },
  { name: "apparel-compact, the test's set", layout: 'apparel-compact', seed: 90_210, worlds: 10 },
];

/** The set the match threshold is chosen on: gm-large, seeds apart from training's and the held-out sets'. */
const VALIDATION: DatasetOptions = { layout: 'gm-large', seed: 501, worlds: 12 };

/**
 * Who decodes the training set's frames: jpeg-js, as for the shipped weights. The validation
 * and held-out sets go through mozjpeg's decoder (libjpeg-turbo's code), as the vision pipeline
 * decodes frames in the browser and in Node: the scores are the model as it runs. Trained
 * through mozjpeg too, the same seed read held-out B 3 points worse (86.1 %): jpeg-js's coarser
 * colour is a little augmentation.
 */
const TRAIN_DECODER = 'jpeg-js';

/** Share of the validation set's misplaced slots the match threshold is set to catch. */
const VALIDATION_RECALL = 0.94;

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    worlds: { type: 'string', default: '150' },
    epochs: { type: 'string', default: '4' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.005' },
    ratio: { type: 'string', default: '5' },
    'match-weight': { type: 'string', default: '2' },
    jitter: { type: 'string', default: '0.5' },
    'shared-skus': { type: 'string', default: '0' },
    out: { type: 'string', default: SHELF_CNN_DIR },
    rescore: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
const epochs = Number(values.epochs);
const batch = Number(values.batch);
const lr = Number(values.lr);
/** Weight of the training-only ratio loss (shelfCnnModel.ts `forward`). */
const ratioWeight = Number(values.ratio);
/** Weight of the match head's cross-entropy (the fill head's is 1). */
const matchWeight = Number(values['match-weight']);
const cameraJitter = Number(values.jitter);
/** shelfDataset.ts DatasetOptions `sharedSkus`: 0 for the shipped weights (0.4 was tried: the model card's "Tried since"). */
const sharedSkus = Number(values['shared-skus']);

interface Trained {
  readonly model: tf.LayersModel;
  /** What metrics.json records about the training. */
  readonly run: Record<string, number | string>;
}

async function trainModel(): Promise<Trained> {
  const t0 = performance.now();
  const train = shelfDataset({ layout: 'gm-large', seed, worlds: Number(values.worlds), cameraJitter, sharedSkus, decoder: TRAIN_DECODER });
  const t1 = performance.now();
  const renderSeconds = (t1 - t0) / 1000;
  console.log(`training set: ${train.size} crops from gm-large in ${renderSeconds.toFixed(1)} s`);

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
        const x = tf.tensor4d(toPatches(datasetInputs(train, idx)), [batch, SHELF_CROP.height / 2, SHELF_CROP.width / 2, 4 * CHANNELS]);
        const fill = tf.oneHot(tf.tensor1d(idx.map((i) => train.fill[i]!), 'int32'), 4);
        const match = tf.tensor2d(idx.map((i) => train.match[i]!), [batch, 1]);
        const ratio = tf.tensor2d(idx.map((i) => train.ratio[i]!), [batch, 1]);
        return optimizer.minimize(() => {
          const o = forward(params, x);
          const classes = tf.add(tf.losses.softmaxCrossEntropy(fill, o.fill), tf.mul(matchWeight, tf.losses.sigmoidCrossEntropy(match, o.match)));
          return tf.add(classes, tf.mul(ratioWeight, tf.losses.meanSquaredError(ratio, o.ratio))) as tf.Scalar;
        }, true)!;
      });
      sum += loss.dataSync()[0]!;
      loss.dispose();
    }
    optimizer.dispose();
    console.log(`epoch ${epoch + 1}/${epochs}: loss ${(sum / steps).toFixed(4)}, ${((performance.now() - e0) / 1000).toFixed(1)} s`);
  }
  const trainSeconds = (performance.now() - t1) / 1000;
  return { model: toLayers(params), run: { seed, worlds: Number(values.worlds), cameraJitter, ...(sharedSkus > 0 ? { sharedSkus } : {}), trainDecoder: TRAIN_DECODER, epochs, batch, lr, ratioWeight, matchWeight, trainCrops: train.size, renderSeconds: Math.round(renderSeconds), trainSeconds: Math.round(trainSeconds) } };
}

/** --rescore: the model already in --out, its training record kept; only the threshold and the scores are redone. */
async function savedModel(): Promise<Trained> {
  const prior = JSON.parse(readFileSync(join(values.out, 'metrics.json'), 'utf8')) as Record<string, unknown> & { run?: Record<string, number | string> };
  const run = prior.run ?? Object.fromEntries(Object.entries(prior).filter(([k, v]) => typeof v === 'number' && !['weightBytes', 'matchThreshold'].includes(k)));
  return { model: (await loadShelfCnn(values.out)).model, run: run as Record<string, number | string> };
}

await tf.setBackend('cpu');
const { model, run } = values.rescore ? await savedModel() : await trainModel();

// The match threshold: the lowest that catches VALIDATION_RECALL of the validation set's misplaced slots.
const validation = shelfDataset(VALIDATION);
const probs = ShelfCnn.wrap(model).classifyInputs(datasetInputs(validation, Array.from({ length: validation.size }, (_, i) => i))).map((v) => v.matchProb);
const misplacedProbs = probs.filter((_, i) => validation.match[i] === 0).sort((a, b) => a - b);
const matchThreshold = Math.min(0.99, Math.max(0.5, (misplacedProbs[Math.ceil(misplacedProbs.length * VALIDATION_RECALL) - 1] ?? 0.5) + 1e-6));
console.log(`match threshold ${matchThreshold.toFixed(4)} (validation: ${validation.size} crops, ${misplacedProbs.length} misplaced)`);
const bytes = await saveShelfCnn(model, values.out, matchThreshold);
console.log(`saved ${values.out}: ${bytes} bytes of weights${run.trainSeconds === undefined ? '' : `; trained in ${run.trainSeconds} s`}`);

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
writeFileSync(join(values.out, 'metrics.json'), `${JSON.stringify({ run, weightBytes: bytes, validation: VALIDATION, validationRecall: VALIDATION_RECALL, matchThreshold, heldOut: scores }, null, 2)}\n`);
