/**
 * Shelf frames: four uprights, a board at every level and the top, drawn as thin lines so the
 * stock inside stays in view. The stock itself is the SlotLayer's.
 *
 * Every shelf's frame is in ONE LineSegments (one draw call however many shelves), built in
 * room space; `ends` maps a vertex back to its shelf (the batched form of the other layers'
 * Map<id, object>), so picking and selection still name a shelf. A new layout rebuilds the
 * whole batch; a shelf the planner moved (`place`) rewrites only its own vertices.
 */
import { Box3, type BufferAttribute, Group, LineBasicMaterial, LineSegments, Vector3 } from 'three';
import { footprint } from '../../layout/geometry';
import type { Layout, Shelf } from '../../layout/Layout';
import { SHELF_FRAME } from '../palette';
import { segments } from './floorShapes';

const DEG = Math.PI / 180;

type P = readonly [number, number, number];

export class ShelfLayer {
  readonly group = new Group();
  lines: LineSegments | undefined;
  private shelves: readonly Shelf[] | undefined;
  private ids: string[] = [];
  /** For shelf i, the vertex index just past its frame. */
  private ends: number[] = [];
  private readonly byId = new Map<string, Shelf>();

  constructor() {
    this.group.name = 'shelves';
  }

  get size(): number {
    return this.ids.length;
  }

  update(layout: Layout): void {
    if (layout.shelves === this.shelves) return;
    this.shelves = layout.shelves;
    this.drop();
    this.byId.clear();
    const points: P[] = [];
    for (const shelf of layout.shelves) {
      this.byId.set(shelf.id, shelf);
      points.push(...roomFrame(shelf));
      this.ids.push(shelf.id);
      this.ends.push(points.length);
    }
    if (points.length === 0) return;
    this.lines = new LineSegments(segments(points), new LineBasicMaterial({ color: SHELF_FRAME }));
    this.lines.name = 'shelf-frames';
    this.group.add(this.lines);
  }

  /**
   * Shows shelves where the planner moved or turned them (the same shelves: ids, sizes and
   * levels as last `update`): each changed shelf rewrites its own range of the one batch.
   */
  place(shelves: readonly Shelf[]): void {
    const lines = this.lines;
    if (!lines) return;
    const position = lines.geometry.getAttribute('position') as BufferAttribute;
    let changed = false;
    for (const shelf of shelves) {
      const old = this.byId.get(shelf.id);
      if (!old || old === shelf) continue;
      const i = this.ids.indexOf(shelf.id);
      const start = i > 0 ? this.ends[i - 1]! : 0;
      const points = roomFrame(shelf);
      // Another shape (levels, size) would not fit its range: only a new layout changes those.
      if (start + points.length !== this.ends[i]) continue;
      points.forEach((p, k) => position.setXYZ(start + k, p[0], p[1], p[2]));
      this.byId.set(shelf.id, shelf);
      changed = true;
    }
    if (!changed) return;
    position.needsUpdate = true;
    lines.geometry.computeBoundingSphere();
    lines.geometry.computeBoundingBox();
  }

  /** The shelf whose frame holds vertex `index` (a line hit's `index`), or undefined. */
  shelfAtVertex(index: number): string | undefined {
    let lo = 0;
    let hi = this.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! > index) hi = mid;
      else lo = mid + 1;
    }
    return this.ends[lo]! > index ? this.ids[lo] : undefined;
  }

  /** The room-space box around a shelf, or undefined for an unknown id. */
  box(id: string): Box3 | undefined {
    const shelf = this.byId.get(id);
    if (!shelf) return undefined;
    const box = new Box3();
    for (const [x, y] of footprint(shelf.position, shelf.size[0], shelf.size[1], shelf.yaw)) {
      box.expandByPoint(new Vector3(x, y, 0)).expandByPoint(new Vector3(x, y, shelf.size[2]));
    }
    return box;
  }

  dispose(): void {
    this.drop();
    this.shelves = undefined;
    this.group.removeFromParent();
  }

  private drop(): void {
    this.ids = [];
    this.ends = [];
    if (!this.lines) return;
    this.lines.removeFromParent();
    this.lines.geometry.dispose();
    (this.lines.material as LineBasicMaterial).dispose();
    this.lines = undefined;
  }
}

/** A shelf's frame in room space: its segments turned by its yaw and set at its position. */
function roomFrame(shelf: Shelf): P[] {
  const c = Math.cos(shelf.yaw * DEG);
  const s = Math.sin(shelf.yaw * DEG);
  return frameSegments(shelf).map(([x, y, z]) => [shelf.position[0] + x * c - y * s, shelf.position[1] + x * s + y * c, z] as const);
}

/** Four uprights and a rectangle at the floor, every level board and the top, in shelf space. */
function frameSegments(shelf: Shelf): P[] {
  const [w, d, h] = shelf.size;
  const x = w / 2;
  const y = d / 2;
  const out: P[] = [];
  for (const [cx, cy] of [[-x, -y], [x, -y], [x, y], [-x, y]] as const) out.push([cx, cy, 0], [cx, cy, h]);
  for (let k = 0; k <= shelf.levels; k++) {
    const z = (h * k) / shelf.levels;
    out.push([-x, -y, z], [x, -y, z], [x, -y, z], [x, y, z], [x, y, z], [-x, y, z], [-x, y, z], [-x, -y, z]);
  }
  return out;
}
