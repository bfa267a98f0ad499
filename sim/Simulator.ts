/**
 * The scenario simulator: runs a back room's operations over days on a layout and emits
 * what its devices and inventory system would publish under the MQTT contract (as
 * recording lines), with the truth of what happened beside it. Pure TypeScript: the same
 * code runs in Node (CLI, tests) and in a web worker. Same scenario and seed, same bytes.
 */
import { Random } from '../src/core/random';
import { topics } from '../src/contract/parseTopic';
import type { Slot } from '../src/layout/Layout';
import type { LayoutIndex } from '../src/layout/LayoutIndex';
import { EventQueue } from './engine/EventQueue';
import { frontNormal } from '../src/layout/geometry';
import type { Scenario } from './scenario/Scenario';
import { Faults } from './Faults';
import type { FrameTruth } from './render/frameTruth';
import { FramePublisher } from './render/FramePublisher';
import { Operations } from './Operations';
import { addDays, hhmmToMinutes, localToUtc } from '../src/core/zonedTime';
import { Emitter } from './world/Emitter';
import { PersonSightings } from './world/PersonSightings';
import { Stock } from './world/Stock';
import type { TruthRecord } from './world/Truth';

const SEC = 1000;
const MIN = 60 * SEC;

export interface SimulationResult {
  readonly start: number;
  readonly end: number;
  /** Recording lines by topic family (weight, book, badge, ...). */
  readonly messagesByKind: Record<string, number>;
  readonly truth: readonly TruthRecord[];
  readonly stock: Stock;
}

export interface Sinks {
  /** One recording line (no newline), in arrival order. */
  recording: (line: string) => void;
  /** Progress, 0 to 1, in simulated time; called at most once per simulated hour. */
  progress?: (fraction: number) => void;
  /** The truth of each camera frame published (when the scenario has `frames`), in publishing order. */
  frameTruth?: (truth: FrameTruth) => void;
}

/** A scenario's recording lines, produced lazily as they are taken (for publishing live). */
export function* simulationLines(layout: LayoutIndex, scenario: Scenario): Generator<string> {
  const buf: string[] = [];
  const sim = new Simulator(layout, scenario, { recording: (l) => buf.push(l) });
  for (const _ of sim.steps()) {
    if (buf.length === 0) continue;
    yield* buf;
    buf.length = 0;
  }
}

export class Simulator {
  readonly rnd: Random;
  readonly queue = new EventQueue<() => void>();
  readonly stock: Stock;
  /** Slots whose face a board hides from the cameras now (a concealment: Theft.conceal). */
  readonly concealed = new Set<string>();
  readonly emit: Emitter;
  readonly truth: TruthRecord[] = [];
  readonly start: number;
  readonly end: number;
  /** Simulated now, epoch ms. */
  now = 0;
  /** Per slot, by index in `slots`: when its cell last published, its topic and seq. */
  private readonly slots: Slot[];
  private readonly slotIndex = new Map<string, number>();
  private readonly lastPublished: Float64Array;
  private readonly weightTopics: string[];
  private readonly weightSeq: Int32Array;
  /** Per slot index: the last reading its cell published. */
  private readonly lastGrams: Float64Array;
  private readonly pendingPublish = new Set<string>();
  private readonly ops: Operations;
  private readonly faults: Faults;
  private readonly sightings: PersonSightings;
  private readonly roomCentre: [number, number];
  /** Renders and publishes camera frames; absent when the scenario has no `frames`. */
  private readonly frames: FramePublisher | undefined;

  constructor(
    readonly layout: LayoutIndex,
    readonly scenario: Scenario,
    private readonly sinks: Sinks,
  ) {
    this.rnd = new Random(scenario.seed);
    this.stock = new Stock(layout.skus.keys());
    this.emit = new Emitter(sinks.recording);
    this.start = this.localTime(scenario.start, 0);
    this.end = this.localTime(addDays(scenario.start, scenario.days), 0);
    this.slots = [...layout.slots.values()];
    this.slots.forEach((s, i) => this.slotIndex.set(s.id, i));
    this.lastPublished = new Float64Array(this.slots.length);
    this.weightTopics = this.slots.map((s) => topics.weight(layout.store, s.shelf, s.id));
    this.weightSeq = new Int32Array(this.slots.length);
    this.lastGrams = new Float64Array(this.slots.length);
    this.ops = new Operations(this);
    this.faults = new Faults(this, this.slots);
    this.sightings = new PersonSightings(layout);
    const o = layout.layout.room.outline;
    this.frames = scenario.frames && new FramePublisher(this, scenario.frames, scenario.seed, sinks.recording, sinks.frameTruth);
    this.roomCentre = [o.reduce((a, p) => a + p[0], 0) / o.length, o.reduce((a, p) => a + p[1], 0) / o.length];
  }

