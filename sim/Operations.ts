/**
 * The back room's operations, planned a day at a time: staff shifts (badges, doors), POS
 * sales by hour of day, replenishment of the sales floor from the slots, deliveries against
 * purchase orders with putaway, and the things that go wrong (short shipments, receiving
 * miscounts, misplaced putaways, unscanned moves, theft after hours and at the dock).
 */
import type { Slot } from '../src/layout/Layout';
import type { Simulator } from './Simulator';
import { Random } from '../src/core/random';
import { Theft } from './Theft';
import { addDays, hhmmToMinutes } from '../src/core/zonedTime';
import type { TruthRecord } from './world/Truth';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface Person {
  readonly badge: string;
  readonly role: 'associate' | 'supervisor' | 'manager';
}

export class Operations {
  private readonly popularity = new Map<string, number>();
  readonly staffDoor: string;
  readonly dockDoor: string;
  /** Cage door by the zone it opens. */
  readonly cageDoors: Map<string, string>;
  readonly shiftStaff: Person[][];
  private readonly theft: Theft;
  private onShift: Person[] = [];
  private poCount = 0;
  private posCount = 0;
  private caseCount = 0;
  private countCursor = 0;
  /** Calls thefts off under a pilot's cut; made on first use, so scenarios without one draw nothing from it. */
  private cutRnd: Random | undefined;
  /** Concealments' own stream (Scenario incidents `concealmentPerWeek`): sim.rnd draws the same with and without them. */
  private concealRnd: Random | undefined;
  /** Calls record errors off under a pilot's record-error cut, and books the moves it calls off; likewise made on first use. */
  private errorCutRnd: Random | undefined;

  constructor(private readonly sim: Simulator) {
    const L = sim.layout;
    // Popularity follows a Zipf-like curve over a seeded order of SKUs.
    const skus = [...L.skus.keys()];
    for (let i = skus.length - 1; i > 0; i--) {
      const j = sim.rnd.int(0, i);
      [skus[i], skus[j]] = [skus[j]!, skus[i]!];
    }
    const weights = skus.map((_, r) => 1 / (r + 1) ** 0.8);
    const total = weights.reduce((a, b) => a + b, 0);
    skus.forEach((s, r) => this.popularity.set(s, weights[r]! / total));
    const doors = [...L.doors.values()];
    const first = (kind: string) => doors.find((d) => d.kind === kind)?.id;
    this.staffDoor = first('staff') ?? first('sales_floor') ?? doors[0]?.id ?? '';
    this.dockDoor = first('dock') ?? this.staffDoor;
    this.cageDoors = new Map(doors.filter((d) => d.kind === 'cage').map((d) => [d.zone, d.id]));
    this.shiftStaff = sim.scenario.staffing.shifts.map((s, i) => [
      ...Array.from({ length: s.associates }, (_, k) => ({ badge: `b-${i + 1}a${k + 1}`, role: 'associate' as const })),
      ...Array.from({ length: s.supervisors }, (_, k) => ({ badge: `b-${i + 1}s${k + 1}`, role: 'supervisor' as const })),
      ...Array.from({ length: s.managers }, (_, k) => ({ badge: `b-${i + 1}m${k + 1}`, role: 'manager' as const })),
    ]);
    this.theft = new Theft(sim, this);
  }

  /** Expected units of a SKU sold a day. */
  dailySales(sku: string): number {
    const w = this.sim.scenario.workload;
    return w.unitsSoldPerDay * w.volume * (this.popularity.get(sku) ?? 0);
  }

