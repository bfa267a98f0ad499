/**
 * The large general-merchandise example: store 42's back room, 30 x 20 m under a 6 m roof.
 * Written to scenarios/layouts/gm-large.layout.json by `npm run layouts` (src/cli/writeExampleLayouts.ts); a test checks
 * the file still equals what this returns, so change the plan here, never in the JSON.
 *
 * Plan (x east, y north, origin at the south-west corner; the sales floor is south):
 *
 *   y 20 ┌─── dock-1 ─── dock-2 ─────┬──────────────────┬─────────┐
 *        │ receiving          baler  │ staging, pallets │ fixtures│
 *   y 14 ├───────────────────────────┴──────────────────┴─────────┤
 *  staff ▸ aisle-cross                                cage door ▾ │
 *   y 11 ├──┬────┬────┬────┬─ ... ─┬────┬───────────┬─────────────┤
 *        │W │ a  │ RR │ a  │       │ RR │ a         │ cage        │
 *        │  │    │    │    │       │    │           ├─────────────┤
 *        │  │    │    │    │       │    │           │ returns     │
 *   y  3 ├──┴────┴────┴────┴─ ... ─┴────┴───────────┴─────────────┤
 *        │ aisle-front           ▴ sales-floor door               │
 *   y  0 └────────────────────────────────────────────────────────┘
 *        x 0                                        x 24      x 30
 *
 *   W: the wall row (zone rack-01); RR: back-to-back rows (rack-02 to rack-08);
 *   a: replenishment aisles (aisle-01 to aisle-08).
 *
 * Shelving rows run north-south: a single row against the west wall, then seven back-to-back
 * rows with 1.75 m replenishment aisles between them. Building columns stand on a 6 x 7.6 m
 * grid; where one falls in a row the bay is left out, as a planner would.
 */
import type { Vec2 } from '../../src/layout/Layout';
import { CATALOGUE, CATALOGUE_BY_ID, skuJson, slotCapacity, type CatalogueSku, type Department } from './gmCatalogue';
import { aimedCamera, bay, clearOf, column, rect, round } from './layoutBuilders';
import type { LayoutJson, ObstacleJson, ShelfJson, ZoneJson } from './LayoutJson';

const ROOM_W = 30;
const ROOM_D = 20;
const HEIGHT = 6;

/** Bays: 1.2 m wide gondola sections, 0.6 m deep, 3 m tall (the roof leaves room for cameras). */
const BAY_W = 1.2;
const BAY_D = 0.6;
const BAY_H = 3.0;
/** Gap between the backs of two rows standing back to back. */
const FLUE = 0.05;
/** The rack band between the front aisle and the cross aisle. */
const RACK_Y0 = 3;
const RACK_Y1 = 11;
const BAYS_PER_ROW = 6;
/** South edge of the first bay: the six bays are centred in the band. */
const FIRST_BAY_Y = (RACK_Y0 + RACK_Y1 - BAYS_PER_ROW * BAY_W) / 2;
/** Centre lines of the back-to-back rows; the single wall row stands against x = 0. */
const SPINES = [3, 6, 9, 12, 15, 18, 21];
/** East edge of the rack area: the cage and returns are beyond it. */
const RACK_X1 = 24;

/** How a department's bays are split: slots on each level, bottom first (heavy cases low). */
const BAY_PLAN: Record<Department, number[]> = {
  grocery: [1, 2, 2, 2],
  household: [1, 2, 2, 2, 2],
  health: [2, 3, 3, 3, 3],
  toys: [1, 2, 2, 2],
  electronics: [2, 3, 3, 3, 3],
  pet: [1, 2, 2, 2],
  seasonal: [1, 1, 2, 2],
  cage: [3, 3, 3, 3],
};

/** Department of each row, west to east: R01 is the wall row, then two faces per spine. */
const ROW_DEPARTMENTS: Department[] = [
  'grocery', 'grocery', 'grocery',
  'household', 'household', 'household', 'household',
  'health', 'health',
  'toys', 'toys',
  'electronics', 'electronics',
  'pet', 'seasonal',
];

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Hands out a department's SKUs to slots: each level draws from its own band of the
 * heaviest-first list (heavy on the bottom), round-robin so every SKU gets a few slots.
 */
class Stocker {
  private readonly turn = new Map<string, number>();
  private readonly skus: readonly CatalogueSku[];
  constructor(skus: readonly CatalogueSku[]) {
    this.skus = [...skus].sort((a, b) => b.unitGrams - a.unitGrams);
  }

