/**
 * Shelves in the planner's working copy: a shelf moved is a command (a drag is one entry),
 * the coverage model is rebuilt from the layout with the moved shelf — one rebuild at a time,
 * always ending on the last position — and the export writes the shelf's new place only,
 * refused by the layout reader when it overlaps another shelf or leaves the room.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CameraPlan } from '../../src/components/CameraPlan';
import { CatchUp, type Schedule } from '../../src/components/CatchUp';
import { editedLayoutText } from '../../src/components/editedLayout';
import { clampShelf, describeShelfChange, shelfProblems } from '../../src/components/SetShelfCommand';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';
import { coverageOf } from '../../src/planning/coverage';

const TEXT = readFileSync('test/fixtures/small.layout.json', 'utf8');

function index(): LayoutIndex {
  const r = parseLayoutText(TEXT);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return new LayoutIndex(r.layout);
}

/** A schedule the test runs by hand: `pending` callbacks wait for `flush`. */
function manual() {
  const pending: (() => void)[] = [];
  const schedule: Schedule = (run) => {
    pending.push(run);
    return () => pending.splice(pending.indexOf(run) >>> 0, 1);
  };
  const flush = () => {
    while (pending.length) pending.shift()!();
  };
  return { pending, schedule, flush };
}

describe('CatchUp', () => {
  it('keeps at most one step queued: requests meanwhile collapse into it', () => {
    const { pending, schedule, flush } = manual();
    const seen: number[] = [];
    let state = 0;
    const c = new CatchUp(() => seen.push(state), schedule);
    expect(c.behind).toBe(false);
    for (state = 1; state <= 5; state++) c.request();
    state = 5;
    expect(pending).toHaveLength(1);
    expect(c.behind).toBe(true);
    flush();
    // The intermediate states were dropped; the step read the last.
    expect(seen).toEqual([5]);
    expect(c.behind).toBe(false);
    expect(c.steps).toBe(1);
  });

  it('runs once more after a step when a request came while it ran, ending on the last state', () => {
    const { pending, schedule } = manual();
    const seen: number[] = [];
    let state = 1;
    let settled = 0;
    const c = new CatchUp(
      () => {
        seen.push(state);
        // The pointer moves on while the rebuild runs (in the page: an async step, or a request from a listener).
        if (state < 3) {
          state++;
          c.request();
          c.request();
        }
      },
      schedule,
      () => settled++,
    );
    c.request();
    pending.shift()!();
    // The request during the step is not run inside it: one more step is queued.
    expect(seen).toEqual([1]);
    expect(pending).toHaveLength(1);
    expect(c.behind).toBe(true);
    expect(settled).toBe(0);
    pending.shift()!();
    pending.shift()!();
    expect(seen).toEqual([1, 2, 3]);
    expect(pending).toHaveLength(0);
    expect(c.behind).toBe(false);
    expect(settled).toBe(1);
  });

  it('drops a queued step when cancelled', () => {
    const { pending, schedule } = manual();
    let steps = 0;
    const c = new CatchUp(() => steps++, schedule);
    c.request();
    c.cancel();
    expect(pending).toHaveLength(0);
    expect(c.behind).toBe(false);
    expect(steps).toBe(0);
  });
});

