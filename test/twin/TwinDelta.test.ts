import { describe, expect, it } from 'vitest';
import type { TwinEvent } from '../../src/contract/messages';
import { Twin } from '../../src/twin/Twin';
import { applyTwinDelta, diffTwin, isEmptyDelta } from '../../src/twin/TwinDelta';
import { stateToJson } from '../../src/twin/stateToJson';
import { miniLayout } from '../fixtures/miniLayout';

const T0 = Date.parse('2026-11-16T08:00:00Z');
const w = (slot: string, shelf: string, grams: number, t: number): TwinEvent => ({ type: 'weight', shelf, slot, grams, ts: T0 + t, received: T0 + t });

describe('TwinDelta', () => {
  it('carries only changed records, and applying the deltas in turn rebuilds the twin', () => {
    const twin = new Twin(miniLayout());
    const first = diffTwin(undefined, twin.state);
    expect(first.slots).toHaveLength(4);
    let mirror = applyTwinDelta(undefined, first);
    let shown = twin.state;

    twin.applyAll([w('A-0-0', 'A', 5000, 0), { type: 'door_state', door: 'D1', open: true, ts: T0 + 1, received: T0 + 1 }]);
    twin.apply({ type: 'badge', door: 'D1', badge: 'b1', role: 'associate', granted: true, ts: T0 + 2, received: T0 + 2 });
    const d1 = diffTwin(shown, twin.state);
    expect(d1.slots.map((s) => s.slot)).toEqual(['A-0-0']);
    expect(d1.doors.map((d) => d.door)).toEqual(['D1']);
    expect(d1.badges.map((b) => b.badge)).toEqual(['b1']);
    mirror = applyTwinDelta(mirror, d1);
    shown = twin.state;

    // The clock moves: the twin rebuilds its badges, but an unchanged badge is not sent again.
    twin.apply({ type: 'status', device: 'A-0-0', online: false, ts: T0 + 10, received: T0 + 10 });
    const d2 = diffTwin(shown, twin.state);
    expect(d2.badges).toEqual([]);
    expect(d2.slots).toEqual([]);
    expect(d2.devices.map((d) => d.device)).toEqual(['A-0-0']);
    expect(isEmptyDelta(d2)).toBe(false);
    const before = mirror;
    mirror = applyTwinDelta(mirror, d2);
    expect(mirror.slots).toBe(before.slots); // unchanged maps are shared
    expect(stateToJson(mirror)).toEqual(stateToJson(twin.state));
    expect(mirror.asOf).toBe(T0 + 10);
    expect(isEmptyDelta(diffTwin(twin.state, twin.state))).toBe(true);
  });
});
