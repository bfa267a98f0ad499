import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioRunner, type LineBatch } from '../../src/sources/ScenarioRunner';

const ROOT = join(import.meta.dirname, '../..');
const LAYOUT = readFileSync(join(ROOT, 'scenarios/layouts/apparel-compact.layout.json'), 'utf8');
const SCENARIO = readFileSync(join(ROOT, 'scenarios/baseline-apparel.scenario.json'), 'utf8');

describe('ScenarioRunner', () => {
  it('hands over every line in batches, waiting for each, with progress rising to 1', async () => {
    const batches: LineBatch[] = [];
    let inListener = false;
    const r = await new ScenarioRunner().run(LAYOUT, SCENARIO, async (b) => {
      expect(inListener).toBe(false); // never a second batch while one is being taken
      inListener = true;
      batches.push(b);
      await new Promise((res) => setTimeout(res, 0));
      inListener = false;
    }, { days: 1, batchSize: 2000 });
    const lines = batches.flatMap((b) => b.lines);
    expect(r).toEqual({ lines: lines.length, stopped: false });
    expect(lines.length).toBeGreaterThan(100_000);
    expect(Math.max(...batches.map((b) => b.lines.length))).toBeLessThanOrEqual(2000);
    const p = batches.map((b) => b.progress);
    expect(p.every((x, i) => i === 0 || x >= p[i - 1]!)).toBe(true);
    expect(p.at(-1)).toBe(1);
  });

  it('stops when asked', async () => {
    const runner = new ScenarioRunner();
    let n = 0;
    const r = await runner.run(LAYOUT, SCENARIO, async () => {
      if (++n === 3) runner.stop();
    }, { days: 1 });
    expect(r.stopped).toBe(true);
    expect(n).toBe(3);
  });

  it('refuses a bad scenario with its problems', async () => {
    await expect(new ScenarioRunner().run(LAYOUT, '{"version":1}', async () => {})).rejects.toThrow(/scenario is not valid: .*name/);
  });
});