describe('a shelf moved in the plan', () => {
  it('is a command: the layout, the coverage and the history follow, and undo brings them back', () => {
    const p = new CameraPlan(index());
    const before = p.report();
    const shelves: string[] = [];
    p.onChange((c) => shelves.push(...c.shelves.map((s) => s.id)));
    // S1A's front faces the south cameras; pulled 1.8 m towards them it stands in front of pallet-1's shadow.
    p.moveShelf('S1A', { position: [1.5, 4.5] });
    expect(p.shelf('S1A')!.position).toEqual([1.5, 4.5]);
    expect(p.layout.shelves.find((s) => s.id === 'S1A')!.position).toEqual([1.5, 4.5]);
    // Its slots stand where it stands now.
    expect(Math.abs(p.editedIndex.slotBox(p.index.layout.shelves[0]!.slots[0]!.id).center[1] - 4.5)).toBeLessThan(0.3);
    expect(p.edited).toBe(true);
    expect(p.catchingUp).toBe(false);
    expect(p.history.undoName).toBe('position of S1A (1.50, 6.30) → (1.50, 4.50)');
    const after = p.report();
    expect(after.totals).not.toEqual(before.totals);
    // The rebuilt model agrees with a fresh computation over the edited layout.
    expect(after).toEqual(coverageOf(new LayoutIndex(p.layout)));

    p.history.undo();
    expect(p.shelf('S1A')!.position).toEqual([1.5, 6.3]);
    expect(p.edited).toBe(false);
    expect(p.report().totals).toEqual(before.totals);
    p.history.redo();
    expect(p.report().totals).toEqual(after.totals);
    expect(shelves).toEqual(['S1A', 'S1A', 'S1A']);
  });

  it('keeps a drag as one entry, rebuilds once however many positions came, and ends on the last', () => {
    const { pending, schedule, flush } = manual();
    const p = new CameraPlan(index(), '2015', schedule);
    const before = p.report();
    let rebuilt = 0;
    p.onChange((c) => (rebuilt += c.coverage ? 1 : 0));
    for (const y of [6.0, 5.5, 5.0, 4.5]) p.moveShelf('S1B', { position: [4.2, y] }, 3);
    expect(p.history.size).toBe(1);
    expect(p.catchingUp).toBe(true);
    expect(pending).toHaveLength(1);
    // Until the rebuild runs, the report is the last one worked out.
    expect(p.report()).toBe(before);
    flush();
    expect(rebuilt).toBe(1);
    expect(p.rebuildCount).toBe(1);
    expect(p.catchingUp).toBe(false);
    expect(p.report()).toEqual(coverageOf(new LayoutIndex(p.layout)));
    expect(p.shelf('S1B')!.position).toEqual([4.2, 4.5]);

    // A camera turned while the rebuild is queued counts in it.
    p.moveShelf('S1B', { yaw: 10 });
    p.change('cam-sw', { yaw: 60 });
    flush();
    expect(p.report()).toEqual(coverageOf(new LayoutIndex(p.layout)));

    // One undo takes the whole drag back (after the yaw and the camera).
    p.history.undo();
    p.history.undo();
    p.history.undo();
    flush();
    expect(p.shelf('S1B')!.position).toEqual([4.2, 6.3]);
    expect(p.report().totals).toEqual(before.totals);
    expect(p.history.canUndo).toBe(false);
  });

  it('ignores a move that changes nothing, refuses an unknown shelf, and keeps the centre in the room', () => {
    const p = new CameraPlan(index());
    p.moveShelf('S1A', { position: [1.5, 6.3] });
    expect(p.history.size).toBe(0);
    expect(() => p.moveShelf('nope', { yaw: 1 })).toThrow(/no shelf nope/);
    const room = p.index.layout.room;
    const s = p.shelf('S1A')!;
    expect(clampShelf({ ...s, position: [-3, 40.00049], yaw: 725 }, room)).toMatchObject({ position: [0, 12], yaw: 5 });
    expect(clampShelf({ ...s, yaw: 270 }, room).yaw).toBe(270);
    expect(describeShelfChange(s, { ...s, yaw: 90 })).toBe('yaw of S1A 0° → 90°');
    expect(describeShelfChange(s, { ...s, yaw: 90, position: [2, 2] })).toBe('S1A: position, yaw');
  });
});

describe('the exported layout with a moved shelf', () => {
  it('writes the shelf’s position and yaw only, and loads again with it', () => {
    const p = new CameraPlan(index());
    p.moveShelf('CAGE1', { position: [16.4, 5.5], yaw: 0 });
    p.change('cam-nw', { yaw: -50 });
    const text = editedLayoutText(TEXT, p.cameraList, p.shelfList);
    const r = parseLayoutText(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.layout.shelves.find((s) => s.id === 'CAGE1')).toMatchObject({ position: [16.4, 5.5], yaw: 0 });
    expect(r.layout.cameras.find((c) => c.id === 'cam-nw')!.yaw).toBe(-50);
    const a = JSON.parse(TEXT);
    const b = JSON.parse(text);
    // Everything else of the shelf (size, levels, slots) and every other shelf as written.
    const i = a.shelves.findIndex((s: { id: string }) => s.id === 'CAGE1');
    expect({ ...b.shelves[i], position: undefined, yaw: undefined }).toEqual({ ...a.shelves[i], position: undefined, yaw: undefined });
    expect(b.shelves.filter((_: unknown, k: number) => k !== i)).toEqual(a.shelves.filter((_: unknown, k: number) => k !== i));
    expect({ ...b, shelves: undefined, cameras: undefined }).toEqual({ ...a, shelves: undefined, cameras: undefined });
    expect(shelfProblems(p.layout, 'CAGE1')).toEqual([]);
  });

  it('keeps fields of a shelf it does not know', () => {
    const text = JSON.stringify({ shelves: [{ id: 'a', vendor: 'Tegometall', position: [1, 1], yaw: 0, size: [1, 1, 1], levels: 1, slots: [] }] });
    const shelf = { id: 'a', zone: 'z', position: [2, 3] as const, yaw: 90, size: [1, 1, 1] as const, levels: 1, slots: [] };
    expect(JSON.parse(editedLayoutText(text, [], [shelf])).shelves[0]).toEqual({ id: 'a', vendor: 'Tegometall', position: [2, 3], yaw: 90, size: [1, 1, 1], levels: 1, slots: [] });
  });

  it('is refused with the reader’s problems when a shelf overlaps another or leaves the room', () => {
    const p = new CameraPlan(index());
    p.moveShelf('S1B', { position: [3.0, 6.3] });
    expect(shelfProblems(p.layout, 'S1B')).toEqual(['S1B overlaps shelf S1A']);
    let r = parseLayoutText(editedLayoutText(TEXT, p.cameraList, p.shelfList));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((x) => x.reason)).toContain('overlaps shelf "S1A" (shelves[0])');

    p.history.undo();
    p.moveShelf('S1B', { position: [4.2, 11.9] });
    expect(shelfProblems(p.layout, 'S1B')).toContain('S1B stands (at least partly) outside the room');
    r = parseLayoutText(editedLayoutText(TEXT, p.cameraList, p.shelfList));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((x) => x.reason)).toContain('the shelf stands (at least partly) outside the room');
  });
});
