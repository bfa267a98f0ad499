/**
 * Every slot of the layout as ONE InstancedMesh: one draw call however many slots there are.
 * Instance i is the slot `ids[i]`; `index` maps back (the instanced form of the other layers'
 * Map<id, Object3D>). Placement comes from LayoutIndex.slotBox, never re-derived here.
 *
 * Colour is per instance: by SKU, a neutral fill, or later how full the slot is (`setFill`).
 */
import { BoxGeometry, Color, Group, InstancedMesh, Matrix4, MeshLambertMaterial, Quaternion, Vector3 } from 'three';
import type { LayoutIndex } from '../../layout/LayoutIndex';
import { fillColor, NEUTRAL_SLOT, skuColor } from '../palette';

const DEG = Math.PI / 180;
const Z_AXIS = new Vector3(0, 0, 1);
/** Shrink each box inside its share of the shelf so neighbours and level boards stay visible. */
const SHRINK: readonly [number, number, number] = [0.9, 0.9, 0.78];

export type SlotColoring = 'sku' | 'neutral';

export class SlotLayer {
  /** Added to the scene once by the renderer; holds the current mesh. */
  readonly group = new Group();
  /** Empty until the first update; replaced (and the old one disposed) when the slot set changes. */
  mesh: InstancedMesh | undefined;
  private ids: string[] = [];
  private readonly index = new Map<string, number>();
  private layout: LayoutIndex | undefined;
  private coloring: SlotColoring = 'sku';

  /** `invalidate` asks the renderer for a frame after a change made outside `update`. */
  constructor(private readonly invalidate: () => void) {}

  get count(): number {
    return this.ids.length;
  }

  /** The slot an instance shows (for picking), or undefined. */
  slotAt(instance: number): string | undefined {
    return this.ids[instance];
  }

  update(layout: LayoutIndex): void {
    if (layout === this.layout) return;
    this.layout = layout;
    this.disposeMesh();
    this.ids = [...layout.slots.keys()];
    this.index.clear();
    this.ids.forEach((id, i) => this.index.set(id, i));

    const mesh = new InstancedMesh(new BoxGeometry(1, 1, 1), new MeshLambertMaterial({ color: 0xffffff }), Math.max(1, this.ids.length));
    mesh.name = 'slots';
    mesh.count = this.ids.length;
    const m = new Matrix4();
    const q = new Quaternion();
    const pos = new Vector3();
    const scale = new Vector3();
    this.ids.forEach((id, i) => {
      const { center, size, yaw } = layout.slotBox(id);
      // Stock stands on its level's board: drop the shrunken box to the board.
      const h = size[2] * SHRINK[2];
      pos.set(center[0], center[1], center[2] - size[2] / 2 + h / 2 + 0.01);
      q.setFromAxisAngle(Z_AXIS, yaw * DEG);
      scale.set(size[0] * SHRINK[0], size[1] * SHRINK[1], h);
      mesh.setMatrixAt(i, m.compose(pos, q, scale));
    });
    mesh.instanceMatrix.needsUpdate = true;
    mesh.computeBoundingSphere();
    this.mesh = mesh;
    this.group.add(mesh);
    this.recolor();
  }

  /** Colours every slot by its SKU or with the neutral fill. */
  colorBy(coloring: SlotColoring): void {
    this.coloring = coloring;
    this.recolor();
    this.invalidate();
  }

  /**
   * Colours one slot by how full it is (0 empty … 1 full; NaN = not known). Returns false for
   * an id this layout does not have, so a caller can report the unknown slot.
   */
  setFill(slotId: string, fraction: number): boolean {
    const i = this.index.get(slotId);
    if (i === undefined || !this.mesh) return false;
    this.mesh.setColorAt(i, new Color(fillColor(fraction)));
    this.mesh.instanceColor!.needsUpdate = true;
    this.invalidate();
    return true;
  }

  dispose(): void {
    this.disposeMesh();
    this.ids = [];
    this.index.clear();
    this.layout = undefined;
    this.group.removeFromParent();
  }

  private recolor(): void {
    const { mesh, layout } = this;
    if (!mesh || !layout) return;
    const c = new Color();
    this.ids.forEach((id, i) => {
      const sku = layout.slots.get(id)!.sku;
      mesh.setColorAt(i, c.setHex(this.coloring === 'sku' ? skuColor(sku) : NEUTRAL_SLOT));
    });
    if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
  }

  private disposeMesh(): void {
    if (!this.mesh) return;
    this.mesh.removeFromParent();
    this.mesh.geometry.dispose();
    (this.mesh.material as MeshLambertMaterial).dispose();
    this.mesh.dispose();
    this.mesh = undefined;
  }
}
