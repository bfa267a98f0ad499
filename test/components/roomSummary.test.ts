import { describe, expect, it } from 'vitest';
import { findRef, fromLocalInput, roomSummary, toLocalInput } from '../../src/components/roomSummary';
import { slotView, type RoomView } from '../../src/twin/RoomView';
import { miniLayout } from '../fixtures/miniLayout';

const T = Date.UTC(2026, 10, 22, 22, 0);

describe('the room in words', () => {
  it('lists open doors, people, offline devices and slots that disagree with the book', () => {
    const room: RoomView = {
      store: 'store-t1',
      at: T,
      slots: new Map([
        ['A-0-1', slotView(3, 30, 5)],
        ['A-0-0', slotView(12, 20, 12)],
      ]),
      openDoors: new Map([['D3', T - 60_000], ['D1', null]]),
      present: [{ badge: 'b7', role: 'associate', door: 'D1', since: T - 3_600_000 }],
      offline: new Set(['R2', 'C1']),
    };
    const s = roomSummary(room, miniLayout());
    expect(s.openDoors).toEqual([{ door: 'D1', kind: 'staff', since: null }, { door: 'D3', kind: 'sales_floor', since: T - 60_000 }]);
    expect(s.present.map((p) => p.badge)).toEqual(['b7']);
    expect(s.offline).toEqual(['C1', 'R2']);
    expect(s.mismatched).toEqual(['A-0-1']);
    expect(roomSummary(undefined, miniLayout()).openDoors).toEqual([]);
  });
});

describe('finding a thing by its id', () => {
  it('finds slots, shelves, doors and cameras, exactly or ignoring case, and a kind when given', () => {
    const L = miniLayout();
    expect(findRef(L, 'A-0-1')).toEqual({ kind: 'slot', id: 'A-0-1' });
    expect(findRef(L, ' a-0-1 ')).toEqual({ kind: 'slot', id: 'A-0-1' });
    expect(findRef(L, 'A')).toEqual({ kind: 'shelf', id: 'A' });
    expect(findRef(L, 'd2')).toEqual({ kind: 'door', id: 'D2' });
    expect(findRef(L, 'zone:z-cage')).toEqual({ kind: 'zone', id: 'z-cage' });
    expect(findRef(L, 'nothing-here')).toBeUndefined();
    expect(findRef(L, '')).toBeUndefined();
  });
});

describe("a time typed in the store's zone", () => {
  it('reads and writes datetime-local values across a zone and a DST change', () => {
    const tz = 'America/New_York';
    // 22:00 on 22 Nov in New York (EST, UTC-5) is 03:00 UTC the next day.
    expect(fromLocalInput('2026-11-22T22:00', tz)).toBe(Date.UTC(2026, 10, 23, 3, 0));
    expect(toLocalInput(Date.UTC(2026, 10, 23, 3, 0), tz)).toBe('2026-11-22T22:00');
    // Summer time (EDT, UTC-4).
    expect(fromLocalInput('2026-07-01T09:30', tz)).toBe(Date.UTC(2026, 6, 1, 13, 30));
    expect(fromLocalInput('yesterday 22:00', tz)).toBeUndefined();
    for (const t of [Date.UTC(2026, 2, 8, 6, 59), Date.UTC(2026, 2, 8, 7, 1), Date.UTC(2026, 10, 1, 5, 30)]) {
      const floored = Math.floor(t / 60_000) * 60_000;
      expect(fromLocalInput(toLocalInput(t, tz), tz)).toBe(floored);
    }
  });
});
