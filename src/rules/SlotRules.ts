/**
 * The rules over what slots hold: units from the load cells (the twin's hysteresis,
 * folds.ts `unitsAfter`) against the slot-level book. A drop no booked movement on the slot
 * explains within matchMinutes is an unscanned move, escalated to suspected theft when a
 * badge goes out through an exit door soon after with the door held open (a walk-out);
 * any change outside trading hours is after-hours movement; a pick in a restricted zone by
 * a role the zone does not allow (or with nobody allowed in the room) is a restricted
 * pick; book and physical apart beyond a tolerance for a grace period is a count mismatch.
 * Events come in event-time order (RuleEngine), so a booking (stamped when it happened,
 * arriving minutes later) is seen before or just after the weight change it explains.
 */
import type { BookEvent, WeightEvent } from '../contract/messages';
import type { Slot } from '../layout/Layout';
import { unitsAfter } from '../twin/folds';
import { Fifo } from './Fifo';
import { MIN, type RuleContext } from './RuleContext';

/** An unbooked drop waiting for a late booking or an exit before it is raised. */
interface PendingDrop {
  readonly due: number;
  readonly slot: number;
  readonly ts: number;
  units: number;
}

/** How fast the drift estimate follows a cell: hours, so that a real pick is never absorbed into it. */
const DRIFT_TAU_MS = 2 * 3_600_000;

interface MismatchCheck {
  readonly due: number;
  readonly slot: number;
  readonly since: number;
}

export class SlotRules {
  private readonly slots: Slot[];
  private readonly index = new Map<string, number>();
  private readonly unitGrams: Float64Array;
  private readonly zone: string[];
  /** Per slot: units by weight once confirmed (NaN before the first reading) and by book (NaN before a count). */
  private readonly units: Float64Array;
  /** Per slot: units of the latest reading (the twin's hysteresis), how many readings in a row gave it, and since when. */
  private readonly raw: Float64Array;
  private readonly rawCount: Int32Array;
  private readonly rawSince: Float64Array;
  /** Per slot: the drift taken off its readings (grams) and when it was last updated. */
  private readonly offset: Float64Array;
  private readonly offsetTs: Float64Array;
  /** Per slot: a count read but not yet confirmed (NaN: none), and the time of its first reading. */
  private readonly cand: Float64Array;
  private readonly candSince: Float64Array;
  private readonly book: Float64Array;
  /** Per slot: since when physical and book disagree beyond the tolerance (NaN: they agree), and whether raised. */
  private readonly since: Float64Array;
  private readonly raised: Uint8Array;
  /** Per slot: booked removals not yet matched to a drop, as [ts, units, ts, units, ...]. */
  private readonly credits = new Map<number, number[]>();
  private readonly drops = new Fifo<PendingDrop>();
  private readonly mismatches = new Fifo<MismatchCheck>();
  private readonly dropWait: number;
  private readonly match: number;

  constructor(private readonly ctx: RuleContext) {
    this.slots = [...ctx.layout.slots.values()];
    this.slots.forEach((s, i) => this.index.set(s.id, i));
    const n = this.slots.length;
    this.unitGrams = Float64Array.from(this.slots, (s) => ctx.layout.skus.get(s.sku)?.unitGrams ?? 1);
    this.zone = this.slots.map((s) => ctx.layout.zoneOfSlot(s.id) ?? '');
    this.units = new Float64Array(n).fill(NaN);
    this.raw = new Float64Array(n).fill(NaN);
    this.rawCount = new Int32Array(n);
    this.rawSince = new Float64Array(n);
    this.cand = new Float64Array(n).fill(NaN);
    this.offset = new Float64Array(n);
    this.offsetTs = new Float64Array(n);
    this.candSince = new Float64Array(n);
    this.book = new Float64Array(n).fill(NaN);
    this.since = new Float64Array(n).fill(NaN);
    this.raised = new Uint8Array(n);
    const u = ctx.rules.rules.unscanned_move;
    this.match = u.matchMinutes * MIN;
    // Wait for the later of a late booking and an exit held open.
    this.dropWait = Math.max(this.match, u.exitWithinMinutes * MIN + u.exitHeldSeconds * 1000 + 30_000);
  }

  /** Units the SKU's slots could still take, by their latest readings (a slot not yet read counts as full). */
  roomFor(sku: string): number {
    let room = 0;
    for (const s of this.ctx.layout.slotsBySku.get(sku) ?? []) {
      // The latest reading, not the confirmed count: a putaway just made has not been confirmed yet.
      const u = this.raw[this.index.get(s.id)!]!;
      if (!Number.isNaN(u)) room += Math.max(0, s.capacity - u);
    }
    return room;
  }

