/**
 * A shelf moved or turned by the planner, as a command (CameraPlan runs it, CommandHistory
 * keeps it): a drag over the floor is one entry, like a camera's slider gesture. Only the
 * footprint's place changes (position and yaw); size, levels and slots stay as written.
 */
import { convexOverlap, footprint, polygonInside } from '../layout/geometry';
import type { Layout, Shelf } from '../layout/Layout';
import type { Command } from './CommandHistory';

/** The fields of a shelf the planner edits. */
export type ShelfPatch = Partial<Pick<Shelf, 'position' | 'yaw'>>;

/** What a command needs of the plan it edits. */
export interface ShelfHolder {
  setShelf(shelf: Shelf): void;
}

/** One edit of one shelf: from `before` to `after`; a later edit of the same gesture is absorbed. */
export class SetShelfCommand implements Command {
  constructor(
    private readonly plan: ShelfHolder,
    readonly before: Shelf,
    public after: Shelf,
    readonly gesture?: number,
  ) {}

  get name(): string {
    return describeShelfChange(this.before, this.after);
  }

  execute(): void {
    this.plan.setShelf(this.after);
  }

  undo(): void {
    this.plan.setShelf(this.before);
  }

  absorb(next: Command): boolean {
    if (!(next instanceof SetShelfCommand) || next.plan !== this.plan || this.gesture === undefined) return false;
    if (next.gesture !== this.gesture || next.before.id !== this.before.id) return false;
    this.after = next.after;
    return true;
  }
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** "position of R01-01 (0.35, 4.00) → (1.00, 4.00)", or "R01-01: position, yaw" when both changed. */
export function describeShelfChange(before: Shelf, after: Shelf): string {
  const moved = before.position[0] !== after.position[0] || before.position[1] !== after.position[1];
  const turned = before.yaw !== after.yaw;
  if (moved && turned) return `${before.id}: position, yaw`;
  if (turned) return `yaw of ${before.id} ${round(before.yaw, 1)}° → ${round(after.yaw, 1)}°`;
  if (moved) {
    const at = (s: Shelf) => `(${s.position.map((x) => x.toFixed(2)).join(', ')})`;
    return `position of ${before.id} ${at(before)} → ${at(after)}`;
  }
  return `${before.id}: no change`;
}

export function sameShelfPlace(a: Shelf, b: Shelf): boolean {
  return a.position[0] === b.position[0] && a.position[1] === b.position[1] && a.yaw === b.yaw;
}

/**
 * A shelf kept where an edit can put it: its centre inside the room's bounding box, to the
 * millimetre, yaw within a turn either way (a written 270 stays 270). It may still overlap
 * another shelf or stand partly outside the room while the planner drags it: `shelfProblems`
 * says so, and Export refuses it as the layout reader would.
 */
export function clampShelf(s: Shelf, room: Layout['room']): Shelf {
  const xs = room.outline.map((p) => p[0]);
  const ys = room.outline.map((p) => p[1]);
  const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(x) ? x : lo));
  let yaw = Number.isFinite(s.yaw) ? s.yaw : 0;
  if (Math.abs(yaw) > 360) yaw = ((((yaw + 180) % 360) + 360) % 360) - 180;
  return {
    ...s,
    position: [round(clamp(s.position[0], Math.min(...xs), Math.max(...xs)), 3), round(clamp(s.position[1], Math.min(...ys), Math.max(...ys)), 3)],
    yaw: round(yaw, 3),
  };
}

/** Why a layout with shelf `id` where it is now would not load: outside the room, overlapping others (the reader's checks, in words). */
export function shelfProblems(layout: Layout, id: string): string[] {
  const shelf = layout.shelves.find((s) => s.id === id);
  if (!shelf) return [];
  const poly = footprint(shelf.position, shelf.size[0], shelf.size[1], shelf.yaw);
  const out: string[] = [];
  if (!polygonInside(poly, layout.room.outline, 1e-6)) out.push(`${id} stands (at least partly) outside the room`);
  for (const other of layout.shelves) {
    if (other.id === id) continue;
    if (convexOverlap(poly, footprint(other.position, other.size[0], other.size[1], other.yaw))) out.push(`${id} overlaps shelf ${other.id}`);
  }
  return out;
}
