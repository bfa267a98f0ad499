import { describe, expect, it } from 'vitest';
import { loadLayout, shelfDataset, withSharedSkus } from '../../models/shelfDataset';
import { Random } from '../../src/core/random';
import type { LayoutIndex } from '../../src/layout/LayoutIndex';

/** Neighbouring slots (same shelf and level, next index) and how many of them share a planned SKU. */
function sharedPairs(layout: LayoutIndex): { pairs: number; same: number } {
  let pairs = 0;
  let same = 0;
  for (const shelf of layout.layout.shelves) {
    const levels = new Map<number, { index: number; sku: string }[]>();
    for (const s of shelf.slots) levels.set(s.level, [...(levels.get(s.level) ?? []), s]);
    for (const slots of levels.values()) {
      slots.sort((a, b) => a.index - b.index);
      for (let i = 1; i < slots.length; i++) {
        pairs++;
        if (slots[i]!.sku === slots[i - 1]!.sku) same++;
      }
    }
  }
  return { pairs, same };
}

describe('withSharedSkus: training layouts where neighbouring slots share a SKU', () => {
  const base = loadLayout('gm-large');

  it('leaves the layout as it is at chance 0', () => {
    expect(withSharedSkus(base, new Random(1), 0)).toBe(base);
  });

  it('at chance 1 gives every slot of a level the SKU of its leftmost slot, and changes nothing else', () => {
    const all = withSharedSkus(base, new Random(1), 1);
    expect(sharedPairs(all).same).toBe(sharedPairs(all).pairs);
    for (const shelf of all.layout.shelves) {
      const before = base.layout.shelves.find((s) => s.id === shelf.id)!;
      expect(shelf.slots.map((s) => [s.id, s.level, s.index, s.capacity])).toEqual(before.slots.map((s) => [s.id, s.level, s.index, s.capacity]));
      for (const slot of shelf.slots) {
        const leftmost = before.slots.filter((s) => s.level === slot.level).sort((a, b) => a.index - b.index)[0]!;
        expect(slot.sku).toBe(leftmost.sku);
      }
    }
    expect(all.layout.cameras).toEqual(base.layout.cameras);
    // The index serves the new plan: a slot's planned SKU is what its layout says.
    const slot = all.layout.shelves[0]!.slots.at(-1)!;
    expect(all.slots.get(slot.id)!.sku).toBe(slot.sku);
  });

  it('shares about the chance asked of neighbouring pairs, the same for the same seed', () => {
    const before = sharedPairs(base);
    expect(before.same / before.pairs).toBeLessThan(0.05);
    const a = sharedPairs(withSharedSkus(base, new Random(7), 0.4));
    expect(a.same / a.pairs).toBeGreaterThan(0.3);
    expect(a.same / a.pairs).toBeLessThan(0.5);
    expect(sharedPairs(withSharedSkus(base, new Random(7), 0.4))).toEqual(a);
  });

  it('refuses a chance outside 0-1, or shared SKUs without the moved camera sets they apply to', () => {
    expect(() => shelfDataset({ layout: 'gm-large', seed: 1, worlds: 1, cameraJitter: 0.5, sharedSkus: 1.5 })).toThrow(/a chance, 0 to 1/);
    expect(() => shelfDataset({ layout: 'gm-large', seed: 1, worlds: 1, cameraJitter: 0.5, sharedSkus: Number.NaN })).toThrow(/a chance, 0 to 1/);
    expect(() => shelfDataset({ layout: 'gm-large', seed: 1, worlds: 1, sharedSkus: 0.4 })).toThrow(/needs cameraJitter > 0/);
  });
});
