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
 * on the slot); training adds a third, `ratio` (forward). SHELF_CROP's height x width x CHANNELS in (shelfInput.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { Random } from '../src/core/random';
import { CHANNELS, FILL_LABELS, SHELF_CROP } from '../src/inference/shelfInput';

const STEM = 16;
const BLOCKS = [32, 64, 64] as const;
const DENSE = 64;
/** Each block's depthwise stride: strided depthwise convolutions instead of pooling (MobileNet's way; the cpu backend's max-pool gradient is slow). */
const STRIDES = [2, 2, 1] as const;

export function buildShelfCnn(): tf.LayersModel {
  const input = tf.input({ shape: [SHELF_CROP.height, SHELF_CROP.width, CHANNELS], name: 'slot' });
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
  const down = 2 * STRIDES.reduce<number>((a, b) => a * b, 1);
  const cells = (SHELF_CROP.height / down) * (SHELF_CROP.width / down);
  kernel('dense/w', [cells * c + c, DENSE], cells * c + c, DENSE);
  bias('dense/b', DENSE);
  kernel('fill/w', [DENSE, FILL_LABELS.length], DENSE, FILL_LABELS.length);
  bias('fill/b', FILL_LABELS.length);
  kernel('match/w', [DENSE, 1], DENSE, 1);
  bias('match/b', 1);
  // Training only (not in the Layers model): the share of the slot's width its units take.
  kernel('ratio/w', [DENSE, 1], DENSE, 1);
  bias('ratio/b', 1);
  return p;
}

/**
 * 3x3 depthwise convolution, 'same' zero padding as tf.js pads (the odd pixel after), with
 * its gradient written as plain loops over typed arrays: the cpu backend's own
 * (DepthwiseConv2dNativeBackpropFilter) took most of a training step, measured here. The
 * value is tf.js's own op, so the Layers model computes the same function.
 */
export function depthwise3x3(x: tf.Tensor4D, w: tf.Tensor2D, stride: number): tf.Tensor4D {
  const [n, h, wd, c] = x.shape;
  const oh = Math.ceil(h / stride);
  const ow = Math.ceil(wd / stride);
  const top = Math.floor(Math.max((oh - 1) * stride + 3 - h, 0) / 2);
  const left = Math.floor(Math.max((ow - 1) * stride + 3 - wd, 0) / 2);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, wi, save] = args as [tf.Tensor4D, tf.Tensor2D, tf.GradSaveFunc];
    save([xi, wi]);
    return {
      value: tf.depthwiseConv2d(xi, wi.reshape([3, 3, c, 1]) as tf.Tensor4D, stride, 'same'),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const xs = saved[0]!.dataSync() as Float32Array;
        const ws = saved[1]!.dataSync() as Float32Array;
        const g = (dy as tf.Tensor).dataSync() as Float32Array;
        const dx = new Float32Array(xs.length);
        const dw = new Float32Array(ws.length);
        for (let b = 0; b < n; b++) {
          for (let oy = 0; oy < oh; oy++) {
            for (let ox = 0; ox < ow; ox++) {
              const go = ((b * oh + oy) * ow + ox) * c;
              for (let ky = 0; ky < 3; ky++) {
                const iy = oy * stride + ky - top;
                if (iy < 0 || iy >= h) continue;
                for (let kx = 0; kx < 3; kx++) {
                  const ix = ox * stride + kx - left;
                  if (ix < 0 || ix >= wd) continue;
                  const xo = ((b * h + iy) * wd + ix) * c;
                  const wo = (ky * 3 + kx) * c;
                  for (let k = 0; k < c; k++) {
                    dw[wo + k]! += xs[xo + k]! * g[go + k]!;
                    dx[xo + k]! += ws[wo + k]! * g[go + k]!;
                  }
                }
              }
            }
          }
        }
        return [tf.tensor4d(dx, [n, h, wd, c]), tf.tensor2d(dw, [9, c])];
      },
    };
  });
  return op(x, w) as tf.Tensor4D;
}

/** A 1x1 convolution as a matrix product. */
function pointwise(x: tf.Tensor4D, w: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor4D {
  const [b, h, wd, c] = x.shape;
  return tf.add(tf.matMul(x.reshape([b * h * wd, c]), w), bias).reshape([b, h, wd, w.shape[1]]);
}

/**
 * The forward pass in core ops: fill logits [n, 4], match logit [n, 1], and the training-only
 * `ratio` [n, 1]: a linear read-out of the units' share of capacity, whose loss teaches the
 * features to measure how far the units reach across the slot (the fill classes are steps
 * of that share) rather than only which side of a step a crop falls.
 */
export function forward(p: ShelfParams, x: tf.Tensor4D): { fill: tf.Tensor2D; match: tf.Tensor2D; ratio: tf.Tensor2D } {
  const n = x.shape[0];
  const hh = SHELF_CROP.height / 2;
  const hw = SHELF_CROP.width / 2;
  // Space to depth: each 2x2 patch's pixels side by side, (dy, dx, channel) order as a 2x2 conv
  // kernel's; training passes them so already (`toPatches`: the cpu backend's transpose is slow).
  const patches = x.shape[3] === 4 * CHANNELS ? x : (x.reshape([n, hh, 2, hw, 2, CHANNELS]).transpose([0, 1, 3, 2, 4, 5]).reshape([n, hh, hw, 4 * CHANNELS]) as tf.Tensor4D);
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
    ratio: tf.add(tf.matMul(d, p['ratio/w'] as tf.Tensor2D), p['ratio/b']!) as tf.Tensor2D,
  };
}

/** Inputs (shelfInput.ts layout, INPUT_SIZE floats a slot) rearranged as `forward`'s 2x2 patches: [n, height / 2, width / 2, 4 * CHANNELS] of SHELF_CROP. */
export function toPatches(inputs: Float32Array): Float32Array {
  const hh = SHELF_CROP.height / 2;
  const hw = SHELF_CROP.width / 2;
  const out = new Float32Array(inputs.length);
  let o = 0;
  for (let i = 0; i < inputs.length; i += SHELF_CROP.width * SHELF_CROP.height * CHANNELS) {
    for (let py = 0; py < hh; py++) {
      for (let px = 0; px < hw; px++) {
        for (let dy = 0; dy < 2; dy++) {
          for (let dx = 0; dx < 2; dx++) {
            const at = i + ((py * 2 + dy) * SHELF_CROP.width + px * 2 + dx) * CHANNELS;
            for (let k = 0; k < CHANNELS; k++) out[o++] = inputs[at + k]!;
          }
        }
      }
    }
  }
  return out;
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
