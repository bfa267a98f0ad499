/**
 * The coverage heat map: every slot's front face and every floor cell the planner's
 * coverage samples, tinted by its best grade or by how many cameras see it (colours from
 * coveragePalette.ts, computed by the Plan tab from the coverage model).
 *
 * Cost: two draw calls however many slots and cells — one InstancedMesh of quads for the slot
 * faces (just in front of each face), one for the floor cells (just above the zone tints) —
 * and 2 triangles a face or cell. A repaint rewrites the instance colours only; the quads are
 * built once per layout (`build`), in the coverage targets' order, so colour i is target i.
 */
import {
  Color,
  DoubleSide,
  Group,
  InstancedMesh,
  Matrix4,
  MeshBasicMaterial,
  PlaneGeometry,
  Quaternion,
  Vector3,
} from 'three';
import { frontFace, frontNormal } from '../../layout/geometry';
import type { Vec3 } from '../../layout/Layout';
import type { LayoutIndex } from '../../layout/LayoutIndex';
import type { CoveragePaint } from '../coveragePalette';

const DEG = Math.PI / 180;
/** A face's tint stands this far in front of the slot's box, so it never fights it for depth. */
const FACE_OFFSET = 0.015;
/** Above the zone tints (6 mm) and their outlines (12 mm). */
const CELL_Z = 0.02;
/** Quads a little smaller than their face or cell, so neighbours read apart. */
const FACE_SHRINK = 0.9;
const CELL_SHRINK = 0.92;

export class CoverageLayer {
  /** Added to the scene once by the renderer. */
  readonly group = new Group();
  faces: InstancedMesh | undefined;
  cells: InstancedMesh | undefined;
  private layout: LayoutIndex | undefined;
  private readonly color = new Color();

  /** `invalidate` asks the renderer for a frame. */
  constructor(private readonly invalidate: () => void = () => {}) {
    this.group.name = 'coverage';
    this.group.visible = false;
  }

  /** The layout the quads were built for. */
  get builtFor(): LayoutIndex | undefined {
    return this.layout;
  }

  /**
   * Builds the quads: one per slot face in layout order (shelves, then their slots: the
   * coverage targets' order) and one per floor cell (`cells`, `cellSize` metres square).
   */
  build(layout: LayoutIndex, cells: readonly { point: Vec3 }[], cellSize: number): void {
    this.clear();
    this.layout = layout;
    const m = new Matrix4();
    const q = new Quaternion();
    const pos = new Vector3();
    const scale = new Vector3();

    const slots = layout.layout.shelves.flatMap((s) => s.slots);
    const faces = new InstancedMesh(new PlaneGeometry(1, 1), material(0.92), Math.max(1, slots.length));
    faces.name = 'coverage-faces';
    faces.count = slots.length;
    placeFaces(faces, layout);
    for (let i = 0; i < slots.length; i++) faces.setColorAt(i, this.color.setHex(0));

    const floor = new InstancedMesh(new PlaneGeometry(1, 1), material(0.7), Math.max(1, cells.length));
    floor.name = 'coverage-cells';
    floor.count = cells.length;
    q.identity();
    scale.set(cellSize * CELL_SHRINK, cellSize * CELL_SHRINK, 1);
    cells.forEach((c, i) => {
      pos.set(c.point[0], c.point[1], CELL_Z);
      floor.setMatrixAt(i, m.compose(pos, q, scale));
      floor.setColorAt(i, this.color.setHex(0));
    });
    for (const mesh of [faces, floor]) {
      mesh.instanceMatrix.needsUpdate = true;
      mesh.computeBoundingSphere();
      // Drawn over the view, never picked: the slot under a tint is what the pointer means.
      mesh.userData = { noPick: true };
      this.group.add(mesh);
    }
    this.faces = faces;
    this.cells = floor;
    this.invalidate();
  }

  /**
   * Moves the slot faces' quads to where the shelves of `layout` stand (the planner moved one;
   * the same slots in the same order as `build`'s), keeping their colours until the next paint.
   */
  placeShelves(layout: LayoutIndex): void {
    if (!this.faces || !this.layout || layout.slotCount !== this.faces.count) return;
    placeFaces(this.faces, layout);
    this.faces.instanceMatrix.needsUpdate = true;
    this.faces.computeBoundingSphere();
    this.invalidate();
  }

  /** Shows these colours (coveragePaint's order), or hides the heat map with `null`. */
  paint(p: CoveragePaint | null): void {
    const show = !!p && !!this.faces && !!this.cells && (p.slots.length > 0 || p.cells.length > 0);
    this.group.visible = show;
    if (show) {
      for (const [mesh, colors] of [[this.faces!, p!.slots], [this.cells!, p!.cells]] as const) {
        const n = Math.min(mesh.count, colors.length);
        for (let i = 0; i < n; i++) mesh.setColorAt(i, this.color.setHex(colors[i]!));
        if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
      }
    }
    this.invalidate();
  }

  /** Drops the quads unless they were built for `layout` (a new layout was opened). */
  keepFor(layout: LayoutIndex): void {
    if (this.layout !== layout) this.clear();
  }

  clear(): void {
    for (const mesh of [this.faces, this.cells]) {
      if (!mesh) continue;
      mesh.removeFromParent();
      mesh.geometry.dispose();
      (mesh.material as MeshBasicMaterial).dispose();
      mesh.dispose();
    }
    this.faces = this.cells = undefined;
    this.layout = undefined;
    this.group.visible = false;
  }

  dispose(): void {
    this.clear();
    this.group.removeFromParent();
  }
}

const UPRIGHT = new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), Math.PI / 2);
const Z = new Vector3(0, 0, 1);

/** Sets face i's quad just in front of slot i's front face (layout order: shelves, then their slots). */
function placeFaces(faces: InstancedMesh, layout: LayoutIndex): void {
  const m = new Matrix4();
  const q = new Quaternion();
  const pos = new Vector3();
  const scale = new Vector3();
  let i = 0;
  for (const shelf of layout.layout.shelves) {
    for (const slot of shelf.slots) {
      const box = layout.slotBox(slot.id);
      const [bl, br, , tl] = frontFace(box) as [Vec3, Vec3, Vec3, Vec3];
      const n = frontNormal(box.yaw);
      pos.set((bl[0] + br[0]) / 2 + n[0] * FACE_OFFSET, (bl[1] + br[1]) / 2 + n[1] * FACE_OFFSET, (bl[2] + tl[2]) / 2);
      // The plane faces +z; stood up it faces -y (a yaw-0 shelf's front), then turned with the shelf.
      q.setFromAxisAngle(Z, box.yaw * DEG).multiply(UPRIGHT);
      scale.set(box.size[0] * FACE_SHRINK, box.size[2] * FACE_SHRINK, 1);
      faces.setMatrixAt(i++, m.compose(pos, q, scale));
    }
  }
}

function material(opacity: number): MeshBasicMaterial {
  // Double-sided and transparent would be two passes (three draws the back faces first): one is enough for flat quads.
  return new MeshBasicMaterial({ transparent: true, opacity, depthWrite: false, side: DoubleSide, forceSinglePass: true, polygonOffset: true, polygonOffsetFactor: -1, polygonOffsetUnits: -1 });
}
