import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutCounts } from '../../src/components/layoutCounts';
import { parseLayoutText } from '../../src/layout/parseLayout';

describe('layoutCounts', () => {
  it('counts the parts of the fixture layout, slots across all shelves', () => {
    const result = parseLayoutText(readFileSync('test/fixtures/small.layout.json', 'utf8'));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(layoutCounts(result.layout)).toEqual([
      { label: 'Zones', count: 6 },
      { label: 'Shelves', count: 14 },
      { label: 'Slots', count: 12 * 16 + 2 * 9 },
      { label: 'Doors', count: 5 },
      { label: 'Cameras', count: 4 },
      { label: 'RFID readers', count: 3 },
    ]);
  });
});
