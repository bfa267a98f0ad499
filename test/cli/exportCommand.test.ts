import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../sim/scenario/parseScenario';
import { Simulator } from '../../sim/Simulator';
import { TABLE_NAMES } from '../../src/analytics/EventStore';
import { openNativeDuckDB, type NativeDuckDB } from '../../src/analytics/openNativeDuckDB';
import { loadRecordingIntoStore } from '../../src/cli/loadRecording';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';
import { twin } from './runTwin';

const ROOT = join(import.meta.dirname, '../..');
const LAYOUT = join(ROOT, 'scenarios/layouts/apparel-compact.layout.json');

let dir: string;
let recording: string;
let reader: NativeDuckDB;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-export-'));
  recording = join(dir, 'recording.jsonl');
  const lr = parseLayoutText(readFileSync(LAYOUT, 'utf8'));
  const sr = parseScenarioText(readFileSync(join(ROOT, 'scenarios/baseline-apparel.scenario.json'), 'utf8'));
  if (!lr.ok || !sr.ok) throw new Error('shipped layout or scenario is invalid');
  const lines: string[] = [];
  new Simulator(new LayoutIndex(lr.layout), { ...sr.scenario, days: 1 }, { recording: (l) => lines.push(l) }).run();
  lines.push('{{ not a recording line');
  writeFileSync(recording, lines.join('\n') + '\n');
  reader = await openNativeDuckDB();
});
afterAll(() => reader?.close());

/** Rows read back by native DuckDB, integers as numbers like EventStore.query gives them. */
const rows = async (sql: string) =>
  (await reader.connection.query(sql)).toArray().map((r) => Object.fromEntries(Object.entries(r.toJSON()).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
const parquet = (file: string) => `read_parquet('${file.replaceAll("'", "''")}')`;

describe('twin export', () => {
  it('writes every table as Parquet with the rows the store holds, each row with its store id', async () => {
    const out = join(dir, 'out');
    const r = await twin('export', '--layout', LAYOUT, '--recording', recording, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    console.log(`exported a simulated day (${readFileSync(recording, 'utf8').split('\n').length - 1} lines) in ${r.wallMs} ms:\n${r.stdout}`);

    // The same recording in DuckDB-WASM, the engine analyze and the page use: the counts to match.
    const wasm = await loadRecordingIntoStore(LAYOUT, recording);
    try {
      const printed = new Map(r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)).map(([t, n, , bytes]) => [t, { rows: Number(n), bytes: Number(bytes) }]));
      expect([...printed.keys()]).toEqual([...TABLE_NAMES]);
      for (const table of TABLE_NAMES) {
        const file = join(out, `${table}.parquet`);
        expect(existsSync(file), file).toBe(true);
        const stored = await wasm.store.count(table);
        expect(printed.get(table), table).toEqual({ rows: stored, bytes: readFileSync(file).length });
        expect(await rows(`SELECT count(*)::INTEGER AS n FROM ${parquet(file)}`), table).toEqual([{ n: stored }]);
        const columns = (await rows(`DESCRIBE SELECT * FROM ${parquet(file)}`)).map((c) => c.column_name);
        expect(columns[0], table).toBe('store');
        if (stored > 0) expect(await rows(`SELECT DISTINCT store FROM ${parquet(file)}`), table).toEqual([{ store: 'store-017' }]);
      }
      expect(await wasm.store.count('readings')).toBeGreaterThan(100_000);
      expect(await wasm.store.count('quarantine')).toBe(1);

      // Values survive the trip: the book, row for row, as WASM holds it.
      expect(await rows(`SELECT * FROM ${parquet(join(out, 'book.parquet'))} ORDER BY ALL`)).toEqual(await wasm.store.query('SELECT * FROM book ORDER BY ALL'));
    } finally {
      wasm.duck.close();
    }
  }, 120_000);

  it('exits 2 with one line for a missing option or an --out it cannot write to', async () => {
    const notADir = join(dir, 'plain-file');
    writeFileSync(notADir, 'x');
    const cases = [
      [['--recording', recording, '--out', join(dir, 'x')], /--layout FILE is required/],
      [['--layout', LAYOUT, '--recording', recording], /--out DIR is required/],
      [['--layout', LAYOUT, '--recording', recording, '--out', join(notADir, 'sub')], /cannot write to .*plain-file\/sub/],
      [['--layout', LAYOUT, '--recording', join(dir, 'nope.jsonl'), '--out', join(dir, 'y')], /recording .*nope\.jsonl does not exist/],
    ] as const;
    const results = await Promise.all(cases.map(([args]) => twin('export', ...args)));
    results.forEach((r, i) => {
      const what = cases[i]![0].join(' ');
      expect(r.code, what).toBe(2);
      expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
      expect(r.stderr, what).toMatch(/^twin export: /);
      expect(r.stderr, what).toMatch(cases[i]![1]);
    });
    expect(existsSync(join(dir, 'y')), 'no DIR made for a recording that is not there').toBe(false);
  });
});
