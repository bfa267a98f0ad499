/**
 * The CLI's reader of a model folder (`--model DIR`): the one module of the vision commands
 * that loads tf.js, imported only when a model is wanted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelJson, ShelfCnn } from '../inference/ShelfCnn';
import { checkModelJson, loadVisionModel, modelFromFiles, ModelError, type ModelFile } from '../inference/userModel';
import { CliError } from './CliError';
import { CLASS_MAP_FILE } from './visionFeed';

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