  weight(e: WeightEvent): void {
    const i = this.index.get(e.slot);
    if (i === undefined) return;
    const was = this.raw[i]!;
    const u = this.unitGrams[i]!;
    // The cell's slow drift, tracked while the count holds (time constant DRIFT_TAU_MS) and
    // taken off each reading: a cell creeping a few grams a day would otherwise, on light
    // stock, cross a unit boundary back and forth for days.
    const grams = e.grams - this.offset[i]!;
    const now = unitsAfter(Number.isNaN(was) ? null : was, grams, u, this.ctx.rules.noiseGrams);
    if (now === was) {
      this.rawCount[i]!++;
      const dt = e.ts - this.offsetTs[i]!;
      if (dt > 0) {
        const alpha = 1 - Math.exp(-dt / DRIFT_TAU_MS);
        this.offset[i] = this.offset[i]! + alpha * Math.max(-0.25 * u, Math.min(0.25 * u, grams - now * u));
      }
      this.offsetTs[i] = e.ts;
    } else {
      this.offsetTs[i] = e.ts;
      this.raw[i] = now;
      this.rawCount[i] = 1;
      this.rawSince[i] = e.ts;
    }
    const prev = this.units[i]!;
    if (Number.isNaN(prev)) {
      this.units[i] = now;
      this.cand[i] = NaN;
      return;
    }
    // A change of one unit is taken once confirmReadings readings in a row give it, or when
    // the readings move on to yet another count: only a reading that comes straight back to
    // the count before (noise or drift flickering across a unit boundary) is no movement.
    // Noise does not cross two boundaries, so a bigger change is taken at once.
    const cand = this.cand[i]!;
    if (now === prev) {
      this.cand[i] = NaN;
      return;
    }
    if (now !== cand) {
      if (!Number.isNaN(cand)) this.commit(i, cand, this.candSince[i]!);
      this.cand[i] = now;
      this.candSince[i] = e.ts;
    }
    if (this.rawCount[i]! >= this.ctx.rules.confirmReadings || Math.abs(now - prev) > 1) this.commit(i, now, this.candSince[i]!);
  }

  private commit(i: number, units: number, ts: number): void {
    const prev = this.units[i]!;
    this.units[i] = units;
    this.cand[i] = NaN;
    if (units === prev) return;
    this.changed(i, ts, units - prev);
    this.compare(i, ts);
  }

  bookEvent(e: BookEvent): void {
    if (e.slot === undefined) return;
    const i = this.index.get(e.slot);
    if (i === undefined) return;
    if (e.reason === 'count') this.book[i] = e.delta;
    else {
      if (!Number.isNaN(this.book[i]!)) this.book[i] = this.book[i]! + e.delta;
      if (e.delta < 0) {
        let c = this.credits.get(i);
        if (!c) this.credits.set(i, (c = []));
        c.push(e.ts, -e.delta);
      }
    }
    this.compare(i, e.ts);
  }

  /** Raises what is due at event time `now`. */
  tick(now: number): void {
    this.drops.takeDue(now, (d) => this.settleDrop(d));
    this.mismatches.takeDue(now, (m) => {
      if (this.since[m.slot] === m.since && !this.raised[m.slot]) {
        this.raised[m.slot] = 1;
        const s = this.slots[m.slot]!;
        const phys = this.units[m.slot]!;
        const book = this.book[m.slot]!;
        this.ctx.raise('count_mismatch', {
          from: m.since,
          to: m.due,
          detectedAt: m.due,
          place: { slot: s.id, shelf: s.shelf, zone: this.zone[m.slot] },
          sku: s.sku,
          units: Math.abs(book - phys),
          text: `${s.id}: book says ${book}, the shelf holds ${phys} since ${new Date(m.since).toISOString()}`,
        });
      }
    });
  }

  private changed(i: number, ts: number, delta: number): void {
    const ctx = this.ctx;
    const r = ctx.rules.rules;
    const s = this.slots[i]!;
    const place = { slot: s.id, shelf: s.shelf, zone: this.zone[i] };
    if (r.after_hours_movement.enabled && !ctx.trading(ts, r.after_hours_movement.marginMinutes)) {
      const badges = [...ctx.present.keys()];
      ctx.raise('after_hours_movement', {
        from: ts, to: ts, place, sku: s.sku, units: Math.abs(delta), badges,
        suspect: delta < 0 ? 'theft' : undefined,
        text: `${Math.abs(delta)} units ${delta < 0 ? 'left' : 'came onto'} ${s.id} after hours${badges.length ? ` (in the room: ${badges.join(', ')})` : ''}`,
      });
    }
    if (delta >= 0) return;
    if (r.restricted_pick.enabled) this.restricted(i, ts, -delta);
    if (!r.unscanned_move.enabled) return;
    const left = this.consume(i, ts - this.match, ts + this.match, -delta);
    if (left > 0) this.drops.push({ due: ts + this.dropWait, slot: i, ts, units: left });
  }