  planDay(date: string, dayIndex: number): void {
    const sim = this.sim;
    const { open, close } = sim.hours;
    sim.scenario.staffing.shifts.forEach((shift, i) => {
      const [s, e] = [shift.start, shift.end].map(hhmmToMinutes);
      const startT = sim.localTime(date, s!);
      const endT = sim.localTime(date, e! > s! ? e! : e! + 24 * 60);
      for (const p of this.shiftStaff[i]!) {
        // Early arrivals for a shift starting just after midnight still arrive after it.
        sim.at(Math.max(sim.now, startT - sim.rnd.int(0, 10) * MIN), () => this.arrive(p));
        sim.at(endT + sim.rnd.int(0, 10) * MIN, () => this.leave(p));
      }
    });
    for (let m = open; m < close; m += 60) {
      sim.at(sim.localTime(date, m), () => this.salesHour((m - open) / (close - open)));
      sim.at(sim.localTime(date, m) + 40 * MIN, () => this.replenish());
    }
    const dpw = sim.scenario.workload.deliveriesPerWeek;
    if (Math.floor(((dayIndex % 7) + 1) * dpw / 7) > Math.floor((dayIndex % 7) * dpw / 7)) {
      sim.at(sim.localTime(date, Math.max(0, open - 60)), () => this.delivery());
    }
    const w = sim.scenario.workload;
    const dayTime = () => sim.localTime(date, open + sim.rnd.int(15, Math.max(16, close - open - 15)));
    for (let k = this.sim.rnd.poisson(w.returnsPerDay * w.volume); k > 0; k--) sim.at(dayTime(), () => this.customerReturn());
    for (let k = this.sim.rnd.poisson(w.transfersPerWeek / 7); k > 0; k--) sim.at(dayTime(), () => this.transfer());
    for (let k = this.sim.rnd.poisson(w.damagePerWeek / 7); k > 0; k--) sim.at(dayTime(), () => this.damage());
    if (w.countsPerDay > 0 && sim.layout.slotCount > 0) sim.at(sim.localTime(date, Math.max(0, open - 45)), () => this.cycleCount(w.countsPerDay));
    // Returns and transfers wait in staging; a mid-afternoon putaway run takes them to the slots.
    sim.at(sim.localTime(date, Math.max(0, Math.min(close - 30, open + 8 * 60))), () => this.putaway());
    const inc = sim.scenario.incidents;
    // Each theft's time is drawn whether or not a pilot's cut calls it off, so the draws stay common.
    for (let k = this.sim.rnd.poisson(inc.afterHoursTheftPerWeek / 7); k > 0; k--) {
      const after = sim.localTime(date, close + 45 + sim.rnd.int(0, Math.max(1, 24 * 60 - close + open - 120)));
      if (!this.calledOff(after)) sim.at(after, () => this.theft.afterHours());
    }
    const duringDay = () => sim.localTime(date, open + sim.rnd.int(30, Math.max(31, close - open - 30)));
    for (let k = this.sim.rnd.poisson(inc.dockTheftPerWeek / 7); k > 0; k--) {
      const t = duringDay();
      if (!this.calledOff(t)) sim.at(t, () => this.theft.dockWalkout());
    }
    for (let k = this.sim.rnd.poisson(inc.cageAccessTheftPerWeek / 7); k > 0; k--) {
      const t = duringDay();
      if (!this.calledOff(t)) sim.at(t, () => this.theft.cageAccess());
    }
    if (inc.concealmentPerWeek) {
      const rnd = (this.concealRnd ??= new Random((sim.scenario.seed ^ 0xc0cea1ed) >>> 0));
      for (let k = rnd.poisson(inc.concealmentPerWeek / 7); k > 0; k--) {
        sim.at(sim.localTime(date, open + rnd.int(30, Math.max(31, close - open - 30))), () => this.theft.conceal(rnd));
      }
    }
  }

  /**
   * A pilot's theft cut (Scenario.theftCut) calls off this theft, due at `t`: by its time, not
   * the day it was planned on, since a night's theft after midnight falls in the next local day.
   * Its own stream, so sim.rnd's draws are the same with and without a cut.
   */
  private calledOff(t: number): boolean {
    const cut = this.sim.scenario.theftCut;
    if (!cut) return false;
    this.cutRnd ??= new Random((this.sim.scenario.seed ^ 0x5eed7c07) >>> 0);
    // Drawn on every theft, before the cut starts too, so that the stream lines up across runs.
    const u = this.cutRnd.next();
    return t >= this.sim.localTime(addDays(this.sim.scenario.start, cut.fromDay), 0) && u < cut.share;
  }

