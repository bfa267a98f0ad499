/** Repeated adjustments: `count` adjustments booked on one shelf within windowHours (a shelf someone keeps writing off). */
import type { BookEvent } from '../contract/messages';
import { MIN, type RuleContext } from './RuleContext';

export class AdjustmentRule {
  private readonly byShelf = new Map<string, number[]>();

  constructor(private readonly ctx: RuleContext) {}

  bookEvent(e: BookEvent): void {
    const p = this.ctx.rules.rules.repeated_adjustments;
    if (!p.enabled || e.reason !== 'adjustment' || e.slot === undefined) return;
    const shelf = this.ctx.layout.slots.get(e.slot)?.shelf;
    if (!shelf) return;
    let list = this.byShelf.get(shelf);
    if (!list) this.byShelf.set(shelf, (list = []));
    list.push(e.ts);
    const from = e.ts - p.windowHours * 60 * MIN;
    while (list.length && list[0]! < from) list.shift();
    if (list.length >= p.count) {
      this.ctx.raise('repeated_adjustments', {
        from: list[0]!, to: e.ts, place: { shelf, zone: this.ctx.layout.shelves.get(shelf)?.zone },
        text: `${list.length} adjustments booked on ${shelf} within ${p.windowHours} h`,
      });
      list.length = 0;
    }
  }
}