  /** Takes up to `units` of booked removals on slot i with ts in [from, to]; returns what is left unexplained. */
  private consume(i: number, from: number, to: number, units: number): number {
    const c = this.credits.get(i);
    if (!c) return units;
    let w = 0;
    for (let k = 0; k < c.length; k += 2) {
      const t = c[k]!;
      let u = c[k + 1]!;
      if (t > to) {
        c[w++] = t;
        c[w++] = u;
        continue;
      }
      if (t < from) continue; // too old to explain anything now
      const take = Math.min(u, units);
      units -= take;
      u -= take;
      if (u > 0) {
        c[w++] = t;
        c[w++] = u;
      }
    }
    c.length = w;
    return units;
  }

  private settleDrop(d: PendingDrop): void {
    const ctx = this.ctx;
    const u = ctx.rules.rules.unscanned_move;
    const left = this.consume(d.slot, d.ts - this.match, d.ts + this.match, d.units);
    if (left < u.minUnits) return;
    const s = this.slots[d.slot]!;
    // A badge out through an exit door soon after, the door held open: stock carried out.
    let exit: { badge: string; door: string } | undefined;
    for (const w of ctx.swipesBetween(d.ts, d.ts + u.exitWithinMinutes * MIN)) {
      if (!w.granted || w.role === 'vendor') continue;
      const kind = ctx.layout.doors.get(w.door)?.kind;
      if (!kind || !u.exitDoorKinds.includes(kind)) continue;
      if (ctx.heldAfter(w.door, w.ts) >= u.exitHeldSeconds * 1000) {
        exit = { badge: w.badge, door: w.door };
        break;
      }
    }
    ctx.raise('unscanned_move', {
      from: d.ts, to: d.ts, detectedAt: d.due,
      place: { slot: s.id, shelf: s.shelf, zone: this.zone[d.slot] },
      sku: s.sku, units: left,
      badges: exit ? [exit.badge] : undefined,
      suspect: exit ? 'theft' : undefined,
      severity: exit ? 'critical' : undefined,
      text: `${left} units of ${s.sku} left ${s.id} with no booking${exit ? `; ${exit.badge} went out by ${exit.door}, door held open` : ''}`,
    });
  }

  private restricted(i: number, ts: number, units: number): void {
    const ctx = this.ctx;
    const zone = ctx.layout.zones.get(this.zone[i]!);
    if (!zone?.restricted) return;
    const p = ctx.rules.rules.restricted_pick;
    const s = this.slots[i]!;
    const place = { slot: s.id, shelf: s.shelf, zone: zone.id };
    const doors = new Set([...ctx.layout.doors.values()].filter((d) => d.zone === zone.id).map((d) => d.id));
    const wrong = ctx.swipesBetween(ts - p.badgeWindowMinutes * MIN, ts).filter((w) => doors.has(w.door) && !zone.roles.includes(w.role));
    if (wrong.length) {
      const badges = [...new Set(wrong.map((w) => w.badge))];
      ctx.raise('restricted_pick', {
        from: ts, to: ts, place, sku: s.sku, units, badges, suspect: 'theft',
        text: `${units} units of ${s.sku} picked from ${s.id} in ${zone.id} after ${badges.join(', ')} (${wrong[0]!.role}) came in; the zone allows ${zone.roles.join(', ')}`,
      });
      return;
    }
    if (!p.requireAllowedPresent) return;
    for (const role of ctx.present.values()) if (zone.roles.includes(role)) return;
    ctx.raise('restricted_pick', {
      from: ts, to: ts, place, sku: s.sku, units, badges: [],
      text: `${units} units of ${s.sku} picked from ${s.id} in ${zone.id} with nobody allowed there (${zone.roles.join(', ')}) in the room`,
    });
  }

  private compare(i: number, ts: number): void {
    const p = this.ctx.rules.rules.count_mismatch;
    if (!p.enabled) return;
    const phys = this.units[i]!;
    const book = this.book[i]!;
    if (Number.isNaN(phys) || Number.isNaN(book) || Math.abs(phys - book) <= p.toleranceUnits) {
      this.since[i] = NaN;
      this.raised[i] = 0;
      return;
    }
    if (!Number.isNaN(this.since[i]!)) return;
    this.since[i] = ts;
    this.mismatches.push({ due: ts + p.graceMinutes * MIN, slot: i, since: ts });
  }
}
