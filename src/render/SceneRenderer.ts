/**
 * The 3D view of a layout: owns the WebGL renderer, the scene, the view camera with its
 * orbit controls, and one layer per kind of part. It renders on demand only — when the
 * controls move, the size changes or a layer changes — never in a loop while idle.
 *
 * The frame is z-up like the layout (floor is x-y). Nothing here edits the twin; the view
 * only reads the layout and the RoomView it is given (`show`): slot fill and mismatch, open
 * doors, people present, offline devices, plus the alerts the page pins (`setAlerts`).
 * `pick` names what is under a point, `select` outlines it, `focus` turns the view about it.
 *
 * Cost: slots are one draw call and 12 triangles a shelf level (SlotLayer explains how), shelf
 * frames one draw call, people/offline markers/alerts one each; the rest track the parts of
 * the room (zones, doors, cameras), never the slots. The planner's coverage heat map
 * (CoverageLayer) adds two draw calls; a selected camera's own view (CameraInset) draws the
 * room a second time, in a corner, in the same frame.
 */
import {
  Box3,
  Box3Helper,
  Color,
  DirectionalLight,
  HemisphereLight,
  type Intersection,
  type Object3D,
  PerspectiveCamera,
  Plane,
  Raycaster,
  Scene,
  SRGBColorSpace,
  Vector2,
  Vector3,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Camera, Vec3 } from '../layout/Layout';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { RoomView } from '../twin/RoomView';
import { frameRoom } from './framing';
import { SELECTED } from './palette';
import { anchorOf } from './placement';
import { CameraInset } from './CameraInset';
import { sameRef, type SceneRef } from './SceneRef';
import { AlertLayer, type SceneAlert } from './layers/AlertLayer';
import { PresenceLayer } from './layers/PresenceLayer';
import { CameraLayer } from './layers/CameraLayer';
import { CoverageLayer } from './layers/CoverageLayer';
import { DoorLayer } from './layers/DoorLayer';
import { ObstacleLayer } from './layers/ObstacleLayer';
import { RfidLayer } from './layers/RfidLayer';
import { RoomLayer } from './layers/RoomLayer';
import { ShelfLayer } from './layers/ShelfLayer';
import { SlotLayer } from './layers/SlotLayer';
import { ZoneLayer } from './layers/ZoneLayer';

/** What the last frame cost, for tests and benchmarks. */
export interface SceneStats {
  /** Draw calls in the last frame. */
  readonly calls: number;
  readonly triangles: number;
  readonly lines: number;
  /** Slots drawn (instances in the slot mesh). */
  readonly slots: number;
  /** Frames rendered since creation: stays put while nothing changes. */
  readonly frames: number;
  /** Shelf levels drawn for the slots: what the slots' triangles track (12 each). */
  readonly slotLevels: number;
  /** The camera whose own view the inset shows, or null. */
  readonly inset: string | null;
  /** Whether the coverage heat map is on show. */
  readonly coverage: boolean;
}

export type { SceneAlert } from './layers/AlertLayer';

const VFOV = 45;

export class SceneRenderer {
  readonly slots: SlotLayer;
  /** The planner's heat map (the Plan tab builds and paints it). */
  readonly coverage: CoverageLayer;
  /** The selected camera's own view, in a corner. */
  private readonly inset = new CameraInset();
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(VFOV, 1, 0.1, 500);
  private readonly controls: OrbitControls;
  private readonly room = new RoomLayer();
  private readonly zones = new ZoneLayer();
  private readonly shelves = new ShelfLayer();
  private readonly doors = new DoorLayer();
  private readonly cameras = new CameraLayer();
  private readonly rfid = new RfidLayer();
  private readonly obstacles = new ObstacleLayer();
  private readonly presence = new PresenceLayer();
  private readonly badges = this.presence.badges;
  private readonly alerts = new AlertLayer();
  private readonly selection = new Box3Helper(new Box3(), new Color(SELECTED));
  private readonly raycaster = new Raycaster();
  private layout: LayoutIndex | undefined;
  private view: RoomView | undefined;
  private selected: SceneRef | null = null;