  level(level: number, levels: number, slots: number): CatalogueSku[] {
    const k = this.skus.length;
    const from = Math.floor((level * k) / levels);
    const to = Math.max(from + 1, Math.floor(((level + 1) * k) / levels));
    const band = this.skus.slice(from, to);
    const key = `${from}/${to}`;
    const out: CatalogueSku[] = [];
    for (let i = 0; i < slots; i++) {
      const t = this.turn.get(key) ?? 0;
      out.push(band[t % band.length]!);
      this.turn.set(key, t + 1);
    }
    return out;
  }
}

function stockedBay(stocker: Stocker, department: Department, id: string, zone: string, position: Vec2, yaw: number, height: number): ShelfJson {
  const plan = BAY_PLAN[department];
  return bay({
    id,
    zone,
    position,
    yaw,
    size: [BAY_W, BAY_D, height],
    levels: plan.length,
    skusByLevel: plan.map((n, level) => stocker.level(level, plan.length, n).map((s) => s.id)),
    capacity: (sku, n) => slotCapacity(CATALOGUE_BY_ID.get(sku)!, n),
  });
}

function columns(): ObstacleJson[] {
  const out: ObstacleJson[] = [];
  ['A', 'B', 'C', 'D'].forEach((line, i) => {
    [7.6, 15.2].forEach((y, j) => out.push(column(`col-${line}${j + 1}`, 6 * (i + 1), y, HEIGHT)));
  });
  return out;
}

function zones(): ZoneJson[] {
  const out: ZoneJson[] = [{ id: 'aisle-front', kind: 'aisle', outline: rect(0, 0, ROOM_W, RACK_Y0) }];
  // Rack zones hug the rows; the aisle zones fill the floor between them.
  const racks: [number, number][] = [[0, BAY_D + 0.1], ...SPINES.map((s): [number, number] => [s - BAY_D - FLUE / 2, s + BAY_D + FLUE / 2])];
  racks.forEach(([x0, x1], i) => {
    out.push({ id: `rack-${pad(i + 1)}`, kind: 'replenishment', outline: rect(x0, RACK_Y0, x1, RACK_Y1) });
    const next = racks[i + 1]?.[0] ?? RACK_X1;
    out.push({ id: `aisle-${pad(i + 1)}`, kind: 'aisle', outline: rect(x1, RACK_Y0, next, RACK_Y1) });
  });
  out.push(
    { id: 'returns', kind: 'returns', outline: rect(RACK_X1, RACK_Y0, ROOM_W, 6.5) },
    { id: 'cage', kind: 'high_value', outline: rect(RACK_X1, 6.5, ROOM_W, RACK_Y1), restricted: true, roles: ['supervisor', 'manager'] },
    { id: 'aisle-cross', kind: 'aisle', outline: rect(0, RACK_Y1, ROOM_W, 14) },
    { id: 'receiving', kind: 'receiving', outline: rect(0, 14, 14, ROOM_D) },
    { id: 'staging', kind: 'staging', outline: rect(14, 14, RACK_X1, ROOM_D) },
    { id: 'fixtures', kind: 'fixtures', outline: rect(RACK_X1, 14, ROOM_W, ROOM_D) },
  );
  return out;
}

/** The rows of the rack area, west to east, skipping bays a column stands in. */
function rackShelves(obstacles: readonly ObstacleJson[]): ShelfJson[] {
  // Each row: its x centre, its yaw (90 faces east, 270 faces west) and its zone.
  const rows: { x: number; yaw: number; zone: string }[] = [{ x: BAY_D / 2 + 0.05, yaw: 90, zone: 'rack-01' }];
  SPINES.forEach((s, i) => {
    const zone = `rack-${pad(i + 2)}`;
    rows.push({ x: s - FLUE / 2 - BAY_D / 2, yaw: 270, zone }, { x: s + FLUE / 2 + BAY_D / 2, yaw: 90, zone });
  });
  const stockers = new Map<Department, Stocker>();
  const shelves: ShelfJson[] = [];
  rows.forEach((row, r) => {
    const department = ROW_DEPARTMENTS[r]!;
    if (!stockers.has(department)) stockers.set(department, new Stocker(CATALOGUE.filter((s) => s.department === department)));
    for (let b = 0; b < BAYS_PER_ROW; b++) {
      const position: Vec2 = [round(row.x), round(FIRST_BAY_Y + BAY_W * (b + 0.5))];
      if (!clearOf({ position, size: [BAY_W, BAY_D, BAY_H], yaw: row.yaw }, obstacles)) continue;
      shelves.push(stockedBay(stockers.get(department)!, department, `R${pad(r + 1)}-${pad(b + 1)}`, row.zone, position, row.yaw, BAY_H));
    }
  });
  return shelves;
}

