/**
 * Detection value: what a layout's devices would catch of what really happened. Each truth
 * record of a scenario (sim/world/Truth.ts) is judged, per kind of device, on whether that
 * device kind would have seen it; the answer is counted per truth kind (and per subtype) with
 * the units and their value at cost, caught and in all. The ROI turns this into money.
 *
 * Where a record happened ("its place"):
 * - a slot: the record names a slot of this layout (thefts from a slot, misplacements,
 *   unscanned moves, sensor faults);
 * - a zone: it names no slot but a zone of this layout (deliveries at the dock: sweethearting,
 *   short shipments, receiving errors, phantom receipts);
 * - none: neither (bad messages, phantom stock, or a place this layout does not have). Such
 *   records are counted as `noPlace` and not judged: no device can be said to catch them.
 *
 * When a device kind catches a record with a place ("caught"):
 * - camera, at a slot: some camera sees the slot's face well enough for the shelf CNN to
 *   judge its fill level (the fill task: `SlotCoverage.fill`), since stock changed there. A
 *   misplacement needs more: the product task at the slot the stock went to (the wrong
 *   product must be told from the right one: `SlotCoverage.product`). A dock walk-out is
 *   also caught when a person is recognisable at one of the layout's dock doors (the person
 *   task: `DoorCoverage.person`), the way the stock leaves; the truth names no door.
 * - camera, at a zone: when the zone has dock doors (deliveries pass them), a person is
 *   recognisable at one of them; otherwise at least half of the zone's floor is seen at the
 *   standard's observe level (62.5 px/m in 2015, 80 in 2025).
 * - smart shelf, at a slot: every shelf of a layout is a smart shelf (the contract makes
 *   every slot a load-cell position), so the slot's shelf weighs thefts, misplacements and
 *   unscanned moves. A sensor fault is the load cell failing: its own shelf does not catch
 *   it. Zone records move no slot's stock: never.
 * - RFID: a reader's antenna covers the place's zone (for a slot, its shelf's zone). A
 *   misplacement is caught only when the stock went to another zone than its intended
 *   slot's: a read places a tag in a zone, not on a slot.
 * A record is caught by `any` when one of the three catches it.
 *
 * Units are the record's `units` taken as a size (a receiving error's are signed); value at
 * cost is units x the SKU's `unitCost` in this layout (0 for a SKU it does not know).
 */
import type { TruthRecord } from '../../sim/world/Truth';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { CoverageModel, type CoverageReport, type CoverageSettings } from './coverage';
import { GRADE_LEVELS } from './grades';

/** The least fraction of a zone's floor seen at the observe level for a camera to catch what happens there. */
export const FLOOR_FRACTION = 0.5;

export type CatchingDevice = 'camera' | 'smartShelf' | 'rfid' | 'any';
export const CATCHING_DEVICES: readonly CatchingDevice[] = ['camera', 'smartShelf', 'rfid', 'any'];

/** One truth record judged. */
export interface RecordJudgement {
  readonly record: TruthRecord;
  readonly place: 'slot' | 'zone' | 'none';
  /** Whether each device kind catches it; all false when `place` is none. */
  readonly caught: Readonly<Record<CatchingDevice, boolean>>;
  /** |units|, 0 when the record names none. */
  readonly units: number;
  /** units x unitCost. */
  readonly value: number;
}

/** The records of one truth kind (or one kind and subtype), counted. */
export interface DetectionRow {
  readonly kind: string;
  /** Set on subtype rows only. */
  readonly subtype?: string;
  /** Records of this kind, judged or not. */
  readonly records: number;
  /** Records with no place in this layout, not judged. */
  readonly noPlace: number;
  /** Records caught by each device kind (any: by at least one). */
  readonly caught: Readonly<Record<CatchingDevice, number>>;
  /** Units and value at cost: of all records of this kind, and of those each device kind catches. */
  readonly units: { readonly total: number; readonly caught: Readonly<Record<CatchingDevice, number>> };
  readonly value: { readonly total: number; readonly caught: Readonly<Record<CatchingDevice, number>> };
}

export interface DetectionValue {
  readonly store: string;
  readonly standard: CoverageReport['standard'];
  /** Per truth kind, in the order kinds first appear in the truth. */
  readonly kinds: readonly DetectionRow[];
  /** Per kind and subtype, for the records that have a subtype. */
  readonly subtypes: readonly DetectionRow[];
  /** Every record together (kind `all`). */
  readonly total: DetectionRow;
}

const SLOT_WEIGHED = new Set(['theft', 'misplacement', 'unscanned_move']);

/** Judges records against the cameras of a coverage model (and the readers and shelves of its layout). */
export class DetectionJudge {
  private readonly fill = new Set<string>();
  private readonly product = new Set<string>();
  private readonly dockPerson: boolean;
  private readonly zoneDockDoors = new Map<string, boolean[]>();
  private readonly floorSeen = new Map<string, boolean>();
  private readonly readZones = new Set<string>();
  private readonly layout: LayoutIndex;
  readonly standard: CoverageReport['standard'];

