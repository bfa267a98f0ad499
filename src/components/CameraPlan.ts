/**
 * The planner's working copy of a layout's cameras and shelves: the layout as opened, the
 * cameras as the planner has turned, moved and retuned them, the shelves as moved and turned,
 * their coverage (one CoverageModel: a camera changed recomputes only that camera's view),
 * and the history of the edits. Pure: no DOM, no three.js; the Plan tab drives it and shows
 * what it says.
 *
 * Every edit goes through `change` (a SetCameraCommand) or `moveShelf` (a SetShelfCommand), so
 * Ctrl+Z takes it back; the coverage report is recomputed lazily (`report()`), at most once
 * however many edits came since, so a slider drag costs one report a frame, not one an input
 * event. A shelf moved changes what hides what and where its slot faces are: the whole model
 * is rebuilt from the edited layout (~0.2 s on the large layout), through a CatchUp, so a drag
 * costs one rebuild at a time, always ending on its last position; meanwhile `report()` is the
 * last model's and `catchingUp` says so.
 */
import type { Camera, Layout, Shelf } from '../layout/Layout';
import { LayoutIndex } from '../layout/LayoutIndex';
import { CoverageModel, type CoverageReport } from '../planning/coverage';
import type { Standard } from '../planning/grades';
import { CatchUp, immediately, type Schedule } from './CatchUp';
import { CommandHistory, type Command } from './CommandHistory';
import { clampShelf, sameShelfPlace, SetShelfCommand, type ShelfPatch } from './SetShelfCommand';

/** What an edit, undo, redo or rebuild changed. */
export interface PlanChange {
  /** Cameras moved, retuned, added or taken out. */
  readonly cameras: readonly Camera[];
  /** Shelves moved or turned (their coverage follows when the rebuild catches up). */
  readonly shelves: readonly Shelf[];
  /** The coverage model was rebuilt (a shelf edit caught up with, another standard). */
  readonly coverage: boolean;
}

/** The fields of a camera the planner edits. */
export type CameraPatch = Partial<Pick<Camera, 'position' | 'yaw' | 'pitch' | 'hfov' | 'resolution'>>;

export class CameraPlan {
  readonly history: CommandHistory;
  private readonly cameras: Map<string, Camera>;
  private readonly shelves: Map<string, Shelf>;
  private model: CoverageModel;
  private cached: CoverageReport | undefined;
  /** The edited layout's lookups, built when asked after a change. */
  private indexed: LayoutIndex | undefined;
  private shelfArray: readonly Shelf[] | undefined;
  private readonly rebuilds: CatchUp;
  private listeners = new Set<(change: PlanChange) => void>();

  constructor(
    /** The layout as opened: what Export changes only the cameras and shelves of. */
    readonly index: LayoutIndex,
    private standardInForce: Standard = '2015',
    /** When a rebuild after a shelf edit runs (the page: after the next frame has painted). */
    schedule: Schedule = immediately,
  ) {
    this.cameras = new Map(index.layout.cameras.map((c) => [c.id, c]));
    this.shelves = new Map(index.layout.shelves.map((s) => [s.id, s]));
    this.model = new CoverageModel(index, { standard: standardInForce });
    this.history = new CommandHistory(() => {});
    this.rebuilds = new CatchUp(() => this.rebuild(), schedule);
  }

  /** Called with what changed after every edit, undo, redo and rebuild. */
  onChange(listener: (change: PlanChange) => void): () => void {
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

  /** The shelves as edited, in the layout's order. */
  get shelfList(): readonly Shelf[] {
    this.shelfArray ??= [...this.shelves.values()];
    return this.shelfArray;
  }

  shelf(id: string): Shelf | undefined {
    return this.shelves.get(id);
  }

  /** The layout with the edited shelves and cameras (everything else as opened). */
  get layout(): Layout {
    return { ...this.index.layout, shelves: this.shelfList, cameras: this.cameraList };
  }

  /** Lookups over `layout` (for the 3D view: slot boxes where the shelves are now). */
  get editedIndex(): LayoutIndex {
    this.indexed ??= this.edited ? new LayoutIndex(this.layout) : this.index;
    return this.indexed;
  }

  /** Whether any camera or shelf differs from the layout as opened (or a camera was added by a plan). */
  get edited(): boolean {
    return (
      this.cameras.size !== this.index.layout.cameras.length ||
      this.index.layout.cameras.some((c) => this.cameras.get(c.id) !== c) ||
      this.index.layout.shelves.some((s) => this.shelves.get(s.id) !== s)
    );
  }

  /** Whether the coverage is still that of an earlier arrangement of the shelves (a rebuild is queued or running). */
  get catchingUp(): boolean {
    return this.rebuilds.behind;
  }

  /** Rebuilds of the coverage model after shelf edits so far. */
  get rebuildCount(): number {
    return this.rebuilds.steps;
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
    this.model = new CoverageModel(this.editedIndex, { standard });
    this.cached = undefined;
    this.emit({ cameras: this.cameraList, coverage: true });
  }

  /**
   * Moves or turns one shelf as a command in the history (its centre kept inside the room's
   * bounding box). Edits of one `gesture` (a drag over the floor) make one history entry.
   */
  moveShelf(id: string, patch: ShelfPatch, gesture?: number): void {
    const before = this.shelves.get(id);
    if (!before) throw new RangeError(`no shelf ${id} in this layout`);
    const after = clampShelf({ ...before, ...patch }, this.index.layout.room);
    if (sameShelfPlace(before, after)) return;
    this.history.execute(new SetShelfCommand(this, before, after, gesture));
  }

  /** Puts a shelf in place as it is given (commands call this; edits go through `moveShelf`); the coverage catches up. */
  setShelf(shelf: Shelf): void {
    if (!this.shelves.has(shelf.id)) throw new RangeError(`no shelf ${shelf.id} in this layout`);
    this.shelves.set(shelf.id, shelf);
    this.shelfArray = undefined;
    this.indexed = undefined;
    this.emit({ shelves: [shelf] });
    this.rebuilds.request();
  }

  /** Drops a rebuild still queued (the plan is being let go). */
  dispose(): void {
    this.rebuilds.cancel();
    this.listeners.clear();
  }

  /** The whole coverage model again, from the layout as edited now (the CatchUp's step). */
  private rebuild(): void {
    this.model = new CoverageModel(this.editedIndex, { standard: this.standardInForce });
    this.cached = undefined;
    this.emit({ coverage: true });
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
    this.indexed = undefined;
    this.emit({ cameras: [camera] });
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
    this.indexed = undefined;
    this.emit({ cameras });
  }

  private emit(change: Partial<PlanChange>): void {
    const full: PlanChange = { cameras: change.cameras ?? [], shelves: change.shelves ?? [], coverage: change.coverage ?? false };
    for (const l of this.listeners) l(full);
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
