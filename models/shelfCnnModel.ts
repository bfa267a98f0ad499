/**
 * The shelf CNN, twice over: as a tf.js Layers model (what ships in models/shelf-cnn/ and
 * what src/inference/ShelfCnn.ts loads) and as the same function written with core ops
 * (what models/train.ts trains). The core-op form exists because the cpu backend's
 * convolution gradients are naive loops (a 3x3 conv on 16x16x16 took 11 s a batch of 64 to
 * train, measured here): the same maths as slices, elementwise products and matrix products
 * trains about a hundred times faster. `toLayers` copies trained weights into the Layers model.
 *
 * Architecture: a 2x2 stride-2 "patchify" stem (16), then MobileNet-style depthwise-separable
 * 3x3 blocks (32, 64, 64; the first two with stride 2), the last map both flattened and
 * max-pooled into a 64-unit dense layer, and two heads:
 * `fill` (softmax over FILL_LABELS) and `match` (sigmoid: only the planned SKU, or nothing, is
 * on the slot). 32x32x9 in (shelfInput.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { Random } from '../src/core/random';
import { CHANNELS, CROP, FILL_LABELS } from '../src/inference/shelfInput';

const STEM = 16;
const BLOCKS = [32, 64, 64] as const;
const DENSE = 64;
/** Each block's depthwise stride: strided depthwise convolutions instead of pooling (MobileNet's way; the cpu backend's max-pool gradient is slow). */
const STRIDES = [2, 2, 1] as const;

export function buildShelfCnn(): tf.LayersModel {
  const input = tf.input({ shape: [CROP, CROP, CHANNELS], name: 'slot' });
  let x = tf.layers.conv2d({ filters: STEM, kernelSize: 2, strides: 2, padding: 'valid', activation: 'relu', name: 'stem' }).apply(input) as tf.SymbolicTensor;
  BLOCKS.forEach((filters, i) => {
    x = tf.layers.separableConv2d({ filters, kernelSize: 3, strides: STRIDES[i], padding: 'same', activation: 'relu', name: `block${i + 1}` }).apply(x) as tf.SymbolicTensor;
  });
  const flat = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const peak = tf.layers.globalMaxPooling2d({ name: 'peak' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.concatenate({ name: 'features' }).apply([flat, peak]) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: DENSE, activation: 'relu', name: 'dense' }).apply(x) as tf.SymbolicTensor;
  const fill = tf.layers.dense({ units: FILL_LABELS.length, activation: 'softmax', name: 'fill' }).apply(x) as tf.SymbolicTensor;
  const match = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'match' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [fill, match], name: 'shelf_cnn' });
}

/** The trainable weights of the core-op form, by name. */
export type ShelfParams = Record<string, tf.Variable>;

/** Glorot-uniform kernels and zero biases, drawn from one seeded generator in a fixed order. */
export function initParams(seed: number): ShelfParams {
  const rnd = new Random(seed);
  const p: ShelfParams = {};
  const kernel = (name: string, shape: number[], fanIn: number, fanOut: number) => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = (rnd.next() * 2 - 1) * limit;
    p[name] = tf.variable(tf.tensor(v, shape), true, name);
  };
  const bias = (name: string, n: number) => (p[name] = tf.variable(tf.zeros([n]), true, name));
  kernel('stem/w', [4 * CHANNELS, STEM], 4 * CHANNELS, 4 * STEM);
  bias('stem/b', STEM);
  let c = STEM;
  BLOCKS.forEach((f, i) => {
    // As tf.layers' separableConv2d: depthwise fans 9 in, 9 out; pointwise fans c in, f out.
    kernel(`block${i + 1}/dw`, [9, c], 9, 9);
    kernel(`block${i + 1}/pw`, [c, f], c, f);
    bias(`block${i + 1}/b`, f);
    c = f;
  });
  const side = CROP / 2 / STRIDES.reduce<number>((a, b) => a * b, 1);
  kernel('dense/w', [side * side * c + c, DENSE], side * side * c + c, DENSE);
  bias('dense/b', DENSE);
  kernel('fill/w', [DENSE, FILL_LABELS.length], DENSE, FILL_LABELS.length);
  bias('fill/b', FILL_LABELS.length);
  kernel('match/w', [DENSE, 1], DENSE, 1);
  bias('match/b', 1);
  return p;
}

/** 3x3 depthwise convolution, 'same' zero padding (the cpu backend's depthwise gradients are tolerable; its dense convolution ones are not). */
function depthwise3x3(x: tf.Tensor4D, w: tf.Tensor2D, stride: number): tf.Tensor4D {
  return tf.depthwiseConv2d(x, w.reshape([3, 3, x.shape[3], 1]) as tf.Tensor4D, stride, 'same');
}

/** A 1x1 convolution as a matrix product. */
function pointwise(x: tf.Tensor4D, w: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor4D {
  const [b, h, wd, c] = x.shape;
  return tf.add(tf.matMul(x.reshape([b * h * wd, c]), w), bias).reshape([b, h, wd, w.shape[1]]);
}

/** The forward pass in core ops: fill logits [n, 4] and match logit [n, 1]. */
export function forward(p: ShelfParams, x: tf.Tensor4D): { fill: tf.Tensor2D; match: tf.Tensor2D } {
  const n = x.shape[0];
  const half = CROP / 2;
  // Space to depth: each 2x2 patch's pixels side by side, (dy, dx, channel) order as a 2x2 conv kernel's.
  const patches = x.reshape([n, half, 2, half, 2, CHANNELS]).transpose([0, 1, 3, 2, 4, 5]).reshape([n, half, half, 4 * CHANNELS]) as tf.Tensor4D;
  let h = tf.relu(pointwise(patches, p['stem/w'] as tf.Tensor2D, p['stem/b'] as tf.Tensor1D));
  BLOCKS.forEach((_, i) => {
    const k = `block${i + 1}`;
    h = tf.relu(pointwise(depthwise3x3(h, p[`${k}/dw`] as tf.Tensor2D, STRIDES[i]!), p[`${k}/pw`] as tf.Tensor2D, p[`${k}/b`] as tf.Tensor1D));
  });
  // The last block's map flattened (where things are: the fill) beside its maximum over the
  // map (whether a feature shows anywhere: a foreign SKU's colour).
  const features = tf.concat([h.reshape([n, -1]), tf.max(h, [1, 2])], 1);
  const d = tf.relu(tf.add(tf.matMul(features, p['dense/w'] as tf.Tensor2D), p['dense/b']!));
  return {
    fill: tf.add(tf.matMul(d, p['fill/w'] as tf.Tensor2D), p['fill/b']!) as tf.Tensor2D,
    match: tf.add(tf.matMul(d, p['match/w'] as tf.Tensor2D), p['match/b']!) as tf.Tensor2D,
  };
}

/** The Layers model with the trained weights of `p`. */
export function toLayers(p: ShelfParams): tf.LayersModel {
  const model = buildShelfCnn();
  const v = (name: string) => p[name]!;
  model.getLayer('stem').setWeights([v('stem/w').reshape([2, 2, CHANNELS, STEM]), v('stem/b')]);
  let c = STEM;
  BLOCKS.forEach((f, i) => {
    const k = `block${i + 1}`;
    model.getLayer(k).setWeights([v(`${k}/dw`).reshape([3, 3, c, 1]), v(`${k}/pw`).reshape([1, 1, c, f]), v(`${k}/b`)]);
    c = f;
  });
  for (const k of ['dense', 'fill', 'match']) model.getLayer(k).setWeights([v(`${k}/w`), v(`${k}/b`)]);
  return model;
}
