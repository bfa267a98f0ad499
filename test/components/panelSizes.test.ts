import { describe, expect, it } from 'vitest';
import { clampSizes, DEFAULT_SIZES, loadSizes, resized, saveSizes, SIZES_KEY } from '../../src/components/panelSizes';

describe('panel sizes', () => {
  it('grows the side panel when its splitter moves left and the bottom one when it moves up', () => {
    expect(resized(DEFAULT_SIZES, 'side', -60, 1600, 1000).side).toBe(DEFAULT_SIZES.side + 60);
    expect(resized(DEFAULT_SIZES, 'bottom', -40, 1600, 1000).bottom).toBe(DEFAULT_SIZES.bottom + 40);
  });

  it('keeps panels usable and leaves room for the 3D view', () => {
    expect(clampSizes({ side: 10, bottom: 10 }, 1600, 1000)).toEqual({ side: 240, bottom: 120 });
    const big = clampSizes({ side: 5000, bottom: 5000 }, 1600, 1000);
    expect(big.side).toBe(1600 - 320);
    expect(big.bottom).toBeLessThan(1000 - 160);
    expect(clampSizes({ side: Number.NaN, bottom: 300 }, 1600, 1000).side).toBe(DEFAULT_SIZES.side);
  });

  it('remembers sizes, and falls back to the defaults on anything unreadable', () => {
    const kept = new Map<string, string>();
    const storage = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) };
    saveSizes(storage, { side: 400, bottom: 250 });
    expect(loadSizes(storage)).toEqual({ side: 400, bottom: 250 });
    kept.set(SIZES_KEY, '{oops');
    expect(loadSizes(storage)).toEqual(DEFAULT_SIZES);
    expect(loadSizes(undefined)).toEqual(DEFAULT_SIZES);
  });
});