  constructor(model: CoverageModel, report: CoverageReport = model.report()) {
    this.layout = model.layout;
    this.standard = report.standard;
    for (const s of report.slots) {
      if (s.fill) this.fill.add(s.slot);
      if (s.product) this.product.add(s.slot);
    }
    const dock = report.doors.filter((d) => d.kind === 'dock');
    this.dockPerson = dock.some((d) => d.person);
    for (const d of dock) this.zoneDockDoors.set(d.zone, [...(this.zoneDockDoors.get(d.zone) ?? []), d.person]);
    // A zone's floor: the fraction of its cells whose sharpest camera reaches the observe level.
    const observe = GRADE_LEVELS[report.standard].find((l) => l.grade === 'observe')!.pxPerM;
    const views = [...model.cameraViews().values()];
    const cells = new Map<string, { n: number; seen: number }>();
    model.targets.cells.forEach((c, i) => {
      const z = cells.get(c.zone) ?? { n: 0, seen: 0 };
      z.n++;
      if (views.some((v) => v.cells[i]! >= observe)) z.seen++;
      cells.set(c.zone, z);
    });
    for (const [zone, z] of cells) this.floorSeen.set(zone, z.n > 0 && z.seen / z.n >= FLOOR_FRACTION);
    // A reader written with one `zone` has it as antenna 1 (the parser fills it in).
    for (const r of this.layout.layout.rfid) for (const z of Object.values(r.antennas)) this.readZones.add(z);
  }

  judge(t: TruthRecord): RecordJudgement {
    const units = Math.abs(t.units ?? 0);
    const sku = t.sku === undefined ? undefined : this.layout.skus.get(t.sku);
    const value = units * (sku?.unitCost ?? 0);
    const slot = t.slot === undefined ? undefined : this.layout.slots.get(t.slot);
    const zone = slot ? this.layout.zoneOfSlot(slot.id)! : t.zone !== undefined && this.layout.zones.has(t.zone) ? t.zone : undefined;
    const place = slot ? 'slot' : zone ? 'zone' : 'none';
    let camera = false, smartShelf = false, rfid = false;
    if (slot) {
      if (t.kind === 'concealment') {
        // Stock behind a board: a camera that sees the slot's fill, against its load cell (fusion's hidden stock); no reader or cell alone tells.
        camera = this.fill.has(slot.id);
      } else if (t.kind === 'misplacement') {
        camera = this.product.has(slot.id);
        const intended = t.intendedSlot === undefined ? undefined : this.layout.zoneOfSlot(t.intendedSlot);
        rfid = this.readZones.has(zone!) && intended !== zone;
      } else {
        camera = this.fill.has(slot.id) || (t.kind === 'theft' && t.subtype === 'dock_walkout' && this.dockPerson);
        rfid = this.readZones.has(zone!);
      }
      smartShelf = SLOT_WEIGHED.has(t.kind);
    } else if (zone) {
      const doors = this.zoneDockDoors.get(zone);
      camera = doors ? doors.some((p) => p) : (this.floorSeen.get(zone) ?? false);
      rfid = this.readZones.has(zone);
    }
    return { record: t, place, caught: { camera, smartShelf, rfid, any: camera || smartShelf || rfid }, units, value };
  }
}

function emptyCounts(): Record<CatchingDevice, number> {
  return { camera: 0, smartShelf: 0, rfid: 0, any: 0 };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function rowOf(kind: string, subtype: string | undefined, judged: readonly RecordJudgement[]): DetectionRow {
  const caught = emptyCounts(), units = emptyCounts(), value = emptyCounts();
  let unitsTotal = 0, valueTotal = 0, noPlace = 0;
  for (const j of judged) {
    unitsTotal += j.units;
    valueTotal += j.value;
    if (j.place === 'none') noPlace++;
    for (const d of CATCHING_DEVICES) {
      if (!j.caught[d]) continue;
      caught[d]++;
      units[d] += j.units;
      value[d] += j.value;
    }
  }
  for (const d of CATCHING_DEVICES) value[d] = round2(value[d]);
  return {
    kind, ...(subtype === undefined ? {} : { subtype }), records: judged.length, noPlace, caught,
    units: { total: unitsTotal, caught: units }, value: { total: round2(valueTotal), caught: value },
  };
}

/** Counts judged records per kind, per kind and subtype, and in all. */
export function summarise(store: string, standard: CoverageReport['standard'], judged: readonly RecordJudgement[]): DetectionValue {
  const byKind = new Map<string, RecordJudgement[]>();
  const bySub = new Map<string, RecordJudgement[]>();
  const add = (m: Map<string, RecordJudgement[]>, key: string, j: RecordJudgement) => {
    const list = m.get(key);
    if (list) list.push(j);
    else m.set(key, [j]);
  };
  for (const j of judged) {
    add(byKind, j.record.kind, j);
    if (j.record.subtype !== undefined) add(bySub, `${j.record.kind}\u0000${j.record.subtype}`, j);
  }
  return {
    store, standard,
    kinds: [...byKind].map(([k, js]) => rowOf(k, undefined, js)),
    subtypes: [...bySub].map(([key, js]) => {
      const [k, sub] = key.split('\u0000') as [string, string];
      return rowOf(k, sub, js);
    }),
    total: rowOf('all', undefined, judged),
  };
}

/** The detection value of a coverage model's layout against a scenario's truth. */
export function detectionValue(model: CoverageModel, truth: readonly TruthRecord[], report?: CoverageReport): DetectionValue {
  const judge = new DetectionJudge(model, report);
  return summarise(model.layout.store, judge.standard, truth.map((t) => judge.judge(t)));
}

/** The same from a layout: its own cameras, readers and shelves. */
export function detectionValueOf(layout: LayoutIndex, truth: readonly TruthRecord[], settings: CoverageSettings = {}): DetectionValue {
  return detectionValue(new CoverageModel(layout, settings), truth);
}
