/**
 * The per-entity folds of the twin, each a pure step over events in ts order, and the total
 * orders that make equal-time events fold the same way whatever order they arrived in.
 */
import type { BadgeEvent, BookEvent, DoorStateEvent, SlotEdgeEvent, WeightEvent } from '../contract/messages';
import { cmpNum, cmpStr } from './WindowedFold';

// ---- slot weight -------------------------------------------------------------------------

export interface WeightFold {
  /** Units from the load cell, null before the first reading. */
  readonly units: number | null;
  readonly grams: number | null;
  readonly ts: number | null;
}
export const WEIGHT_INIT: WeightFold = { units: null, grams: null, ts: null };

/**
 * Units from grams with hysteresis: the count changes only when the reading leaves the
 * current count's band by half a unit plus a noise margin, so a few grams of load-cell
 * noise or slow drift around a half-unit boundary never make phantom picks and puts.
 */
export function unitsAfter(prev: number | null, grams: number, unitGrams: number, noiseGrams: number): number {
  const nearest = Math.max(0, Math.round(grams / unitGrams));
  if (prev === null) return nearest;
  const margin = Math.min(noiseGrams, 0.2 * unitGrams);
  return Math.abs(grams - prev * unitGrams) >= 0.5 * unitGrams + margin ? nearest : prev;
}

export function weightStep(unitGrams: number, noiseGrams: number) {
  return (s: WeightFold, e: WeightEvent): WeightFold => ({
    units: unitsAfter(s.units, e.grams, unitGrams, noiseGrams),
    grams: e.grams,
    ts: e.ts,
  });
}

export const compareWeight = (a: WeightEvent, b: WeightEvent): number =>
  cmpNum(a.ts, b.ts) || cmpNum(a.seq ?? -1, b.seq ?? -1) || cmpNum(a.grams, b.grams);

export const compareEdge = (a: SlotEdgeEvent, b: SlotEdgeEvent): number =>
  cmpNum(a.ts, b.ts) || cmpNum(a.seq ?? -1, b.seq ?? -1) || cmpStr(a.kind, b.kind) || cmpNum(a.units, b.units);

// ---- book per SKU ------------------------------------------------------------------------

export interface BookFold {
  /** Store-level units on hand. */
  readonly total: number;
  /** Slot-level book: slot id to units. */
  readonly slots: ReadonlyMap<string, number>;
  /** ts of the latest store-level count folded in (a count sets, so what came before it no longer matters). */
  readonly storeCountTs: number;
  /** ts of the latest count of each slot. */
  readonly slotCountTs: ReadonlyMap<string, number>;
  /** ts of the latest movement folded in. */
  readonly lastTs: number;
}
export const BOOK_INIT: BookFold = { total: 0, slots: new Map(), storeCountTs: -Infinity, slotCountTs: new Map(), lastTs: -Infinity };

/** Applies one book movement as the contract's *Book inventory* section defines it. */
export function bookStep(prev: BookFold, e: BookEvent): BookFold {
  const s = { ...prev, lastTs: Math.max(prev.lastTs, e.ts) };
  const internal = e.reason === 'putaway' || e.reason === 'replenish';
  if (e.slot === undefined) {
    if (e.reason === 'count') return { ...s, total: e.delta, storeCountTs: e.ts };
    return internal ? s : { ...s, total: s.total + e.delta };
  }
  const before = s.slots.get(e.slot) ?? 0;
  const after = e.reason === 'count' ? e.delta : before + e.delta;
  const slots = new Map(s.slots);
  slots.set(e.slot, after);
  // A slot count corrects the store total by what it found different on that slot;
  // putaway and replenish move stock inside the store; anything else moves it in or out.
  const total = internal ? s.total : s.total + (after - before);
  if (e.reason !== 'count') return { ...s, total, slots };
  const slotCountTs = new Map(s.slotCountTs);
  slotCountTs.set(e.slot, e.ts);
  return { ...s, total, slots, slotCountTs };
}

/**
 * A book movement that arrives behind the reorder window (an ERP batch posting hours
 * late) is still applied when it can be: movements add up, so one with no later count of
 * its scope simply adds; one that a later count covers changes nothing (the count already
 * says what was there); a count later than the latest folded in cannot be placed.
 */
