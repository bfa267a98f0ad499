/**
 * Device faults: a device that reports itself offline (or whose Last Will says so), a load
 * cell silent for silentMinutes, and a load cell repeating one reading stuckRepeats times
 * (a working cell's noise moves its readings). Silence is checked once a minute of event
 * time over all cells: typed arrays, no allocation.
 */
import type { StatusEvent, WeightEvent } from '../contract/messages';
import { MIN, type RuleContext } from './RuleContext';

export class DeviceRules {
  private readonly index = new Map<string, number>();
  private readonly ids: string[];
  private readonly last: Float64Array;
  private readonly grams: Float64Array;
  private readonly repeats: Int32Array;
  /** Per cell: when its current run of one reading began. */
  private readonly runStart: Float64Array;
  private readonly silentRaised: Uint8Array;
  private nextScan = -Infinity;

  constructor(private readonly ctx: RuleContext) {
    this.ids = [...ctx.layout.slots.keys()];
    this.ids.forEach((id, i) => this.index.set(id, i));
    const n = this.ids.length;
    this.last = new Float64Array(n).fill(NaN);
    this.grams = new Float64Array(n).fill(NaN);
    this.repeats = new Int32Array(n);
    this.runStart = new Float64Array(n);
    this.silentRaised = new Uint8Array(n);
  }

  weight(e: WeightEvent): void {
    const i = this.index.get(e.slot);
    if (i === undefined) return;
    this.last[i] = e.ts;
    this.silentRaised[i] = 0;
    const g = Math.round(e.grams * 10);
    if (g === this.grams[i]) this.repeats[i]!++;
    else {
      this.repeats[i] = 1;
      this.runStart[i] = e.ts;
    }
    this.grams[i] = g;
    const p = this.ctx.rules.rules.device_fault;
    if (p.enabled && this.repeats[i] === p.stuckRepeats) {
      const slot = this.ctx.layout.slots.get(e.slot)!;
      this.ctx.raise('device_fault', { from: this.runStart[i]!, to: e.ts, place: { device: e.slot, slot: e.slot, shelf: slot.shelf }, text: `load cell ${e.slot} stuck on ${e.grams} g (${p.stuckRepeats} readings the same)` });
    }
  }

  status(e: StatusEvent): void {
    if (e.online || !this.ctx.rules.rules.device_fault.enabled) return;
    this.ctx.raise('device_fault', { from: e.ts, to: e.ts, place: { device: e.device }, text: `${e.device} went offline` });
  }

  tick(now: number): void {
    const p = this.ctx.rules.rules.device_fault;
    if (!p.enabled || now < this.nextScan) return;
    this.nextScan = now + MIN;
    const limit = now - p.silentMinutes * MIN;
    for (let i = 0; i < this.ids.length; i++) {
      const t = this.last[i]!;
      if (this.silentRaised[i] || Number.isNaN(t) || t >= limit) continue;
      this.silentRaised[i] = 1;
      const id = this.ids[i]!;
      this.ctx.raise('device_fault', { from: t, to: now, detectedAt: now, place: { device: id, slot: id }, text: `load cell ${id} silent since ${new Date(t).toISOString()}` });
    }
  }
}