/** The cage: mesh shelving on the east wall (HV-E) and a back-to-back island (west face HV-IW, east face HV-IE). */
function cageShelves(): ShelfJson[] {
  const stocker = new Stocker(CATALOGUE.filter((s) => s.department === 'cage'));
  const H = 2.1;
  const spots: [string, Vec2, number][] = [
    ['HV-E1', [ROOM_W - 0.35, 7.6], 270],
    ['HV-E2', [ROOM_W - 0.35, 8.8], 270],
    ['HV-E3', [ROOM_W - 0.35, 10.0], 270],
    ['HV-IW1', [26.275, 8.2], 270],
    ['HV-IW2', [26.275, 9.4], 270],
    ['HV-IE1', [26.925, 8.2], 90],
    ['HV-IE2', [26.925, 9.4], 90],
  ];
  return spots.map(([id, position, yaw]) => stockedBay(stocker, 'cage', id, 'cage', position, yaw, H));
}

export function generateGmLayout(): LayoutJson {
  const obstacles: ObstacleJson[] = [
    ...columns(),
    { id: 'baler', position: [12.6, 19.3], size: [1.8, 1.2, 2.6], yaw: 0 },
    { id: 'pallet-1', position: [15.5, 17.0], size: [1.2, 1.0, 1.4], yaw: 0 },
    { id: 'pallet-2', position: [17.0, 17.0], size: [1.2, 1.0, 1.6], yaw: 0 },
    { id: 'pallet-3', position: [15.5, 18.6], size: [1.2, 1.0, 1.2], yaw: 0 },
    { id: 'returns-bench', position: [27.0, 4.75], size: [1.8, 0.8, 0.9], yaw: 0 },
  ];
  const shelves = [...rackShelves(obstacles), ...cageShelves()];
  const used = new Set(shelves.flatMap((s) => s.slots.map((slot) => slot.sku)));
  const wide: [number, number] = [2560, 1440];
  const hd: [number, number] = [1920, 1080];
  return {
    version: 1,
    store: 'store-042',
    name: 'Store 42 back room (general merchandise)',
    timezone: 'America/Chicago',
    hours: { open: '07:00', close: '22:00' },
    room: { outline: rect(0, 0, ROOM_W, ROOM_D), height: HEIGHT },
    // Only SKUs the planogram places: a catalogue line with no slot would be dead weight.
    skus: CATALOGUE.filter((s) => used.has(s.id)).map(skuJson),
    zones: zones(),
    shelves,
    doors: [
      { id: 'dock-1', kind: 'dock', position: [3.5, ROOM_D], width: 3.0, zone: 'receiving' },
      { id: 'dock-2', kind: 'dock', position: [9.0, ROOM_D], width: 3.0, zone: 'receiving' },
      { id: 'door-staff', kind: 'staff', position: [0, 12.5], width: 1.0, zone: 'aisle-cross' },
      { id: 'door-sales', kind: 'sales_floor', position: [15, 0], width: 2.4, zone: 'aisle-front' },
      { id: 'door-cage', kind: 'cage', position: [27, RACK_Y1], width: 1.2, zone: 'cage' },
    ],
    rfid: [
      // One antenna over each dock door.
      { id: 'rfid-dock', antennas: { '1': 'receiving', '2': 'receiving' } },
      { id: 'rfid-cage', zone: 'cage' },
      // A portal: an antenna on each jamb of the sales-floor door, both reading into the front aisle.
      { id: 'rfid-sales', antennas: { '1': 'aisle-front', '2': 'aisle-front' } },
      { id: 'rfid-returns', zone: 'returns' },
    ],
    // Mounted at about 5 m on a wall or a column face, each aimed at what it watches.
    cameras: [
      aimedCamera('cam-dock', [6.0, 15.45, 5.0], [6.25, 19.0], 100, wide),
      aimedCamera('cam-staging', [23.7, 19.7, 5.0], [17.0, 16.5], 100, hd),
      aimedCamera('cam-cross-west', [12.0, 14.95, 5.0], [2.0, 12.5], 90, hd),
      aimedCamera('cam-cross-east', [18.0, 14.95, 5.0], [27.0, 11.5], 90, hd),
      aimedCamera('cam-cage', [24.3, 10.7, 4.5], [28.0, 7.5], 100, wide),
      aimedCamera('cam-returns', [29.7, 0.3, 5.0], [23.0, 3.5], 100, hd),
      aimedCamera('cam-sales-door', [8.0, 0.3, 5.0], [15.0, 1.2], 90, wide),
      aimedCamera('cam-aisle-03', [7.5, 11.2, 5.0], [7.5, 5.0], 80, hd),
      aimedCamera('cam-aisle-06', [16.5, 11.2, 5.0], [16.5, 5.0], 80, hd),
    ],
    obstacles,
  };
}
