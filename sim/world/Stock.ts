/**
 * Where every unit really is: on slots (a slot may hold another SKU's units when stock was
 * misplaced), in staging after receiving, on the sales floor; and the ledger of how units
 * entered and left the store, so that conservation can be checked for every SKU:
 * opening + received + returned + transferred in = sold + transferred out + lost + damaged + on hand.
 */
export interface Ledger {
  opening: number;
  /** Units that physically arrived from vendors (not what was booked). */
  received: number;
  /** Customer returns. */
  returned: number;
  transferredIn: number;
  sold: number;
  transferredOut: number;
  /** Stolen. */
  lost: number;
  /** Written off as damaged (booked). */
  damaged: number;
}

/** Units in minus units out: what should be on hand by the ledger. */
export const expectedOnHand = (l: Ledger): number =>
  l.opening + l.received + l.returned + l.transferredIn - l.sold - l.transferredOut - l.lost - l.damaged;

export class Stock {
  /** slot -> sku -> units. */
  readonly slots = new Map<string, Map<string, number>>();
  readonly staging = new Map<string, number>();
  readonly floor = new Map<string, number>();
  readonly ledger = new Map<string, Ledger>();

  constructor(skus: Iterable<string>) {
    for (const s of skus) this.ledger.set(s, { opening: 0, received: 0, returned: 0, transferredIn: 0, sold: 0, transferredOut: 0, lost: 0, damaged: 0 });
  }

  entry(sku: string): Ledger {
    const l = this.ledger.get(sku);
    if (!l) throw new Error(`unknown SKU ${sku}`);
    return l;
  }

  onSlot(slot: string, sku: string): number {
    return this.slots.get(slot)?.get(sku) ?? 0;
  }

  /** Adds (or with a negative n removes) units of `sku` on `slot`; never below zero. */
  moveSlot(slot: string, sku: string, n: number): void {
    let m = this.slots.get(slot);
    if (!m) this.slots.set(slot, (m = new Map()));
    const next = (m.get(sku) ?? 0) + n;
    if (next < 0) throw new Error(`slot ${slot} would hold ${next} of ${sku}`);
    if (next === 0) m.delete(sku);
    else m.set(sku, next);
  }

  add(where: Map<string, number>, sku: string, n: number): void {
    const next = (where.get(sku) ?? 0) + n;
    if (next < 0) throw new Error(`${sku} would go below zero (${next})`);
    where.set(sku, next);
  }

  opening(sku: string, n: number): void {
    this.entry(sku).opening += n;
  }
  received(sku: string, n: number): void {
    this.entry(sku).received += n;
  }
  sold(sku: string, n: number): void {
    this.entry(sku).sold += n;
  }
  lost(sku: string, n: number): void {
    this.entry(sku).lost += n;
  }

  /** Units of `sku` in the store now: on any slot, in staging, on the floor. */
  onHand(sku: string): number {
    let n = (this.staging.get(sku) ?? 0) + (this.floor.get(sku) ?? 0);
    for (const m of this.slots.values()) n += m.get(sku) ?? 0;
    return n;
  }

  /** Back-room units of `sku` on slots plus staging. */
  backroom(sku: string): number {
    return this.onHand(sku) - (this.floor.get(sku) ?? 0);
  }
}