  private width = 0;
  private height = 0;
  private pending = 0;
  private frames = 0;
  /** Once the user has moved the view, a resize keeps their view instead of reframing. */
  private userMoved = false;
  private disposed = false;

  /** `onFrame` runs after every rendered frame with its stats. */
  constructor(
    canvas: HTMLCanvasElement,
    private readonly onFrame: (stats: SceneStats) => void = () => {},
    /** The clock for alert pulses (ms); injected so tests can hold time still. */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.renderer = new WebGLRenderer({ canvas, antialias: true });
    this.renderer.outputColorSpace = SRGBColorSpace;
    // A frame may be two passes (the view, a camera's inset): stats count both.
    this.renderer.info.autoReset = false;
    this.camera.up.set(0, 0, 1);
    this.controls = new OrbitControls(this.camera, canvas);
    // Damping needs a frame loop to settle; without it every change is one event, one frame.
    this.controls.enableDamping = false;
    this.controls.screenSpacePanning = false; // pan along the floor, not the screen
    this.controls.maxPolarAngle = Math.PI / 2 - 0.02; // stay above the floor
    this.controls.addEventListener('change', () => this.requestRender());
    this.controls.addEventListener('start', () => (this.userMoved = true));

    this.slots = new SlotLayer(() => this.requestRender());
    this.coverage = new CoverageLayer(() => this.requestRender());
    const hemi = new HemisphereLight(0xf4f7ff, 0x4a4038, 2.2);
    hemi.position.set(0, 0, 1); // HemisphereLight's sky is along its position: z is up here
    const sun = new DirectionalLight(0xffffff, 1.4);
    sun.position.set(-0.4, -0.8, 1.5);
    this.scene.add(hemi, sun);
    for (const layer of [this.room, this.zones, this.rfid, this.shelves, this.slots, this.doors, this.obstacles, this.cameras, this.coverage, this.badges, this.presence.offline, this.alerts]) {
      this.scene.add(layer.group);
    }
    this.selection.visible = false;
    this.scene.add(this.selection);
    this.raycaster.params.Line = { threshold: 0.05 };
  }

  /** Shows a layout, replacing the previous one, and frames the room. */
  setLayout(layout: LayoutIndex): void {
    if (layout === this.layout) return;
    const reframe = !this.layout || !sameRoom(this.layout, layout);
    this.layout = layout;
    const plan = layout.layout;
    this.room.update(plan);
    this.zones.update(plan);
    this.shelves.update(plan);
    this.slots.update(layout);
    this.doors.update(plan);
    this.cameras.update(plan);
    this.inset.setCameras(plan.cameras);
    this.coverage.keepFor(layout);
    this.rfid.update(plan);
    this.obstacles.update(plan);
    // A new layout rebuilt the slots: paint the whole view again, not a diff.
    if (this.view) this.apply(this.view, undefined);
    const keep = this.selected && anchorOf(layout, this.selected) ? this.selected : null;
    this.selected = null; // re-applied on the new layout's objects
    this.select(keep);
    if (reframe) {
      this.userMoved = false;
      this.frame();
    }
    this.requestRender();
  }

  /** Shows the cameras as the planner has them (moved, turned, retuned): frustums and inset follow. */
  showCameras(cameras: readonly Camera[]): void {
    if (!this.layout) return;
    this.cameras.update({ ...this.layout.layout, cameras });
    this.inset.setCameras(cameras);
    this.requestRender();
  }

  /**
   * Shows the planner's edit of the layout on show: the same parts, some shelves moved or
   * turned. Their frames, stock bars (fill and flags kept) and heat-map faces move in place —
   * no new draw calls, nothing rebuilt — and anchors, boxes and the selection follow.
   */
  showEdited(layout: LayoutIndex): void {
    if (!this.layout || layout === this.layout) return;
    this.layout = layout;
    const { shelves, cameras } = layout.layout;
    this.shelves.place(shelves);
    this.slots.place(shelves);
    this.coverage.placeShelves(layout);
    this.cameras.update(layout.layout);
    this.inset.setCameras(cameras);
    const keep = this.selected;
    this.selected = null; // its box is where the part is now
    this.select(keep);
    this.requestRender();
  }

