/**
 * Which cameras see a place, and how well: for a point, a slot's front face or a door, every
 * layout camera whose image holds it, with its pixel, its distance, the pixel density there
 * and whether a shelf, an obstacle or a wall of the room stands between the camera and it.
 * Occlusion is a segment from the camera to the target against the shelves, obstacles and
 * walls (`Occluders`, built once per LayoutIndex and cached with the camera frames): 1,000 slots x 20 cameras take about 10 ms warm
 * (5,000 x 20 with 100 shelves about 130 ms).
 * Pure maths, no DOM.
 */
import { cameraFrame, pixelsPerMetre, project, type CameraFrame } from './cameraProjection';
import { frontFace, frontNormal } from './geometry';
import type { Vec2, Vec3 } from './Layout';
import type { LayoutIndex } from './LayoutIndex';
import { Occluders } from './occlusion';

/** What to look for: a room point, the centre of a slot's front face, or a door's opening at `doorHeight`. */
export type CoverageTarget = { readonly point: Vec3 } | { readonly slot: string } | { readonly door: string };

export interface CoverageOptions {
  /** Height above the floor at which a door is watched, metres (default 1: a person's torso). */
  readonly doorHeight?: number;
  /** Keep cameras whose view is blocked (flagged `occluded`), default true. */
  readonly includeOccluded?: boolean;
}

/** One camera's view of a target. */
export interface CameraSight {
  readonly camera: string;
  /** Pixel column and row of the target (0,0 top-left), inside the image. */
  readonly u: number;
  readonly v: number;
  /** Straight-line distance from the camera to the target, metres. */
  readonly distance: number;
  /** Distance along the optical axis, metres (> 0). */
  readonly depth: number;
  /** Pixels per metre on a surface at the target facing the camera (focal / depth): the planner's pixel density. */
  readonly pixelsPerMetre: number;
  /** A shelf, an obstacle or a wall lies between the camera and the target. */
  readonly occluded: boolean;
  /** What blocks the view first (nearest the camera): `shelf:ID`, `obstacle:ID` or `wall`; absent when not occluded. */
  readonly occluder?: string;
}

interface Scene {
  readonly occluders: Occluders;
  readonly frames: ReadonlyMap<string, CameraFrame>;
  /** Slot front faces, filled as slots are asked for. */
  readonly faces: Map<string, ResolvedTarget>;
}

const scenes = new WeakMap<LayoutIndex, Scene>();

function sceneOf(layout: LayoutIndex): Scene {
  let s = scenes.get(layout);
  if (s) return s;
  const frames = new Map([...layout.cameras].map(([id, c]) => [id, cameraFrame(c)]));
  s = { occluders: new Occluders(layout.layout), frames, faces: new Map() };
  scenes.set(layout, s);
  return s;
}

/** Where a target is, which way it faces (a slot's front; none for a point or a door) and which shelf it belongs to. */
interface ResolvedTarget {
  readonly point: Vec3;
  readonly normal?: Vec2;
  readonly shelf?: string;
}

function resolve(layout: LayoutIndex, target: CoverageTarget, opts: CoverageOptions): ResolvedTarget | undefined {
  if ('point' in target) return { point: target.point };
  if ('slot' in target) {
    const slot = layout.slots.get(target.slot);
    if (!slot) return undefined;
    return slotFace(layout, slot.id, slot.shelf);
  }
  const door = layout.doors.get(target.door);
  if (!door) return undefined;
  return { point: [door.position[0], door.position[1], opts.doorHeight ?? 1] };
}

function slotFace(layout: LayoutIndex, slotId: string, shelf: string): ResolvedTarget {
  const faces = sceneOf(layout).faces;
  let t = faces.get(slotId);
  if (!t) {
    const box = layout.slotBox(slotId);
    const face = frontFace(box);
    const point = [0, 1, 2].map((i) => face.reduce((s, p) => s + p[i]!, 0) / face.length) as unknown as Vec3;
    t = { point, normal: frontNormal(box.yaw), shelf };
    faces.set(slotId, t);
  }
  return t;
}

function sight(scene: Scene, cameraId: string, f: CameraFrame, t: ResolvedTarget): CameraSight | undefined {
  const o = f.origin;
  const p = t.point;
  // A face seen from behind (or edge-on) shows nothing of what it holds.
  if (t.normal && (o[0] - p[0]) * t.normal[0] + (o[1] - p[1]) * t.normal[1] <= 0) return undefined;
  const pr = project(f, p);
  if (!pr?.inImage) return undefined;
  const occluder = scene.occluders.first(o, p, t.shelf);
  return {
    camera: cameraId,
    u: pr.u,
    v: pr.v,
    distance: Math.hypot(p[0] - o[0], p[1] - o[1], p[2] - o[2]),
    depth: pr.depth,
    pixelsPerMetre: pixelsPerMetre(f, pr.depth),
    occluded: occluder !== undefined,
    ...(occluder !== undefined ? { occluder } : {}),
  };
}

/**
 * The cameras whose image holds the target, clear views first, then the sharpest (most
 * pixels per metre), then by id. Empty for an unknown slot or door. A slot is seen only from
 * in front of it; its own shelf never hides its front face.
 */
export function camerasSeeing(layout: LayoutIndex, target: CoverageTarget, opts: CoverageOptions = {}): CameraSight[] {
  const t = resolve(layout, target, opts);
  if (!t) return [];
  const scene = sceneOf(layout);
  const keepOccluded = opts.includeOccluded ?? true;
  const out: CameraSight[] = [];
  for (const [id, f] of scene.frames) {
    const s = sight(scene, id, f, t);
    if (s && (keepOccluded || !s.occluded)) out.push(s);
  }
  return out.sort((a, b) => Number(a.occluded) - Number(b.occluded) || b.pixelsPerMetre - a.pixelsPerMetre || (a.camera < b.camera ? -1 : a.camera > b.camera ? 1 : 0));
}

/** One slot in a camera's clear view. */
export interface SlotSight extends Omit<CameraSight, 'camera' | 'occluded' | 'occluder'> {
  readonly slot: string;
}

/** The slots a camera sees with nothing in the way, nearest first (then by id); empty for an unknown camera. */
export function slotCoverage(layout: LayoutIndex, cameraId: string): SlotSight[] {
  const scene = sceneOf(layout);
  const f = scene.frames.get(cameraId);
  if (!f) return [];
  const out: SlotSight[] = [];
  for (const slot of layout.slots.values()) {
    const s = sight(scene, cameraId, f, slotFace(layout, slot.id, slot.shelf));
    if (s && !s.occluded) out.push({ slot: slot.id, u: s.u, v: s.v, distance: s.distance, depth: s.depth, pixelsPerMetre: s.pixelsPerMetre });
  }
  return out.sort((a, b) => a.depth - b.depth || (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0));
}

/** The room point a target stands for (a slot's front-face centre, a door at `doorHeight`); undefined for an unknown id. */
export function targetPoint(layout: LayoutIndex, target: CoverageTarget, opts: CoverageOptions = {}): Vec3 | undefined {
  return resolve(layout, target, opts)?.point;
}
