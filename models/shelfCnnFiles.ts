/**
 * The shelf CNN on disk, in Node: tf.js's model.json (topology and weights manifest) and one
 * weights.bin beside it, written through `tf.io.withSaveHandler` (no tfjs-node, whose
 * install downloads a binary) and read back into src/inference/ShelfCnn.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ShelfCnn, type ModelJson } from '../src/inference/ShelfCnn';

/** Where the shipped model lives. */
export const SHELF_CNN_DIR = join(import.meta.dirname, 'shelf-cnn');

const WEIGHTS = 'weights.bin';

/** Saves a Layers model as DIR/model.json (with the match threshold) and DIR/weights.bin; returns the weights' size in bytes. */
export async function saveShelfCnn(model: tf.LayersModel, dir: string, matchThreshold: number): Promise<number> {
  let bytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData;
      const weights = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
      bytes = weights.byteLength;
      mkdirSync(dir, { recursive: true });
      const json = {
        format: 'layers-model',
        generatedBy: a.generatedBy,
        convertedBy: null,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS], weights: a.weightSpecs ?? [] }],
        shelfCnn: { matchThreshold },
      };
      writeFileSync(join(dir, 'model.json'), `${JSON.stringify(json)}\n`);
      writeFileSync(join(dir, WEIGHTS), new Uint8Array(weights));
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON', weightDataBytes: bytes } };
    }),
  );
  return bytes;
}

/** Reads DIR/model.json and its weight files into a ShelfCnn. */
export async function loadShelfCnn(dir = SHELF_CNN_DIR): Promise<ShelfCnn> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
  const parts = json.weightsManifest.flatMap((g) => g.paths).map((p) => readFileSync(join(dir, p)));
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return ShelfCnn.load(json, all.buffer);
}
