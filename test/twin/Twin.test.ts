import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TwinEvent } from '../../src/contract/messages';
import { presentBadges } from '../../src/twin/TwinState';
import { stateToJson } from '../../src/twin/stateToJson';
import { Twin } from '../../src/twin/Twin';
import { miniLayout } from '../fixtures/miniLayout';

const T0 = Date.parse('2026-11-22T08:00:00Z');
const MIN = 60_000;
const w = (slot: string, grams: number, min: number, seq?: number): TwinEvent => ({
  type: 'weight', ts: T0 + min * MIN, received: T0 + min * MIN, shelf: slot[0]!, slot, grams, ...(seq === undefined ? {} : { seq }),
});
const edge = (slot: string, kind: 'pick' | 'put', units: number, min: number): TwinEvent => ({ type: 'slot_event', ts: T0 + min * MIN, received: T0, shelf: slot[0]!, slot, kind, units });
const book = (sku: string, delta: number, reason: string, min: number, slot?: string): TwinEvent =>
  ({ type: 'book', ts: T0 + min * MIN, received: T0, sku, delta, reason, ...(slot ? { slot } : {}) }) as TwinEvent;
const badge = (b: string, door: string, min: number, granted = true, role = 'associate'): TwinEvent => ({ type: 'badge', ts: T0 + min * MIN, received: T0, door, badge: b, role, granted }) as TwinEvent;
const door = (d: string, open: boolean, min: number): TwinEvent => ({ type: 'door_state', ts: T0 + min * MIN, received: T0, door: d, open });

function run(events: TwinEvent[], opts = {}) {
  const t = new Twin(miniLayout(), opts);
  t.applyAll(events);
  return t;
}

describe('slots from load cells', () => {
  it('turns grams into units, ignoring a few grams of noise', () => {
    // SKU1 weighs 500 g a unit; 10 units with +-8 g of noise and slow drift.
    const noisy = [5003, 4995, 5008, 4992, 5006, 4999].map((g, i) => w('A-0-0', g, i));
    const s = run(noisy).state.slots.get('A-0-0')!;
    expect(s.units).toBe(10);
    expect(s.grams).toBe(4999);
    expect(s.movements).toEqual([]);
  });

  it('does not flap when a reading sits near a half-unit boundary', () => {
    // 10 units then the cell drifts to 5245..5258 g, around 10.5 units (within the 10 g margin): no movement.
    const s = run([w('A-0-0', 5000, 0), w('A-0-0', 5250, 1), w('A-0-0', 5245, 2), w('A-0-0', 5258, 3)]).state.slots.get('A-0-0')!;
    expect(s.units).toBe(10);
    expect(s.movements).toHaveLength(0);
  });

  it('derives picks and puts from weight changes', () => {
    const s = run([w('A-0-0', 5000, 0), w('A-0-0', 4002, 5), w('A-0-0', 5499, 9)]).state.slots.get('A-0-0')!;
    expect(s.units).toBe(11);
    expect(s.movements.map((m) => [m.kind, m.units, m.source])).toEqual([
      ['pick', 2, 'weight'],
      ['put', 3, 'weight'],
    ]);
  });

  it('counts an edge event and the weight change it explains once', () => {
    const s = run([w('A-0-0', 5000, 0), w('A-0-0', 4500, 5), edge('A-0-0', 'pick', 1, 5.2), edge('A-0-1', 'put', 4, 6)]).state;
    expect(s.slots.get('A-0-0')!.movements.map((m) => [m.kind, m.units, m.source])).toEqual([['pick', 1, 'both']]);
    // An edge event with no load cell behind it still counts, once.
    expect(s.slots.get('A-0-1')!.movements.map((m) => [m.kind, m.units, m.source])).toEqual([['put', 4, 'edge']]);
  });

  it('sums physical stock per SKU over its slots', () => {
    const s = run([w('A-0-0', 5000, 0), w('A-1-0', 1500, 0), w('A-0-1', 2500, 0)]).state;
    expect(s.skus.get('SKU1')).toMatchObject({ physical: 13, slotsReporting: 2 });
    expect(s.skus.get('SKU2')).toMatchObject({ physical: 10, slotsReporting: 1 });
    expect(s.skus.get('SKU3')).toMatchObject({ physical: 0, slotsReporting: 0 });
  });
});

