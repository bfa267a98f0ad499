/**
 * Small pieces the layout generators share: rectangles, shelving bays with their slots,
 * cameras aimed at a point, and the footprint test that keeps bays clear of columns.
 * Pure and deterministic: the same arguments always build the same JSON.
 */
import { convexOverlap, footprint } from '../../src/layout/geometry';
import type { Vec2, Vec3 } from '../../src/layout/Layout';
import type { CameraJson, ObstacleJson, ShelfJson, SlotJson } from './LayoutJson';

/** Rounds to millimetres (or `dp` decimals) so the file shows 2.475, not 2.4750000000000001. */
export function round(v: number, dp = 3): number {
  const f = 10 ** dp;
  const r = Math.round(v * f) / f;
  return r === 0 ? 0 : r;
}

/** An axis-aligned rectangle [x0, x1] x [y0, y1] as a counter-clockwise outline. */
export function rect(x0: number, y0: number, x1: number, y1: number): Vec2[] {
  return [
    [round(x0), round(y0)],
    [round(x1), round(y0)],
    [round(x1), round(y1)],
    [round(x0), round(y1)],
  ];
}

/** A bay to build: a shelf's own fields (layout contract), with slots described by SKU per level. */
export interface BaySpec extends Omit<ShelfJson, 'slots'> {
  /**
   * The SKU of each slot, bottom level first and left to right seen from the front; a level's
   * slots share its width evenly. Levels past the end of the list carry no load cells.
   */
  skusByLevel: readonly (readonly string[])[];
  /** Units of `sku` that fit one slot when its level is split `slotsOnLevel` ways. */
  capacity: (sku: string, slotsOnLevel: number) => number;
}

/** A shelving bay with one slot per SKU entry, ids `${bay}-L${level}-${index}`. */
export function bay(spec: BaySpec): ShelfJson {
  if (spec.skusByLevel.length > spec.levels) throw new RangeError(`bay ${spec.id}: more slot levels than levels`);
  const slots: SlotJson[] = [];
  spec.skusByLevel.forEach((skus, level) => {
    skus.forEach((sku, index) => {
      slots.push({ id: `${spec.id}-L${level}-${index}`, level, index, sku, capacity: spec.capacity(sku, skus.length) });
    });
  });
  return {
    id: spec.id,
    zone: spec.zone,
    position: [round(spec.position[0]), round(spec.position[1])],
    yaw: spec.yaw,
    size: spec.size,
    levels: spec.levels,
    slots,
  };
}

/**
 * A fixed camera at `position` aimed at the floor point `target`: yaw points at it, pitch
 * looks down at it but stays within what a wall or column mount gives (-40 to -25 degrees).
 */
export function aimedCamera(id: string, position: Vec3, target: Vec2, hfov: number, resolution: [number, number]): CameraJson {
  const dx = target[0] - position[0];
  const dy = target[1] - position[1];
  const yaw = ((Math.atan2(dy, dx) * 180) / Math.PI + 360) % 360;
  const down = (Math.atan2(position[2], Math.hypot(dx, dy)) * 180) / Math.PI;
  const pitch = -Math.min(40, Math.max(25, down));
  return { id, position, yaw: round(yaw, 1), pitch: round(pitch, 1), hfov, resolution };
}

/** A structural column: square, floor to ceiling. */
export function column(id: string, x: number, y: number, height: number, side = 0.4): ObstacleJson {
  return { id, position: [x, y], size: [side, side, height], yaw: 0 };
}

/** The floor footprint of a shelf or obstacle. */
export function footprintOf(part: { position: Vec2; size: Vec3; yaw: number }): Vec2[] {
  return footprint(part.position, part.size[0], part.size[1], part.yaw);
}

/** True when `part` stands (with `clearance` metres to spare) clear of every obstacle given. */
export function clearOf(part: { position: Vec2; size: Vec3; yaw: number }, obstacles: readonly ObstacleJson[], clearance = 0.05): boolean {
  const grown = { ...part, size: [part.size[0] + 2 * clearance, part.size[1] + 2 * clearance, part.size[2]] as Vec3 };
  const mine = footprintOf(grown);
  return obstacles.every((o) => !convexOverlap(mine, footprintOf(o)));
}
