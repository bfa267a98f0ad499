/**
 * The placement objective: weighted coverage, sum over targets of weight x the best quality
 * any chosen device gives it (0..1). A max over devices, summed with non-negative weights, is
 * monotone submodular, so greedy selection is within 1 - 1/e of the optimum (for one price;
 * with prices, CELF's better-of-two greedy keeps a constant factor) and an exact answer is an
 * integer program (exactPlan.ts).
 *
 * Targets: each slot's stock and the evidence at it, each door's passers-by, each floor cell,
 * each zone's tags. Qualities: a camera gives a slot's stock half of fraction x min(1, px/m /
 * the fill task's density) (a fill level is a coarse count; load cells count units) and its
 * evidence fraction x min(1, px/m / the product task's density), a door the
 * same against the person task's, a floor cell min(1, px/m / the standard's observe level); a
 * smart shelf gives its slots' stock 1; an RFID antenna gives its zone's tags 1 and the stock
 * of the zone's slots 0.5 (it counts tagged items in the zone, not on the slot).
 */
import type { Camera } from '../layout/Layout';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Occluders } from '../layout/occlusion';
import { cameraViews } from './cameraViews';
import { GRADE_LEVELS, type Standard, type Task, type TaskNeeds } from './grades';
import type { Targets } from './targets';
import type { Weights } from './weights';

/** Measures a planner reads ("C4 adds 14 % of high-value slot faces at >= 120 px/m"), each over its own items. */
export const METRICS = ['fill', 'highValueProduct', 'weighed', 'doorsPerson', 'floorObserve', 'restrictedFloorObserve', 'zonesRead'] as const;
export type Metric = (typeof METRICS)[number];

export type DeviceKind = 'camera' | 'smart_shelf' | 'rfid';

export interface Device {
  /** A camera's id (a candidate's or the layout's), `shelf:ID` for a smart shelf, `rfid:ZONE` for an antenna on a zone. */
  readonly id: string;
  readonly kind: DeviceKind;
  /** What adding it costs (0 for what is already installed). */
  readonly cost: number;
  /** Target indexes it covers and the quality it gives each (sparse, same length). */
  readonly idx: Int32Array;
  readonly q: Float32Array;
  /** Per metric, the items it satisfies. */
  readonly items: Readonly<Record<Metric, Int32Array>>;
  readonly camera?: Camera;
  readonly shelf?: string;
  readonly zone?: string;
}

export interface Objective {
  readonly weights: Float64Array;
  /** Where each kind of target starts in `weights`. */
  readonly offsets: { readonly slotStock: number; readonly slotEvidence: number; readonly door: number; readonly cell: number; readonly zoneTags: number };
  /** How many items each metric counts over, and a label for it. */
  readonly metricTotals: Readonly<Record<Metric, number>>;
  readonly metricLabels: Readonly<Record<Metric, string>>;
  readonly layout: LayoutIndex;
  readonly targets: Targets;
  readonly occluders: Occluders;
  readonly tasks: Readonly<Record<Task, TaskNeeds>>;
  readonly observePx: number;
  /** Per metric, item index for each slot / cell (-1 when the slot or cell is not counted by it). */
  readonly highValueItem: Int32Array;
  readonly restrictedCellItem: Int32Array;
}

