/**
 * What the cameras of a layout really see: for every slot face, door and zone, which cameras
 * see it, what fraction of it (occlusion by shelves, obstacles and walls included), from what
 * angle and at what pixel density, graded on IEC 62676-4 and on this product's tasks. The
 * report is the `twin coverage --format json` contract (README, "Coverage"): a slot no camera
 * sees has an empty `cameras` list; fields are only ever added.
 *
 * `CoverageModel` keeps each camera's view, so moving or retuning one camera recomputes only
 * that camera (a shelf moved changes what hides what: build a new model).
 */
import type { Camera, DoorKind, ZoneKind } from '../layout/Layout';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { Occluders } from '../layout/occlusion';
import { cameraViews, type CameraViews } from './cameraViews';
import { DEFAULT_TASKS, GRADE_LEVELS, gradeOf, type Grade, type Standard, type Task, type TaskNeeds } from './grades';
import { buildTargets, type TargetOptions, type Targets } from './targets';

export interface CoverageSettings extends TargetOptions {
  /** The IEC 62676-4 edition that grades densities (default 2015). */
  readonly standard?: Standard;
  /** What this product's tasks need (defaults: DEFAULT_TASKS). */
  readonly tasks?: Partial<Record<Task, TaskNeeds>>;
}

/** One camera's view of a slot face or a door. */
export interface TargetView {
  readonly camera: string;
  /** Fraction of the target in the picture with nothing in the way, 0..1 (> 0 to be listed). */
  readonly fraction: number;
  /** Pixels per metre on the target's surface (cameraViews.ts says how). */
  readonly pxPerM: number;
  /** Degrees between the target's normal and the line to the camera; 0 is face-on. */
  readonly angle: number;
  /** The highest IEC level `pxPerM` reaches, null below the lowest. */
  readonly grade: Grade | null;
}

export interface SlotCoverage {
  readonly slot: string;
  readonly shelf: string;
  readonly zone: string;
  /** Best first: most pixels per metre, then the larger fraction, then camera id. */
  readonly cameras: readonly TargetView[];
  /** Some camera sees enough of the face, sharply enough, for the CNN to judge its fill level / its product. */
  readonly fill: boolean;
  readonly product: boolean;
}

export interface DoorCoverage {
  readonly door: string;
  readonly kind: DoorKind;
  readonly zone: string;
  readonly cameras: readonly TargetView[];
  /** Some camera sees enough of the opening to recognise a person passing. */
  readonly person: boolean;
}

/** One camera's view of a zone's floor. */
export interface ZoneView {
  readonly camera: string;
  /** Fraction of the zone's floor cells it sees. */
  readonly fraction: number;
  /** Median pixels per metre over the cells it sees. */
  readonly pxPerM: number;
  readonly grade: Grade | null;
}

export interface ZoneCoverage {
  readonly zone: string;
  readonly kind: ZoneKind;
  readonly restricted: boolean;
  /** Floor area sampled (outside shelves and obstacles), m². */
  readonly area: number;
  /** Fraction of that area some camera sees. */
  readonly seen: number;
  /** Fraction of the area at each best grade (the sharpest camera per cell); cells seen below the lowest level count as `none`. */
  readonly byGrade: Readonly<Partial<Record<Grade | 'none', number>>>;
  readonly cameras: readonly ZoneView[];
}

export interface CameraCoverage {
  readonly camera: string;
  /** Slot faces it sees any part of. */
  readonly slots: number;
  /** Slot faces it alone makes judgeable for fill level (before others are counted). */
  readonly fillSlots: number;
  readonly doors: number;
  /** Floor area it sees, m². */
  readonly floorArea: number;
  /** Median pixels per metre over the slot faces it sees (0 when none). */
  readonly slotPxPerM: number;
}

