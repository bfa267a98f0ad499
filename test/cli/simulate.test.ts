import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { twin } from './runTwin';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

describe('twin simulate', () => {
  it('writes recording, truth and summary, and the recording ingests with nothing quarantined', async () => {
    const out = mkdtempSync(join(tmpdir(), 'twin-sim-'));
    const r = await twin('simulate', '--scenario', join(ROOT, 'scenarios/baseline-apparel.scenario.json'), '--days', '1', '--seed', '5', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ store: 'store-017', days: 1, seed: 5 });
    const lines = readFileSync(join(out, 'recording.jsonl'), 'utf8').trim().split('\n');
    expect(summary.messages).toBe(lines.length);
    expect(Object.values(summary.byTopic as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(lines.length);
    const truth = readFileSync(join(out, 'truth.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
    expect(Object.values(summary.incidents as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(truth.length);
    const ingest = await twin('ingest', '--layout', join(ROOT, 'scenarios/layouts/apparel-compact.layout.json'), '--recording', join(out, 'recording.jsonl'));
    expect(JSON.parse(ingest.stdout)).toMatchObject({ messages: lines.length, accepted: lines.length, quarantined: 0 });
  });

  it('with frames on, writes the frames into the recording and what each shows into frames.truth.jsonl', async () => {
    const out = mkdtempSync(join(tmpdir(), 'twin-sim-frames-'));
    const base = JSON.parse(readFileSync(join(ROOT, 'scenarios/baseline-apparel.scenario.json'), 'utf8'));
    const scenario = join(out, 'frames.scenario.json');
    writeFileSync(scenario, JSON.stringify({ ...base, layout: join(ROOT, 'scenarios/layouts/apparel-compact.layout.json'), frames: { intervalSeconds: 3 * 3600, motion: 0 } }));
    const r = await twin('simulate', '--scenario', scenario, '--days', '1', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const frames = readFileSync(join(out, 'recording.jsonl'), 'utf8').trim().split('\n').filter((l) => l.includes('/frame"'));
    const truth = readFileSync(join(out, 'frames.truth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { camera: string; ts: number | string; slots: unknown[] });
    expect(frames.length).toBeGreaterThan(0);
    expect(truth).toHaveLength(frames.length);
    expect(JSON.parse(frames[0]!).payload_b64).toMatch(/^\/9j\//); // a JPEG's first bytes, base64
    expect(truth.some((t) => t.slots.length > 0)).toBe(true);
    const ingest = await twin('ingest', '--layout', join(ROOT, 'scenarios/layouts/apparel-compact.layout.json'), '--recording', join(out, 'recording.jsonl'));
    expect(JSON.parse(ingest.stdout)).toMatchObject({ quarantined: 0 });
    expect(JSON.parse(ingest.stdout).byType.frame).toBe(frames.length);
  });

  it('refuses a bad scenario with every problem, exit 1; command-line mistakes exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twin-sim-bad-'));
    const f = join(dir, 'bad.scenario.json');
    writeFileSync(f, JSON.stringify({ version: 1, name: 'x', layout: 'nope.json', start: '2026-02-30x', days: 99, incidents: { thefts: 1 } }));
    const r = await twin('simulate', '--scenario', f, '--out', dir);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n').sort()).toEqual([expect.stringMatching(/^days: /), expect.stringMatching(/^incidents\.thefts: /), expect.stringMatching(/^start: /)]);
    expect((await twin('simulate', '--out', dir)).code).toBe(2);
    expect((await twin('simulate', '--scenario', join(ROOT, 'scenarios/baseline-gm.scenario.json'), '--days', 'many', '--out', dir)).code).toBe(2);
  });
});
