import { describe, expect, it } from 'vitest';
import { selectionFacts } from '../../src/components/selectionFacts';
import { slotView, type RoomView } from '../../src/twin/RoomView';
import { miniLayout } from '../fixtures/miniLayout';

const T = Date.UTC(2026, 10, 22, 22, 0);
const fmt = (t: number) => new Date(t).toISOString().slice(11, 16);
const view: RoomView = {
  store: 'store-t1',
  at: T,
  slots: new Map([
    ['A-0-0', slotView(12, 20, 15)],
    ['A-0-1', slotView(30, 30, null)],
  ]),
  openDoors: new Map([['D1', T - 5 * 60_000]]),
  present: [{ badge: 'b7', role: 'associate', door: 'D1', since: T - 60 * 60_000 }],
  offline: new Set(['B']),
};
const value = (facts: readonly { label: string; value: string }[], label: string) => facts.find((f) => f.label === label)?.value;

describe('what the inspector says about the selection', () => {
  it('gives a slot its stock, its book and how far they disagree', () => {
    const f = selectionFacts({ kind: 'slot', id: 'A-0-0' }, miniLayout(), view, fmt);
    expect(f.title).toBe('Slot A-0-0');
    expect(value(f.facts, 'SKU')).toBe('SKU1 · Detergent 2L');
    expect(value(f.facts, 'On the shelf (load cell)')).toBe('12 of 20');
    expect(value(f.facts, 'Book')).toBe('15');
    expect(value(f.facts, 'Book − shelf')).toBe('+3 units');
    expect(f.related).toEqual([{ label: 'Shelf', refs: [{ kind: 'shelf', id: 'A' }] }]);
    const never = selectionFacts({ kind: 'slot', id: 'A-1-0' }, miniLayout(), view, fmt);
    expect(value(never.facts, 'On the shelf (load cell)')).toBe('no reading yet');
    expect(value(never.facts, 'Book − shelf')).toBeUndefined();
  });

  it('sums a shelf and marks it offline', () => {
    const f = selectionFacts({ kind: 'shelf', id: 'A' }, miniLayout(), view, fmt);
    expect(value(f.facts, 'Units')).toBe('42 of 70');
    expect(value(f.facts, 'Book ≠ shelf')).toBe('1 slot');
    expect(value(selectionFacts({ kind: 'shelf', id: 'B' }, miniLayout(), view, fmt).facts, 'Device')).toBe('offline');
  });

  it('says whether a door was open then and who came in through it', () => {
    const d1 = selectionFacts({ kind: 'door', id: 'D1' }, miniLayout(), view, fmt);
    expect(value(d1.facts, 'State')).toBe('open since 21:55');
    expect(value(d1.facts, 'In the room through it')).toBe('b7 (associate)');
    expect(value(selectionFacts({ kind: 'door', id: 'D3' }, miniLayout(), view, fmt).facts, 'State')).toBe('closed');
  });

  it('names a thing the layout does not have instead of failing', () => {
    const f = selectionFacts({ kind: 'slot', id: 'Z-9' }, miniLayout(), view, fmt);
    expect(f.unknown).toBe(true);
    expect(f.facts[0]!.value).toMatch(/no slot Z-9/);
  });
});
