/**
 * Where the view puts things that the layout does not place itself: people near the door
 * they came in by, the anchor point of a part (for alerts, focus and offline markers), and
 * the pulse of an alert over time. Pure maths on the layout, no three.js, tested in Node.
 */
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Vec2, Vec3 } from '../layout/Layout';
import type { SceneRef } from './SceneRef';

/** Badges stand this many to a row, this far apart, from this far inside the door. */
const PER_ROW = 4;
const SPACING = 0.55;
const FIRST_ROW = 0.8;

/**
 * The spot of the k-th person (0-based) who came in by a door at `door`, whose opening runs
 * along unit vector `along` and whose inside lies along unit vector `inward`: rows of four
 * centred on the door, each row further in, so people never overlap.
 */
export function badgeSpot(door: Vec2, along: Vec2, inward: Vec2, k: number): Vec2 {
  const col = k % PER_ROW;
  const row = Math.floor(k / PER_ROW);
  const a = (col - (PER_ROW - 1) / 2) * SPACING;
  const i = FIRST_ROW + row * SPACING;
  return [door[0] + along[0] * a + inward[0] * i, door[1] + along[1] * a + inward[1] * i];
}

/** How long a new alert pulses before it settles to a steady ring, and one pulse's length. */
export const PULSE_MS = 10_000;
const PERIOD_MS = 1200;

/** An alert's ring size (metres of radius) `ageMs` after it appeared, and whether it still pulses. */
export function alertRing(ageMs: number): { radius: number; pulsing: boolean } {
  if (ageMs < 0 || ageMs >= PULSE_MS) return { radius: 0.6, pulsing: false };
  return { radius: 0.35 + 0.9 * ((ageMs % PERIOD_MS) / PERIOD_MS), pulsing: true };
}

const centroid = (outline: readonly Vec2[]): Vec2 => [
  outline.reduce((s, p) => s + p[0], 0) / Math.max(1, outline.length),
  outline.reduce((s, p) => s + p[1], 0) / Math.max(1, outline.length),
];

/**
 * A point that stands for a part: a slot's centre, a shelf's top centre, a door's centre at
 * head height, a camera's lens, a zone's or RFID reader's zone centroid just above the floor.
 * A bare string is a device id (status/{device}), resolved in the contract's kind order.
 * Undefined for an unknown id; badges are placed by the view, not the layout.
 */
export function anchorOf(layout: LayoutIndex, ref: SceneRef | string): Vec3 | undefined {
  if (typeof ref === 'string') {
    const kind = layout.deviceKinds(ref)[0];
    return kind ? anchorOf(layout, { kind, id: ref }) : undefined;
  }
  switch (ref.kind) {
    case 'slot':
      return layout.slots.has(ref.id) ? layout.slotBox(ref.id).center : undefined;
    case 'shelf': {
      const s = layout.shelves.get(ref.id);
      return s && [s.position[0], s.position[1], s.size[2]];
    }
    case 'door': {
      const d = layout.doors.get(ref.id);
      return d && [d.position[0], d.position[1], 1.2];
    }
    case 'camera':
      return layout.cameras.get(ref.id)?.position;
    case 'zone': {
      const z = layout.zones.get(ref.id);
      return z && [...centroid(z.outline), 0.1];
    }
    case 'rfid': {
      const r = layout.readers.get(ref.id);
      const zone = r && layout.zones.get(Object.values(r.antennas)[0] ?? '');
      return zone && [...centroid(zone.outline), 0.1];
    }
    case 'badge':
      return undefined;
  }
}
