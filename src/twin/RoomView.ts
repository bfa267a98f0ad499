/**
 * What the 3D view shows of the room at one moment: how full each slot is and whether its
 * load cell disagrees with the book, which doors stand open, who is in the room, which
 * devices are offline. One shape for "now" (from the live twin, roomViewOfTwin) and for any
 * past moment (from the event store, src/analytics/history), so the view never asks which.
 * Plain data, no DOM.
 */
import type { BadgeRole } from '../contract/messages';
import type { TwinState } from './TwinState';

export interface SlotView {
  /** Units over capacity, 0-1 (above 1 when overfull); NaN before the slot's first reading. */
  readonly fill: number;
  /** Units from the load cell; null before the first reading. */
  readonly units: number | null;
  /** Units the book puts on the slot; null when nothing was booked here. */
  readonly book: number | null;
  /** The load cell and the book disagree by a unit or more (both known). */
  readonly mismatch: boolean;
}

export interface PresentBadge {
  readonly badge: string;
  readonly role: BadgeRole;
  /** The door of their latest swipe (where they came in, unless they swiped since). */
  readonly door: string;
  /** When their presence began (the granted swipe in). */
  readonly since: number;
}

export interface RoomView {
  readonly store: string;
  /** The moment shown (epoch ms); null before any event. */
  readonly at: number | null;
  /** Every slot that has a reading or a booking; slots absent here are unknown. */
  readonly slots: ReadonlyMap<string, SlotView>;
  /** Doors open at `at`, door id to when it opened (null when unknown). */
  readonly openDoors: ReadonlyMap<string, number | null>;
  /** Badges in the room at `at`, oldest entry first. */
  readonly present: readonly PresentBadge[];
  /** Devices whose latest status at `at` says offline. */
  readonly offline: ReadonlySet<string>;
}

/** A slot's view from its units, capacity and book. */
export function slotView(units: number | null, capacity: number, book: number | null): SlotView {
  const fill = units === null || !(capacity > 0) ? Number.NaN : units / capacity;
  return { fill, units, book, mismatch: units !== null && book !== null && Math.abs(units - book) >= 1 };
}

/** The live twin as a RoomView. */
export function roomViewOfTwin(state: TwinState): RoomView {
  const slots = new Map<string, SlotView>();
  for (const [id, s] of state.slots) {
    if (s.units === null && s.book === null) continue;
    slots.set(id, slotView(s.units, s.capacity, s.book));
  }
  const openDoors = new Map<string, number | null>();
  for (const [id, d] of state.doors) if (d.open) openDoors.set(id, d.since);
  const present: PresentBadge[] = [];
  for (const b of state.badges.values()) if (b.present && b.since !== null) present.push({ badge: b.badge, role: b.role, door: b.lastDoor, since: b.since });
  present.sort((a, b) => a.since - b.since || (a.badge < b.badge ? -1 : a.badge > b.badge ? 1 : 0));
  const offline = new Set<string>();
  for (const [id, d] of state.devices) if (!d.online) offline.add(id);
  return { store: state.store, at: state.asOf, slots, openDoors, present, offline };
}
