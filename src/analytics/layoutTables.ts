/**
 * The layout as tables beside the events (SKUs with their costs, zones, shelves, slots,
 * doors, devices, and the store's clock settings), so the analyses can join events to what
 * they happened to: a slot's SKU and zone, a SKU's unit weight and cost. Each starts with
 * `store` like every other table; opening a store replaces its rows, so the tables always
 * describe the layout the store was last opened with.
 */
import type { LayoutIndex } from '../layout/LayoutIndex';
import { hhmmToMinutes } from '../core/zonedTime';
import type { Cell, TableSpec } from './tables';

/** A layout table: its spec and how to list its rows from a layout. */
export interface LayoutTable<R> {
  readonly spec: TableSpec<R>;
  readonly rows: (layout: LayoutIndex) => readonly R[];
}

function table<R>(name: string, rows: (layout: LayoutIndex) => readonly R[], columns: [string, TableSpec<R>['columns'][number]['type'], (r: R) => Cell][]): LayoutTable<R> {
  return { spec: { name, columns: columns.map(([n, type, get]) => ({ name: n, type, get })) }, rows };
}

const slotRows = (L: LayoutIndex) =>
  L.layout.shelves.flatMap((shelf) => shelf.slots.map((slot) => ({ slot, shelf })));

/** Every layout table, in the order they are written. */
export const LAYOUT_TABLES = [
  table('stores', (L) => [L.layout], [
    ['name', 'VARCHAR', (l) => l.name],
    ['timezone', 'VARCHAR', (l) => l.timezone],
    // Trading hours as local minutes after midnight; close may be past midnight (close < open).
    ['open_minute', 'INTEGER', (l) => hhmmToMinutes(l.hours.open)],
    ['close_minute', 'INTEGER', (l) => hhmmToMinutes(l.hours.close)],
  ]),
  table('skus', (L) => L.layout.skus, [
    ['sku', 'VARCHAR', (s) => s.id],
    ['name', 'VARCHAR', (s) => s.name],
    ['unit_grams', 'DOUBLE', (s) => s.unitGrams],
    ['unit_cost', 'DOUBLE', (s) => s.unitCost],
    ['unit_price', 'DOUBLE', (s) => s.unitPrice],
    ['high_value', 'BOOLEAN', (s) => s.highValue],
  ]),
  table('zones', (L) => L.layout.zones, [
    ['zone', 'VARCHAR', (z) => z.id],
    ['kind', 'VARCHAR', (z) => z.kind],
    ['restricted', 'BOOLEAN', (z) => z.restricted],
    // Roles allowed in a restricted zone, comma-separated.
    ['roles', 'VARCHAR', (z) => z.roles.join(',')],
  ]),
  table('shelves', (L) => L.layout.shelves, [
    ['shelf', 'VARCHAR', (s) => s.id],
    ['zone', 'VARCHAR', (s) => s.zone],
    ['levels', 'INTEGER', (s) => s.levels],
  ]),
  table('slots', slotRows, [
    ['slot', 'VARCHAR', (r) => r.slot.id],
    ['shelf', 'VARCHAR', (r) => r.shelf.id],
    ['zone', 'VARCHAR', (r) => r.shelf.zone],
    ['sku', 'VARCHAR', (r) => r.slot.sku],
    ['level', 'INTEGER', (r) => r.slot.level],
    ['idx', 'INTEGER', (r) => r.slot.index],
    ['capacity', 'INTEGER', (r) => r.slot.capacity],
  ]),
  table('doors', (L) => L.layout.doors, [
    ['door', 'VARCHAR', (d) => d.id],
    ['kind', 'VARCHAR', (d) => d.kind],
    ['zone', 'VARCHAR', (d) => d.zone],
  ]),
  table('devices', (L) => [
    ...L.layout.shelves.map((s) => ({ id: s.id, kind: 'shelf' })),
    ...slotRows(L).map((r) => ({ id: r.slot.id, kind: 'slot' })),
    ...L.layout.rfid.map((r) => ({ id: r.id, kind: 'rfid' })),
    ...L.layout.doors.map((d) => ({ id: d.id, kind: 'door' })),
    ...L.layout.cameras.map((c) => ({ id: c.id, kind: 'camera' })),
  ], [
    ['device', 'VARCHAR', (d) => d.id],
    ['kind', 'VARCHAR', (d) => d.kind],
  ]),
] as const;