describe('book inventory', () => {
  it('follows the contract: store-level moves, slot moves, counts', () => {
    const s = run([
      book('SKU1', 40, 'receipt', 0),
      book('SKU1', -3, 'sale', 1),
      book('SKU1', 10, 'putaway', 2, 'A-0-0'), // inside the store: total unchanged
      book('SKU1', -4, 'replenish', 3, 'A-0-0'), // to the sales floor: total unchanged
      book('SKU1', 5, 'count', 4, 'A-0-0'), // slot counted 5 where the book said 6: total -1
      book('SKU2', 7, 'count', 4), // store-level count sets the total
      book('SKU2', 2, 'return', 5),
    ]).state;
    expect(s.skus.get('SKU1')).toMatchObject({ book: 36, bookBackroom: 5 });
    expect(s.slots.get('A-0-0')!.book).toBe(5);
    expect(s.skus.get('SKU2')).toMatchObject({ book: 9, bookBackroom: 0 });
  });
});

describe('doors, badges, tags and devices', () => {
  it('knows which doors are open and since when', () => {
    const s = run([door('D1', true, 0), door('D1', true, 2), door('D1', false, 5), door('D3', true, 7)]).state;
    expect(s.doors.get('D1')).toMatchObject({ open: false, since: T0 + 5 * MIN });
    expect(s.doors.get('D3')).toMatchObject({ open: true, since: T0 + 7 * MIN });
    expect(s.doors.get('D2')).toMatchObject({ open: false, since: null });
  });

  it('tracks presence from granted swipes; refusals and cage swipes do not toggle it', () => {
    const s = run([
      badge('b1', 'D1', 0), // in
      badge('b2', 'D1', 1), // in
      badge('b2', 'D2', 2, true, 'associate'), // cage: still in the room
      badge('b3', 'D1', 3, false, 'vendor'), // refused: not in
      badge('b2', 'D3', 30), // out by the sales-floor door
    ]).state;
    expect(presentBadges(s).map((b) => b.badge)).toEqual(['b1']);
    expect(s.badges.get('b3')).toMatchObject({ present: false, refused: 1, lastGranted: false, role: 'vendor' });
    expect(s.badges.get('b2')).toMatchObject({ present: false, lastDoor: 'D3' });
  });

  it('ends a presence with no swipe out after the timeout, and the next swipe is a way in', () => {
    const t = run([badge('b1', 'D1', 0), door('D1', false, 13 * 60)], { presenceTimeoutMs: 12 * 3600_000 });
    expect(t.state.badges.get('b1')!.present).toBe(false);
    t.apply(badge('b1', 'D1', 24 * 60));
    expect(t.state.badges.get('b1')).toMatchObject({ present: true, since: T0 + 24 * 60 * MIN });
  });

  it('keeps the newest tag read and device status by ts, whatever arrives last', () => {
    const t = new Twin(miniLayout());
    t.apply({ type: 'rfid', ts: T0 + 5 * MIN, received: T0, reader: 'R2', epc: 'E1', antenna: 1, zone: 'z-cage' });
    t.apply({ type: 'rfid', ts: T0 + 1 * MIN, received: T0, reader: 'R1', epc: 'E1', antenna: 1, zone: 'z-dock' });
    t.apply({ type: 'status', ts: T0 + 9 * MIN, received: T0, device: 'C1', online: false }); // Last Will
    t.apply({ type: 'status', ts: T0 + 2 * MIN, received: T0, device: 'C1', online: true }); // retained, older
    expect(t.state.tags.get('E1')).toMatchObject({ zone: 'z-cage', reader: 'R2' });
    expect(t.state.devices.get('C1')).toMatchObject({ online: false });
  });

  it("marks a device offline when its Last Will repeats its retained status's ts, in either arrival order", () => {
    const online = { type: 'status', ts: T0, received: T0, device: 'C1', online: true } as const;
    const will = { type: 'status', ts: T0, received: T0 + 60 * MIN, device: 'C1', online: false } as const;
    for (const order of [[online, will], [will, online]]) {
      const t = new Twin(miniLayout());
      for (const e of order) t.apply(e);
      expect(t.state.devices.get('C1')).toMatchObject({ online: false, ts: T0 });
      // The device comes back: its new connect has a later ts.
      t.apply({ type: 'status', ts: T0 + 61 * MIN, received: T0 + 61 * MIN, device: 'C1', online: true });
      expect(t.state.devices.get('C1')).toMatchObject({ online: true });
    }
  });
});