export function bookLate(base: BookFold, e: BookEvent, current: BookFold): BookFold | undefined {
  const slotCount = e.slot === undefined ? -Infinity : (current.slotCountTs.get(e.slot) ?? -Infinity);
  if (e.reason === 'count') {
    const covering = e.slot === undefined ? current.storeCountTs : slotCount;
    if (e.ts < covering) return base;
    // Exact only when nothing folded into the base came after it.
    return e.ts > base.lastTs ? bookStep(base, e) : undefined;
  }
  const internal = e.reason === 'putaway' || e.reason === 'replenish';
  const slotApplies = e.slot !== undefined && e.ts > slotCount;
  // A later slot count re-bases the total by its own difference, which absorbs this one too.
  const totalApplies = !internal && e.ts > current.storeCountTs && (e.slot === undefined || e.ts > slotCount);
  const lastTs = Math.max(base.lastTs, e.ts);
  if (!slotApplies && !totalApplies) return { ...base, lastTs };
  const slots = slotApplies ? new Map(base.slots).set(e.slot!, (base.slots.get(e.slot!) ?? 0) + e.delta) : base.slots;
  return { ...base, total: totalApplies ? base.total + e.delta : base.total, slots, lastTs };
}

export const compareBook = (a: BookEvent, b: BookEvent): number =>
  cmpNum(a.ts, b.ts) ||
  cmpNum(a.seq ?? -1, b.seq ?? -1) ||
  cmpStr(a.reason, b.reason) ||
  cmpStr(a.slot ?? '', b.slot ?? '') ||
  cmpStr(a.ref ?? '', b.ref ?? '') ||
  cmpNum(a.delta, b.delta);

// ---- doors -------------------------------------------------------------------------------

export interface DoorFold {
  readonly open: boolean;
  readonly since: number | null;
  readonly ts: number | null;
}
export const DOOR_INIT: DoorFold = { open: false, since: null, ts: null };

export function doorStep(s: DoorFold, e: DoorStateEvent): DoorFold {
  const changed = s.ts === null || s.open !== e.open;
  return { open: e.open, since: changed ? e.ts : s.since, ts: e.ts };
}

export const compareDoor = (a: DoorStateEvent, b: DoorStateEvent): number =>
  cmpNum(a.ts, b.ts) || cmpNum(a.seq ?? -1, b.seq ?? -1) || cmpNum(+a.open, +b.open);

// ---- badges ------------------------------------------------------------------------------

export interface BadgeFold {
  readonly role: BadgeEvent['role'];
  readonly inside: boolean;
  readonly since: number | null;
  readonly lastDoor: string;
  readonly lastTs: number;
  readonly lastGranted: boolean;
  readonly refused: number;
}
export const BADGE_INIT: BadgeFold = { role: 'unknown', inside: false, since: null, lastDoor: '', lastTs: -Infinity, lastGranted: false, refused: 0 };

/**
 * Presence: each granted swipe at a door into the room (any door but a cage door) toggles
 * in and out; swipes at a cage door leave room presence as it is. The twin's clock ends a
 * presence that outlasts the timeout (a missed swipe out), see Twin.
 */
export function badgeStep(roomDoor: (door: string) => boolean, presenceTimeoutMs: number) {
  return (s: BadgeFold, e: BadgeEvent): BadgeFold => {
    const toggles = e.granted && roomDoor(e.door);
    // A presence older than the timeout was a missed swipe out: the next swipe is a way in.
    const wasInside = s.inside && s.since !== null && e.ts - s.since <= presenceTimeoutMs;
    const inside = toggles ? !wasInside : wasInside;
    return {
      role: e.role,
      inside,
      since: toggles ? (inside ? e.ts : null) : wasInside ? s.since : null,
      lastDoor: e.door,
      lastTs: e.ts,
      lastGranted: e.granted,
      refused: s.refused + (e.granted ? 0 : 1),
    };
  };
}

export const compareBadge = (a: BadgeEvent, b: BadgeEvent): number =>
  cmpNum(a.ts, b.ts) || cmpNum(a.seq ?? -1, b.seq ?? -1) || cmpStr(a.door, b.door) || cmpNum(+a.granted, +b.granted) || cmpStr(a.role, b.role);
