/**
 * The planner's working copy of a layout's cameras: the layout as opened, the cameras as the
 * planner has turned, moved and retuned them, their coverage (one CoverageModel: a camera
 * changed recomputes only that camera's view), and the history of the edits. Pure: no DOM,
 * no three.js; the Plan tab drives it and shows what it says.
 *
 * Every edit goes through `change` as a SetCameraCommand, so Ctrl+Z takes it back; the
 * coverage report is recomputed lazily (`report()`), at most once however many edits came
 * since, so a slider drag costs one report a frame, not one an input event.
 */
import type { Camera, Layout } from '../layout/Layout';
import { LayoutIndex } from '../layout/LayoutIndex';
import { CoverageModel, type CoverageReport } from '../planning/coverage';
import type { Standard } from '../planning/grades';
import { CommandHistory, type Command } from './CommandHistory';

/** The fields of a camera the planner edits. */
export type CameraPatch = Partial<Pick<Camera, 'position' | 'yaw' | 'pitch' | 'hfov' | 'resolution'>>;

export class CameraPlan {
  readonly history: CommandHistory;
  private readonly cameras: Map<string, Camera>;
  private model: CoverageModel;
  private cached: CoverageReport | undefined;
  private listeners = new Set<(changed: readonly Camera[]) => void>();

  constructor(
    /** The layout as opened: what Export changes only the cameras of. */
    readonly index: LayoutIndex,
    private standardInForce: Standard = '2015',
  ) {
    this.cameras = new Map(index.layout.cameras.map((c) => [c.id, c]));
    this.model = new CoverageModel(index, { standard: standardInForce });
    this.history = new CommandHistory(() => {});
  }

