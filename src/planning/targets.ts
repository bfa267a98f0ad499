/**
 * What a planner wants cameras to see, as sample points: every slot's front face (a grid on
 * the face), every door's opening (a grid across the opening, up to a person's height) and
 * every zone's floor (cells on a grid, judged at a person's torso; cells under a shelf or an
 * obstacle are left out, nobody stands there). Built once per layout, whatever the cameras;
 * a camera's coverage is then which samples it sees and how sharply.
 */
import { doorSpan } from '../layout/doorSpan';
import { footprint, frontFace, frontNormal, pointInPolygon } from '../layout/geometry';
import type { Vec2, Vec3 } from '../layout/Layout';
import type { LayoutIndex } from '../layout/LayoutIndex';

export interface TargetOptions {
  /** Samples along each side of a slot's front face (n x n), default 3. */
  readonly slotSamples?: number;
  /** Height of a door's opening, metres (default 2.0); sampled at 3 heights, 4 points across. */
  readonly doorOpening?: number;
  /** Spacing of a zone's floor cells, metres (default 0.5). */
  readonly cellSize?: number;
  /** Height above the floor at which a zone's cells are judged, metres (default 1: a person's torso). */
  readonly floorHeight?: number;
}

/** A flat target seen from one side (a slot's front) or both (a door's opening). */
export interface SurfaceTarget {
  readonly id: string;
  /** Centre of the surface, where pixel density and angle are measured. */
  readonly centre: Vec3;
  /** Unit normal on the floor plane (both targets here are upright): the slot's front, or either side of a door. */
  readonly normal: Vec2;
  readonly twoSided: boolean;
  /** Sample points, x y z interleaved. */
  readonly samples: Float64Array;
  /** The shelf whose own box never hides this target (a slot's shelf). */
  readonly shelf?: string;
  /** The zone the target belongs to (a slot's shelf's, a door's). */
  readonly zone: string;
}

/** One floor cell of a zone. */
export interface FloorCell {
  readonly zone: string;
  readonly point: Vec3;
}

export interface Targets {
  readonly slots: readonly SurfaceTarget[];
  readonly doors: readonly SurfaceTarget[];
  readonly cells: readonly FloorCell[];
  /** Area of one floor cell, m². */
  readonly cellArea: number;
  /** The options in force, defaults filled in. */
  readonly options: Required<TargetOptions>;
}

export const DEFAULT_TARGET_OPTIONS: Required<TargetOptions> = { slotSamples: 3, doorOpening: 2, cellSize: 0.5, floorHeight: 1 };

export function buildTargets(layout: LayoutIndex, opts: TargetOptions = {}): Targets {
  const o = { ...DEFAULT_TARGET_OPTIONS, ...opts };
  if (!(Number.isInteger(o.slotSamples) && o.slotSamples >= 1)) throw new RangeError(`slotSamples must be a positive integer, not ${o.slotSamples}`);
  if (!(o.cellSize > 0)) throw new RangeError(`cellSize must be > 0 m, not ${o.cellSize}`);
  if (!(o.doorOpening > 0)) throw new RangeError(`doorOpening must be > 0 m, not ${o.doorOpening}`);
  return { slots: slotTargets(layout, o.slotSamples), doors: doorTargets(layout, o.doorOpening), cells: floorCells(layout, o.cellSize, o.floorHeight), cellArea: o.cellSize * o.cellSize, options: o };
}

function slotTargets(layout: LayoutIndex, n: number): SurfaceTarget[] {
  const out: SurfaceTarget[] = [];
  for (const shelf of layout.layout.shelves) {
    for (const slot of shelf.slots) {
      const box = layout.slotBox(slot.id);
      // Corners: bottom-left, bottom-right, top-right, top-left, seen from the front.
      const [bl, br, , tl] = frontFace(box) as [Vec3, Vec3, Vec3, Vec3];
      const samples = new Float64Array(n * n * 3);
      let k = 0;
      for (let i = 0; i < n; i++) {
        const s = (i + 0.5) / n;
        for (let j = 0; j < n; j++) {
          const t = (j + 0.5) / n;
          for (let c = 0; c < 3; c++) samples[k++] = bl[c]! + s * (br[c]! - bl[c]!) + t * (tl[c]! - bl[c]!);
        }
      }
      const centre: Vec3 = [bl[0] + (br[0] - bl[0]) / 2 + (tl[0] - bl[0]) / 2, bl[1] + (br[1] - bl[1]) / 2 + (tl[1] - bl[1]) / 2, bl[2] + (tl[2] - bl[2]) / 2];
      out.push({ id: slot.id, centre, normal: frontNormal(box.yaw), twoSided: false, samples, shelf: shelf.id, zone: shelf.zone });
    }
  }
  return out;
}

function doorTargets(layout: LayoutIndex, opening: number): SurfaceTarget[] {
  const across = 4;
  const up = 3;
  return layout.layout.doors.map((door) => {
    const zone = layout.zones.get(door.zone);
    const span = doorSpan(door.position, door.width, [layout.layout.room.outline, ...(zone ? [zone.outline] : [])]);
    const samples = new Float64Array(across * up * 3);
    let k = 0;
    for (let i = 0; i < across; i++) {
      const s = (i + 0.5) / across;
      for (let j = 0; j < up; j++) {
        samples[k++] = span.a[0] + s * (span.b[0] - span.a[0]);
        samples[k++] = span.a[1] + s * (span.b[1] - span.a[1]);
        samples[k++] = ((j + 0.5) / up) * opening;
      }
    }
    const dx = span.b[0] - span.a[0];
    const dy = span.b[1] - span.a[1];
    const len = Math.hypot(dx, dy) || 1;
    return { id: door.id, centre: [door.position[0], door.position[1], opening / 2], normal: [-dy / len, dx / len], twoSided: true, samples, zone: door.zone };
  });
}

function floorCells(layout: LayoutIndex, size: number, height: number): FloorCell[] {
  const l = layout.layout;
  const blocked = [...l.shelves, ...l.obstacles].map((b) => footprint(b.position, b.size[0], b.size[1], b.yaw));
  const out: FloorCell[] = [];
  for (const zone of l.zones) {
    const xs = zone.outline.map((p) => p[0]);
    const ys = zone.outline.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    for (let x = x0 + size / 2; x < x1; x += size) {
      for (let y = y0 + size / 2; y < y1; y += size) {
        const p: Vec2 = [x, y];
        if (!pointInPolygon(p, zone.outline, 0) || !pointInPolygon(p, l.room.outline, 0)) continue;
        if (blocked.some((f) => pointInPolygon(p, f, 0))) continue;
        out.push({ zone: zone.id, point: [x, y, height] });
      }
    }
  }
  return out;
}
