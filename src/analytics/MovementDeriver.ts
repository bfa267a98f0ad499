/**
 * Movements derived from load-cell readings while they are appended: a row each time a
 * slot's unit count changes, with the twin's hysteresis (folds.ts `unitsAfter`), so the
 * analyses read thousands of movements instead of scanning millions of heartbeat readings.
 * The first reading of a slot records its opening units (no `units_before`, no delta).
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

export class MovementDeriver {
  private readonly last = new Map<string, { units: number; ts: number }>();

  constructor(
    private readonly layout: LayoutIndex,
    private readonly noiseGrams = DEFAULT_NOISE_GRAMS,
  ) {}

  /** Picks up where a stored history left off: each slot's latest units and time. */
  restore(slot: string, units: number, ts: number): void {
    this.last.set(slot, { units, ts });
  }

  /** The movements these readings make, in the order given. */
  derive(readings: readonly WeightEvent[]): MovementRow[] {
    const out: MovementRow[] = [];
    for (const e of readings) {
      const slot = this.layout.slots.get(e.slot);
      const sku = slot && this.layout.skus.get(slot.sku);
      const shelf = slot && this.layout.shelves.get(slot.shelf);
      if (!slot || !sku || !shelf) continue;
      const prev = this.last.get(e.slot);
      if (prev && e.ts < prev.ts) continue;
      const units = unitsAfter(prev?.units ?? null, e.grams, sku.unitGrams, this.noiseGrams);
      this.last.set(e.slot, { units, ts: e.ts });
      if (prev && units === prev.units) continue;
      out.push({ ts: e.ts, received: e.received, shelf: shelf.id, slot: slot.id, sku: sku.id, zone: shelf.zone, unitsBefore: prev ? prev.units : null, unitsAfter: units, grams: e.grams });
    }
    return out;
  }
}
