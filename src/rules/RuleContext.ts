/**
 * What every rule family shares while the engine runs: the layout and rules, the event
 * time being evaluated and the latest arrival seen (when a live engine would know), who is
 * in the room and who swiped where, whether a time is in trading hours, and the one way to
 * raise an alert (stable ids, detectedAt). No DOM.
 */
import type { BadgeEvent, DoorStateEvent } from '../contract/messages';
import { hhmmToMinutes, zoneOffset } from '../core/zonedTime';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Alert, Place, RuleKind } from './Incident';
import type { Rules } from './Rules';

export const MIN = 60_000;
const HOUR = 60 * MIN;

/** A swipe kept for the look-backs of restricted_pick, cage_door and unscanned_move's exit. */
export interface Swipe {
  readonly ts: number;
  readonly door: string;
  readonly badge: string;
  readonly role: BadgeEvent['role'];
  readonly granted: boolean;
}

/** An alert as a rule words it; severity is the rule's unless the evidence raises it (a suspected theft). */
export type AlertDraft = Omit<Alert, 'id' | 'store' | 'severity' | 'detectedAt' | 'rule'> & { detectedAt?: number; severity?: Alert['severity'] };

export class RuleContext {
  /** The event time being evaluated (events are handed to rules in this order). */
  now = -Infinity;
  /** The latest arrival time seen: a live engine raising an alert now would raise it at this time. */
  arrival = -Infinity;
  /** Badges in the room (toggled by granted swipes at doors other than cages), to their role. */
  readonly present = new Map<string, BadgeEvent['role']>();
  /** Swipes of the last hours, oldest first (pruned as time passes). */
  readonly swipes: Swipe[] = [];
  private swipeHead = 0;
  /** Per door, its recent openings: [opened, closed] pairs, closed NaN while open. */
  private readonly openings = new Map<string, number[]>();
  private readonly open: number;
  private readonly close: number;
  private readonly offsets = new Map<number, number>();

  constructor(
    readonly layout: LayoutIndex,
    readonly rules: Rules,
    private readonly sink: (a: Alert) => void,
  ) {
    this.open = hhmmToMinutes(layout.layout.hours.open);
    this.close = hhmmToMinutes(layout.layout.hours.close);
  }

  /** Whether `ts` is within trading hours, widened by `marginMin` at both ends. */
  trading(ts: number, marginMin: number): boolean {
    // The zone's offset is asked of Intl once an hour of time, not once an event.
    const h = Math.floor(ts / HOUR);
    let off = this.offsets.get(h);
    if (off === undefined) this.offsets.set(h, (off = zoneOffset(ts, this.layout.layout.timezone)));
    const minute = (((ts + off) % 86_400_000) + 86_400_000) % 86_400_000 / MIN;
    const open = this.open - marginMin;
    const close = this.close + marginMin;
    return close > open ? minute >= open && minute < close : minute >= open || minute < close;
  }

  swipe(e: BadgeEvent): void {
    this.swipes.push({ ts: e.ts, door: e.door, badge: e.badge, role: e.role, granted: e.granted });
    if (e.granted && this.layout.doors.get(e.door)?.kind !== 'cage') {
      if (this.present.has(e.badge)) this.present.delete(e.badge);
      else this.present.set(e.badge, e.role);
    }
    // Keep six hours of swipes: the longest look-back of any rule is well under that.
    while (this.swipeHead < this.swipes.length && this.swipes[this.swipeHead]!.ts < e.ts - 6 * HOUR) this.swipeHead++;
    if (this.swipeHead > 1024 && this.swipeHead * 2 > this.swipes.length) {
      this.swipes.splice(0, this.swipeHead);
      this.swipeHead = 0;
    }
  }

  doorState(e: DoorStateEvent): void {
    let list = this.openings.get(e.door);
    if (!list) this.openings.set(e.door, (list = []));
    const n = list.length;
    if (e.open) {
      if (n === 0 || !Number.isNaN(list[n - 1]!)) list.push(e.ts, NaN);
    } else if (n > 0 && Number.isNaN(list[n - 1]!)) list[n - 1] = e.ts;
    if (list.length > 64) list.splice(0, list.length - 32);
  }

  /** How long the door stayed open after its first opening in [from, from + 30 s] (to now while open); 0 if none. */
  heldAfter(door: string, from: number): number {
    const list = this.openings.get(door);
    if (!list) return 0;
    for (let i = 0; i < list.length; i += 2) {
      const o = list[i]!;
      if (o >= from && o <= from + 30_000) return (Number.isNaN(list[i + 1]!) ? this.now : list[i + 1]!) - o;
    }
    return 0;
  }

  /** Whether the door is open now, and since when (NaN when closed or unknown). */
  openSince(door: string): number {
    const list = this.openings.get(door);
    return list && list.length && Number.isNaN(list[list.length - 1]!) ? list[list.length - 2]! : NaN;
  }

  /** Swipes with ts in [from, to], oldest first. */
  swipesBetween(from: number, to: number, door?: string): Swipe[] {
    const out: Swipe[] = [];
    for (let i = this.swipes.length - 1; i >= this.swipeHead; i--) {
      const s = this.swipes[i]!;
      if (s.ts < from) break;
      if (s.ts <= to && (door === undefined || s.door === door)) out.push(s);
    }
    return out.reverse();
  }

  raise(rule: RuleKind, a: AlertDraft): void {
    const p = this.rules.rules[rule];
    const detectedAt = Math.max(a.to, a.detectedAt ?? -Infinity, this.arrival);
    this.sink({ ...a, id: `${rule}:${placeKey(a.place)}:${a.from}`, store: this.layout.store, rule, severity: a.severity ?? p.severity, detectedAt });
  }
}

/** The most precise id of a place, for ids and merging. */
export function placeKey(p: Place): string {
  return p.slot ?? p.door ?? p.device ?? p.shelf ?? p.zone ?? '-';
}
