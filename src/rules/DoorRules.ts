/**
 * The rules at doors and the exit: a cage door that opens with no granted badge at it just
 * before, or stays open past heldOpenSeconds; and an RFID tag read in an exit zone with no
 * sale booked around it.
 */
import type { BookEvent, DoorStateEvent, RfidReadEvent } from '../contract/messages';
import { Fifo } from './Fifo';
import { MIN, type RuleContext } from './RuleContext';

export class DoorRules {
  private readonly held = new Fifo<{ due: number; door: string; opened: number }>();
  private readonly tags = new Fifo<{ due: number; ts: number; epc: string; zone: string; reader: string }>();
  private readonly sales: number[] = [];
  private readonly exitZones: Set<string>;

  constructor(private readonly ctx: RuleContext) {
    const kinds = ctx.rules.rules.exit_tag.zoneKinds;
    this.exitZones = new Set([...ctx.layout.zones.values()].filter((z) => kinds.includes(z.kind)).map((z) => z.id));
  }

  doorState(e: DoorStateEvent): void {
    const ctx = this.ctx;
    const p = ctx.rules.rules.cage_door;
    if (!p.enabled || !e.open || ctx.layout.doors.get(e.door)?.kind !== 'cage') return;
    const granted = ctx.swipesBetween(e.ts - p.badgeWindowSeconds * 1000, e.ts, e.door).filter((w) => w.granted);
    if (granted.length === 0) {
      ctx.raise('cage_door', { from: e.ts, to: e.ts, place: { door: e.door }, badges: [], suspect: 'theft', text: `${e.door} opened with no granted badge before it` });
    }
    this.held.push({ due: e.ts + p.heldOpenSeconds * 1000, door: e.door, opened: e.ts });
  }

  rfid(e: RfidReadEvent): void {
    if (!this.ctx.rules.rules.exit_tag.enabled || e.zone === null || !this.exitZones.has(e.zone)) return;
    this.tags.push({ due: e.ts + this.ctx.rules.rules.exit_tag.saleWindowMinutes * MIN, ts: e.ts, epc: e.epc, zone: e.zone, reader: e.reader });
  }

  bookEvent(e: BookEvent): void {
    if (e.reason === 'sale' && this.exitZones.size) {
      this.sales.push(e.ts);
      if (this.sales.length > 4096) this.sales.splice(0, 2048);
    }
  }

  tick(now: number): void {
    const ctx = this.ctx;
    this.held.takeDue(now, (h) => {
      if (ctx.openSince(h.door) !== h.opened) return;
      ctx.raise('cage_door', {
        from: h.opened, to: h.due, detectedAt: h.due, place: { door: h.door },
        badges: [...new Set(ctx.swipesBetween(h.opened - 60_000, h.opened, h.door).map((w) => w.badge))],
        text: `${h.door} held open more than ${ctx.rules.rules.cage_door.heldOpenSeconds} s`,
      });
    });
    const w = ctx.rules.rules.exit_tag.saleWindowMinutes * MIN;
    this.tags.takeDue(now, (t) => {
      if (this.sales.some((s) => Math.abs(s - t.ts) <= w)) return;
      ctx.raise('exit_tag', { from: t.ts, to: t.ts, detectedAt: t.due, place: { zone: t.zone, device: t.reader }, suspect: 'theft', text: `tag ${t.epc} read at the exit (${t.zone}) with no sale` });
    });
  }
}