export interface CoverageTotals {
  readonly slots: number;
  /** Slot faces some camera sees any part of. */
  readonly slotsSeen: number;
  /** Slot faces by their best grade (`none`: unseen or below the lowest level). */
  readonly slotsByGrade: Readonly<Partial<Record<Grade | 'none', number>>>;
  readonly slotsFill: number;
  readonly slotsProduct: number;
  readonly highValueSlots: number;
  readonly highValueSlotsProduct: number;
  readonly doors: number;
  readonly doorsSeen: number;
  readonly doorsPerson: number;
  readonly floorArea: number;
  readonly floorSeen: number;
  /** Sight lines tested to build this report. */
  readonly rays: number;
}

export interface CoverageReport {
  readonly store: string;
  readonly standard: Standard;
  /** The grade levels in force, lowest first. */
  readonly levels: readonly { grade: Grade; pxPerM: number }[];
  readonly tasks: Readonly<Record<Task, TaskNeeds>>;
  readonly slots: readonly SlotCoverage[];
  readonly doors: readonly DoorCoverage[];
  readonly zones: readonly ZoneCoverage[];
  readonly cameras: readonly CameraCoverage[];
  readonly totals: CoverageTotals;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function median(xs: number[]): number {
  if (!xs.length) return 0;
  xs.sort((a, b) => a - b);
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m]! : (xs[m - 1]! + xs[m]!) / 2;
}

export class CoverageModel {
  readonly targets: Targets;
  readonly occluders: Occluders;
  readonly standard: Standard;
  readonly tasks: Readonly<Record<Task, TaskNeeds>>;
  private readonly views = new Map<string, CameraViews>();

  constructor(
    readonly layout: LayoutIndex,
    settings: CoverageSettings = {},
  ) {
    this.standard = settings.standard ?? '2015';
    if (!GRADE_LEVELS[this.standard]) throw new RangeError(`unknown standard ${String(this.standard)}: 2015 or 2025`);
    this.tasks = { ...DEFAULT_TASKS, ...settings.tasks };
    this.targets = buildTargets(layout, settings);
    this.occluders = new Occluders(layout.layout);
    for (const c of layout.layout.cameras) this.setCamera(c);
  }

  /** Adds a camera or replaces the one with its id (moved, turned, another lens): only its view is recomputed. */
  setCamera(camera: Camera): CameraViews {
    const v = cameraViews(camera, this.targets, this.occluders);
    this.views.set(camera.id, v);
    return v;
  }

  removeCamera(id: string): void {
    this.views.delete(id);
  }

  /** The views of the cameras in the model, by id. */
  cameraViews(): ReadonlyMap<string, CameraViews> {
    return this.views;
  }