  /** Epoch ms of a local date and minutes after its midnight, in the layout's zone. */
  localTime(date: string, minutes: number): number {
    return localToUtc(date, minutes, this.layout.layout.timezone);
  }

  at(t: number, action: () => void): void {
    if (t < this.now) throw new Error(`scheduled in the past: ${new Date(t).toISOString()} < ${new Date(this.now).toISOString()}`);
    if (t < this.end) this.queue.push(t, action);
  }

  run(): SimulationResult {
    for (const _ of this.steps()) {
      // Each step has already written its lines to the sink.
    }
    return this.result();
  }

  /**
   * Runs the agenda one action at a time, yielding after each, so that a caller can take
   * the lines written so far (see simulationLines) without holding a whole week in memory.
   */
  *steps(): Generator<void> {
    this.now = this.start;
    this.opening();
    for (let d = 0; d < this.scenario.days; d++) {
      const date = addDays(this.scenario.start, d);
      this.queue.push(this.localTime(date, 0), () => this.ops.planDay(date, d));
    }
    this.heartbeat();
    this.faults.plan();
    this.frames?.plan();
    yield;
    let lastProgress = -Infinity;
    for (let next = this.queue.pop(); next; next = this.queue.pop()) {
      this.now = next.at;
      next.item();
      if (this.sinks.progress && this.now - lastProgress >= 60 * MIN) {
        lastProgress = this.now;
        this.sinks.progress((this.now - this.start) / (this.end - this.start));
      }
      yield;
    }
    this.now = this.end;
    this.recordPhantomStock();
    this.sinks.progress?.(1);
  }

  result(): SimulationResult {
    const messagesByKind = this.emit.counts();
    if (this.frames) messagesByKind.frame = this.frames.count;
    return { start: this.start, end: this.end, messagesByKind, truth: this.truth, stock: this.stock };
  }

  // ---- devices ---------------------------------------------------------------------------

  /** Stock moved on a slot: someone stood at its front, and its load cell publishes once the weight settles. */
  slotChanged(slot: Slot): void {
    const box = this.layout.slotBox(slot.id);
    const [nx, ny] = frontNormal(box.yaw);
    this.personAt(box.center[0] + nx * (box.size[1] / 2 + 0.4), box.center[1] + ny * (box.size[1] / 2 + 0.4));
    if (this.pendingPublish.has(slot.id)) return;
    this.pendingPublish.add(slot.id);
    this.at(this.now + 2 * SEC, () => {
      this.pendingPublish.delete(slot.id);
      this.publishWeight(this.slotIndex.get(slot.id)!);
    });
  }

  private publishWeight(i: number): void {
    if (this.faults.dead[i]) return;
    let grams = 0;
    for (const [sku, n] of this.stock.slots.get(this.slots[i]!.id) ?? []) grams += n * this.layout.skus.get(sku)!.unitGrams;
    grams = this.faults.reading(i, grams + this.rnd.normal(0, this.scenario.sensors.loadCellNoiseGrams));
    grams = Math.round(grams * 10) / 10;
    this.emit.publishWeight(this.weightTopics[i]!, this.weightSeq, i, grams, this.now);
    this.lastPublished[i] = this.now;
    this.lastGrams[i] = grams;
  }

  /** The last reading slot `i`'s cell published. */
  lastReading(i: number): number {
    return this.lastGrams[i]!;
  }

  /** Writes a truth record stamped now; fields left undefined are dropped. */
  record(r: Omit<TruthRecord, 'ts'> & { zone?: string | undefined }): void {
    const clean = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Omit<TruthRecord, 'ts'>;
    this.truth.push({ ts: new Date(this.now).toISOString(), ...clean });
  }

  /** Load cells publish at least every heartbeatSeconds; a tick checks which are due. */
  private heartbeat(): void {
    const every = this.scenario.sensors.heartbeatSeconds * SEC;
    const tick = Math.min(every, 5 * SEC);
    const n = this.slots.length;
    const run = () => {
      for (let i = 0; i < n; i++) if (this.now - this.lastPublished[i]! >= every) this.publishWeight(i);
      this.at(this.now + tick, run);
    };
    // Stagger the first readings over one period, as real cells power up at different times.
    for (let i = 0; i < n; i++) this.lastPublished[i] = this.start - this.rnd.int(0, every);
    this.at(this.start, run);
  }

  /** A book movement, reaching the broker after the system's posting lag. */
  /** Books a movement; its posting lag is drawn from `rnd` (sim.rnd unless a pilot's cut books one on its own stream). */
  book(body: { sku: string; delta: number; reason: string; ref?: string; slot?: string; ordered?: number }, ts = this.now, rnd: Random = this.rnd): void {
    const [lo, hi] = this.scenario.sensors.postingLagMinutes;
    const arrival = ts + Math.round((lo + rnd.next() * (hi - lo)) * MIN);
    this.at(arrival, () => {
      this.emit.publish('book', topics.book(this.layout.store), body, ts, arrival);
      if (body.slot) this.slotBookings.push({ ts, order: this.slotBookings.length, ...body, slot: body.slot });
    });
  }