describe('the state', () => {
  it('is immutable: a snapshot does not change, unchanged records keep their identity', () => {
    const t = run([w('A-0-0', 5000, 0), w('A-0-1', 2500, 0)]);
    const before = t.state;
    const beforeUnits = before.slots.get('A-0-0')!.units;
    t.apply(w('A-0-0', 4000, 1));
    const after = t.state;
    expect(before.slots.get('A-0-0')!.units).toBe(beforeUnits);
    expect(after.slots.get('A-0-0')!.units).toBe(8);
    expect(after.slots.get('A-0-1')).toBe(before.slots.get('A-0-1'));
    expect(after.version).toBe(before.version + 1);
    expect(t.state).toBe(after);
  });

  it('counts an event behind the reorder window as late and leaves the state as it was', () => {
    const t = run([w('A-0-0', 5000, 0), w('A-0-0', 5000, 60), w('A-0-0', 5000, 120)], { reorderWindowMs: 30 * MIN });
    t.apply(w('A-0-0', 1000, 10));
    expect(t.state.late).toBe(1);
    expect(t.state.slots.get('A-0-0')!.units).toBe(10);
  });
});

/** A plausible two hours of mixed telemetry from the fixture room, with ties and repeats. */
function history(): TwinEvent[] {
  const ev: TwinEvent[] = [];
  let grams = 5000;
  for (let m = 0; m < 120; m += 3) {
    grams += m % 21 === 0 ? -500 : m % 33 === 0 ? 1000 : 0;
    ev.push(w('A-0-0', grams + ((m * 7) % 9) - 4, m, m));
    ev.push(w('A-0-1', 2500 - (m > 60 ? 250 : 0), m));
  }
  ev.push(edge('A-0-0', 'pick', 1, 21.1), edge('A-0-1', 'pick', 1, 63.2), edge('A-1-0', 'put', 2, 70));
  ev.push(book('SKU1', 20, 'receipt', 1), book('SKU1', 9, 'count', 50, 'A-0-0'), book('SKU1', -1, 'sale', 50), book('SKU2', 12, 'count', 50), book('SKU1', 3, 'putaway', 90, 'A-0-0'));
  ev.push(door('D1', true, 5), door('D1', false, 5), door('D1', true, 40), door('D3', true, 40), door('D3', false, 41));
  ev.push(badge('b1', 'D1', 4), badge('b2', 'D1', 10), badge('b2', 'D2', 11, false), badge('b1', 'D3', 80), badge('b2', 'D1', 10, false));
  ev.push({ type: 'rfid', ts: T0 + 7 * MIN, received: T0, reader: 'R1', epc: 'E7', antenna: 1, zone: 'z-dock' });
  ev.push({ type: 'rfid', ts: T0 + 7 * MIN, received: T0, reader: 'R1', epc: 'E7', antenna: 2, zone: 'z-rep' });
  ev.push({ type: 'status', ts: T0, received: T0, device: 'R1', online: true }, { type: 'status', ts: T0 + 99 * MIN, received: T0, device: 'R1', online: false });
  return ev;
}