  /**
   * A pilot's record-error cut (Scenario.recordErrorCut) calls off the unscanned move or
   * misplaced putaway happening now. Its own stream, drawn on every such error, as calledOff.
   */
  private errorCalledOff(): boolean {
    const cut = this.sim.scenario.recordErrorCut;
    if (!cut) return false;
    this.errorCutRnd ??= new Random((this.sim.scenario.seed ^ 0x0e77c0de) >>> 0);
    const u = this.errorCutRnd.next();
    return this.sim.now >= this.sim.localTime(addDays(this.sim.scenario.start, cut.fromDay), 0) && u < cut.share;
  }

  // ---- people ----------------------------------------------------------------------------

  private arrive(p: Person): void {
    if (this.onShift.includes(p)) return;
    this.onShift.push(p);
    this.sim.swipe(this.staffDoor, p.badge, p.role);
  }

  private leave(p: Person): void {
    const i = this.onShift.indexOf(p);
    if (i < 0) return;
    this.onShift.splice(i, 1);
    this.sim.swipe(this.staffDoor, p.badge, p.role);
  }

  isOnShift(p: Person): boolean {
    return this.onShift.includes(p);
  }

  /** Someone on shift now, drawn from `rnd` (sim.rnd unless a draw keeps a stream of its own). */
  someoneOnShift(rnd: Random = this.sim.rnd): Person {
    return this.onShift.length ? rnd.pick(this.onShift) : this.shiftStaff.flat()[0] ?? { badge: 'b-unknown', role: 'associate' };
  }

  // ---- sales and replenishment -----------------------------------------------------------

  /** One trading hour of POS sales; `phase` runs 0..1 over the trading day (busier mid-day). */
  private salesHour(phase: number): void {
    const sim = this.sim;
    const { open, close } = sim.hours;
    const shape = (1 + Math.sin(Math.PI * phase)) / (1 + 2 / Math.PI); // averages to 1 over the day
    const hours = (close - open) / 60;
    for (const sku of sim.layout.skus.keys()) {
      const want = this.sim.rnd.poisson((this.dailySales(sku) / hours) * shape);
      const n = Math.min(want, sim.stock.floor.get(sku) ?? 0);
      if (n === 0) continue;
      sim.stock.add(sim.stock.floor, sku, -n);
      sim.stock.sold(sku, n);
      sim.book({ sku, delta: -n, reason: 'sale', ref: `POS-${++this.posCount}` }, sim.now + sim.rnd.int(0, 59) * MIN);
    }
  }

  /** Tops up the sales floor from the back room for every SKU that runs low. */
  private replenish(): void {
    const sim = this.sim;
    for (const sku of sim.layout.skus.keys()) {
      const target = Math.ceil(this.dailySales(sku) * 2) + 2;
      const floor = sim.stock.floor.get(sku) ?? 0;
      if (floor >= target / 2) continue;
      let need = target - floor;
      const slots = (sim.layout.slotsBySku.get(sku) ?? []).filter((s) => sim.stock.onSlot(s.id, sku) > 0);
      slots.sort((a, b) => sim.stock.onSlot(b.id, sku) - sim.stock.onSlot(a.id, sku));
      for (const slot of slots) {
        if (need <= 0) break;
        const k = Math.min(need, sim.stock.onSlot(slot.id, sku));
        need -= k;
        sim.stock.moveSlot(slot.id, sku, -k);
        sim.stock.add(sim.stock.floor, sku, k);
        sim.slotChanged(slot);
        if (sim.rnd.chance(sim.scenario.incidents.unscannedMoveRate)) {
          // Who moved it is drawn either way; a move the cut calls off is booked on the cut's own
          // stream, so that sim.rnd draws the same with and without the cut.
          const who = this.someoneOnShift();
          if (this.errorCalledOff()) sim.book({ sku, delta: -k, reason: 'replenish', slot: slot.id }, sim.now, this.errorCutRnd!);
          else this.record({ kind: 'unscanned_move', sku, units: k, ...this.where(slot), ...this.actor(who) });
        } else sim.book({ sku, delta: -k, reason: 'replenish', slot: slot.id });
      }
      // The shelves ran out before the floor was full: an exception count of the SKU's slots,
      // so the book learns what is really there.
      if (need > 0 && sim.scenario.workload.exceptionCounts) this.exceptionCount(sku);
    }
  }

