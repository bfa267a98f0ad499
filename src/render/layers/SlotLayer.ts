/**
 * Every slot of the layout, drawn so that neither draw calls nor triangles grow with slots.
 *
 * Why not one box per slot: renderer.info counts an InstancedMesh as instances × triangles,
 * and so does the GPU's vertex work, so instanced slot boxes cost 12 triangles a slot (60,000
 * at 5,000 slots). Instead there is ONE InstancedMesh with one box per shelf LEVEL (12
 * triangles a level, however many slots stand on it), and its fragment shader finds the slot
 * under each pixel from the box's local x (slot k of n covers x in [k/n, (k+1)/n] of the
 * width, index 0 leftmost seen from the front: the same rule as LayoutIndex.slotBox) and
 * reads that slot's look from a small DataTexture: colour and bar height in one texel, flags
 * (mismatch, selected, offline) in the next. Changing a slot rewrites two texels, not
 * geometry. Draw calls: 1; triangles: 12 × levels holding slots.
 *
 * Look: each slot is a bar standing on its board, as tall as it is full, in its fill colour
 * (or SKU colour before anything is known); the space above the bar is empty. A slot whose
 * load cell and book disagree gets a magenta frame around its whole box, the selected slot a
 * white one, an offline slot is greyed, the slot under the pointer is lit up.
 *
 * Picking: three's raycast on the InstancedMesh gives the level (instanceId) and the hit
 * point; `slotAtHit` maps the point back to the slot the same way the shader does.
 *
 * A shelf the planner moved (`place`) rewrites its levels' instance matrices only: the slots'
 * looks (fill bars, flags) stay in the texture, draw calls and triangles are unchanged.
 */
import {
  BoxGeometry,
  DataTexture,
  DoubleSide,
  Group,
  InstancedBufferAttribute,
  InstancedMesh,
  Matrix4,
  NearestFilter,
  Quaternion,
  RGBAFormat,
  ShaderMaterial,
  UnsignedByteType,
  Vector3,
} from 'three';
import type { Shelf } from '../../layout/Layout';
import type { LayoutIndex } from '../../layout/LayoutIndex';
import { fillColor, NEUTRAL_SLOT, skuColor } from '../palette';
import { slotFragmentShader, slotVertexShader } from './slotShader';

const DEG = Math.PI / 180;
const Z_AXIS = new Vector3(0, 0, 1);
/** Depth and height of a level's box inside its share of the shelf, so boards stay visible. */
const DEPTH_SHRINK = 0.9;
const HEIGHT_SHRINK = 0.78;
/** Texels a row of the data texture; two texels a slot. */
const TEX_W = 1024;
/** The least bar drawn for an empty slot, so "empty" still shows as a red sliver. */
const MIN_BAR = 0.06;

export type SlotColoring = 'sku' | 'neutral';

/** Bits of a slot's flags. */
const MISMATCH = 1;
const SELECTED = 2;
const OFFLINE = 4;
const HOVERED = 8;

export class SlotLayer {
  /** Added to the scene once by the renderer; holds the current mesh. */
  readonly group = new Group();
  /** One instance per shelf level that holds slots; undefined before the first update. */
  mesh: InstancedMesh | undefined;
  /** Slot ids in texture order: by shelf, level, then index along the level. */
  private ids: string[] = [];
  private readonly index = new Map<string, number>();
  /** Per instance (level): its first slot in texture order and how many it holds. */
  private levelFirst: number[] = [];
  private levelCount: number[] = [];
  /** Per instance: the shelf as drawn and the level. */
  private levelShelf: Shelf[] = [];
  private levelNo: number[] = [];
  private data = new Uint8Array(4 * TEX_W);
  private texture: DataTexture | undefined;
  private flags = new Uint8Array(0);
  private layout: LayoutIndex | undefined;
  private coloring: SlotColoring = 'sku';
  private selected = -1;
  private hovered = -1;
  private muted = false;

  /** `invalidate` asks the renderer for a frame after a change made outside `update`. */
  constructor(private readonly invalidate: () => void) {}

  get count(): number {
    return this.ids.length;
  }

  /** Shelf levels drawn (instances of the mesh): what the triangles track. */
  get levels(): number {
    return this.levelFirst.length;
  }

  has(slotId: string): boolean {
    return this.index.has(slotId);
  }

  /** The slot under a hit on level `instance` at world point `point`, or undefined. */
  slotAtHit(instance: number, point: Vector3): string | undefined {
    const n = this.levelCount[instance];
    if (!this.mesh || n === undefined) return undefined;
    const m = new Matrix4();
    this.mesh.getMatrixAt(instance, m);
    const local = point.clone().applyMatrix4(m.invert());
    const k = Math.min(n - 1, Math.max(0, Math.floor((local.x + 0.5) * n)));
    return this.ids[this.levelFirst[instance]! + k];
  }

