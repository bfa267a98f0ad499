/**
 * A generated layout for stress tests and benchmarks: a rectangular back room with rows of
 * identical shelves holding `slots` slots spread evenly over every level of every shelf, plus
 * the zones, doors, cameras and an RFID reader a real room has. Pure and deterministic, so a
 * test or benchmark builds it on the spot instead of committing megabytes of JSON. The result
 * is plain JSON data that parseLayout accepts (test/layout/stressLayout.test.ts checks it).
 */

export interface StressOptions {
  /** Total slots, >= 0 (default 5,000). */
  readonly slots?: number;
  /** Shelves; by default just enough for `slotsPerLevel` slots on each level. */
  readonly shelves?: number;
  /** Levels a shelf (default 5). */
  readonly levels?: number;
  /** Slots a level when `shelves` is not given (default 10). */
  readonly slotsPerLevel?: number;
}

const SHELF_W = 2;
const SHELF_D = 0.6;
const SHELF_H = 2.4;
const PITCH_X = 2.5;
const PITCH_Y = 2;
const MARGIN = 2;
const FRONT = 3;
const BACK = 3;
const SKUS = 24;

/** The layout as JSON-ready data (feed it to parseLayout or JSON.stringify). */
export function stressLayout(options: StressOptions = {}): Record<string, unknown> {
  const total = options.slots ?? 5000;
  const levels = options.levels ?? 5;
  const perLevel = options.slotsPerLevel ?? 10;
  const shelfCount = options.shelves ?? Math.ceil(total / (levels * perLevel));
  if (total > 0 && shelfCount < 1) throw new Error('slots need at least one shelf');
  const cols = Math.max(1, Math.ceil(Math.sqrt(shelfCount * 1.25)));
  const rows = Math.max(1, Math.ceil(shelfCount / cols));
  const width = 2 * MARGIN + cols * PITCH_X;
  const depth = FRONT + rows * PITCH_Y + BACK;
  const height = 5;

  const skus = Array.from({ length: SKUS }, (_, i) => ({
    id: `sku-${i}`,
    name: `Stress item ${i}`,
    unitGrams: 100 + 50 * i,
    unitCost: 1 + i,
    unitPrice: 2 + 2 * i,
    ...(i % 8 === 0 ? { highValue: true } : {}),
  }));

  // Slots are dealt evenly over every (shelf, level) cell, so fewer slots on the same shelves
  // means narrower slots, not emptier shelves.
  const cells = shelfCount * levels;
  const shelves = [];
  let next = 0;
  for (let s = 0; s < shelfCount; s++) {
    const col = s % cols;
    const row = Math.floor(s / cols);
    const slots = [];
    for (let level = 0; level < levels; level++) {
      const cell = s * levels + level;
      const n = Math.floor(total / cells) + (cell < total % cells ? 1 : 0);
      for (let index = 0; index < n; index++) {
        slots.push({ id: `S${s}-L${level}-${index}`, level, index, sku: `sku-${next % SKUS}`, capacity: 10 + (next % 7) * 5 });
        next++;
      }
    }
    shelves.push({
      id: `S${s}`,
      zone: 'rep',
      position: [MARGIN + PITCH_X * (col + 0.5), FRONT + PITCH_Y * (row + 0.5)],
      yaw: 0,
      size: [SHELF_W, SHELF_D, SHELF_H],
      levels,
      slots,
    });
  }

  const rect = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  return {
    version: 1,
    store: 'store-stress',
    name: `Stress back room (${total} slots)`,
    timezone: 'UTC',
    hours: { open: '07:00', close: '22:00' },
    room: { outline: rect(0, 0, width, depth), height },
    skus,
    zones: [
      { id: 'front', kind: 'aisle', outline: rect(0, 0, width, FRONT) },
      { id: 'rep', kind: 'replenishment', outline: rect(0, FRONT, width, depth - BACK) },
      { id: 'dock', kind: 'receiving', outline: rect(0, depth - BACK, width, depth) },
    ],
    shelves,
    doors: [
      { id: 'door-dock', kind: 'dock', position: [width / 2, depth], width: 3, zone: 'dock' },
      { id: 'door-staff', kind: 'staff', position: [0, FRONT / 2], width: 1, zone: 'front' },
      { id: 'door-floor', kind: 'sales_floor', position: [width / 2, 0], width: 2, zone: 'front' },
    ],
    rfid: [{ id: 'rfid-dock', antennas: { '1': 'dock', '2': 'dock' } }],
    cameras: [
      { id: 'cam-sw', position: [0.5, 0.5, 4], yaw: 45, pitch: -30, hfov: 90, resolution: [1920, 1080] },
      { id: 'cam-se', position: [width - 0.5, 0.5, 4], yaw: 135, pitch: -30, hfov: 90, resolution: [1920, 1080] },
      { id: 'cam-nw', position: [0.5, depth - 0.5, 4], yaw: -45, pitch: -30, hfov: 90, resolution: [1920, 1080] },
      { id: 'cam-ne', position: [width - 0.5, depth - 0.5, 4], yaw: -135, pitch: -30, hfov: 90, resolution: [1920, 1080] },
    ],
    obstacles: [],
  };
}