  private readonly lastExceptionCount = new Map<string, number>();

  private exceptionCount(sku: string): void {
    const sim = this.sim;
    // At most one a day per SKU: a store does not recount an empty shelf every hour.
    if (sim.now - (this.lastExceptionCount.get(sku) ?? -Infinity) < 24 * HOUR) return;
    this.lastExceptionCount.set(sku, sim.now);
    for (const slot of sim.layout.slotsBySku.get(sku) ?? []) {
      // Counted when the counter gets there: what is on the slot then is what is booked.
      sim.at(sim.now + 5 * MIN, () => sim.book({ sku, delta: sim.stock.onSlot(slot.id, sku), reason: 'count', slot: slot.id, ref: 'EXCEPTION' }));
    }
  }

  // ---- receiving and putaway -------------------------------------------------------------

  private delivery(): void {
    const sim = this.sim;
    const inc = sim.scenario.incidents;
    const po = `PO-${++this.poCount}`;
    const lines: { sku: string; ordered: number }[] = [];
    for (const sku of sim.layout.skus.keys()) {
      const daily = this.dailySales(sku);
      const onHand = sim.stock.onHand(sku);
      const room = (sim.layout.slotsBySku.get(sku) ?? []).reduce((a, s) => a + s.capacity, 0);
      if (onHand < daily * 4 + 2) lines.push({ sku, ordered: Math.max(1, Math.min(room, Math.ceil(daily * 10) + 4) - onHand) });
    }
    if (lines.length === 0) return;
    const vendor = `v-${sim.rnd.int(1, 9)}`;
    sim.swipe(this.dockDoor, vendor, 'vendor', true, 25 * MIN);
    // The driver badges out when the truck is unloaded, so the twin does not keep them in the room.
    sim.at(sim.now + 26 * MIN, () => sim.swipe(this.dockDoor, vendor, 'vendor'));
    const short = sim.rnd.chance(inc.shortShipmentRate);
    const shortLines = new Set(short ? Array.from({ length: sim.rnd.int(1, 3) }, () => sim.rnd.int(0, lines.length - 1)) : []);
    const splittable = lines.flatMap((l, i) => (l.ordered > 1 ? [i] : []));
    const sweetLine = splittable.length && sim.rnd.chance(inc.sweetheartingRate) ? sim.rnd.pick(splittable) : -1;
    const received = this.someoneOnShift();
    const dockZone = sim.layout.doors.get(this.dockDoor)?.zone;
    for (const [i, line] of lines.entries()) {
      let shipped = line.ordered;
      let counted: number;
      if (i === sweetLine) {
        // The vendor drops part of the line and the receiver books it all: theft at receiving.
        shipped = line.ordered - sim.rnd.int(1, Math.max(1, Math.floor(line.ordered / 3)));
        counted = line.ordered;
        this.record({ kind: 'theft', subtype: 'sweethearting', sku: line.sku, units: line.ordered - shipped, ref: po, zone: dockZone, actor: vendor, role: 'vendor' });
      } else {
        if (shortLines.has(i) && line.ordered > 1) {
          shipped = Math.floor(line.ordered * (0.4 + 0.5 * sim.rnd.next()));
          this.record({ kind: 'short_shipment', sku: line.sku, units: line.ordered - shipped, ref: po, zone: dockZone, actor: vendor, role: 'vendor' });
        }
        counted = shipped;
        if (sim.rnd.chance(inc.receivingErrorRate)) {
          counted = Math.max(0, shipped + (sim.rnd.chance(0.7) ? 1 : -1) * sim.rnd.int(1, 3));
          if (counted !== shipped) this.record({ kind: 'receiving_error', sku: line.sku, units: counted - shipped, ref: po, zone: dockZone, ...this.actor(received) });
        }
      }
      sim.stock.add(sim.stock.staging, line.sku, shipped);
      sim.stock.received(line.sku, shipped);
      this.readCases(shipped);
      if (counted > 0) sim.book({ sku: line.sku, delta: counted, reason: 'receipt', ref: po, ordered: line.ordered }, sim.now + 20 * MIN);
    }
    if (sim.rnd.chance(inc.phantomReceiptRate)) {
      // A receipt posted for stock that never came: the book gains what the shelves never see.
      const sku = sim.rnd.pick([...sim.layout.skus.keys()]);
      const units = sim.rnd.int(2, 12);
      sim.book({ sku, delta: units, reason: 'receipt', ref: po, ordered: units }, sim.now + 25 * MIN);
      this.record({ kind: 'phantom_receipt', sku, units, ref: po, zone: dockZone, ...this.actor(received) });
    }
    sim.at(sim.now + sim.rnd.int(60, 150) * MIN, () => this.putaway());
  }

