/**
 * The kinds of theft a back room sees, each leaving the traces it would leave: an insider
 * badging in after hours for high-value stock, stock walked out of the dock door during
 * the day, and someone whose role may not enter the cage taking stock from it.
 * (Sweethearting at receiving lives with deliveries in Operations.)
 */
import type { Random } from '../src/core/random';
import type { Slot } from '../src/layout/Layout';
import type { Operations, Person } from './Operations';
import type { Simulator } from './Simulator';

const MIN = 60_000;

export class Theft {
  constructor(
    private readonly sim: Simulator,
    private readonly ops: Operations,
  ) {}

  /** A stocked slot, high-value ones first when any has stock; optionally only in `zones`. */
  private target(preferHighValue: boolean, zones?: ReadonlySet<string>): Slot | undefined {
    const sim = this.sim;
    const stocked = [...sim.layout.slots.values()].filter((s) => sim.stock.onSlot(s.id, s.sku) > 0 && (!zones || zones.has(sim.layout.zoneOfSlot(s.id)!)));
    const hv = stocked.filter((s) => sim.layout.skus.get(s.sku)!.highValue);
    const pool = preferHighValue && hv.length ? hv : stocked;
    return pool.length ? sim.rnd.pick(pool) : undefined;
  }

  /** An insider badges in after close, takes high-value stock, and badges out. */
  afterHours(): void {
    const sim = this.sim;
    const slot = this.target(true);
    const staff = this.ops.shiftStaff.flat();
    if (!slot || staff.length === 0) return;
    const thief = sim.rnd.pick(staff);
    sim.swipe(this.ops.staffDoor, thief.badge, thief.role);
    const cageDoor = this.ops.cageDoors.get(sim.layout.zoneOfSlot(slot.id)!);
    sim.at(sim.now + sim.rnd.int(2, 5) * MIN, () => {
      if (cageDoor) sim.swipe(cageDoor, thief.badge, thief.role);
      sim.at(sim.now + MIN, () => this.steal(slot, thief, 'after_hours', 1, 4));
      sim.at(sim.now + sim.rnd.int(6, 12) * MIN, () => sim.swipe(this.ops.staffDoor, thief.badge, thief.role));
    });
  }

  /** During the day, stock is taken off a slot and out through the dock door. */
  dockWalkout(): void {
    const sim = this.sim;
    const slot = this.target(false);
    if (!slot) return;
    const thief = this.ops.someoneOnShift();
    this.steal(slot, thief, 'dock_walkout', 2, 6);
    // Out through the dock door and back in a few minutes later: two swipes, as a real
    // walk-out leaves, and the twin's presence stays right.
    sim.at(sim.now + 2 * MIN, () => sim.swipe(this.ops.dockDoor, thief.badge, thief.role, true, 90_000));
    sim.at(sim.now + sim.rnd.int(5, 9) * MIN, () => sim.swipe(this.ops.dockDoor, thief.badge, thief.role));
  }

  /**
   * An associate gets into the cage (the reader grants the badge: a misconfigured access
   * list or a held door) and takes stock from it, during the day.
   */
  cageAccess(): void {
    const sim = this.sim;
    const restricted = [...sim.layout.zones.values()].filter((z) => z.restricted && this.ops.cageDoors.has(z.id));
    if (restricted.length === 0) return;
    const zone = sim.rnd.pick(restricted);
    const slot = this.target(true, new Set([zone.id]));
    const thief = this.ops.shiftStaff.flat().find((p) => !zone.roles.includes(p.role) && this.ops.isOnShift(p));
    if (!slot || !thief) return;
    sim.swipe(this.ops.cageDoors.get(zone.id)!, thief.badge, thief.role);
    sim.at(sim.now + MIN, () => this.steal(slot, thief, 'cage_access', 1, 3));
  }

  /**
   * During the day, someone on shift sets a grey board across a slot's face, so that to the
   * cameras it looks empty while its stock stays on it (the load cell weighs it): staging
   * to take it later. A slot half full or more, high-value stock half the time; the board
   * comes away after 4 to 20 hours. Nothing else changes, and every draw is `rnd`'s (a stream of its own), so the
   * rest of the run is the same with concealments as without: only the frames show them.
   */
  conceal(rnd: Random): void {
    const sim = this.sim;
    const worth = [...sim.layout.slots.values()].filter((s) => !sim.concealed.has(s.id) && sim.stock.onSlot(s.id, s.sku) >= s.capacity / 2);
    const hv = worth.filter((s) => sim.layout.skus.get(s.sku)!.highValue);
    const pool = hv.length && rnd.chance(0.5) ? hv : worth;
    if (pool.length === 0) return;
    const slot = rnd.pick(pool);
    const who = this.ops.someoneOnShift(rnd);
    sim.concealed.add(slot.id);
    sim.at(sim.now + rnd.int(4 * 60, 20 * 60) * MIN, () => sim.concealed.delete(slot.id));
    this.ops.record({ kind: 'concealment', sku: slot.sku, units: sim.stock.onSlot(slot.id, slot.sku), ...this.ops.where(slot), ...this.ops.actor(who) });
  }

  private steal(slot: Slot, thief: Person, subtype: string, min: number, max: number): void {
    const sim = this.sim;
    const k = Math.min(sim.stock.onSlot(slot.id, slot.sku), sim.rnd.int(min, max));
    if (k <= 0) return;
    sim.stock.moveSlot(slot.id, slot.sku, -k);
    sim.stock.lost(slot.sku, k);
    sim.slotChanged(slot);
    this.ops.record({ kind: 'theft', subtype, sku: slot.sku, units: k, ...this.ops.where(slot), ...this.ops.actor(thief) });
  }
}
