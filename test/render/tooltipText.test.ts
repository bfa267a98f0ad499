import { describe, expect, it } from 'vitest';
import { slotView, type RoomView } from '../../src/twin/RoomView';
import { tooltipText } from '../../src/render/tooltipText';
import { miniLayout } from '../fixtures/miniLayout';

const layout = miniLayout();

function view(partial: Partial<RoomView> = {}): RoomView {
  return { store: 'store-t1', at: 0, slots: new Map(), openDoors: new Map(), present: [], offline: new Set(), ...partial };
}

describe('tooltipText', () => {
  it('names a slot, its SKU, units of capacity and the book, flagging a mismatch', () => {
    const v = view({ slots: new Map([['A-0-0', slotView(5, 20, 8)]]) });
    expect(tooltipText({ kind: 'slot', id: 'A-0-0' }, layout, v)).toEqual([
      'Slot A-0-0',
      'Shelf A, level 0, position 0',
      'SKU SKU1 (Detergent 2L)',
      'Units 5 / 20 (25%)',
      'Book 8 (disagrees with the shelf)',
    ]);
  });

  it('says units are unknown before a reading and leaves the book out when nothing is booked', () => {
    expect(tooltipText({ kind: 'slot', id: 'A-0-1' }, layout, view())).toEqual([
      'Slot A-0-1',
      'Shelf A, level 0, position 1',
      'SKU SKU2 (Cereal)',
      'Units unknown / 30',
    ]);
  });

  it('describes doors, badges and offline devices', () => {
    const v = view({
      openDoors: new Map([['D1', 0]]),
      present: [{ badge: 'b-7', role: 'manager', door: 'D1', since: 0 }],
      offline: new Set(['D2']),
    });
    expect(tooltipText({ kind: 'door', id: 'D1' }, layout, v)).toEqual(['Door D1', 'staff door, open']);
    expect(tooltipText({ kind: 'door', id: 'D2' }, layout, v)).toEqual(['Door D2', 'cage door, closed', 'Offline']);
    expect(tooltipText({ kind: 'badge', id: 'b-7' }, layout, v)).toEqual(['Badge b-7', 'manager, came in by D1']);
  });

  it('still names a thing without a layout or a view', () => {
    expect(tooltipText({ kind: 'camera', id: 'cam-1' }, undefined, undefined)).toEqual(['Camera cam-1']);
  });
});
