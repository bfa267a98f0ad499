/**
 * `twin publish --scenario`: the simulator feeds the broker directly, and what arrives is
 * exactly what `twin simulate` writes for the same scenario and seed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embeddedBroker';
import { MINI_LAYOUT } from '../fixtures/miniLayout';
import { subscribe, twin } from './publishFixtures';

let broker: EmbeddedBroker;
let dir: string;
beforeAll(async () => {
  broker = await startEmbeddedBroker();
  dir = mkdtempSync(join(tmpdir(), 'twin-publish-scenario-'));
  writeFileSync(join(dir, 'mini.layout.json'), JSON.stringify(MINI_LAYOUT));
  writeFileSync(
    join(dir, 'mini.scenario.json'),
    JSON.stringify({
      version: 1, name: 'Mini day', layout: 'mini.layout.json', start: '2026-11-16', days: 1, seed: 9,
      workload: { unitsSoldPerDay: 60, deliveriesPerWeek: 7 },
      incidents: { afterHoursTheftPerWeek: 7, dockTheftPerWeek: 7 },
      sensors: { badMessagesPerDay: 5 },
    }),
  );
});
afterAll(() => broker?.close());

describe('twin publish --scenario', () => {
  it('delivers every message the simulator makes for the scenario, once', async () => {
    const out = join(dir, 'sim');
    const sim = await twin('simulate', '--scenario', join(dir, 'mini.scenario.json'), '--out', out);
    expect(sim.code, sim.stderr).toBe(0);
    const lines = readFileSync(join(out, 'recording.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { topic: string; payload: string });
    expect(lines.length).toBeGreaterThan(5000);
    const sub = await subscribe(broker.url);
    try {
      const r = await twin('publish', '--scenario', join(dir, 'mini.scenario.json'), '--broker', broker.url, '--speed', 'max');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ published: lines.length, qos1Acked: lines.length, skipped: 0 });
      await sub.until((got) => got.length >= lines.length);
      const key = (t: string, p: string) => `${t} ${p}`;
      expect(sub.got.map((m) => key(m.topic, m.payload.toString('utf8'))).sort()).toEqual(lines.map((l) => key(l.topic, l.payload)).sort());
    } finally {
      await sub.end();
    }
  });

  it('refuses a bad scenario and a call with both or neither source, one line, exit 2', async () => {
    writeFileSync(join(dir, 'bad.scenario.json'), JSON.stringify({ version: 1, name: 'x', layout: 'mini.layout.json', start: 'soon', days: 1 }));
    for (const args of [
      ['--scenario', join(dir, 'bad.scenario.json'), '--broker', broker.url],
      ['--broker', broker.url],
      ['--scenario', join(dir, 'mini.scenario.json'), '--recording', 'x.jsonl', '--broker', broker.url],
    ]) {
      const r = await twin('publish', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
