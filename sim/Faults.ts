/**
 * What goes wrong with the devices: load cells that die (their Last Will says offline and
 * they fall silent), get stuck (they keep publishing one reading) or start drifting (their
 * reading slides away from the weight on them, a cell at a time), slow drift of all, and
 * malformed or invalid messages on the wire. Each fault is in the truth; each injected bad
 * message names the quarantine reason the reader must give it.
 */
import { topics } from '../src/contract/parseTopic';
import type { Slot } from '../src/layout/Layout';
import type { Simulator } from './Simulator';
import { isoTime } from './world/isoTime';

export class Faults {
  /** Per slot index: NaN while healthy; for a stuck cell, the reading it is stuck on. */
  readonly stuckAt: Float64Array;
  readonly dead: Uint8Array;
  /** Per slot index: NaN while healthy; for a drifting cell, when it began. */
  readonly driftFrom: Float64Array;
  /** Per slot index: a drifting cell's slide, grams an hour (signed). */
  readonly driftRate: Float64Array;
  private badCount = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly slots: readonly Slot[],
  ) {
    this.stuckAt = new Float64Array(slots.length).fill(NaN);
    this.dead = new Uint8Array(slots.length);
    this.driftFrom = new Float64Array(slots.length).fill(NaN);
    this.driftRate = new Float64Array(slots.length);
  }

  /** Schedules the run's cell failures and each day's bad messages. */
  plan(): void {
    const sim = this.sim;
    if (this.slots.length === 0) return;
    const s = sim.scenario.sensors;
    const span = sim.end - sim.start;
    this.slots.forEach((slot, i) => {
      if (sim.rnd.chance(s.deadCellRate)) sim.at(sim.start + Math.floor(sim.rnd.next() * span), () => this.die(slot, i));
      else if (sim.rnd.chance(s.stuckCellRate)) sim.at(sim.start + Math.floor(sim.rnd.next() * span), () => this.stick(slot, i));
      // Drawn only where the scenario asks for drifting cells, so that other scenarios' draws are unchanged.
      else if (s.driftCellRate > 0 && sim.rnd.chance(s.driftCellRate)) sim.at(sim.start + Math.floor(sim.rnd.next() * span), () => this.startDrift(slot, i));
    });
    for (let d = 0; d < sim.scenario.days; d++) {
      for (let k = this.sim.rnd.poisson(s.badMessagesPerDay); k > 0; k--) {
        sim.at(sim.start + d * 86_400_000 + Math.floor(sim.rnd.next() * 86_400_000), () => this.badMessage());
      }
    }
  }

  /** Grams a cell reports, given what truly lies on it: drift added, stuck cells frozen. */
  reading(i: number, trueGrams: number): number {
    const frozen = this.stuckAt[i]!;
    if (!Number.isNaN(frozen)) return frozen;
    const days = (this.sim.now - this.sim.start) / 86_400_000;
    const from = this.driftFrom[i]!;
    const own = Number.isNaN(from) ? 0 : (this.driftRate[i]! * (this.sim.now - from)) / 3_600_000;
    return trueGrams + this.sim.scenario.sensors.driftGramsPerDay * days + own;
  }

  private startDrift(slot: Slot, i: number): void {
    this.driftFrom[i] = this.sim.now;
    this.driftRate[i] = (this.sim.rnd.chance(0.5) ? -1 : 1) * this.sim.scenario.sensors.driftCellGramsPerHour;
    this.sim.record({ kind: 'sensor_fault', subtype: 'drift', slot: slot.id, shelf: slot.shelf, zone: this.sim.layout.zoneOfSlot(slot.id) });
  }

  private die(slot: Slot, i: number): void {
    this.dead[i] = 1;
    // The broker publishes the cell's Last Will when its connection drops.
    this.sim.emit.publish('status', topics.status(this.sim.layout.store, slot.id), { online: false }, this.sim.now, this.sim.now, true);
    this.sim.record({ kind: 'sensor_fault', subtype: 'dead', slot: slot.id, shelf: slot.shelf, zone: this.sim.layout.zoneOfSlot(slot.id) });
  }

  private stick(slot: Slot, i: number): void {
    this.stuckAt[i] = this.sim.lastReading(i);
    this.sim.record({ kind: 'sensor_fault', subtype: 'stuck', slot: slot.id, shelf: slot.shelf, zone: this.sim.layout.zoneOfSlot(slot.id) });
  }

  private badMessage(): void {
    const sim = this.sim;
    const store = sim.layout.store;
    const slot = sim.rnd.pick(this.slots);
    const doors = [...sim.layout.doors.keys()];
    const door = doors.length ? sim.rnd.pick(doors) : undefined;
    const ts = isoTime(sim.now);
    const n = ++this.badCount;
    const otherShelf = [...sim.layout.shelves.keys()].find((id) => id !== slot.shelf);
    const cases: [reason: string, topic: string, payload: string][] = [
      ['bad_json', topics.weight(store, slot.shelf, slot.id), `{"ts":"${ts}","grams":`],
      ['unknown_id', topics.weight(store, slot.shelf, `ghost-${n}`), `{"ts":"${ts}","grams":1200.5}`],
      ...(otherShelf ? [['slot_shelf_mismatch', topics.weight(store, otherShelf, slot.id), `{"ts":"${ts}","grams":1200.5}`] as [string, string, string]] : []),
      ['missing_field', topics.weight(store, slot.shelf, slot.id), `{"ts":"${ts}"}`],
      ['bad_field', topics.weight(store, slot.shelf, slot.id), `{"ts":"${ts}","grams":"1200"}`],
      ['bad_ts', topics.weight(store, slot.shelf, slot.id), `{"ts":"${ts.slice(0, 19)}","grams":1}`],
      ['future_ts', topics.weight(store, slot.shelf, slot.id), `{"ts":"${isoTime(sim.now + 3 * 86_400_000)}","grams":1}`],
      ...(door ? [['bad_field', topics.doorState(store, door), `{"ts":"${ts}","open":"yes"}`] as [string, string, string]] : []),
      ['unknown_topic', `backroom/v1/${store}/shelf/${slot.shelf}/weight`, `{"ts":"${ts}","grams":1}`],
    ];
    const [reason, topic, payload] = sim.rnd.pick(cases);
    sim.emit.publishRaw('bad', topic, payload, sim.now);
    sim.record({ kind: 'bad_message', topic, reason });
  }
}