  /** Staged stock goes onto its slots (emptiest first) up to capacity; the rest waits. */
  private putaway(): void {
    const sim = this.sim;
    const who = this.someoneOnShift();
    for (const [sku, staged] of [...sim.stock.staging]) {
      let left = staged;
      const slots = [...(sim.layout.slotsBySku.get(sku) ?? [])].sort((a, b) => this.fill(a) - this.fill(b));
      for (const slot of slots) {
        const space = slot.capacity - this.unitsOn(slot);
        const k = Math.min(left, space);
        if (k <= 0) continue;
        left -= k;
        sim.stock.add(sim.stock.staging, sku, -k);
        let actual = slot;
        if (sim.rnd.chance(sim.scenario.incidents.misplacementRate)) {
          const others = sim.layout.layout.shelves.find((s) => s.id === slot.shelf)!.slots.filter((s) => s.sku !== sku);
          // The slot is drawn either way, so a called-off misplacement leaves sim.rnd where it was.
          if (others.length) {
            const wrong = sim.rnd.pick(others);
            if (!this.errorCalledOff()) actual = wrong;
          }
        }
        sim.stock.moveSlot(actual.id, sku, k);
        sim.slotChanged(actual);
        sim.book({ sku, delta: k, reason: 'putaway', slot: slot.id });
        if (actual !== slot) this.record({ kind: 'misplacement', sku, units: k, ...this.where(actual), intendedSlot: slot.id, ...this.actor(who) });
      }
    }
  }

  /** Cases of a delivery line pass the dock antennas: one tag a case of up to 12 units. */
  private readCases(units: number): void {
    const sim = this.sim;
    const reader = [...sim.layout.readers.values()].find((r) => Object.values(r.antennas).includes(sim.layout.doors.get(this.dockDoor)?.zone ?? ''));
    if (!reader) return;
    const dockZone = sim.layout.doors.get(this.dockDoor)!.zone;
    const antennas = Object.entries(reader.antennas);
    const home = antennas.find(([, z]) => z === dockZone)![0];
    const s = sim.scenario.sensors;
    for (let c = 0; c * 12 < units; c++) {
      const epc = `3034${sim.rnd.int(0, 0xffffff).toString(16).padStart(6, '0')}${(this.caseCount++).toString(16).padStart(8, '0')}`;
      const t = sim.now + sim.rnd.int(30, 600) * 1000;
      if (sim.rnd.chance(s.rfidReadRate)) sim.at(t, () => sim.rfidRead(reader.id, Number(home), epc));
      if (antennas.length > 1 && sim.rnd.chance(s.crossReadRate)) {
        const other = sim.rnd.pick(antennas.filter(([a]) => a !== home))[0];
        sim.at(t + 150, () => sim.rfidRead(reader.id, Number(other), epc));
      }
    }
  }

