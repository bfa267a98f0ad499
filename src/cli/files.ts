/** File helpers for the CLI (Node only). */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { LayoutIndex } from '../layout/LayoutIndex';
import { parseLayoutText } from '../layout/parseLayout';
import { CliError } from './CliError';

export function readTextFile(path: string, what: string): string {
  if (!existsSync(path)) throw new CliError(`${what} ${path} does not exist`);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** A JSON file's value, or a CliError naming the file and what is wrong with it. */
export function readJson(path: string, what: string): unknown {
  const text = readTextFile(path, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${what} ${path} is not JSON: ${(e as Error).message}`);
  }
}

/** Loads a layout or throws a CliError naming the file and its first problems. */
export function loadLayout(path: string): LayoutIndex {
  const r = parseLayoutText(readTextFile(path, 'layout'));
  if (!r.ok) {
    const shown = r.problems.slice(0, 3).map((p) => `${p.path || '(file)'}: ${p.reason}`).join('; ');
    const more = r.problems.length > 3 ? ` (and ${r.problems.length - 3} more: run twin layout check ${path})` : '';
    throw new CliError(`layout ${path} is not valid: ${shown}${more}`);
  }
  return new LayoutIndex(r.layout);
}

/** The lines of a recording file, gunzipped when it ends in .gz, streamed (files may be large). */
export async function* recordingLines(path: string): AsyncGenerator<string> {
  if (!existsSync(path)) throw new CliError(`recording ${path} does not exist`);
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) yield line;
  } catch (e) {
    throw new CliError(`cannot read recording ${path}: ${(e as Error).message}`);
  }
}