  /** Slot-level book movements that reached the wire, to know at the end what the book says each slot holds. */
  private readonly slotBookings: { ts: number; order: number; sku: string; slot: string; delta: number; reason: string }[] = [];

  /**
   * Truth records for the SKUs whose back-room book says they have stock while none of
   * their slots holds any when the run ends (phantom stock). The book of each slot is
   * folded in ts order, a count setting it (and first among equal times), as a reader does.
   */
  private recordPhantomStock(): void {
    const booked = new Map<string, number>();
    const sorted = [...this.slotBookings].sort((a, b) => a.ts - b.ts || Number(b.reason === 'count') - Number(a.reason === 'count') || a.order - b.order);
    for (const b of sorted) booked.set(b.slot, b.reason === 'count' ? b.delta : (booked.get(b.slot) ?? 0) + b.delta);
    for (const [sku, slots] of this.layout.slotsBySku) {
      const book = slots.reduce((a, s) => a + (booked.get(s.id) ?? 0), 0);
      const physical = slots.reduce((a, s) => a + this.stock.onSlot(s.id, sku), 0);
      if (book > 0 && physical === 0) this.record({ kind: 'phantom_stock', sku, units: book });
    }
  }

  rfidRead(reader: string, antenna: number, epc: string): void {
    this.emit.publish('rfid', topics.rfid(this.layout.store, reader), { epc, antenna, rssi: -this.rnd.int(45, 75) }, this.now);
  }

  /** Every camera that has (x, y) in view reports a person there (edge detection). */
  personAt(x: number, y: number): void {
    const sightings = this.sightings.at(x, y);
    this.frames?.person(x, y, sightings.map((s) => s.camera));
    for (const s of sightings) {
      const score = Math.round((0.75 + 0.24 * this.rnd.next()) * 100) / 100;
      this.emit.publish('detection', topics.detection(this.layout.store, s.camera), { label: 'person', score, box: s.box }, this.now);
    }
  }

  /** A badge swipe at a door; a granted one opens the door for a few seconds. */
  swipe(door: string, badge: string, role: string, granted = true, holdOpenMs = 6 * SEC): void {
    if (!door) return; // a layout without doors has no badge readers
    const store = this.layout.store;
    const d = this.layout.doors.get(door);
    if (d) {
      // The person stands just inside the room, half a metre from the door towards its middle.
      const [cx, cy] = this.roomCentre;
      const len = Math.hypot(cx - d.position[0], cy - d.position[1]) || 1;
      this.personAt(d.position[0] + ((cx - d.position[0]) / len) * 0.5, d.position[1] + ((cy - d.position[1]) / len) * 0.5);
    }
    this.emit.publish('badge', topics.badge(store, door), { badge, role, granted }, this.now);
    if (!granted) return;
    const opened = this.now + 2 * SEC;
    this.at(opened, () => this.emit.publish('door_state', topics.doorState(store, door), { open: true }, this.now));
    this.at(opened + holdOpenMs, () => this.emit.publish('door_state', topics.doorState(store, door), { open: false }, this.now));
  }

  /** The opening position: stock on every slot and the sales floor, booked by counts. */
  private opening(): void {
    const fill = this.scenario.workload.openingFill;
    const store = this.layout.store;
    for (const id of this.layout.deviceIds()) {
      if (this.layout.slots.has(id)) continue; // load cells report through their shelf's status
      this.emit.publish('status', topics.status(store, id), { online: true }, this.now, this.now, true);
    }
    for (const slot of this.layout.slots.values()) {
      const n = Math.max(0, Math.min(slot.capacity, Math.round(slot.capacity * fill * (0.75 + 0.5 * this.rnd.next()))));
      if (n > 0) this.stock.moveSlot(slot.id, slot.sku, n);
      this.stock.opening(slot.sku, n);
      const body = { sku: slot.sku, delta: n, reason: 'count', slot: slot.id, ref: 'OPENING' };
      this.emit.publish('book', topics.book(store), body, this.now);
      this.slotBookings.push({ ts: this.now, order: this.slotBookings.length, ...body });
    }
    for (const sku of this.layout.skus.keys()) {
      const n = Math.ceil(this.ops.dailySales(sku) * 2);
      this.stock.add(this.stock.floor, sku, n);
      this.stock.opening(sku, n);
      // A store-level count after the slot counts sets the SKU's whole book.
      this.emit.publish('book', topics.book(store), { sku, delta: this.stock.onHand(sku), reason: 'count', ref: 'OPENING' }, this.now + 1, this.now);
    }
  }

  /** Minutes after local midnight of the trading hours. */
  get hours(): { open: number; close: number } {
    const h = this.layout.layout.hours;
    return { open: hhmmToMinutes(h.open), close: hhmmToMinutes(h.close) };
  }
}
