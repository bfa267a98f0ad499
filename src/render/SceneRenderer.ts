/**
 * The 3D view of a layout: owns the WebGL renderer, the scene, the view camera with its
 * orbit controls, and one layer per kind of part. It renders on demand only — when the
 * controls move, the size changes or a layer changes — never in a loop while idle.
 *
 * The frame is z-up like the layout (floor is x-y). Nothing here edits the twin; the view
 * only reads the layout it is given.
 */
import {
  Color,
  DirectionalLight,
  HemisphereLight,
  PerspectiveCamera,
  Scene,
  SRGBColorSpace,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { frameRoom } from './framing';
import { CameraLayer } from './layers/CameraLayer';
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
}

const VFOV = 45;

export class SceneRenderer {
  readonly slots: SlotLayer;
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
  private layout: LayoutIndex | undefined;
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
  ) {
    this.renderer = new WebGLRenderer({ canvas, antialias: true });
    this.renderer.outputColorSpace = SRGBColorSpace;
    this.camera.up.set(0, 0, 1);
    this.controls = new OrbitControls(this.camera, canvas);
    // Damping needs a frame loop to settle; without it every change is one event, one frame.
    this.controls.enableDamping = false;
    this.controls.screenSpacePanning = false; // pan along the floor, not the screen
    this.controls.maxPolarAngle = Math.PI / 2 - 0.02; // stay above the floor
    this.controls.addEventListener('change', () => this.requestRender());
    this.controls.addEventListener('start', () => (this.userMoved = true));

    this.slots = new SlotLayer(() => this.requestRender());
    const hemi = new HemisphereLight(0xf4f7ff, 0x4a4038, 2.2);
    hemi.position.set(0, 0, 1); // HemisphereLight's sky is along its position: z is up here
    const sun = new DirectionalLight(0xffffff, 1.4);
    sun.position.set(-0.4, -0.8, 1.5);
    this.scene.add(hemi, sun);
    for (const layer of [this.room, this.zones, this.rfid, this.shelves, this.slots, this.doors, this.obstacles, this.cameras]) {
      this.scene.add(layer.group);
    }
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
    this.rfid.update(plan);
    this.obstacles.update(plan);
    if (reframe) {
      this.userMoved = false;
      this.frame();
    }
    this.requestRender();
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
    return { calls, triangles, lines, slots: this.slots.count, frames: this.frames };
  }

  dispose(): void {
    this.disposed = true;
    if (this.pending) cancelAnimationFrame(this.pending);
    this.controls.dispose();
    for (const layer of [this.room, this.zones, this.shelves, this.slots, this.doors, this.cameras, this.rfid, this.obstacles]) {
      layer.dispose();
    }
    this.renderer.dispose();
  }

  private render(): void {
    // Nothing worth a frame yet: no layout, or a canvas with no size (hidden, not laid out).
    if (!this.layout || this.width === 0 || this.height === 0) return;
    this.renderer.render(this.scene, this.camera);
    this.frames++;
    this.onFrame(this.stats());
  }
}

/** Same outline and height: keep the user's view when only the contents changed. */
function sameRoom(a: LayoutIndex, b: LayoutIndex): boolean {
  const ra = a.layout.room;
  const rb = b.layout.room;
  return ra.height === rb.height && JSON.stringify(ra.outline) === JSON.stringify(rb.outline);
}