  private customerReturn(): void {
    const sim = this.sim;
    const sku = this.pickSku();
    sim.stock.add(sim.stock.staging, sku, 1);
    sim.stock.entry(sku).returned += 1;
    sim.book({ sku, delta: 1, reason: 'return', ref: `RMA-${++this.posCount}` });
  }

  /** A transfer: in from another store into staging, or out from the slots through the dock. */
  private transfer(): void {
    const sim = this.sim;
    const sku = this.pickSku();
    const ref = `TR-${++this.poCount}`;
    if (sim.rnd.chance(0.5)) {
      const k = sim.rnd.int(2, 12);
      sim.stock.add(sim.stock.staging, sku, k);
      sim.stock.entry(sku).transferredIn += k;
      sim.book({ sku, delta: k, reason: 'transfer_in', ref }, sim.now + 15 * MIN);
      return;
    }
    const slot = (sim.layout.slotsBySku.get(sku) ?? []).find((s) => sim.stock.onSlot(s.id, sku) > 0);
    if (!slot) return;
    const k = Math.min(sim.stock.onSlot(slot.id, sku), sim.rnd.int(2, 12));
    sim.stock.moveSlot(slot.id, sku, -k);
    sim.stock.entry(sku).transferredOut += k;
    sim.slotChanged(slot);
    sim.book({ sku, delta: -k, reason: 'transfer_out', slot: slot.id, ref });
  }

  private damage(): void {
    const sim = this.sim;
    const stocked = [...sim.layout.slots.values()].filter((s) => sim.stock.onSlot(s.id, s.sku) > 0);
    if (stocked.length === 0) return;
    const slot = sim.rnd.pick(stocked);
    const k = Math.min(sim.stock.onSlot(slot.id, slot.sku), sim.rnd.int(1, 3));
    sim.stock.moveSlot(slot.id, slot.sku, -k);
    sim.stock.entry(slot.sku).damaged += k;
    sim.slotChanged(slot);
    sim.book({ sku: slot.sku, delta: -k, reason: 'adjustment', slot: slot.id, ref: 'DAMAGE' });
  }

  /** Scheduled cycle counts: an associate counts n slots and books what is there of each slot's SKU. */
  private cycleCount(n: number): void {
    const sim = this.sim;
    const all = [...sim.layout.slots.values()];
    for (let k = 0; k < Math.min(n, all.length); k++) {
      const slot = all[(this.countCursor++ * 7919) % all.length]!;
      sim.at(sim.now + k * 30_000, () => sim.book({ sku: slot.sku, delta: sim.stock.onSlot(slot.id, slot.sku), reason: 'count', slot: slot.id, ref: 'CYCLE' }));
    }
  }

  private pickSku(): string {
    // Popular SKUs come back and move between stores more often.
    let r = this.sim.rnd.next();
    for (const [sku, p] of this.popularity) if ((r -= p) <= 0) return sku;
    return [...this.popularity.keys()][0]!;
  }

  private unitsOn(slot: Slot): number {
    let n = 0;
    for (const k of this.sim.stock.slots.get(slot.id)?.values() ?? []) n += k;
    return n;
  }
  private fill(slot: Slot): number {
    return this.unitsOn(slot) / slot.capacity;
  }

  // ---- helpers ---------------------------------------------------------------------------

  record(r: Omit<TruthRecord, 'ts'> & { zone?: string | undefined }): void {
    this.sim.record(r);
  }

  where(slot: Slot): { slot: string; shelf: string; zone: string } {
    return { slot: slot.id, shelf: slot.shelf, zone: this.sim.layout.zoneOfSlot(slot.id)! };
  }

  actor(p: Person): { actor: string; role: string } {
    return { actor: p.badge, role: p.role };
  }
}
