/**
 * `twin export --layout FILE --recording FILE --out DIR`: the recording goes into the event
 * store and every table is written as `DIR/<table>.parquet`, one line per table printed.
 *
 * The store runs on native DuckDB here, not DuckDB-WASM: DuckDB-WASM has no Parquet writer
 * until it downloads its parquet extension (COPY ... (FORMAT parquet) waits on that download
 * for ever offline), while the native build has it built in and writes the files straight
 * to disk. Both give the same tables from the same recording (test/analytics/nativeDuckDB.test.ts).
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sqlString, TABLE_NAMES } from '../analytics/EventStore';
import { openNativeDuckDB } from '../analytics/openNativeDuckDB';
import { CliError } from './CliError';
import { loadLayout } from './files';
import { loadRecordingIntoStore } from './loadRecording';
import { parseOptions } from './parseOptions';

export async function exportCommand(args: string[], now: () => number = Date.now): Promise<number> {
  const { values } = parseOptions(args, {
    layout: { type: 'string' },
    recording: { type: 'string' },
    out: { type: 'string' },
  });
  if (!values.layout) throw new CliError('--layout FILE is required');
  if (!values.recording) throw new CliError('--recording FILE is required');
  if (!values.out) throw new CliError('--out DIR is required');
  // Mistakes are reported before DIR is made and before the recording is read (which may take a while).
  const layout = loadLayout(values.layout);
  if (!existsSync(values.recording)) throw new CliError(`recording ${values.recording} does not exist`);
  const dir = resolve(values.out);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new CliError(`cannot write to ${values.out}: ${(e as Error).message}`);
  }

  const { duck, store } = await loadRecordingIntoStore(layout, values.recording, now, openNativeDuckDB);
  try {
    const written: { table: string; rows: number; bytes: number }[] = [];
    for (const table of TABLE_NAMES) {
      const file = join(dir, `${table}.parquet`);
      try {
        await duck.connection.query(`COPY ${table} TO ${sqlString(file)} (FORMAT parquet)`);
      } catch (e) {
        throw new CliError(`cannot write ${file}: ${(e as Error).message.split('\n')[0]}`);
      }
      written.push({ table, rows: await store.count(table), bytes: statSync(file).size });
    }
    const width = Math.max(...written.map((w) => w.table.length));
    const rowsWidth = Math.max(...written.map((w) => String(w.rows).length));
    for (const w of written) console.log(`${w.table.padEnd(width)}  ${String(w.rows).padStart(rowsWidth)} rows  ${w.bytes} bytes`);
    return 0;
  } finally {
    duck.close();
  }
}