  /** A camera as the view shows it now (after `showCameras`, the planner's edit). */
  cameraOf(id: string): Camera | undefined {
    return this.inset.camera(id);
  }

  /** Where a point of the page (client pixels) meets the level plane at height `z`, or undefined. */
  planePoint(clientX: number, clientY: number, z: number): Vec3 | undefined {
    const rect = this.renderer.domElement.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return undefined;
    this.raycaster.setFromCamera(new Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1), this.camera);
    const hit = this.raycaster.ray.intersectPlane(new Plane(new Vector3(0, 0, 1), -z), new Vector3());
    return hit ? [hit.x, hit.y, hit.z] : undefined;
  }

  /** Turns the view's orbit controls off while the page drags something (a camera) instead. */
  set orbit(enabled: boolean) {
    this.controls.enabled = enabled;
  }

  /** The scene's background, e.g. from a CSS custom property. */
  setBackground(color: string): void {
    this.scene.background = new Color(color);
    this.requestRender();
  }

  /** Canvas size in CSS pixels and the device pixel ratio. */
  resize(width: number, height: number, pixelRatio: number): void {
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.renderer.setPixelRatio(Math.min(pixelRatio, 2));
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / Math.max(1, height);
    this.camera.updateProjectionMatrix();
    if (!this.userMoved) this.frame();
    this.requestRender();
  }

  /** Puts the view back on the whole room. */
  frame(): void {
    if (!this.layout) return;
    const { outline, height } = this.layout.layout.room;
    const f = frameRoom(outline, height, VFOV, this.camera.aspect || 1);
    this.camera.position.set(...f.position);
    this.camera.near = Math.max(0.05, f.radius / 200);
    this.camera.far = f.radius * 20;
    this.camera.updateProjectionMatrix();
    this.controls.target.set(...f.target);
    this.controls.maxDistance = f.radius * 8;
    this.controls.update();
    this.requestRender();
  }

  /** Asks for one frame; many requests before the next animation frame give one render. */
  requestRender(): void {
    if (this.pending || this.disposed) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.render();
    });
  }

  stats(): SceneStats {
    const { calls, triangles, lines } = this.renderer.info.render;
    return { calls, triangles, lines, slots: this.slots.count, frames: this.frames, slotLevels: this.slots.levels, inset: this.inset.shown ?? null, coverage: this.coverage.group.visible };
  }

  /**
   * Shows the room at one moment (live or past): slot fill and mismatch, open doors, people
   * present, offline devices. Only what differs from the last view is touched; one frame.
   */
  show(view: RoomView): void {
    const last = this.view;
    this.view = view;
    if (this.layout && view !== last) this.apply(view, last);
  }

  /** The last view shown, for tooltips. */
  get roomView(): RoomView | undefined {
    return this.view;
  }

  /** The layout shown. */
  get layoutIndex(): LayoutIndex | undefined {
    return this.layout;
  }

  /** Shows exactly these alerts; one that is new pulses for its first seconds, then holds. */
  setAlerts(alerts: readonly SceneAlert[]): void {
    this.alerts.set(alerts, this.now());
    this.requestRender();
  }

  /** A point standing for a part (or a device id, or a badge present), e.g. where to pin an alert. */
  positionOf(ref: SceneRef | string): Vec3 | undefined {
    if (typeof ref !== 'string' && ref.kind === 'badge') return this.badges.positionOf(ref.id);
    return this.layout && anchorOf(this.layout, ref);
  }

  /** Where a thing's anchor falls on the page (client pixels), or undefined behind the eye. */
  screenPointOf(ref: SceneRef | string): { x: number; y: number } | undefined {
    const at = this.positionOf(ref);
    if (!at) return undefined;
    const v = new Vector3(...at).project(this.camera);
    if (v.z > 1) return undefined;
    const rect = this.renderer.domElement.getBoundingClientRect();
    return { x: rect.left + ((v.x + 1) / 2) * rect.width, y: rect.top + ((1 - v.y) / 2) * rect.height };
  }

  /** The thing under a point of the page (client pixels), or null. */
  pick(clientX: number, clientY: number): SceneRef | null {
    if (!this.layout) return null;
    const rect = this.renderer.domElement.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return null;
    const ndc = new Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(ndc, this.camera);
    // Solid things first; the thin shelf frames, reader loops and floor tints only where the
    // pointer is over none (a frame's line passes just in front of every slot of the shelf).
    for (const targets of [
      [this.slots.group, this.badges.group, this.doors.group, this.cameras.group],
      [this.shelves.group, this.rfid.group, this.zones.group],
    ]) {
      for (const hit of this.raycaster.intersectObjects(targets, true)) {
        const ref = this.refOfHit(hit);
        if (ref) return ref;
      }
    }
    return null;
  }

  /** Lights up the slot under the pointer (other kinds get the tooltip only); null: none. */
  hover(ref: SceneRef | null): void {
    this.slots.hover(ref?.kind === 'slot' ? ref.id : undefined);
  }

  /** Outlines one thing (a slot also gets a white frame), or nothing with null. */
  select(ref: SceneRef | null): void {
    // The page re-asserts its selection on every update: only a change costs a frame.
    if (sameRef(ref, this.selected)) return;
    this.selected = ref;
    this.slots.select(ref?.kind === 'slot' ? ref.id : undefined);
    this.inset.show(ref?.kind === 'camera' ? ref.id : undefined);
    const box = ref ? this.boxOf(ref) : undefined;
    this.selection.visible = !!box;
    if (box) this.selection.box.copy(box.expandByScalar(0.03));
    this.requestRender();
  }

  /** What is selected now. */
  get selectedRef(): SceneRef | null {
    return this.selected;
  }

  /** Turns the view about a thing: the orbit target moves to it, the eye keeps its offset. */
  focus(ref: SceneRef): boolean {
    const at = this.positionOf(ref);
    if (!at) return false;
    const offset = this.camera.position.clone().sub(this.controls.target);
    this.controls.target.set(...at);
    this.camera.position.copy(this.controls.target).add(offset);
    this.controls.update();
    this.userMoved = true;
    this.requestRender();
    return true;
  }

  /**
   * Renders `n` frames now, each waited for (a one-pixel read forces the GPU to finish), and
   * returns their mean time in ms: for benchmarks comparing scenes in one run.
   */
  renderFrames(n: number): number {
    if (!this.layout || this.width === 0) return Number.NaN;
    const gl = this.renderer.getContext();
    const pixel = new Uint8Array(4);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      this.renderer.info.reset();
      this.renderer.render(this.scene, this.camera);
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
      this.frames++;
    }
    return (performance.now() - t0) / Math.max(1, n);
  }

  dispose(): void {
    this.disposed = true;
    if (this.pending) cancelAnimationFrame(this.pending);
    this.controls.dispose();
    for (const layer of [this.room, this.zones, this.shelves, this.slots, this.doors, this.cameras, this.coverage, this.rfid, this.obstacles, this.presence, this.alerts]) {
      layer.dispose();
    }
    this.selection.dispose();
    this.renderer.dispose();
  }

  private render(): void {
    // Nothing worth a frame yet: no layout, or a canvas with no size (hidden, not laid out).
    if (!this.layout || this.width === 0 || this.height === 0) return;
    const pulsing = this.alerts.tick(this.now());
    this.renderer.info.reset();
    this.renderer.render(this.scene, this.camera);
    this.inset.render(this.renderer, this.scene, [this.cameras.group, this.coverage.group, this.selection], this.width, this.height);
    this.frames++;
    this.onFrame(this.stats());
    // Only a pulse in progress keeps frames coming; once every alert has settled, idle is idle.
    if (pulsing) this.requestRender();
  }

  private apply(view: RoomView, last: RoomView | undefined): void {
    const layout = this.layout!;
    const slots = this.slots;
    if (!last) {
      for (const id of layout.slots.keys()) {
        const s = view.slots.get(id);
        slots.setSlot(id, s?.fill ?? Number.NaN, s?.mismatch ?? false);
        slots.setOffline(id, view.offline.has(id));
      }
    } else {
      for (const [id, s] of view.slots) {
        const old = last.slots.get(id);
        if (!old || !Object.is(old.fill, s.fill) || old.mismatch !== s.mismatch) slots.setSlot(id, s.fill, s.mismatch);
      }
      for (const id of last.slots.keys()) if (!view.slots.has(id)) slots.setSlot(id, Number.NaN, false);
      for (const id of view.offline) if (!last.offline.has(id)) slots.setOffline(id, true);
      for (const id of last.offline) if (!view.offline.has(id)) slots.setOffline(id, false);
    }
    slots.changed();
    this.doors.setOpen(view.openDoors.keys());
    if (!last || !samePresent(last, view)) this.presence.placeBadges(layout, view, (door) => this.doors.inward(door));
    if (!last || !sameSet(last.offline, view.offline)) this.presence.markOffline(layout, view);
    this.requestRender();
  }

  private refOfHit(hit: Intersection): SceneRef | null {
    const object = hit.object;
    if (object.userData.noPick || !visible(object)) return null;
    if (object === this.slots.mesh && hit.instanceId !== undefined) {
      const id = this.slots.slotAtHit(hit.instanceId, hit.point);
      return id ? { kind: 'slot', id } : null;
    }
    if (object === this.shelves.lines && hit.index !== undefined) {
      const id = this.shelves.shelfAtVertex(hit.index);
      return id ? { kind: 'shelf', id } : null;
    }
    if (object === this.badges.mesh && hit.instanceId !== undefined) {
      const id = this.badges.idAt(hit.instanceId);
      return id ? { kind: 'badge', id } : null;
    }
    for (let o: Object3D | null = object; o; o = o.parent) {
      const { kind, id } = o.userData as { kind?: SceneRef['kind']; id?: string };
      if (kind && id) return { kind, id };
    }
    return null;
  }

  private boxOf(ref: SceneRef): Box3 | undefined {
    const layout = this.layout;
    if (!layout) return undefined;
    if (ref.kind === 'slot') {
      if (!layout.slots.has(ref.id)) return undefined;
      const { center, size, yaw } = layout.slotBox(ref.id);
      const r = Math.abs(Math.cos((yaw * Math.PI) / 180));
      const q = Math.abs(Math.sin((yaw * Math.PI) / 180));
      const half = new Vector3((size[0] * r + size[1] * q) / 2, (size[0] * q + size[1] * r) / 2, size[2] / 2);
      const c = new Vector3(...center);
      return new Box3(c.clone().sub(half), c.add(half));
    }
    if (ref.kind === 'badge') {
      const at = this.badges.positionOf(ref.id);
      return at && new Box3(new Vector3(at[0] - 0.25, at[1] - 0.25, 0), new Vector3(at[0] + 0.25, at[1] + 0.25, 1.85));
    }
    if (ref.kind === 'shelf') return this.shelves.box(ref.id);
    const layer = { zone: this.zones, door: this.doors, camera: this.cameras, rfid: this.rfid }[ref.kind];
    const object = layer.object(ref.id);
    if (!object) return undefined;
    // A camera's box is its body, not the frustum that spans the room.
    const box = new Box3().setFromObject(ref.kind === 'camera' ? (object.children[0] ?? object) : object);
    return box.isEmpty() ? undefined : box;
  }
}

function visible(o: Object3D): boolean {
  for (let p: Object3D | null = o; p; p = p.parent) if (!p.visible) return false;
  return true;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function samePresent(a: RoomView, b: RoomView): boolean {
  return a.present === b.present || (a.present.length === b.present.length && a.present.every((p, i) => p.badge === b.present[i]!.badge && p.door === b.present[i]!.door && p.role === b.present[i]!.role));
}


/** Same outline and height: keep the user's view when only the contents changed. */
function sameRoom(a: LayoutIndex, b: LayoutIndex): boolean {
  const ra = a.layout.room;
  const rb = b.layout.room;
  return ra.height === rb.height && JSON.stringify(ra.outline) === JSON.stringify(rb.outline);
}