export function buildObjective(layout: LayoutIndex, targets: Targets, occluders: Occluders, weights: Weights, tasks: Readonly<Record<Task, TaskNeeds>>, standard: Standard): Objective {
  const nSlots = targets.slots.length;
  const nDoors = targets.doors.length;
  const nCells = targets.cells.length;
  const zones = layout.layout.zones;
  const offsets = { slotStock: 0, slotEvidence: nSlots, door: 2 * nSlots, cell: 2 * nSlots + nDoors, zoneTags: 2 * nSlots + nDoors + nCells };
  const w = new Float64Array(offsets.zoneTags + zones.length);
  const zoneMul = (id: string) => (weights.zones[id] ?? 1) * (layout.zones.get(id)?.restricted ? weights.restricted : 1);
  const highValueItem = new Int32Array(nSlots).fill(-1);
  let hv = 0;
  targets.slots.forEach((t, i) => {
    const slot = layout.slots.get(t.id)!;
    const high = layout.skus.get(slot.sku)?.highValue ?? false;
    if (high) highValueItem[i] = hv++;
    const m = (high ? weights.highValue : 1) * (weights.slots[t.id] ?? 1) * zoneMul(t.zone);
    w[offsets.slotStock + i] = weights.slotStock * m;
    w[offsets.slotEvidence + i] = weights.slotEvidence * m;
  });
  targets.doors.forEach((t, i) => {
    w[offsets.door + i] = weights.door[layout.doors.get(t.id)!.kind] * zoneMul(t.zone);
  });
  const restrictedCellItem = new Int32Array(nCells).fill(-1);
  let rc = 0;
  targets.cells.forEach((c, i) => {
    if (layout.zones.get(c.zone)?.restricted) restrictedCellItem[i] = rc++;
    w[offsets.cell + i] = weights.floorPerM2 * targets.cellArea * zoneMul(c.zone);
  });
  zones.forEach((z, i) => (w[offsets.zoneTags + i] = weights.zoneTags * zoneMul(z.id)));
  const observePx = GRADE_LEVELS[standard].find((l) => l.grade === 'observe')!.pxPerM;
  const metricTotals: Record<Metric, number> = { fill: nSlots, highValueProduct: hv, weighed: nSlots, doorsPerson: nDoors, floorObserve: nCells, restrictedFloorObserve: rc, zonesRead: zones.length };
  const metricLabels: Record<Metric, string> = {
    fill: `slot faces judgeable for fill level (>= ${tasks.fill.pxPerM} px/m)`,
    highValueProduct: `high-value slot faces at >= ${tasks.product.pxPerM} px/m`,
    weighed: 'slots weighed by smart shelves',
    doorsPerson: `doors where a person is recognisable (>= ${tasks.person.pxPerM} px/m)`,
    floorObserve: `floor seen at >= ${observePx} px/m`,
    restrictedFloorObserve: `restricted floor seen at >= ${observePx} px/m`,
    zonesRead: 'zones read by RFID',
  };
  return { weights: w, offsets, metricTotals, metricLabels, layout, targets, occluders, tasks, observePx, highValueItem, restrictedCellItem };
}

/** What a camera's fill level is worth beside a load cell's count of units. */
const CAMERA_STOCK = 0.5;

const none = () => Object.fromEntries(METRICS.map((m) => [m, new Int32Array(0)])) as Record<Metric, Int32Array>;

/** A camera as a device: its view of every target turned into qualities and metric items. */
export function cameraDevice(obj: Objective, camera: Camera, cost: number): Device {
  const v = cameraViews(camera, obj.targets, obj.occluders);
  const { offsets, tasks } = obj;
  const idx: number[] = [];
  const q: number[] = [];
  const items: Record<Metric, number[]> = { fill: [], highValueProduct: [], weighed: [], doorsPerson: [], floorObserve: [], restrictedFloorObserve: [], zonesRead: [] };
  const surface = (f: number, px: number, need: TaskNeeds) => f * Math.min(1, px / need.pxPerM);
  const meets = (f: number, px: number, need: TaskNeeds) => f >= need.fraction && px >= need.pxPerM;
  v.slots.fraction.forEach((f, i) => {
    if (f <= 0) return;
    const px = v.slots.pxPerM[i]!;
    idx.push(offsets.slotStock + i, offsets.slotEvidence + i);
    q.push(CAMERA_STOCK * surface(f, px, tasks.fill), surface(f, px, tasks.product));
    if (meets(f, px, tasks.fill)) items.fill.push(i);
    const h = obj.highValueItem[i]!;
    if (h >= 0 && meets(f, px, tasks.product)) items.highValueProduct.push(h);
  });
  v.doors.fraction.forEach((f, i) => {
    if (f <= 0) return;
    const px = v.doors.pxPerM[i]!;
    idx.push(offsets.door + i);
    q.push(surface(f, px, tasks.person));
    if (meets(f, px, tasks.person)) items.doorsPerson.push(i);
  });
  v.cells.forEach((px, i) => {
    if (px <= 0) return;
    idx.push(offsets.cell + i);
    q.push(Math.min(1, px / obj.observePx));
    if (px >= obj.observePx) {
      items.floorObserve.push(i);
      const r = obj.restrictedCellItem[i]!;
      if (r >= 0) items.restrictedFloorObserve.push(r);
    }
  });
  return { id: camera.id, kind: 'camera', cost, idx: Int32Array.from(idx), q: Float32Array.from(q), items: toArrays(items), camera };
}