  update(layout: LayoutIndex): void {
    if (layout === this.layout) return;
    this.layout = layout;
    this.disposeMesh();
    this.ids = [];
    this.index.clear();
    this.levelFirst = [];
    this.levelCount = [];
    this.levelShelf = [];
    this.levelNo = [];
    this.selected = -1;
    this.hovered = -1;
    const boxes: { shelf: (typeof layout.layout.shelves)[number]; level: number }[] = [];
    for (const shelf of layout.layout.shelves) {
      const byLevel = new Map<number, { id: string; index: number }[]>();
      for (const slot of shelf.slots) {
        const list = byLevel.get(slot.level) ?? [];
        list.push(slot);
        byLevel.set(slot.level, list);
      }
      for (const level of [...byLevel.keys()].sort((a, b) => a - b)) {
        const slots = byLevel.get(level)!.sort((a, b) => a.index - b.index);
        this.levelFirst.push(this.ids.length);
        this.levelCount.push(slots.length);
        for (const s of slots) {
          this.index.set(s.id, this.ids.length);
          this.ids.push(s.id);
        }
        boxes.push({ shelf, level });
        this.levelShelf.push(shelf);
        this.levelNo.push(level);
      }
    }

    const rows = Math.max(1, Math.ceil((2 * this.ids.length) / TEX_W));
    this.data = new Uint8Array(4 * TEX_W * rows);
    this.flags = new Uint8Array(this.ids.length);
    const texture = new DataTexture(this.data, TEX_W, rows, RGBAFormat, UnsignedByteType);
    texture.magFilter = NearestFilter;
    texture.minFilter = NearestFilter;
    texture.generateMipmaps = false;
    texture.needsUpdate = true;
    this.texture = texture;

    const geometry = new BoxGeometry(1, 1, 1);
    const range = new Float32Array(2 * boxes.length);
    const size = new Float32Array(3 * boxes.length);
    const material = new ShaderMaterial({
      uniforms: { slotData: { value: texture }, texWidth: { value: TEX_W }, muted: { value: this.muted ? 1 : 0 } },
      vertexShader: slotVertexShader,
      fragmentShader: slotFragmentShader,
      side: DoubleSide,
    });
    const mesh = new InstancedMesh(geometry, material, Math.max(1, boxes.length));
    mesh.name = 'slots';
    mesh.count = boxes.length;
    const m = new Matrix4();
    boxes.forEach(({ shelf, level }, i) => {
      const [w, d, h] = shelf.size;
      const boxH = (h / shelf.levels) * HEIGHT_SHRINK;
      mesh.setMatrixAt(i, levelMatrix(shelf, level, m));
      range.set([this.levelFirst[i]!, this.levelCount[i]!], 2 * i);
      size.set([w, d * DEPTH_SHRINK, boxH], 3 * i);
    });
    geometry.setAttribute('slotRange', new InstancedBufferAttribute(range, 2));
    geometry.setAttribute('levelSize', new InstancedBufferAttribute(size, 3));
    mesh.instanceMatrix.needsUpdate = true;
    mesh.computeBoundingSphere();
    mesh.computeBoundingBox();
    this.mesh = mesh;
    this.group.add(mesh);
    this.recolor();
  }

  /**
   * Shows shelves where the planner moved or turned them (the same shelves as the layout last
   * `update`d: ids, sizes and levels): only their levels' matrices are rewritten.
   */
  place(shelves: readonly Shelf[]): void {
    const mesh = this.mesh;
    if (!mesh) return;
    const byId = new Map(shelves.map((s) => [s.id, s]));
    const m = new Matrix4();
    let changed = false;
    this.levelShelf.forEach((drawn, i) => {
      const shelf = byId.get(drawn.id);
      if (!shelf || shelf === drawn) return;
      mesh.setMatrixAt(i, levelMatrix(shelf, this.levelNo[i]!, m));
      this.levelShelf[i] = shelf;
      changed = true;
    });
    if (!changed) return;
    mesh.instanceMatrix.needsUpdate = true;
    // Raycasting culls by these: they must cover the shelves where they are now.
    mesh.computeBoundingSphere();
    mesh.computeBoundingBox();
    this.invalidate();
  }

  /**
   * Greys every slot's colour (fill or SKU) while something else is read off the shelves —
   * the coverage heat map's slot faces — keeping flags and bar heights. One uniform: no texels.
   */
  mute(on: boolean): void {
    if (on === this.muted) return;
    this.muted = on;
    if (this.mesh) (this.mesh.material as ShaderMaterial).uniforms.muted!.value = on ? 1 : 0;
    this.invalidate();
  }

  /** Colours every slot by its SKU or with the neutral fill, bars full (nothing known yet). */
  colorBy(coloring: SlotColoring): void {
    this.coloring = coloring;
    this.recolor();
    this.invalidate();
  }