describe('order independence', () => {
  const expected = stateToJson(run(history()).state);

  it('gives the same state for any arrival order (within the reorder window)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(history(), { minLength: history().length }), (shuffled) => {
        expect(stateToJson(run(shuffled).state)).toEqual(expected);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('gives the same state when applied in batches with snapshots taken between', () => {
    const t = new Twin(miniLayout());
    const ev = history().reverse();
    for (let i = 0; i < ev.length; i += 7) {
      t.applyAll(ev.slice(i, i + 7));
      void t.state;
    }
    expect(stateToJson(t.state)).toEqual(expected);
  });
});

describe('order independence with pruning (a short reorder window)', () => {
  const WINDOW = 30 * MIN;
  /** Four hours of readings with picks and puts, and edge events, on two slots. */
  function longHistory(): TwinEvent[] {
    const ev: TwinEvent[] = [];
    let units = 10;
    for (let m = 0; m < 240; m += 3) {
      if (m % 27 === 0) units -= 1;
      if (m % 63 === 0) units += 3;
      ev.push(w('A-0-0', units * 500 + ((m * 7) % 9) - 4, m));
      ev.push(w('A-0-1', 2500 - (m > 120 ? 250 : 0), m + 1));
      if (m % 27 === 0) ev.push(edge('A-0-0', 'pick', 1, m + 0.1));
    }
    ev.push(book('SKU1', 40, 'receipt', 5), book('SKU1', -2, 'sale', 100), book('SKU1', 9, 'count', 150, 'A-0-0'), book('SKU1', 1, 'putaway', 200, 'A-0-0'));
    return ev.sort((a, b) => a.ts - b.ts);
  }
  /** Shuffles inside consecutive 20-minute blocks: nothing arrives more than 20 min behind the newest. */
  function blockShuffle(ev: TwinEvent[], seed: number): TwinEvent[] {
    let s = seed;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const out: TwinEvent[] = [];
    for (let start = 0; start < ev.length; ) {
      const t0 = ev[start]!.ts;
      let end = start;
      while (end < ev.length && ev[end]!.ts < t0 + 20 * MIN) end++;
      const block = ev.slice(start, end);
      for (let i = block.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [block[i], block[j]] = [block[j]!, block[i]!];
      }
      out.push(...block);
      start = end;
    }
    return out;
  }

  it('gives the same state, movements included, for any arrival order within the window', () => {
    const expected = stateToJson(run(longHistory(), { reorderWindowMs: WINDOW }).state);
    expect((expected.slots as Record<string, { movements: unknown[] }>)['A-0-0']!.movements.length).toBeGreaterThan(0);
    for (let seed = 1; seed <= 60; seed++) {
      const t = run(blockShuffle(longHistory(), seed), { reorderWindowMs: WINDOW });
      expect(t.state.late).toBe(0);
      expect(stateToJson(t.state)).toEqual(expected);
    }
  });

  it('reports the same movements whichever way two late-ish readings arrive (pruning at different times)', () => {
    const H = 60;
    const base = [w('A-0-0', 5000, 0), w('A-0-0', 4500, 1.8 * H)];
    const a = run([...base, w('A-0-0', 4500, 7.6 * H), w('A-0-0', 4500, 8 * H)], { reorderWindowMs: 6 * 3600_000 });
    const b = run([...base, w('A-0-0', 4500, 8 * H), w('A-0-0', 4500, 7.6 * H)], { reorderWindowMs: 6 * 3600_000 });
    expect(b.state.slots.get('A-0-0')!.movements).toEqual(a.state.slots.get('A-0-0')!.movements);
  });

  it('still applies a book movement that arrives behind the window, unless a later count covers it', () => {
    // Each SKU's book prunes on its own: both span 100 min, so both windows start at 70 min.
    const t = run([book('SKU1', 40, 'receipt', 0), book('SKU1', 2, 'receipt', 100), book('SKU2', 10, 'count', 0), book('SKU2', 10, 'count', 100)], { reorderWindowMs: WINDOW });
    t.apply(book('SKU1', -3, 'sale', 10)); // hours late, nothing covers it: it adds
    t.apply(book('SKU2', -4, 'sale', 50)); // before SKU2's count at 100: the count already says what was there
    t.apply(book('SKU2', 99, 'count', 20)); // an older count than the one at 100: superseded
    expect(t.state.skus.get('SKU1')!.book).toBe(39);
    expect(t.state.skus.get('SKU2')!.book).toBe(10);
    expect(t.state.late).toBe(0);
    t.apply(book('SKU1', 5, 'count', 5)); // a count with folded movements after it (the sale at 10): cannot be placed
    expect(t.state.late).toBe(1);
    expect(t.state.skus.get('SKU1')!.book).toBe(39);
    t.apply(book('SKU1', 5, 'count', 30)); // nothing folded after it: placed exactly, then the receipt at 100 adds 2
    expect(t.state.skus.get('SKU1')!.book).toBe(7);
    expect(t.state.late).toBe(1);
  });
});