  /** Called with the cameras that changed after every edit, undo and redo. */
  onChange(listener: (changed: readonly Camera[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get standard(): Standard {
    return this.standardInForce;
  }

  /** The cameras as edited, in the layout's order. */
  get cameraList(): readonly Camera[] {
    return [...this.cameras.values()];
  }

  camera(id: string): Camera | undefined {
    return this.cameras.get(id);
  }

  /** The layout with the edited cameras (everything else as opened). */
  get layout(): Layout {
    return { ...this.index.layout, cameras: this.cameraList };
  }

  /** Whether any camera differs from the layout as opened (or was added by a plan). */
  get edited(): boolean {
    return this.cameras.size !== this.index.layout.cameras.length || this.index.layout.cameras.some((c) => this.cameras.get(c.id) !== c);
  }

  /** The coverage model in force (its `cameraViews()` hold the floor cells' densities). */
  get coverage(): CoverageModel {
    return this.model;
  }

  /** The coverage of the cameras as they are now (recomputed only after a change). */
  report(): CoverageReport {
    this.cached ??= this.model.report();
    return this.cached;
  }

  /** Grades by another edition of IEC 62676-4: every camera's view is recomputed (one full pass). */
  useStandard(standard: Standard): void {
    if (standard === this.standardInForce) return;
    this.standardInForce = standard;
    this.model = new CoverageModel(new LayoutIndex(this.layout), { standard });
    this.cached = undefined;
    this.emit(this.cameraList);
  }

  /**
   * Edits one camera as a command in the history. Values are kept inside what the layout
   * contract accepts (the camera in the room, pitch within ±90°, hfov within (0, 180), whole
   * pixels). Edits of one `gesture` (a slider drag) make one history entry.
   */
  change(id: string, patch: CameraPatch, gesture?: number): void {
    const before = this.cameras.get(id);
    if (!before) throw new RangeError(`no camera ${id} in this layout`);
    const after = clampCamera({ ...before, ...patch }, this.index.layout.room);
    if (sameCamera(before, after)) return;
    this.history.execute(new SetCameraCommand(this, before, after, gesture));
  }

  /** Puts a camera in place as it is given (commands call this; edits go through `change`). */
  setCamera(camera: Camera): void {
    if (!this.cameras.has(camera.id)) throw new RangeError(`no camera ${camera.id} in this layout`);
    this.cameras.set(camera.id, camera);
    this.model.setCamera(camera);
    this.cached = undefined;
    this.emit([camera]);
  }

  /** Adds cameras (a placement plan shown in the view) as one edit; undo takes them out. Ids already here are skipped. */
  addCameras(cameras: readonly Camera[], name: string): void {
    const fresh = cameras.filter((c) => !this.cameras.has(c.id)).map((c) => clampCamera(c, this.index.layout.room));
    if (fresh.length) this.history.execute(new AddCamerasCommand(this, fresh, name));
  }

  /** Puts cameras in or takes them out (the add command calls this; edits go through `addCameras`). */
  placeCameras(cameras: readonly Camera[], present: boolean): void {
    for (const c of cameras) {
      if (present) {
        this.cameras.set(c.id, c);
        this.model.setCamera(c);
      } else {
        this.cameras.delete(c.id);
        this.model.removeCamera(c.id);
      }
    }
    this.cached = undefined;
    this.emit(cameras);
  }

  private emit(changed: readonly Camera[]): void {
    for (const l of this.listeners) l(changed);
  }
}

/** One edit of one camera: from `before` to `after`; a later edit of the same gesture is absorbed. */
export class SetCameraCommand implements Command {
  constructor(
    private readonly plan: CameraPlan,
    readonly before: Camera,
    public after: Camera,
    readonly gesture?: number,
  ) {}

  get name(): string {
    return describeChange(this.before, this.after);
  }

  execute(): void {
    this.plan.setCamera(this.after);
  }

  undo(): void {
    this.plan.setCamera(this.before);
  }

  absorb(next: Command): boolean {
    if (!(next instanceof SetCameraCommand) || next.plan !== this.plan || this.gesture === undefined) return false;
    if (next.gesture !== this.gesture || next.before.id !== this.before.id) return false;
    this.after = next.after;
    return true;
  }
}

/** Cameras added together (a plan applied): undo removes them all. */
export class AddCamerasCommand implements Command {
  constructor(
    private readonly plan: CameraPlan,
    readonly cameras: readonly Camera[],
    readonly name: string,
  ) {}

  execute(): void {
    this.plan.placeCameras(this.cameras, true);
  }

  undo(): void {
    this.plan.placeCameras(this.cameras, false);
  }
}

const FIELDS = ['position', 'yaw', 'pitch', 'hfov', 'resolution'] as const;

/** "yaw of cam-dock 86° → 90°", or "cam-dock: yaw, pitch" when several fields changed. */
export function describeChange(before: Camera, after: Camera): string {
  const changed = FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
  if (changed.length !== 1) return `${before.id}: ${changed.join(', ') || 'no change'}`;
  const f = changed[0]!;
  const show = (c: Camera) => (f === 'position' ? `(${c.position.map((x) => x.toFixed(2)).join(', ')})` : f === 'resolution' ? c.resolution.join('×') : `${round(c[f], 1)}°`);
  return `${f} of ${before.id} ${show(before)} → ${show(after)}`;
}

function sameCamera(a: Camera, b: Camera): boolean {
  return FIELDS.every((f) => JSON.stringify(a[f]) === JSON.stringify(b[f]));
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * A camera kept where the layout contract accepts it: yaw within a turn either way, pitch in [-90, 90],
 * hfov in [1, 179], a resolution of whole pixels (at least 16), the position inside the
 * room's bounding box and between the floor and the ceiling. (A room that is not a rectangle
 * may still leave the camera outside its outline: Export says so, as the layout reader would.)
 */
export function clampCamera(c: Camera, room: Layout['room']): Camera {
  const xs = room.outline.map((p) => p[0]);
  const ys = room.outline.map((p) => p[1]);
  const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(x) ? x : lo));
  // A yaw the layout wrote as 270 stays 270 until the planner turns past a full turn.
  let yaw = Number.isFinite(c.yaw) ? c.yaw : 0;
  if (Math.abs(yaw) > 360) yaw = ((((yaw + 180) % 360) + 360) % 360) - 180;
  return {
    ...c,
    position: [clamp(c.position[0], Math.min(...xs), Math.max(...xs)), clamp(c.position[1], Math.min(...ys), Math.max(...ys)), clamp(c.position[2], 0, room.height)],
    yaw: round(yaw, 3),
    pitch: round(clamp(c.pitch, -90, 90), 3),
    hfov: round(clamp(c.hfov, 1, 179), 3),
    resolution: [Math.round(clamp(c.resolution[0], 16, 16384)), Math.round(clamp(c.resolution[1], 16, 16384))],
  };
}