  /**
   * Colours one slot by how full it is (0 empty … 1 full; NaN = not known) and sets its bar
   * to that height. Returns false for an id this layout does not have, so a caller can report
   * the unknown slot.
   */
  setFill(slotId: string, fraction: number): boolean {
    const i = this.index.get(slotId);
    if (i === undefined) return false;
    this.writeLook(i, fillColor(fraction), fraction);
    this.changed();
    return true;
  }

  /**
   * Sets a slot's fill and mismatch flag without asking for a frame (the caller batches many
   * and calls `changed` once). False for an unknown id.
   */
  setSlot(slotId: string, fill: number, mismatch: boolean): boolean {
    const i = this.index.get(slotId);
    if (i === undefined) return false;
    this.writeLook(i, fillColor(fill), fill);
    this.writeFlag(i, MISMATCH, mismatch);
    return true;
  }

  /** Greys a slot whose own device (load cell) is offline; no frame asked. */
  setOffline(slotId: string, offline: boolean): boolean {
    const i = this.index.get(slotId);
    if (i === undefined) return false;
    this.writeFlag(i, OFFLINE, offline);
    return true;
  }

  /** Frames one slot in white (or none with undefined). */
  select(slotId: string | undefined): void {
    const i = slotId === undefined ? -1 : (this.index.get(slotId) ?? -1);
    if (i === this.selected) return;
    if (this.selected >= 0) this.writeFlag(this.selected, SELECTED, false);
    if (i >= 0) this.writeFlag(i, SELECTED, true);
    this.selected = i;
    this.changed();
  }

  /** Lightens the slot under the pointer (or none with undefined). */
  hover(slotId: string | undefined): void {
    const i = slotId === undefined ? -1 : (this.index.get(slotId) ?? -1);
    if (i === this.hovered) return;
    if (this.hovered >= 0) this.writeFlag(this.hovered, HOVERED, false);
    if (i >= 0) this.writeFlag(i, HOVERED, true);
    this.hovered = i;
    this.changed();
  }

  /** Uploads the data texture and asks for a frame: call once after a batch of set*. */
  changed(): void {
    if (this.texture) this.texture.needsUpdate = true;
    this.invalidate();
  }

  dispose(): void {
    this.disposeMesh();
    this.ids = [];
    this.index.clear();
    this.levelShelf = [];
    this.layout = undefined;
    this.group.removeFromParent();
  }

  private writeLook(i: number, color: number, fill: number): void {
    const o = 8 * i;
    this.data[o] = (color >> 16) & 0xff;
    this.data[o + 1] = (color >> 8) & 0xff;
    this.data[o + 2] = color & 0xff;
    const bar = Number.isNaN(fill) ? 1 : Math.min(1, Math.max(MIN_BAR, fill));
    this.data[o + 3] = Math.round(bar * 255);
  }

  private writeFlag(i: number, bit: number, on: boolean): void {
    const flags = on ? this.flags[i]! | bit : this.flags[i]! & ~bit;
    this.flags[i] = flags;
    const o = 8 * i + 4;
    this.data[o] = flags & MISMATCH ? 255 : 0;
    this.data[o + 1] = flags & SELECTED ? 255 : 0;
    this.data[o + 2] = flags & OFFLINE ? 255 : 0;
    this.data[o + 3] = flags & HOVERED ? 255 : 0;
  }

  private recolor(): void {
    const { layout } = this;
    if (!layout) return;
    this.ids.forEach((id, i) => {
      const sku = layout.slots.get(id)!.sku;
      this.writeLook(i, this.coloring === 'sku' ? skuColor(sku) : NEUTRAL_SLOT, Number.NaN);
    });
    if (this.texture) this.texture.needsUpdate = true;
  }

  private disposeMesh(): void {
    if (!this.mesh) return;
    this.mesh.removeFromParent();
    this.mesh.geometry.dispose();
    (this.mesh.material as ShaderMaterial).dispose();
    this.mesh.dispose();
    this.texture?.dispose();
    this.texture = undefined;
    this.mesh = undefined;
  }
}

const POS = new Vector3();
const TURN = new Quaternion();
const SCALE = new Vector3();

/** The box of a shelf's level in the room: the stock stands on its level's board, not centred in the level. */
function levelMatrix(shelf: Shelf, level: number, out: Matrix4): Matrix4 {
  const [w, d, h] = shelf.size;
  const levelH = h / shelf.levels;
  const boxH = levelH * HEIGHT_SHRINK;
  POS.set(shelf.position[0], shelf.position[1], levelH * level + 0.01 + boxH / 2);
  TURN.setFromAxisAngle(Z_AXIS, shelf.yaw * DEG);
  SCALE.set(w, d * DEPTH_SHRINK, boxH);
  return out.compose(POS, TURN, SCALE);
}
