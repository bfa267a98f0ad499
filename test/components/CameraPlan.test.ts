/**
 * The planner's edits: a camera turned is a command that updates the edited layout and that
 * camera's coverage; undo and redo walk the history; a slider drag is one entry; values stay
 * inside what the layout contract accepts; the exported layout loads again with the edits.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CameraPlan, clampCamera, describeChange } from '../../src/components/CameraPlan';
import { CommandHistory, type Command } from '../../src/components/CommandHistory';
import { editedLayoutName, editedLayoutText, plannedLayoutText } from '../../src/components/editedLayout';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';
import { coverageOf } from '../../src/planning/coverage';

const TEXT = readFileSync('test/fixtures/small.layout.json', 'utf8');

function plan(): CameraPlan {
  const r = parseLayoutText(TEXT);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return new CameraPlan(new LayoutIndex(r.layout));
}

describe('CommandHistory', () => {
  const counter = () => {
    const state = { value: 0 };
    const add = (by: number): Command => ({
      name: `add ${by}`,
      execute: () => void (state.value += by),
      undo: () => void (state.value -= by),
    });
    return { state, add };
  };

  it('executes, undoes and redoes in order; a new edit drops what was undone', () => {
    const { state, add } = counter();
    let changes = 0;
    const h = new CommandHistory(() => changes++);
    h.execute(add(1));
    h.execute(add(10));
    expect(state.value).toBe(11);
    expect(h.undo()?.name).toBe('add 10');
    expect(state.value).toBe(1);
    expect(h.canRedo).toBe(true);
    expect(h.redo()?.name).toBe('add 10');
    expect(state.value).toBe(11);
    h.undo();
    h.execute(add(100));
    expect(h.canRedo).toBe(false);
    expect(state.value).toBe(101);
    h.undo();
    h.undo();
    expect(h.undo()).toBeUndefined();
    expect(state.value).toBe(0);
    expect(changes).toBe(8);
  });

  it('forgets the oldest edits past its limit', () => {
    const { add } = counter();
    const h = new CommandHistory(() => {}, 3);
    for (let i = 0; i < 5; i++) h.execute(add(i));
    expect(h.size).toBe(3);
  });
});

describe('CameraPlan', () => {
  it('turns a camera as a command: layout, coverage and history follow, undo brings both back', () => {
    const p = plan();
    const before = p.report();
    const seen: string[] = [];
    p.onChange((change) => seen.push(...change.cameras.map((c) => c.id)));
    p.change('cam-sw', { yaw: 225 });
    expect(p.camera('cam-sw')!.yaw).toBe(225);
    expect(p.layout.cameras.find((c) => c.id === 'cam-sw')!.yaw).toBe(225);
    expect(p.edited).toBe(true);
    const after = p.report();
    // Looking at the wall behind it, cam-sw sees less than before.
    expect(after.cameras.find((c) => c.camera === 'cam-sw')!.slots).toBeLessThan(before.cameras.find((c) => c.camera === 'cam-sw')!.slots);
    // The one-camera update agrees with a fresh computation over the edited layout.
    expect(after.totals).toEqual(coverageOf(new LayoutIndex(p.layout)).totals);
    expect(p.history.undoName).toBe('yaw of cam-sw 45° → 225°');

    p.history.undo();
    expect(p.camera('cam-sw')!.yaw).toBe(45);
    expect(p.edited).toBe(false);
    expect(p.report().totals).toEqual(before.totals);
    p.history.redo();
    expect(p.report().totals).toEqual(after.totals);
    expect(seen).toEqual(['cam-sw', 'cam-sw', 'cam-sw']);
  });

  it('keeps a slider drag as one entry whose undo goes back to where the drag began', () => {
    const p = plan();
    for (const pitch of [-31, -35, -40, -45]) p.change('cam-se', { pitch }, 7);
    p.change('cam-se', { hfov: 70 });
    expect(p.history.size).toBe(2);
    p.history.undo();
    expect(p.camera('cam-se')!.pitch).toBe(-45);
    p.history.undo();
    expect(p.camera('cam-se')!.pitch).toBe(-30);
    expect(p.history.canUndo).toBe(false);
  });

  it('ignores an edit that changes nothing and refuses an unknown camera', () => {
    const p = plan();
    p.change('cam-se', { yaw: 135 });
    expect(p.history.size).toBe(0);
    expect(() => p.change('nope', { yaw: 1 })).toThrow(/no camera nope/);
  });

  it('regrades under the 2025 edition without losing the edits', () => {
    const p = plan();
    p.change('cam-cage', { hfov: 60 });
    p.useStandard('2025');
    expect(p.report().standard).toBe('2025');
    expect(p.camera('cam-cage')!.hfov).toBe(60);
    expect(p.report().totals).toEqual(coverageOf(new LayoutIndex(p.layout), { standard: '2025' }).totals);
  });

  it('keeps values inside the contract: in the room, pitch ±90, hfov (0, 180), whole pixels', () => {
    const room = { outline: [[0, 0], [10, 0], [10, 5], [0, 5]] as [number, number][], height: 3 };
    const c = clampCamera({ id: 'c', position: [12, -1, 9], yaw: 725, pitch: -120, hfov: 200, resolution: [1919.6, 4] }, room);
    expect(c).toEqual({ id: 'c', position: [10, 0, 3], yaw: 5, pitch: -90, hfov: 179, resolution: [1920, 16] });
    expect(clampCamera({ ...c, yaw: 270 }, room).yaw).toBe(270);
    expect(describeChange(c, { ...c, position: [1, 2, 3] })).toBe('position of c (10.00, 0.00, 3.00) → (1.00, 2.00, 3.00)');
  });
});

describe('a plan shown in the view', () => {
  it('adds the plan\'s cameras as one edit that undo takes out, and their coverage counts', () => {
    const p = plan();
    const before = p.report().totals;
    const first = p.cameraList[0]!;
    const added = [{ ...first, id: 'new-cam-1', yaw: first.yaw + 180 }, { ...first, id: 'new-cam-2', position: [first.position[0], first.position[1], first.position[2] - 0.5] as const }];
    p.addCameras(added, 'Plan 1: 2 cameras');
    expect(p.cameraList.map((c) => c.id).slice(-2)).toEqual(['new-cam-1', 'new-cam-2']);
    expect(p.edited).toBe(true);
    expect(p.history.undoName).toBe('Plan 1: 2 cameras');
    expect(p.report()).toEqual(coverageOf(new LayoutIndex(p.layout)));
    p.history.undo();
    expect(p.cameraList).toHaveLength(p.index.layout.cameras.length);
    expect(p.edited).toBe(false);
    expect(p.report().totals).toEqual(before);
    // Ids already there are not added twice.
    p.history.redo();
    p.addCameras(added, 'again');
    expect(p.cameraList.filter((c) => c.id.startsWith('new-cam-'))).toHaveLength(2);
  });

  it('writes the planned layout: the cameras as edited and the plan\'s RFID readers, and it loads', () => {
    const p = plan();
    const text = plannedLayoutText(TEXT, [...p.cameraList, { ...p.cameraList[0]!, id: 'new-cam-1' }], [{ id: 'new-rfid-1', zone: p.index.layout.zones[0]!.id }]);
    const r = parseLayoutText(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.layout.cameras.at(-1)!.id).toBe('new-cam-1');
    expect(r.layout.rfid.at(-1)).toMatchObject({ id: 'new-rfid-1', zone: p.index.layout.zones[0]!.id });
  });
});

describe('the exported layout', () => {
  it('is the opened file with the edited cameras, and loads again', () => {
    const p = plan();
    p.change('cam-nw', { yaw: -60, pitch: -20, position: [1, 11, 3], resolution: [2560, 1440] });
    const text = editedLayoutText(TEXT, p.cameraList);
    const r = parseLayoutText(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.layout.cameras.find((c) => c.id === 'cam-nw')).toEqual({ id: 'cam-nw', position: [1, 11, 3], yaw: -60, pitch: -20, hfov: 90, resolution: [2560, 1440] });
    // Everything but the cameras is as written.
    const a = JSON.parse(TEXT);
    const b = JSON.parse(text);
    expect({ ...b, cameras: undefined }).toEqual({ ...a, cameras: undefined });
    expect(b.cameras.map((c: { id: string }) => c.id)).toEqual(a.cameras.map((c: { id: string }) => c.id));
  });

  it('keeps fields of a camera it does not know', () => {
    const text = JSON.stringify({ cameras: [{ id: 'a', model: 'XNV-8080', position: [0, 0, 1], yaw: 0, pitch: 0, hfov: 90, resolution: [640, 480] }] });
    const out = JSON.parse(editedLayoutText(text, [{ id: 'a', position: [1, 1, 1], yaw: 10, pitch: -5, hfov: 80, resolution: [640, 480] }]));
    expect(out.cameras[0]).toEqual({ id: 'a', model: 'XNV-8080', position: [1, 1, 1], yaw: 10, pitch: -5, hfov: 80, resolution: [640, 480] });
  });

  it('is named after the opened file', () => {
    expect(editedLayoutName('/scenarios/layouts/gm-large.layout.json')).toBe('gm-large-edited.layout.json');
    expect(editedLayoutName('plan.json')).toBe('plan-edited.json');
    expect(editedLayoutName('')).toBe('layout-edited.json');
  });
});