  report(): CoverageReport {
    const { targets, standard, tasks } = this;
    const views = [...this.views.values()].sort((a, b) => (a.camera.id < b.camera.id ? -1 : 1));
    const grade = (px: number) => gradeOf(px, standard);
    const surface = (kind: 'slots' | 'doors', i: number): TargetView[] => {
      const out: TargetView[] = [];
      for (const v of views) {
        const s = v[kind];
        if (s.fraction[i]! > 0) out.push({ camera: v.camera.id, fraction: round(s.fraction[i]!, 3), pxPerM: round(s.pxPerM[i]!, 1), angle: round(s.angle[i]!, 1), grade: grade(s.pxPerM[i]!) });
      }
      return out.sort((a, b) => b.pxPerM - a.pxPerM || b.fraction - a.fraction || (a.camera < b.camera ? -1 : 1));
    };
    const meets = (list: readonly TargetView[], need: TaskNeeds) => list.some((c) => c.fraction >= need.fraction && c.pxPerM >= need.pxPerM);

    const slots: SlotCoverage[] = targets.slots.map((t, i) => {
      const cameras = surface('slots', i);
      return { slot: t.id, shelf: t.shelf!, zone: t.zone, cameras, fill: meets(cameras, tasks.fill), product: meets(cameras, tasks.product) };
    });
    const doorKinds = this.layout.doors;
    const doors: DoorCoverage[] = targets.doors.map((t, i) => {
      const cameras = surface('doors', i);
      return { door: t.id, kind: doorKinds.get(t.id)!.kind, zone: t.zone, cameras, person: meets(cameras, tasks.person) };
    });

    // Zones: cells grouped by zone, each cell's sharpest camera.
    const cellsByZone = new Map<string, number[]>();
    targets.cells.forEach((c, i) => {
      const list = cellsByZone.get(c.zone) ?? [];
      list.push(i);
      cellsByZone.set(c.zone, list);
    });
    const zones: ZoneCoverage[] = this.layout.layout.zones.map((z) => {
      const cells = cellsByZone.get(z.id) ?? [];
      const byGrade: Partial<Record<Grade | 'none', number>> = {};
      let seen = 0;
      for (const i of cells) {
        let best = 0;
        for (const v of views) best = Math.max(best, v.cells[i]!);
        if (best > 0) seen++;
        const g = best > 0 ? (grade(best) ?? 'none') : 'none';
        byGrade[g] = (byGrade[g] ?? 0) + 1;
      }
      const n = cells.length || 1;
      for (const k of Object.keys(byGrade) as (Grade | 'none')[]) byGrade[k] = round(byGrade[k]! / n, 3);
      const cameras: ZoneView[] = [];
      for (const v of views) {
        const px = cells.map((i) => v.cells[i]!).filter((x) => x > 0);
        if (px.length) {
          const m = median(px);
          cameras.push({ camera: v.camera.id, fraction: round(px.length / n, 3), pxPerM: round(m, 1), grade: grade(m) });
        }
      }
      cameras.sort((a, b) => b.fraction - a.fraction || b.pxPerM - a.pxPerM || (a.camera < b.camera ? -1 : 1));
      return { zone: z.id, kind: z.kind, restricted: z.restricted, area: round(cells.length * targets.cellArea, 2), seen: round(cells.length ? seen / cells.length : 0, 3), byGrade, cameras };
    });

    const cameras: CameraCoverage[] = views.map((v) => {
      let slotCount = 0, fillSlots = 0, doorCount = 0, cellCount = 0;
      const px: number[] = [];
      v.slots.fraction.forEach((f, i) => {
        if (f <= 0) return;
        slotCount++;
        px.push(v.slots.pxPerM[i]!);
        if (f >= tasks.fill.fraction && v.slots.pxPerM[i]! >= tasks.fill.pxPerM) fillSlots++;
      });
      v.doors.fraction.forEach((f) => (doorCount += f > 0 ? 1 : 0));
      v.cells.forEach((p) => (cellCount += p > 0 ? 1 : 0));
      return { camera: v.camera.id, slots: slotCount, fillSlots, doors: doorCount, floorArea: round(cellCount * targets.cellArea, 2), slotPxPerM: round(median(px), 1) };
    });

    const slotsByGrade: Partial<Record<Grade | 'none', number>> = {};
    for (const s of slots) {
      const g = s.cameras[0]?.grade ?? 'none';
      slotsByGrade[g] = (slotsByGrade[g] ?? 0) + 1;
    }
    const high = slots.filter((s) => this.layout.skus.get(this.layout.slots.get(s.slot)!.sku)?.highValue);
    let floorSeen = 0;
    targets.cells.forEach((_, i) => (floorSeen += views.some((v) => v.cells[i]! > 0) ? 1 : 0));
    const totals: CoverageTotals = {
      slots: slots.length,
      slotsSeen: slots.filter((s) => s.cameras.length).length,
      slotsByGrade,
      slotsFill: slots.filter((s) => s.fill).length,
      slotsProduct: slots.filter((s) => s.product).length,
      highValueSlots: high.length,
      highValueSlotsProduct: high.filter((s) => s.product).length,
      doors: doors.length,
      doorsSeen: doors.filter((d) => d.cameras.length).length,
      doorsPerson: doors.filter((d) => d.person).length,
      floorArea: round(targets.cells.length * targets.cellArea, 2),
      floorSeen: round(floorSeen * targets.cellArea, 2),
      rays: views.reduce((a, v) => a + v.rays, 0),
    };
    return { store: this.layout.store, standard, levels: GRADE_LEVELS[standard], tasks, slots, doors, zones, cameras, totals };
  }
}

/** The coverage of a layout's own cameras. */
export function coverageOf(layout: LayoutIndex, settings: CoverageSettings = {}): CoverageReport {
  return new CoverageModel(layout, settings).report();
}
