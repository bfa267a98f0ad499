import { describe, expect, it } from 'vitest';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayout } from '../../src/layout/parseLayout';
import { stressLayout } from '../../src/layout/stressLayout';

function parsed(options: Parameters<typeof stressLayout>[0]) {
  const result = parseLayout(stressLayout(options));
  if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 5)));
  return new LayoutIndex(result.layout);
}

describe('stressLayout', () => {
  it('builds a valid layout with 5,000 slots by default', () => {
    const index = parsed({});
    expect(index.slotCount).toBe(5000);
    expect(index.shelves.size).toBe(100);
    expect(index.doors.size).toBeGreaterThan(0);
    expect(index.cameras.size).toBeGreaterThan(0);
  });

  it('puts half the slots on the same shelves, each level evenly', () => {
    const index = parsed({ slots: 2500, shelves: 100 });
    expect(index.slotCount).toBe(2500);
    expect(index.shelves.size).toBe(100);
    expect(index.slotsOnLevel('S0', 0)).toBe(5);
  });

  it('builds an empty room with no slots', () => {
    const index = parsed({ slots: 0 });
    expect(index.slotCount).toBe(0);
    expect(index.shelves.size).toBe(0);
  });

  it('accepts an odd count', () => {
    expect(parsed({ slots: 1234 }).slotCount).toBe(1234);
  });
});
