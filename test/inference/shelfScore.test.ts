import { describe, expect, it } from 'vitest';
import type { ShelfDataset } from '../../models/shelfDataset';
import { formatScore, scoreShelf } from '../../models/shelfScore';
import type { ShelfVerdict } from '../../src/inference/ShelfCnn';
import { FILL_LABELS, type FillLabel } from '../../src/inference/shelfInput';

/** A labelled set of crops without pixels (the score reads only labels and view facts). */
function labels(rows: { fill: FillLabel; ratio: number; facePx: number; capacity: number; reach: number; light: number; match?: 0 | 1 }[]): ShelfDataset {
  const n = rows.length;
  return {
    size: n,
    crops: new Uint8Array(0),
    refs: new Float32Array(0),
    fill: Uint8Array.from(rows.map((r) => FILL_LABELS.indexOf(r.fill))),
    match: Uint8Array.from(rows.map((r) => r.match ?? 1)),
    foreignShare: new Float32Array(n),
    ratio: Float32Array.from(rows.map((r) => r.ratio)),
    light: Float32Array.from(rows.map((r) => r.light)),
    width: new Uint16Array(n).fill(1280),
    reach: Float32Array.from(rows.map((r) => r.reach)),
    facePx: Float32Array.from(rows.map((r) => r.facePx)),
    capacity: Uint16Array.from(rows.map((r) => r.capacity)),
    world: new Uint16Array(n),
    slot: rows.map((_, i) => `S${i}`),
  };
}

const said = (fill: FillLabel): ShelfVerdict => ({ fill, fillProb: 0.9, match: true, matchProb: 0.99 });

describe('scoreShelf: where the fill errors are', () => {
  const ds = labels([
    // Near the 35 % step, 0.5 px a unit, seen from far to the left at night: read wrong.
    { fill: 'half', ratio: 0.37, facePx: 20, capacity: 40, reach: -0.8, light: 0.3 },
    // 0.15 from a step, 4 px a unit, head-on by day: read right.
    { fill: 'half', ratio: 0.6, facePx: 40, capacity: 10, reach: 0.1, light: 0.9 },
    // Empty: 0.35 from the first step; 1.2 px a unit, from the right.
    { fill: 'empty', ratio: 0, facePx: 24, capacity: 20, reach: 0.7, light: 0.9 },
  ]);
  const s = scoreShelf(ds, [said('low'), said('half'), said('empty')]);

  it('splits fill accuracy by distance to a class step, pixels a unit, side reach and light', () => {
    const bin = (group: keyof typeof s.fillBy, name: string) => s.fillBy[group].find((b) => b.bin === name)!;
    expect(bin('stepDistance', '< 0.05')).toEqual({ bin: '< 0.05', n: 1, accuracy: 0 });
    expect(bin('stepDistance', '0.05-0.1')).toEqual({ bin: '0.05-0.1', n: 0, accuracy: NaN });
    expect(bin('stepDistance', '0.1-0.2')).toEqual({ bin: '0.1-0.2', n: 1, accuracy: 1 });
    expect(bin('stepDistance', '>= 0.2')).toEqual({ bin: '>= 0.2', n: 1, accuracy: 1 });
    expect(bin('pixelsPerUnit', '< 1').n).toBe(1);
    expect(bin('pixelsPerUnit', '1-1.5').n).toBe(1);
    expect(bin('pixelsPerUnit', '>= 3').n).toBe(1);
    expect(bin('sideReach', '< -0.6').accuracy).toBe(0);
    expect(bin('sideReach', '-0.3 to 0.3').accuracy).toBe(1);
    expect(bin('sideReach', '>= 0.6').accuracy).toBe(1);
    expect(bin('light', 'night (< 0.6)')).toEqual({ bin: 'night (< 0.6)', n: 1, accuracy: 0 });
    expect(bin('light', 'day')).toEqual({ bin: 'day', n: 2, accuracy: 1 });
    // Every group's bins hold every crop once.
    for (const bins of Object.values(s.fillBy)) expect(bins.reduce((a, b) => a + b.n, 0)).toBe(ds.size);
  });

  it('bins shares the same number of units from a step alike, whatever the float32 share rounds to', () => {
    // 6 and 8 of 20 (0.3, 0.4) are both one unit, 0.05, from the 35 % step; 5 of 20 (0.25) and
    // 9 of 20 (0.45) two units, 0.1; 3 of 20 (0.15) four, 0.2.
    const edges = labels([6, 8, 5, 9, 3].map((u) => ({ fill: 'low' as const, ratio: Math.fround(u / 20), facePx: 40, capacity: 20, reach: 0, light: 1 })));
    const bins = scoreShelf(edges, Array.from({ length: edges.size }, () => said('low'))).fillBy.stepDistance;
    expect(bins.map((b) => [b.bin, b.n])).toEqual([['< 0.05', 0], ['0.05-0.1', 2], ['0.1-0.2', 2], ['>= 0.2', 1]]);
  });

  it('refuses a crop it cannot place rather than binning it anywhere', () => {
    const broken = labels([{ fill: 'low', ratio: 0.2, facePx: 30, capacity: 0, reach: 0, light: 1 }]);
    expect(() => scoreShelf(broken, [said('low')])).toThrow(/crop 0: no stepDistance \(capacity 0/);
  });

  it('prints the splits with the rest of the score', () => {
    const text = formatScore('three crops', s);
    expect(text).toContain('fill accuracy 66.7 %');
    expect(text).toContain('fill by side reach: < -0.6 0.0 % (n 1)');
    expect(text).toContain('0.05-0.1 - (n 0)');
  });
});
