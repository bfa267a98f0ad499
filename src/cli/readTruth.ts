/** Reading a truth file (`truth.jsonl` from `twin simulate`) for the CLI (Node only). */
import type { TruthRecord } from '../../sim/world/Truth';
import { CliError } from './CliError';
import { readTextFile } from './files';

/** One record a line; blank lines skipped; the first bad line is a CliError naming it. */
export function readTruth(path: string): TruthRecord[] {
  const out: TruthRecord[] = [];
  readTextFile(path, 'truth').split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const t = JSON.parse(line) as TruthRecord;
      if (typeof t !== 'object' || t === null || typeof t.kind !== 'string' || typeof t.ts !== 'string') throw new Error('needs kind and ts');
      out.push(t);
    } catch (e) {
      throw new CliError(`truth ${path} line ${i + 1} is not a truth record: ${(e as Error).message}`);
    }
  });
  return out;
}
