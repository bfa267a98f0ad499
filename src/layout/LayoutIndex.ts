/**
 * Lookups over an accepted layout: parts by id, slots by SKU, slot geometry, and which
 * kind of device an id names. Built once per layout; read-only afterwards.
 */
import { slotBox, type Box } from './geometry';
import type { Camera, Door, Layout, RfidReader, Shelf, Sku, Slot, Zone } from './Layout';

/** The kinds of thing that publish `status/{device}` (../shared/contract/mqtt.md). */
export type DeviceKind = 'shelf' | 'slot' | 'rfid' | 'door' | 'camera';

export class LayoutIndex {
  readonly skus: ReadonlyMap<string, Sku>;
  readonly zones: ReadonlyMap<string, Zone>;
  readonly shelves: ReadonlyMap<string, Shelf>;
  readonly slots: ReadonlyMap<string, Slot>;
  readonly doors: ReadonlyMap<string, Door>;
  readonly readers: ReadonlyMap<string, RfidReader>;
  readonly cameras: ReadonlyMap<string, Camera>;
  /** Slots planned for each SKU, in layout order. */
  readonly slotsBySku: ReadonlyMap<string, readonly Slot[]>;
  /** Slots on each (shelf, level): `${shelf}/${level}` to count. */
  private readonly levelCounts = new Map<string, number>();
  private readonly boxes = new Map<string, Box>();

  constructor(readonly layout: Layout) {
    const byId = <T extends { id: string }>(xs: readonly T[]) => new Map(xs.map((x) => [x.id, x]));
    this.skus = byId(layout.skus);
    this.zones = byId(layout.zones);
    this.shelves = byId(layout.shelves);
    this.doors = byId(layout.doors);
    this.readers = byId(layout.rfid);
    this.cameras = byId(layout.cameras);
    const slots = new Map<string, Slot>();
    const bySku = new Map<string, Slot[]>();
    for (const shelf of layout.shelves) {
      for (const slot of shelf.slots) {
        slots.set(slot.id, slot);
        const list = bySku.get(slot.sku) ?? [];
        list.push(slot);
        bySku.set(slot.sku, list);
        const key = `${shelf.id}/${slot.level}`;
        this.levelCounts.set(key, (this.levelCounts.get(key) ?? 0) + 1);
      }
    }
    this.slots = slots;
    this.slotsBySku = bySku;
  }

  get store(): string {
    return this.layout.store;
  }

  /** Number of slots on a shelf's level (the divisor of the shelf's width for each of them). */
  slotsOnLevel(shelfId: string, level: number): number {
    return this.levelCounts.get(`${shelfId}/${level}`) ?? 0;
  }

  /** The slot's box in the room (cached). */
  slotBox(slotId: string): Box {
    let box = this.boxes.get(slotId);
    if (!box) {
      const slot = this.slots.get(slotId);
      if (!slot) throw new Error(`unknown slot ${slotId}`);
      const shelf = this.shelves.get(slot.shelf)!;
      box = slotBox(shelf, slot, this.slotsOnLevel(shelf.id, slot.level));
      this.boxes.set(slotId, box);
    }
    return box;
  }

  /** The zone a slot stands in (its shelf's zone). */
  zoneOfSlot(slotId: string): string | undefined {
    const slot = this.slots.get(slotId);
    return slot && this.shelves.get(slot.shelf)?.zone;
  }

  /** The kinds of part this id names, in the contract's order; empty for an unknown id. */
  deviceKinds(id: string): DeviceKind[] {
    const kinds: DeviceKind[] = [];
    if (this.shelves.has(id)) kinds.push('shelf');
    if (this.slots.has(id)) kinds.push('slot');
    if (this.readers.has(id)) kinds.push('rfid');
    if (this.doors.has(id)) kinds.push('door');
    if (this.cameras.has(id)) kinds.push('camera');
    return kinds;
  }

  /** Every device id that may publish a status, once each. */
  deviceIds(): string[] {
    const ids = new Set<string>();
    for (const m of [this.shelves, this.slots, this.readers, this.doors, this.cameras]) for (const id of m.keys()) ids.add(id);
    return [...ids];
  }

  get slotCount(): number {
    return this.slots.size;
  }
}
