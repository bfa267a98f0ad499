/**
 * Movements derived from load-cell readings while they are appended: a row each time a
 * slot's unit count changes, with the twin's hysteresis (folds.ts `unitsAfter`), so the
 * analyses read thousands of movements instead of scanning millions of heartbeat readings.
 * The first reading of a slot records its opening units (no `units_before`, no delta).
 *
 * A cell that repeats one reading STUCK_REPEATS times is recorded in `cell_faults` as stuck,
 * and a silence longer than GAP_FLOOR_MS between two readings in `reading_gaps`.
 *
 * Readings are taken in arrival order; one older than the slot's newest reading already
 * seen is stored in `readings` but does not move the count (it would undo a newer state).
 */
import type { WeightEvent } from '../contract/messages';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { unitsAfter } from '../twin/folds';
import type { TableSpec } from './tables';

export interface MovementRow {
  readonly ts: number;
  readonly received: number;
  readonly shelf: string;
  readonly slot: string;
  /** The SKU the layout plans on the slot: the unit weight the grams were divided by. */
  readonly sku: string;
  readonly zone: string;
  /** Units before the change; null on a slot's first reading. */
  readonly unitsBefore: number | null;
  readonly unitsAfter: number;
  readonly grams: number;
}

export const MOVEMENTS_TABLE: TableSpec<MovementRow> = {
  name: 'movements',
  columns: [
    { name: 'ts', type: 'TIMESTAMP_MS', get: (m) => m.ts },
    { name: 'received', type: 'TIMESTAMP_MS', get: (m) => m.received },
    { name: 'shelf', type: 'VARCHAR', get: (m) => m.shelf },
    { name: 'slot', type: 'VARCHAR', get: (m) => m.slot },
    { name: 'sku', type: 'VARCHAR', get: (m) => m.sku },
    { name: 'zone', type: 'VARCHAR', get: (m) => m.zone },
    { name: 'units_before', type: 'INTEGER', get: (m) => m.unitsBefore },
    { name: 'units_after', type: 'INTEGER', get: (m) => m.unitsAfter },
    // units_after - units_before: negative is a pick, positive a put; null on a first reading.
    { name: 'delta', type: 'INTEGER', get: (m) => (m.unitsBefore === null ? null : m.unitsAfter - m.unitsBefore) },
    { name: 'grams', type: 'DOUBLE', get: (m) => m.grams },
  ],
};

/** Load-cell noise allowed around a unit boundary, as the twin uses by default. */
export const DEFAULT_NOISE_GRAMS = 10;

/**
 * A load cell that repeats one reading to the tenth of a gram this many times in a row is
 * stuck: a working cell's noise moves its readings (an hour of heartbeats is 60 of them).
 */
export const STUCK_REPEATS = 30;

/** A load cell that stopped measuring: `stuck` from the first of its repeated readings. */
export interface CellFaultRow {
  readonly ts: number;
  readonly slot: string;
  readonly kind: 'stuck';
  readonly grams: number;
}

export const CELL_FAULTS_TABLE: TableSpec<CellFaultRow> = {
  name: 'cell_faults',
  columns: [
    { name: 'ts', type: 'TIMESTAMP_MS', get: (f) => f.ts },
    { name: 'slot', type: 'VARCHAR', get: (f) => f.slot },
    { name: 'kind', type: 'VARCHAR', get: (f) => f.kind },
    { name: 'grams', type: 'DOUBLE', get: (f) => f.grams },
  ],
};

/**
 * Silences between two readings of a cell longer than this are kept in `reading_gaps`: the
 * contract has a cell publish at least every 60 s, so twice that is already abnormal, and
 * the devices analysis can then ask for any longer limit without scanning every reading.
 */
export const GAP_FLOOR_MS = 120_000;

/** A silence of a load cell: no reading between `from` and `to`. */
export interface ReadingGapRow {
  readonly slot: string;
  readonly from: number;
  readonly to: number;
}

export const READING_GAPS_TABLE: TableSpec<ReadingGapRow> = {
  name: 'reading_gaps',
  columns: [
    { name: 'slot', type: 'VARCHAR', get: (g) => g.slot },
    { name: 'from_ts', type: 'TIMESTAMP_MS', get: (g) => g.from },
    { name: 'to_ts', type: 'TIMESTAMP_MS', get: (g) => g.to },
  ],
};

interface SlotTrack {
  units: number;
  ts: number;
  /** The last reading, how many times in a row it came, and when the run began. */
  grams: number;
  repeats: number;
  runStart: number;
}

export class MovementDeriver {
  private readonly last = new Map<string, SlotTrack>();

  constructor(
    private readonly layout: LayoutIndex,
    private readonly noiseGrams = DEFAULT_NOISE_GRAMS,
  ) {}

  /** Picks up where a stored history left off: each slot's latest units and latest reading's time. */
  restore(slot: string, units: number, ts: number): void {
    this.last.set(slot, { units, ts, grams: NaN, repeats: 0, runStart: ts });
  }

  /** The movements these readings make, in the order given, the cells they show stuck, and the silences between them. */
  derive(readings: readonly WeightEvent[]): { movements: MovementRow[]; faults: CellFaultRow[]; gaps: ReadingGapRow[] } {
    const movements: MovementRow[] = [];
    const faults: CellFaultRow[] = [];
    const gaps: ReadingGapRow[] = [];
    for (const e of readings) {
      const slot = this.layout.slots.get(e.slot);
      const sku = slot && this.layout.skus.get(slot.sku);
      const shelf = slot && this.layout.shelves.get(slot.shelf);
      if (!slot || !sku || !shelf) continue;
      const prev = this.last.get(e.slot);
      if (prev && e.ts < prev.ts) continue;
      if (prev && e.ts - prev.ts > GAP_FLOOR_MS) gaps.push({ slot: slot.id, from: prev.ts, to: e.ts });
      const units = unitsAfter(prev?.units ?? null, e.grams, sku.unitGrams, this.noiseGrams);
      const same = prev !== undefined && Math.round(prev.grams * 10) === Math.round(e.grams * 10);
      const track: SlotTrack = { units, ts: e.ts, grams: e.grams, repeats: same ? prev.repeats + 1 : 1, runStart: same ? prev.runStart : e.ts };
      this.last.set(e.slot, track);
      if (track.repeats === STUCK_REPEATS) faults.push({ ts: track.runStart, slot: slot.id, kind: 'stuck', grams: e.grams });
      if (prev && units === prev.units) continue;
      movements.push({ ts: e.ts, received: e.received, shelf: shelf.id, slot: slot.id, sku: sku.id, zone: shelf.zone, unitsBefore: prev ? prev.units : null, unitsAfter: units, grams: e.grams });
    }
    return { movements, faults, gaps };
  }
}
