/**
 * A valid layout with exactly `slotCount` slots, for benchmarks (the 3D view, the twin's hot
 * paths) and tests; never written to a file. It is the general-merchandise plan scaled up:
 * back-to-back rows of 1.2 m bays running north-south, five levels of four slots each,
 * stocked from the same catalogue. The room grows roughly square with the slot count.
 */
import { CATALOGUE, CATALOGUE_BY_ID, skuJson, slotCapacity } from './gmCatalogue';
import { aimedCamera, bay, rect, round } from './layoutBuilders';
import type { CameraJson, LayoutJson, ShelfJson } from './LayoutJson';

const LEVELS = 5;
const SLOTS_PER_LEVEL = 4;
const SLOTS_PER_BAY = LEVELS * SLOTS_PER_LEVEL;
const BAY_W = 1.2;
const BAY_D = 0.6;
const BAY_H = 3.0;
const FLUE = 0.05;
/** Spine to spine: two bays back to back and a 1.75 m aisle. */
const PITCH = 2 * BAY_D + FLUE + 1.75;
const HEIGHT = 6;
/** The front aisle (sales-floor side) and the receiving band (dock side). */
const FRONT = 3;
const BACK = 4;
/** Walkway between the cross aisles and the ends of the rows. */
const ROW_END = 0.4;

export function generateStressLayout(slotCount: number): LayoutJson {
  if (!Number.isInteger(slotCount) || slotCount < 1) throw new RangeError(`slotCount must be a positive integer, not ${slotCount}`);
  const bayCount = Math.ceil(slotCount / SLOTS_PER_BAY);
  // A row of B bays is 1.2 B long and a double row takes 3 m across: B = 2.5 D keeps it square.
  const doubles = Math.max(1, Math.ceil(Math.sqrt(bayCount / 5)));
  const baysPerFace = Math.ceil(bayCount / (2 * doubles));

  const firstSpine = 2.5;
  const width = round(Math.ceil((2 * firstSpine + (doubles - 1) * PITCH) * 2) / 2);
  const rackY1 = round(FRONT + 2 * ROW_END + baysPerFace * BAY_W);
  const depth = round(rackY1 + BACK);

  const shelves: ShelfJson[] = [];
  let placed = 0;
  for (let face = 0; face < 2 * doubles && placed < slotCount; face++) {
    const spine = firstSpine + Math.floor(face / 2) * PITCH;
    const east = face % 2 === 1;
    const x = spine + (east ? 1 : -1) * (FLUE / 2 + BAY_D / 2);
    for (let b = 0; b < baysPerFace && placed < slotCount; b++) {
      const n = Math.min(SLOTS_PER_BAY, slotCount - placed);
      // Fill bottom-up, four to a level: a partly filled last level still has indices 0..m-1.
      const skusByLevel: string[][] = [];
      for (let s = 0; s < n; s++) {
        const level = Math.floor(s / SLOTS_PER_LEVEL);
        (skusByLevel[level] ??= []).push(CATALOGUE[(placed + s) % CATALOGUE.length]!.id);
      }
      shelves.push(
        bay({
          id: `S${String(face + 1).padStart(3, '0')}-${String(b + 1).padStart(3, '0')}`,
          zone: 'racks',
          position: [x, FRONT + ROW_END + BAY_W * (b + 0.5)],
          yaw: east ? 90 : 270,
          size: [BAY_W, BAY_D, BAY_H],
          levels: LEVELS,
          skusByLevel,
          capacity: (sku, k) => slotCapacity(CATALOGUE_BY_ID.get(sku)!, k),
        }),
      );
      placed += n;
    }
  }

  // Cameras every ~9 m along both cross aisles, looking into the racks.
  const cameras: CameraJson[] = [];
  const across = Math.max(1, Math.ceil(width / 9));
  for (let i = 0; i < across; i++) {
    const x = round(((i + 0.5) * width) / across);
    cameras.push(aimedCamera(`cam-front-${i + 1}`, [x, 0.3, 5], [x, FRONT + 4], 90, [1920, 1080]));
    cameras.push(aimedCamera(`cam-back-${i + 1}`, [x, depth - 0.3, 5], [x, rackY1 - 4], 90, [1920, 1080]));
  }

  const used = new Set(shelves.flatMap((s) => s.slots.map((slot) => slot.sku)));
  return {
    version: 1,
    store: 'store-stress',
    name: `Stress back room (${slotCount} slots)`,
    timezone: 'America/Chicago',
    hours: { open: '07:00', close: '22:00' },
    room: { outline: rect(0, 0, width, depth), height: HEIGHT },
    skus: CATALOGUE.filter((s) => used.has(s.id)).map(skuJson),
    zones: [
      { id: 'aisle-front', kind: 'aisle', outline: rect(0, 0, width, FRONT) },
      { id: 'racks', kind: 'replenishment', outline: rect(0, FRONT, width, rackY1) },
      { id: 'receiving', kind: 'receiving', outline: rect(0, rackY1, width, depth) },
    ],
    shelves,
    doors: [
      { id: 'dock-1', kind: 'dock', position: [round(width / 2), depth], width: 3, zone: 'receiving' },
      { id: 'door-staff', kind: 'staff', position: [0, round(rackY1 + BACK / 2)], width: 1, zone: 'receiving' },
      { id: 'door-sales', kind: 'sales_floor', position: [round(width / 2), 0], width: 2.4, zone: 'aisle-front' },
    ],
    rfid: [
      { id: 'rfid-dock', zone: 'receiving' },
      { id: 'rfid-sales', antennas: { '1': 'aisle-front', '2': 'aisle-front' } },
    ],
    cameras,
    obstacles: [],
  };
}
