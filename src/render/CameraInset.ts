/**
 * The selected camera's own view: the scene rendered from the layout camera's pose into a
 * corner of the 3D view — the picture a planner should expect from it. A second
 * PerspectiveCamera placed and turned per the contract (cameraFrustum.ts's basis: yaw 0
 * along +x, counter-clockwise; pitch negative down; no roll), its vertical field from hfov and
 * the resolution's aspect. Drawn as part of the view's frame (render on demand), with the
 * overlays a real camera would not see (camera bodies, frustums, coverage tints) hidden.
 */
import { Color, Matrix4, type Object3D, PerspectiveCamera, type Scene, Vector3, type WebGLRenderer } from 'three';
import type { Camera } from '../layout/Layout';
import { cameraBasis, halfTangents } from './cameraFrustum';

/** The inset's largest share of the view, and its margin from the corner (CSS px). */
const MAX_WIDTH = 0.38;
const MAX_HEIGHT = 0.45;
const MARGIN = 12;
const BORDER = 2;

/** Where the inset falls in a view of `width` x `height` CSS px (x, y from the bottom-left, as WebGL counts). */
export function insetRect(camera: Pick<Camera, 'resolution'>, width: number, height: number): { x: number; y: number; w: number; h: number } {
  const aspect = camera.resolution[0] / camera.resolution[1];
  let w = Math.min(width * MAX_WIDTH, 480);
  let h = w / aspect;
  if (h > height * MAX_HEIGHT) {
    h = height * MAX_HEIGHT;
    w = h * aspect;
  }
  w = Math.max(1, Math.round(w));
  h = Math.max(1, Math.round(h));
  return { x: Math.round(width - w - MARGIN), y: MARGIN, w, h };
}

/** Puts a three.js camera at a layout camera's pose, with its lens. */
export function poseCamera(target: PerspectiveCamera, camera: Camera): void {
  const { forward, right, up } = cameraBasis(camera);
  // A three.js camera looks down its local -z with +y up and +x to its right.
  const basis = new Matrix4().makeBasis(new Vector3(...right), new Vector3(...up), new Vector3(-forward[0], -forward[1], -forward[2]));
  target.position.set(...camera.position);
  target.quaternion.setFromRotationMatrix(basis);
  target.fov = (2 * Math.atan(halfTangents(camera).v) * 180) / Math.PI;
  target.aspect = camera.resolution[0] / camera.resolution[1];
  target.updateProjectionMatrix();
  target.updateMatrixWorld(true);
}

export class CameraInset {
  /** The three.js camera the inset renders from. */
  readonly eye = new PerspectiveCamera(50, 16 / 9, 0.05, 300);
  private readonly cameras = new Map<string, Camera>();
  private shownId: string | undefined;
  private readonly border = new Color(0xffffff);
  private readonly saved = new Color();

  /** The cameras as they stand now (edited ones included). */
  setCameras(cameras: readonly Camera[]): void {
    this.cameras.clear();
    for (const c of cameras) this.cameras.set(c.id, c);
  }

  camera(id: string): Camera | undefined {
    return this.cameras.get(id);
  }

  /** Shows one camera's view (undefined: none); true when that changed what is shown. */
  show(id: string | undefined): boolean {
    if (id === this.shownId) return false;
    this.shownId = id;
    return true;
  }

  /** The camera whose view is shown, if it is in the layout. */
  get shown(): string | undefined {
    return this.shownId && this.cameras.has(this.shownId) ? this.shownId : undefined;
  }

  /** Draws the inset over the frame just rendered; `hide` are the overlays left out. */
  render(renderer: WebGLRenderer, scene: Scene, hide: readonly Object3D[], width: number, height: number): void {
    const c = this.shownId ? this.cameras.get(this.shownId) : undefined;
    if (!c || width < 40 || height < 40) return;
    poseCamera(this.eye, c);
    const r = insetRect(c, width, height);
    const was = hide.map((o) => o.visible);
    renderer.getClearColor(this.saved);
    const alpha = renderer.getClearAlpha();
    try {
      renderer.setScissorTest(true);
      // A thin white frame: clear a slightly larger rectangle first.
      renderer.setScissor(r.x - BORDER, r.y - BORDER, r.w + 2 * BORDER, r.h + 2 * BORDER);
      renderer.setClearColor(this.border, 1);
      renderer.clear(true, true, false);
      renderer.setScissor(r.x, r.y, r.w, r.h);
      renderer.setViewport(r.x, r.y, r.w, r.h);
      for (const o of hide) o.visible = false;
      renderer.render(scene, this.eye);
    } finally {
      hide.forEach((o, i) => (o.visible = was[i]!));
      renderer.setClearColor(this.saved, alpha);
      renderer.setScissorTest(false);
      renderer.setViewport(0, 0, width, height);
      renderer.setScissor(0, 0, width, height);
    }
  }
}
