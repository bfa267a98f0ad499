/**
 * Receiving shortfall: a receipt booked for more than reached the shelves. Per SKU, the
 * units booked in to the back room (receipts, returns, transfers in: they all wait in
 * staging) less the units booked put away onto slots is what staging should still hold.
 * A putaway run takes what is staged, so once it has settled (no putaway of the SKU for
 * settleMinutes) what is left over, beyond the tolerance, was booked and never came: a
 * vendor short-dropping a line the receiver booked whole, a miscount, a receipt for a
 * delivery that never was. A receipt with no putaway of its SKU after waitHours is settled
 * as it stands. After settling, staging is taken to be empty again. A leftover the SKU's
 * slots had no room for (by their load cells) is no shortfall: a putaway run stops at full
 * slots, so it stays staged until a later run has room.
 */
import type { BookEvent } from '../contract/messages';
import { Fifo } from './Fifo';
import { MIN, type RuleContext } from './RuleContext';

interface SkuStaging {
  /** Units booked in less units booked put away since the last settlement. */
  staged: number;
  /** Receipts since the last settlement. */
  receipts: { ts: number; units: number; ref?: string }[];
  lastPutaway: number;
  /** Units booked in after the last putaway: not the run's to put away, kept staged past settling. */
  after: number;
  /** Room on the SKU's slots just before the putaway run (its bookings come before the weight changes), and what the run put away. */
  runRoom: number;
  runPut: number;
  /** When a leftover was last carried on (the slots were nearly full); NaN when not. */
  carried: number;
}

/** Slots this close to full (units of room) may have stopped a putaway run for lack of room the cells do not show (foreign stock on a slot weighs wrong). */
const NEAR_FULL = 3;
const CARRY_MS = 24 * 60 * MIN;

export class ReceivingRule {
  private readonly bySku = new Map<string, SkuStaging>();
  private readonly settles = new Fifo<{ due: number; sku: string }>();
  private readonly waits = new Fifo<{ due: number; sku: string; since: number }>();
  /** Carried leftovers wait longer than receipts: their own queue keeps each in due order. */
  private readonly carries = new Fifo<{ due: number; sku: string; since: number }>();
  private readonly zone: string | undefined;
  private ending = false;

  /**
   * `roomFor(sku)`: units the SKU's slots could still take by their load cells. A putaway
   * run stops when the slots are full, and what it leaves is waiting, not missing.
   */
  constructor(
    private readonly ctx: RuleContext,
    private readonly roomFor: (sku: string) => number = () => Infinity,
  ) {
    this.zone = [...ctx.layout.zones.values()].find((z) => z.kind === 'receiving')?.id;
  }

  bookEvent(e: BookEvent): void {
    const p = this.ctx.rules.rules.receiving_shortfall;
    const inbound = e.reason === 'receipt' || e.reason === 'return' || e.reason === 'transfer_in';
    if (!inbound && e.reason !== 'putaway') return;
    let s = this.bySku.get(e.sku);
    if (!s) this.bySku.set(e.sku, (s = { staged: 0, receipts: [], lastPutaway: -Infinity, after: 0, runRoom: Infinity, runPut: 0, carried: NaN }));
    if (e.reason === 'putaway') {
      s.staged -= e.delta;
      // Room is judged when the run ran: a replenishment minutes later empties the slots again.
      if (e.ts !== s.lastPutaway) {
        s.runRoom = this.roomFor(e.sku);
        s.runPut = 0;
      }
      s.runPut += e.delta;
      s.lastPutaway = e.ts;
      s.after = 0;
      this.settles.push({ due: e.ts + p.settleMinutes * MIN, sku: e.sku });
      return;
    }
    s.staged += e.delta;
    // Booked at the very time of the run (same ms) is taken to be in it.
    if (e.ts > s.lastPutaway) s.after += e.delta;
    if (e.reason === 'receipt' && e.delta > 0) {
      s.receipts.push({ ts: e.ts, units: e.delta, ref: e.ref });
      this.waits.push({ due: e.ts + p.waitHours * 60 * MIN, sku: e.sku, since: e.ts });
    }
  }

  tick(now: number): void {
    // At the end of the data (now = Infinity) a leftover the slots had no room for is let go:
    // carrying it on would wait for a run that never comes.
    this.ending = now === Infinity;
    this.settles.takeDue(now, (t) => {
      const s = this.bySku.get(t.sku)!;
      // A later putaway of the run has its own settlement.
      if (s.lastPutaway + this.ctx.rules.rules.receiving_shortfall.settleMinutes * MIN <= t.due) this.settle(t.sku, s, t.due);
    });
    const wait = (t: { due: number; sku: string; since: number }) => {
      const s = this.bySku.get(t.sku)!;
      // Nothing put away since the receipt (or since the leftover was carried): settle as it stands.
      if (s.receipts.length && s.lastPutaway < t.since && (s.receipts.some((r) => r.ts === t.since) || s.carried === t.since)) this.settle(t.sku, s, t.due, true);
    };
    this.waits.takeDue(now, wait);
    this.carries.takeDue(now, wait);
  }

  private settle(sku: string, s: SkuStaging, at: number, final = false): void {
    const p = this.ctx.rules.rules.receiving_shortfall;
    // What came in after the run's last putaway waits for the next run.
    const mine = final ? s.receipts : s.receipts.filter((r) => r.ts <= s.lastPutaway);
    const later = final ? [] : s.receipts.filter((r) => r.ts > s.lastPutaway);
    const booked = mine.reduce((a, r) => a + r.units, 0);
    const room = final ? this.roomFor(sku) : Math.min(this.roomFor(sku), s.runRoom - s.runPut);
    const short = Math.min(s.staged - (final ? 0 : s.after), booked);
    const noRoom = short > p.toleranceUnits && room < short + NEAR_FULL;
    if (noRoom && !this.ending) {
      // The slots are (nearly) full: the rest may be waiting in staging for room. It stays
      // staged, looked at again after the next putaway, or a day on (by then a putaway run
      // with room has been and gone).
      s.carried = at;
      this.carries.push({ due: at + CARRY_MS, sku, since: at });
      return;
    }
    s.carried = NaN;
    if (mine.length && short > p.toleranceUnits && !noRoom) {
      const refs = [...new Set(mine.map((r) => r.ref).filter((r): r is string => !!r))];
      this.ctx.raise('receiving_shortfall', {
        from: mine[0]!.ts,
        to: at,
        detectedAt: at,
        place: this.zone ? { zone: this.zone } : {},
        sku,
        units: short,
        ref: refs.join(',') || undefined,
        text: `${short} of ${booked} units of ${sku} booked received${refs.length ? ` on ${refs.join(', ')}` : ''} never reached the shelves`,
      });
    }
    s.staged = final ? 0 : s.after;
    s.receipts = later;
  }
}
