import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { twin } from './runTwin';
import { beforeAll, describe, expect, it } from 'vitest';
import { MINI_LAYOUT, P } from '../fixtures/miniLayout';

let dir: string;
let layoutFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'twin-cli-'));
  layoutFile = join(dir, 'mini.layout.json');
  writeFileSync(layoutFile, JSON.stringify(MINI_LAYOUT, null, 2));
});

describe('twin layout check', () => {
  it('exits 0 with a one-line summary for a valid layout', async () => {
    const r = await twin('layout', 'check', layoutFile);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toContain('4 slots');
  });

  it('exits 1 and prints every problem, one a line, as path: reason', async () => {
    const bad = structuredClone(MINI_LAYOUT) as Record<string, unknown> & typeof MINI_LAYOUT;
    (bad.shelves[0]!.slots[0] as { sku: string }).sku = 'GHOST';
    (bad.shelves[1] as { zone: string }).zone = 'nowhere';
    (bad.cameras[0] as { position: number[] }).position = [50, 50, 3];
    (bad as { hours: unknown }).hours = { open: '7am', close: '22:00' };
    const f = join(dir, 'bad.layout.json');
    writeFileSync(f, JSON.stringify(bad));
    const r = await twin('layout', 'check', f);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^shelves\[0\]\.slots\[0\]\.sku: .*GHOST/),
        expect.stringMatching(/^shelves\[1\]\.zone: .*nowhere/),
        expect.stringMatching(/^cameras\[0\]\.position: .*outside the room/),
        expect.stringMatching(/^hours\.open: /),
      ]),
    );
    expect(lines).toHaveLength(4);
  });

  it('exits 2 with one clear line for command-line mistakes', async () => {
    for (const args of [['layout', 'check'], ['layout', 'check', join(dir, 'missing.json')], ['layout', 'frobnicate'], ['nope'], ['ingest', '--layout', layoutFile], ['ingest', '--bogus']]) {
      const r = await twin(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^twin /);
    }
  });
});

describe('twin ingest', () => {
  const lines = [
    JSON.stringify({ topic: `${P}shelf/A/slot/A-0-0/weight`, payload: '{"ts":"2026-11-22T21:14:03.120Z","grams":5001,"seq":1}', qos: 1, received: '2026-11-22T21:14:03.180Z' }),
    JSON.stringify({ topic: `${P}shelf/A/slot/A-0-0/weight`, payload: '{"ts":"2026-11-22T21:14:03.120Z","grams":5001,"seq":1}', qos: 1, received: '2026-11-22T21:14:04.000Z' }),
    JSON.stringify({ topic: `${P}shelf/A/slot/A-0-0/weight`, payload: '{"ts":"2026-11-22T21:15:00.000Z","grams":4003,"seq":2}', qos: 1, received: '2026-11-22T21:15:00.100Z' }),
    JSON.stringify({ topic: `${P}door/D1/state`, payload: '{"ts":"2026-11-22T21:14:00Z","open":true}', qos: 1, received: '2026-11-22T21:14:00.100Z' }),
    '{{ garbage',
    JSON.stringify({ topic: `${P}door/D1/state`, payload: '{"ts":"2026-11-22T21:14:00Z","open":"maybe"}', qos: 1, received: '2026-11-22T21:14:00.100Z' }),
    JSON.stringify({ topic: `${P}shelf/B/slot/A-0-0/weight`, payload: '{"ts":"2026-11-22T21:14:00Z","grams":1}', qos: 1, received: '2026-11-22T21:14:00.100Z' }),
  ];

  it.each(['plain', 'gzip'])('reads a %s recording, prints totals and writes the quarantine and the state', async (kind) => {
    const rec = join(dir, kind === 'gzip' ? 'rec.jsonl.gz' : 'rec.jsonl');
    const text = lines.join('\n') + '\n';
    writeFileSync(rec, kind === 'gzip' ? gzipSync(text) : text);
    const out = join(dir, `out-${kind}`);
    const r = await twin('ingest', '--layout', layoutFile, '--recording', rec, '--out', out);
    expect(r.code).toBe(0);
    const totals = JSON.parse(r.stdout);
    expect(totals).toMatchObject({ store: 'store-t1', messages: 7, accepted: 3, duplicates: 1, quarantined: 3, reasons: { bad_line: 1, bad_field: 1, slot_shelf_mismatch: 1 } });
    const q = readFileSync(join(out, 'quarantine.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(q.map((x) => x.quarantine.reason)).toEqual(['bad_line', 'bad_field', 'slot_shelf_mismatch']);
    expect(q[0].quarantine.line).toBe(5);
    const state = JSON.parse(readFileSync(join(out, 'state.json'), 'utf8'));
    expect(state.store).toBe('store-t1');
    expect(state.slots['A-0-0']).toMatchObject({ units: 8, grams: 4003 });
    expect(state.slots['A-0-0'].movements).toEqual([expect.objectContaining({ kind: 'pick', units: 2 })]);
    expect(state.doors.D1.open).toBe(true);
  });
});