/** A shelf made smart: every slot on it weighed. */
export function smartShelfDevice(obj: Objective, shelf: string, cost: number): Device {
  const idx: number[] = [];
  const items = none();
  const weighed: number[] = [];
  obj.targets.slots.forEach((t, i) => {
    if (t.shelf !== shelf) return;
    idx.push(obj.offsets.slotStock + i);
    weighed.push(i);
  });
  return { id: `shelf:${shelf}`, kind: 'smart_shelf', cost, idx: Int32Array.from(idx), q: new Float32Array(idx.length).fill(1), items: { ...items, weighed: Int32Array.from(weighed) }, shelf };
}

/** An RFID antenna reading a zone: its tags, and half the stock knowledge of its slots. */
export function rfidDevice(obj: Objective, zone: string, cost: number): Device {
  const zi = obj.layout.layout.zones.findIndex((z) => z.id === zone);
  if (zi < 0) throw new RangeError(`unknown zone ${zone}`);
  const idx: number[] = [obj.offsets.zoneTags + zi];
  const q: number[] = [1];
  obj.targets.slots.forEach((t, i) => {
    if (t.zone !== zone) return;
    idx.push(obj.offsets.slotStock + i);
    q.push(0.5);
  });
  return { id: `rfid:${zone}`, kind: 'rfid', cost, idx: Int32Array.from(idx), q: Float32Array.from(q), items: { ...none(), zonesRead: Int32Array.of(zi) }, zone };
}

function toArrays(items: Record<Metric, number[]>): Record<Metric, Int32Array> {
  return Object.fromEntries(METRICS.map((m) => [m, Int32Array.from(items[m])])) as Record<Metric, Int32Array>;
}

/** Best quality per target over a set of devices. */
export function bestQuality(obj: Objective, devices: readonly Device[]): Float32Array {
  const cur = new Float32Array(obj.weights.length);
  for (const d of devices) for (let k = 0; k < d.idx.length; k++) if (d.q[k]! > cur[d.idx[k]!]!) cur[d.idx[k]!] = d.q[k]!;
  return cur;
}

/** The objective's value at these best qualities. */
export function valueOf(obj: Objective, cur: Float32Array): number {
  let v = 0;
  for (let i = 0; i < cur.length; i++) v += obj.weights[i]! * cur[i]!;
  return v;
}

/** What a device would add on top of the current best qualities. */
export function gainOf(obj: Objective, cur: Float32Array, d: Device): number {
  let g = 0;
  for (let k = 0; k < d.idx.length; k++) {
    const t = d.idx[k]!;
    const dq = d.q[k]! - cur[t]!;
    if (dq > 0) g += obj.weights[t]! * dq;
  }
  return g;
}

/** Adds a device's qualities into the current best. */
export function addInto(cur: Float32Array, d: Device): void {
  for (let k = 0; k < d.idx.length; k++) if (d.q[k]! > cur[d.idx[k]!]!) cur[d.idx[k]!] = d.q[k]!;
}

/** Each metric's share (0..1) over a set of devices. */
export function metricsOf(obj: Objective, devices: readonly Device[]): Record<Metric, number> {
  const out = {} as Record<Metric, number>;
  for (const m of METRICS) {
    const total = obj.metricTotals[m];
    const hit = new Uint8Array(total);
    let n = 0;
    for (const d of devices) for (const i of d.items[m]) if (!hit[i]) ((hit[i] = 1), n++);
    out[m] = total ? n / total : 0;
  }
  return out;
}
