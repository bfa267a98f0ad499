/**
 * The streaming rule evaluator: feed it TwinEvents as they arrive (batches, roughly in
 * arrival order) and it hands them to the rules in event-time order once `reorderMinutes`
 * of arrivals have passed them (book postings arrive minutes after the movement they
 * record, stamped with when it happened), so a booking and the weight change it explains
 * meet whatever order they came in. Alerts carry detectedAt: the latest arrival seen when
 * the rule raised it, as a live engine would. `finish()` evaluates what is still waiting
 * (the end of a recording). Plain TS, no DOM.
 *
 *   const engine = new RuleEngine(layout, rules);
 *   engine.push(events); ...; engine.finish();  engine.alerts
 */
import type { TwinEvent } from '../contract/messages';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { AdjustmentRule } from './AdjustmentRule';
import { DeviceRules } from './DeviceRules';
import { DoorRules } from './DoorRules';
import type { Alert } from './Incident';
import { ReceivingRule } from './ReceivingRule';
import { MIN, RuleContext } from './RuleContext';
import { DEFAULT_RULES, type Rules } from './Rules';
import { SlotRules } from './SlotRules';

export class RuleEngine {
  /** Every alert raised so far, in the order raised. */
  readonly alerts: Alert[] = [];
  private readonly ctx: RuleContext;
  private readonly slots: SlotRules;
  private readonly receiving: ReceivingRule;
  private readonly doors: DoorRules;
  private readonly devices: DeviceRules;
  private readonly adjustments: AdjustmentRule;
  /** Events waiting for their turn, sorted by ts from `head`. */
  private pending: TwinEvent[] = [];
  private head = 0;
  private readonly reorder: number;
  /** Events evaluated so far. */
  evaluated = 0;

  constructor(
    readonly layout: LayoutIndex,
    readonly rules: Rules = DEFAULT_RULES,
    onAlert?: (a: Alert) => void,
  ) {
    this.ctx = new RuleContext(layout, rules, (a) => {
      this.alerts.push(a);
      onAlert?.(a);
    });
    this.slots = new SlotRules(this.ctx);
    this.receiving = new ReceivingRule(this.ctx, (sku) => this.slots.roomFor(sku));
    this.doors = new DoorRules(this.ctx);
    this.devices = new DeviceRules(this.ctx);
    this.adjustments = new AdjustmentRule(this.ctx);
    this.reorder = rules.reorderMinutes * MIN;
  }

  push(events: readonly TwinEvent[]): void {
    for (const e of events) this.pushOne(e);
  }

  pushOne(e: TwinEvent): void {
    if (e.type === 'frame' || e.type === 'detection') return; // no rule reads them
    const p = this.pending;
    // Most events come in ts order: append; a late one is inserted where it belongs.
    if (p.length === this.head || p[p.length - 1]!.ts <= e.ts) p.push(e);
    else {
      let lo = this.head;
      let hi = p.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (p[mid]!.ts <= e.ts) lo = mid + 1;
        else hi = mid;
      }
      p.splice(lo, 0, e);
    }
    if (e.received > this.ctx.arrival) this.ctx.arrival = e.received;
    this.release(this.ctx.arrival - this.reorder);
  }

  /** Evaluates everything still waiting and raises what the end of the data decides. */
  finish(): void {
    const last = this.ctx.now;
    this.release(Infinity);
    const end = Math.max(last, this.ctx.now);
    // What waits on a timer is settled now; a cell is not called silent for the data ending.
    this.slots.tick(Infinity);
    this.receiving.tick(Infinity);
    this.doors.tick(Infinity);
    this.ctx.now = end;
  }

  private release(watermark: number): void {
    const p = this.pending;
    while (this.head < p.length && p[this.head]!.ts <= watermark) {
      const e = p[this.head++]!;
      this.tick(e.ts);
      this.evaluate(e);
    }
    if (this.head > 8192 && this.head * 2 > p.length) {
      this.pending = p.slice(this.head);
      this.head = 0;
    }
  }

  private tick(now: number): void {
    if (now > this.ctx.now) this.ctx.now = now;
    const t = this.ctx.now;
    this.slots.tick(t);
    this.receiving.tick(t);
    this.doors.tick(t);
    this.devices.tick(t);
  }

  private evaluate(e: TwinEvent): void {
    this.evaluated++;
    switch (e.type) {
      case 'weight':
        this.slots.weight(e);
        this.devices.weight(e);
        break;
      case 'book':
        this.slots.bookEvent(e);
        this.receiving.bookEvent(e);
        this.doors.bookEvent(e);
        this.adjustments.bookEvent(e);
        break;
      case 'badge':
        this.ctx.swipe(e);
        break;
      case 'door_state':
        this.ctx.doorState(e);
        this.doors.doorState(e);
        break;
      case 'rfid':
        this.doors.rfid(e);
        break;
      case 'status':
        this.devices.status(e);
        break;
      default:
        break;
    }
  }
}
