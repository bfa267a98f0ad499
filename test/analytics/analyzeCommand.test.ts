import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { twin } from '../cli/runTwin';
import { beforeAll, describe, expect, it } from 'vitest';
import { MINI_LAYOUT, P } from '../fixtures/miniLayout';

const LINES = [
  JSON.stringify({ topic: `${P}shelf/A/slot/A-0-0/weight`, payload: '{"ts":"2026-11-22T21:14:03.120Z","grams":5001,"seq":1}', qos: 1, received: '2026-11-22T21:14:03.180Z' }),
  JSON.stringify({ topic: `${P}shelf/A/slot/A-0-0/weight`, payload: '{"ts":"2026-11-22T21:14:03.120Z","grams":5001,"seq":1}', qos: 1, received: '2026-11-22T21:14:04.000Z' }),
  JSON.stringify({ topic: `${P}shelf/A/slot/A-0-0/weight`, payload: '{"ts":"2026-11-22T21:15:00.000Z","grams":4003,"seq":2}', qos: 1, received: '2026-11-22T21:15:00.100Z' }),
  JSON.stringify({ topic: `${P}shelf/A/slot/A-0-1/weight`, payload: '{"ts":"2026-11-22T21:15:00.000Z","grams":250}', qos: 1, received: '2026-11-22T21:15:00.100Z' }),
  JSON.stringify({ topic: `${P}door/D1/state`, payload: '{"ts":"2026-11-22T21:14:00Z","open":true}', qos: 1, received: '2026-11-22T21:14:00.100Z' }),
  '{{ garbage',
];

let layout: string;
let recording: string;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'twin-analyze-'));
  layout = join(dir, 'mini.layout.json');
  recording = join(dir, 'rec.jsonl');
  writeFileSync(layout, JSON.stringify(MINI_LAYOUT));
  writeFileSync(recording, LINES.join('\n') + '\n');
});

const SQL = 'SELECT store, slot, count(*) AS n, max(grams) AS top FROM readings GROUP BY ALL ORDER BY slot';

describe('twin analyze', () => {
  it('loads the recording into the event store and prints the result as a table, JSON or CSV', async () => {
    const [json, csv, table] = await Promise.all([
      twin('analyze', '--layout', layout, '--recording', recording, '--sql', SQL, '--format', 'json'),
      twin('analyze', '--layout', layout, '--recording', recording, '--sql', SQL, '--format', 'csv'),
      twin('analyze', '--layout', layout, '--recording', recording, '--sql', "SELECT reason, topic FROM quarantine UNION ALL SELECT 'door', door FROM door_states"),
    ]);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { store: 'store-t1', slot: 'A-0-0', n: 2, top: 5001 },
      { store: 'store-t1', slot: 'A-0-1', n: 1, top: 250 },
    ]);

    expect(csv.stdout).toBe('store,slot,n,top\nstore-t1,A-0-0,2,5001\nstore-t1,A-0-1,1,250\n');

    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')).toEqual(['reason    topic', '--------  -----', 'bad_line', 'door      D1', '(2 rows)', '']);
  });

  it('prints timestamps and dates as ISO 8601 in UTC', async () => {
    const r = await twin('analyze', '--layout', layout, '--recording', recording, '--format', 'json', '--sql', 'SELECT min(ts) AS first, min(ts)::DATE AS day, epoch_ms(min(ts)) AS ms FROM readings');
    expect(JSON.parse(r.stdout)).toEqual([{ first: '2026-11-22T21:14:03.120Z', day: '2026-11-22', ms: Date.UTC(2026, 10, 22, 21, 14, 3, 120) }]);
  });

  it('exits 2 with one line for a missing --sql, a bad --format or SQL that fails', async () => {
    const cases = [[], ['--format', 'xml', '--sql', 'SELECT 1'], ['--sql', 'SELECT * FROM nowhere']];
    const results = await Promise.all(cases.map((args) => twin('analyze', '--layout', layout, '--recording', recording, ...args)));
    results.forEach((r, i) => {
      const what = cases[i]!.join(' ');
      expect(r.code, what).toBe(2);
      expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
      expect(r.stderr, what).toMatch(/^twin analyze: /);
    });
    expect(results[2]!.stderr).toMatch(/nowhere/);
  });
});

describe('twin analyze --analysis', () => {
  it('runs a named analysis with filters and prints every section, or one', async () => {
    const [all, one, csv] = await Promise.all([
      twin('analyze', '--layout', layout, '--recording', recording, '--analysis', 'shrink', '--format', 'json'),
      twin('analyze', '--layout', layout, '--recording', recording, '--analysis', 'activity.heat', '--zone', 'z-rep'),
      twin('analyze', '--layout', layout, '--recording', recording, '--analysis', 'shrink.by_sku', '--format', 'csv', '--from', '2026-11-22'),
    ]);
    expect(all.stderr).toBe('');
    const sections = JSON.parse(all.stdout) as Record<string, unknown[]>;
    expect(Object.keys(sections)).toEqual(['shrink.summary', 'shrink.by_sku', 'shrink.by_zone', 'shrink.by_shift', 'shrink.by_day', 'shrink.after_hours_restricted', 'shrink.book_vs_physical']);
    // Two units of SKU1 (500 g) left A-0-0 with nothing booked, at 15:15 local (late shift).
    expect(sections['shrink.summary']).toEqual([expect.objectContaining({ lost_units: 2, lost_at_cost: 8, lost_at_retail: 18 })]);
    expect(sections['shrink.by_shift']).toEqual([expect.objectContaining({ shift: 'late', lost_units: 2 })]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^Movements by zone and hour of day \(activity\.heat\)\n/);
    expect(one.stdout).toMatch(/z-rep\s+15\s+1\s+0\s+2\n\(1 row\)/);
    expect(csv.stdout.split('\n')[0]).toBe('sku,name,lost_units,lost_at_cost,lost_at_retail,found_units,booked_not_shelved_units');
  }, 120_000);

  it('exits 2 with one line for an unknown analysis, a bad filter, or csv of many sections', async () => {
    const cases = [
      ['--analysis', 'nope'],
      ['--analysis', 'shrink', '--zone', 'z-nowhere'],
      ['--analysis', 'shrink', '--from', 'last tuesday'],
      ['--analysis', 'shrink', '--format', 'csv'],
      ['--analysis', 'shrink', '--sql', 'SELECT 1'],
    ];
    const results = await Promise.all(cases.map((args) => twin('analyze', '--layout', layout, '--recording', recording, ...args)));
    results.forEach((r, i) => {
      const what = cases[i]!.join(' ');
      expect(r.code, what).toBe(2);
      expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
    });
    expect(results[0]!.stderr).toMatch(/shrink \(summary, by_sku/);
    expect(results[2]!.stderr).toMatch(/not a time/);
    expect(results[3]!.stderr).toMatch(/--analysis shrink\.summary/);
  });
});
