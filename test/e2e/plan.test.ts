/**
 * The planner's 3D view in real Chromium, on the large layout: the Plan tab says what the
 * cameras see, the heat map costs two draw calls, a selected camera's own view shows in the
 * corner, turning a camera changes the totals and Ctrl+Z / Ctrl+Shift+Z take it back and
 * forth, and the exported layout loads again with the edit. A shelf dragged over the floor
 * moves in the view (draw calls unchanged), the coverage catches up with it, one undo takes
 * the drag back, and the export loads with the moved shelf.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraPlan } from '../../src/components/CameraPlan';
import { coverageSentences } from '../../src/components/planSummary';
import { shelfProblems } from '../../src/components/SetShelfCommand';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';
import type { SceneStats } from '../../src/render/SceneRenderer';
import { openPage } from './browser';
import { useWorkbench } from './session';

const LAYOUT = 'scenarios/layouts/gm-large.layout.json';
const session = useWorkbench();
let page: Page;
let errors: string[];

const stats = () => page.evaluate(() => window.__twin!.stats()) as Promise<SceneStats>;
const totals = () => page.locator('tw-plan-panel [data-plan-totals]').innerText();
/** The stats of a frame drawn after now (the view renders on demand: ask for one). */
async function nextFrame(): Promise<SceneStats> {
  const frames = (await stats()).frames;
  await page.evaluate(() => document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scene-view')!.scene!.requestRender());
  await expect.poll(async () => (await stats()).frames).toBeGreaterThan(frames);
  return stats();
}
const blur = () =>
  page.evaluate(() => {
    let el = document.activeElement as HTMLElement | null;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement as HTMLElement;
    el?.blur();
  });

describe('the Plan tab', () => {
  beforeAll(async () => {
    ({ page, errors } = await openPage(session.browser()));
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${session.server().url}?layout=/${LAYOUT}&source=none&tab=plan`);
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
  });
  afterAll(() => page?.close().catch(() => {}));

  it('says what the cameras see and tints slot faces and floor in two draw calls', async () => {
    await expect.poll(totals, { timeout: 30_000 }).toContain('600 of 850 slot faces seen; 376 judgeable for fill level, 138 for product.');
    expect(await totals()).toContain('5 of 5 doors seen');
    expect(await page.locator('tw-plan-panel [data-plan-legend]').innerText()).toContain('recognise ≥ 125 px/m');
    await expect.poll(async () => (await stats()).coverage).toBe(true);
    const on = await nextFrame();
    await page.locator('tw-plan-panel [data-plan-mode=off]').click();
    await expect.poll(async () => (await stats()).coverage).toBe(false);
    const off = await nextFrame();
    console.info(`heat map: ${on.calls} calls (${off.calls} without), ${on.triangles - off.triangles} triangles`);
    expect(on.calls - off.calls).toBe(2);
    await page.locator('tw-plan-panel [data-plan-mode=count]').click();
    await expect.poll(async () => (await stats()).coverage).toBe(true);
    expect(await page.locator('tw-plan-panel [data-plan-legend]').innerText()).toContain('2 cameras');
    // The 2025 edition grades the same views by other thresholds.
    const grades2015 = await page.locator('tw-plan-panel [data-plan-grades]').innerText();
    await page.locator('tw-plan-panel [data-plan-standard]').selectOption('2025');
    await expect.poll(() => page.locator('tw-plan-panel [data-plan-grades]').innerText()).not.toBe(grades2015);
    await page.locator('tw-plan-panel [data-plan-mode=grade]').click();
    await expect.poll(() => page.locator('tw-plan-panel [data-plan-legend]').innerText()).toContain('monitor ≥ 20 px/m');
    await page.locator('tw-plan-panel [data-plan-standard]').selectOption('2015');
    await expect.poll(() => page.locator('tw-plan-panel [data-plan-legend]').innerText()).toContain('monitor ≥ 12.5 px/m');
  });

  it('shows a selected camera’s own view in the corner, then turns it: the totals follow, undo and redo', async () => {
    const before = await totals();
    const plain = await nextFrame();
    await page.locator('tw-plan-panel tr[data-camera=cam-dock]').click();
    await expect.poll(async () => (await stats()).inset).toBe('cam-dock');
    expect(new URL(page.url()).searchParams.get('tab')).toBe('plan');
    const inset = await nextFrame();
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/plan-inset.png', await page.screenshot());
    // The inset draws the room again, without the heat map and the camera bodies.
    expect(inset.calls).toBeGreaterThan(plain.calls);

    const yaw = page.locator('tw-plan-panel input[data-field=yaw]');
    expect(await yaw.inputValue()).toBe('86');
    await yaw.fill('-94');
    await yaw.dispatchEvent('change');
    await expect.poll(totals).not.toBe(before);
    const turned = await totals();
    await blur();
    await page.keyboard.press('Control+z');
    await expect.poll(totals).toBe(before);
    expect(await yaw.inputValue()).toBe('86');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(totals).toBe(turned);
    await page.locator('tw-plan-panel [data-action=undo]').click();
    await expect.poll(totals).toBe(before);
  });

  it('keeps a slider drag as one edit', async () => {
    const before = await totals();
    const ms = await page.locator('tw-plan-panel #plan-pitch').evaluate((el: HTMLInputElement) => {
      const t0 = performance.now();
      for (const v of [-45, -50, -55, -60]) {
        el.value = String(v);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }
      const steps = (performance.now() - t0) / 4;
      el.dispatchEvent(new Event('change', { bubbles: true }));
      const t1 = performance.now();
      document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-plan-panel')!.cameraPlan!.coverage.report();
      return { steps, report: performance.now() - t1 };
    });
    console.info(`a slider step (one camera recomputed): ${ms.steps.toFixed(1)} ms; the report once a frame: ${ms.report.toFixed(1)} ms`);
    await expect.poll(() => page.locator('tw-plan-panel input[data-field=pitch]').inputValue()).toBe('-60');
    await page.locator('tw-plan-panel [data-action=undo]').click();
    await expect.poll(() => page.locator('tw-plan-panel input[data-field=pitch]').inputValue()).toBe('-40');
    await expect.poll(totals).toBe(before);
    expect(await page.locator('tw-plan-panel [data-action=undo]').isDisabled()).toBe(true);
  });

  it('exports the layout with the edited camera, and it loads again', async () => {
    const yaw = page.locator('tw-plan-panel input[data-field=yaw]');
    await yaw.fill('60');
    await yaw.dispatchEvent('change');
    await expect.poll(() => page.locator('tw-plan-panel [data-plan-edited]').count()).toBe(1);
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.locator('tw-plan-panel [data-action=export-layout]').click()]);
    expect(file.suggestedFilename()).toBe('gm-large-edited.layout.json');
    const r = parseLayoutText(readFileSync((await file.path())!, 'utf8'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.layout.cameras.find((c) => c.id === 'cam-dock')!.yaw).toBe(60);
    const original = JSON.parse(readFileSync(LAYOUT, 'utf8'));
    expect(r.layout.cameras.filter((c) => c.id !== 'cam-dock')).toEqual(original.cameras.filter((c: { id: string }) => c.id !== 'cam-dock'));
  });

  it('drags a camera over the floor in the 3D view as one edit', async () => {
    const target = (await page.evaluate(() => {
      const s = document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scene-view')!.scene!;
      for (const id of s.layoutIndex!.cameras.keys()) {
        const p = s.screenPointOf({ kind: 'camera', id });
        const hit = p && s.pick(p.x, p.y);
        if (hit && hit.kind === 'camera' && hit.id === id && s.cameraOf(id)!.position[0] === s.layoutIndex!.cameras.get(id)!.position[0]) return { id, ...p };
      }
      return null;
    })) as { id: string; x: number; y: number } | null;
    expect(target).not.toBeNull();
    const { id, x, y } = target!;
    const original = JSON.parse(readFileSync(LAYOUT, 'utf8')).cameras.find((c: { id: string }) => c.id === id);
    const before = await totals();
    const undos = async () => (await page.locator('tw-plan-panel [data-action=undo]').getAttribute('title')) ?? '';
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 40, y + 30, { steps: 4 });
    await page.mouse.move(x + 90, y + 60, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => page.locator(`tw-plan-panel tr[data-camera=${id}]`).getAttribute('aria-selected')).toBe('true');
    const moved = Number(await page.locator('tw-plan-panel input[data-field=x]').inputValue());
    expect(moved).not.toBe(original.position[0]);
    expect(Number(await page.locator('tw-plan-panel input[data-field=z]').inputValue())).toBe(original.position[2]);
    expect(await undos()).toContain(`position of ${id}`);
    await expect.poll(totals).not.toBe(before);
    // The whole drag is one edit: one undo puts the camera back where it was.
    await page.locator('tw-plan-panel [data-action=undo]').click();
    await expect.poll(() => page.locator('tw-plan-panel input[data-field=x]').inputValue()).toBe(String(original.position[0]));
    await expect.poll(totals).toBe(before);
    expect(errors).toEqual([]);
  });

  it('plans within a budget in a worker, explains each camera, shows the plan in the view (undoable) and downloads the planned layout', async () => {
    const form = page.locator('tw-placement-panel [data-placement-form]');
    await form.locator('input[name=budget]').fill('1400');
    await form.locator('input[name=kind-rfid]').uncheck();
    await form.locator('[data-action=plan]').click();
    const plan = page.locator('tw-placement-panel [data-placement-plan]');
    await expect.poll(() => plan.count(), { timeout: 90_000 }).toBe(1);
    expect(await plan.locator('[data-placement-headline]').innerText()).toMatch(/^2 devices for USD 1,400 of USD 1,400; the objective goes from [\d.]+ to [\d.]+/);
    const why = await plan.locator('[data-device] .why').allInnerTexts();
    expect(why).toHaveLength(2);
    for (const w of why) expect(w).toMatch(/^new-cam-\d+ adds \d+ % of /);
    expect(await page.locator('tw-placement-panel [data-placement-compare]').innerText()).toContain('Plan 1: USD 1,400');

    const before = await totals();
    const rows = () => page.locator('tw-plan-panel tr[data-camera]').count();
    const cameras = await rows();
    await plan.locator('[data-action=show-plan]').click();
    await expect.poll(rows).toBe(cameras + 2);
    await expect.poll(totals).not.toBe(before);
    await blur();
    await page.keyboard.press('Control+z');
    await expect.poll(rows).toBe(cameras);
    await expect.poll(totals).toBe(before);

    mkdirSync('out/e2e', { recursive: true });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), plan.locator('[data-action=download-planned-layout]').click()]);
    const r = parseLayoutText(readFileSync((await download.path())!, 'utf8'));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.layout.cameras.map((c) => c.id).filter((id) => id.startsWith('new-cam-'))).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('drags a shelf over the floor: the view and the coverage follow, one undo takes it back, the export loads with it', async () => {
    // Shelves whose stock is under the pointer at one of its top slots, where the view shows them.
    const shown = (await page.evaluate(() => {
      const s = document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scene-view')!.scene!;
      const out: { id: string; x: number; y: number }[] = [];
      for (const shelf of s.layoutIndex!.layout.shelves) {
        const top = shelf.slots.reduce((a, b) => (b.level > a.level ? b : a));
        const p = s.screenPointOf({ kind: 'slot', id: top.id });
        const hit = p && s.pick(p.x, p.y);
        if (p && hit?.kind === 'slot' && s.layoutIndex!.slots.get(hit.id)!.shelf === shelf.id) out.push({ id: shelf.id, ...p });
      }
      return out;
    })) as { id: string; x: number; y: number }[];
    expect(shown.length).toBeGreaterThan(0);
    // A move that the layout reader accepts and that changes what the cameras see (worked out here, on Node).
    const opened = parseLayoutText(readFileSync(LAYOUT, 'utf8'));
    if (!opened.ok) throw new Error('layout refused');
    const base = new CameraPlan(new LayoutIndex(opened.layout));
    // What the totals say about slot faces: a shelf that hides another's faces, or whose own faces a camera sees, changes it.
    const said = () => coverageSentences(base.report().totals)[0];
    const saidBefore = said();
    let choice: { id: string; x: number; y: number; delta: readonly [number, number] } | undefined;
    for (const c of shown) {
      const s = base.shelf(c.id)!;
      for (const delta of [[0.6, 0], [-0.6, 0], [0, 0.6], [0, -0.6]] as const) {
        base.moveShelf(c.id, { position: [s.position[0] + delta[0], s.position[1] + delta[1]] });
        const fits = shelfProblems(base.layout, c.id).length === 0 && said() !== saidBefore;
        base.history.undo();
        if (fits) choice = { ...c, delta };
        if (choice) break;
      }
      if (choice) break;
    }
    expect(choice).toBeDefined();
    const { id, x, y, delta } = choice!;
    console.info(`dragging shelf ${id} by (${delta.join(', ')}) m`);
    const original = opened.layout.shelves.find((s) => s.id === id)!;
    // The pixels that move the point under the pointer by `delta` on the plane the shelf is dragged at.
    const to = (await page.evaluate(
      ({ x, y, z, delta }) => {
        const s = document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scene-view')!.scene!;
        const at = (px: number, py: number) => s.planePoint(px, py, z)!;
        const from = at(x, y);
        let [px, py] = [x, y];
        for (let k = 0; k < 4; k++) {
          const p = at(px, py);
          const ex = from[0] + delta[0] - p[0];
          const ey = from[1] + delta[1] - p[1];
          const jx = at(px + 5, py);
          const jy = at(px, py + 5);
          const [a, b, c, d] = [(jx[0] - p[0]) / 5, (jy[0] - p[0]) / 5, (jx[1] - p[1]) / 5, (jy[1] - p[1]) / 5];
          const det = a * d - b * c;
          px += (d * ex - b * ey) / det;
          py += (a * ey - c * ex) / det;
        }
        return { x: px, y: py };
      },
      { x, y, z: original.size[2] / 2, delta },
    )) as { x: number; y: number };

    const before = await totals();
    const undos = async () => (await page.locator('tw-plan-panel [data-action=undo]').getAttribute('title')) ?? '';
    // A press that does not move is a click: it selects the slot and the Plan tab edits its shelf.
    await page.mouse.click(x, y);
    await expect.poll(() => page.locator(`tw-plan-panel [data-plan-shelf-editor=${id}]`).count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('tab')).toBe('plan');
    const still = await nextFrame();

    // Whether the tab ever says it is catching up with the moved shelf.
    await page.evaluate(() => {
      const root = document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-plan-panel')!.shadowRoot!;
      const w = window as unknown as { __caughtUp?: string };
      new MutationObserver(() => {
        const note = root.querySelector('[data-plan-catching-up]');
        if (note) w.__caughtUp = note.textContent ?? '';
      }).observe(root, { childList: true, subtree: true });
    });
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let k = 1; k <= 8; k++) await page.mouse.move(x + ((to.x - x) * k) / 8, y + ((to.y - y) * k) / 8);
    await page.mouse.up();
    const shelfX = page.locator('tw-plan-panel input[data-field=shelf-x]');
    const shelfY = page.locator('tw-plan-panel input[data-field=shelf-y]');
    await expect.poll(async () => Math.hypot(Number(await shelfX.inputValue()) - original.position[0] - delta[0], Number(await shelfY.inputValue()) - original.position[1] - delta[1])).toBeLessThan(0.05);
    expect(await undos()).toContain(`position of ${id}`);
    await expect.poll(totals, { timeout: 30_000 }).not.toBe(before);
    await expect.poll(() => page.locator('tw-plan-panel [data-plan-catching-up]').count()).toBe(0);
    const moved = await totals();
    expect(await page.evaluate(() => (window as unknown as { __caughtUp?: string }).__caughtUp)).toContain('Catching up with the moved shelf');
    expect(await page.locator('tw-plan-panel [data-plan-shelf-problems]').count()).toBe(0);
    // The view shows the shelf where it was dropped, its stock with it, in as many draw calls as before.
    const view = await page.evaluate((id) => {
      const s = document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scene-view')!.scene!;
      const plan = document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-plan-panel')!.cameraPlan!;
      const shelf = s.layoutIndex!.shelves.get(id)!;
      const top = shelf.slots.reduce((a, b) => (b.level > a.level ? b : a));
      const p = s.screenPointOf({ kind: 'slot', id: top.id })!;
      return { at: shelf.position, planned: plan.shelf(id)!.position, hit: s.pick(p.x, p.y), rebuilds: plan.rebuildCount, selected: s.selectedRef };
    }, id);
    expect(view.at).toEqual(view.planned);
    expect(view.hit?.kind).toBe('slot');
    expect(view.selected).toEqual({ kind: 'shelf', id });
    const rebuildMs = await page.evaluate(() => {
      const plan = document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-plan-panel')!.cameraPlan!;
      const t0 = performance.now();
      plan.useStandard('2025');
      plan.useStandard('2015');
      return (performance.now() - t0) / 2;
    });
    console.info(`a shelf dragged in 8 steps: ${view.rebuilds} coverage rebuilds of ${rebuildMs.toFixed(0)} ms each`);
    expect(view.rebuilds).toBeGreaterThanOrEqual(1);
    expect((await nextFrame()).calls).toBe(still.calls);
    writeFileSync('test-results/plan-shelf.png', await page.screenshot());

    // The whole drag is one edit: one undo puts the shelf back and the coverage with it.
    await page.locator('tw-plan-panel [data-action=undo]').click();
    await expect.poll(() => shelfX.inputValue()).toBe(String(original.position[0]));
    expect(await shelfY.inputValue()).toBe(String(original.position[1]));
    await expect.poll(totals, { timeout: 30_000 }).toBe(before);
    await blur();
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(totals, { timeout: 30_000 }).toBe(moved);

    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.locator('tw-plan-panel [data-action=export-layout]').click()]);
    const r = parseLayoutText(readFileSync((await file.path())!, 'utf8'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const exported = r.layout.shelves.find((s) => s.id === id)!;
    expect(exported.position).toEqual(view.planned);
    expect({ ...exported, position: original.position }).toEqual(original);
    expect(r.layout.shelves.filter((s) => s.id !== id)).toEqual(opened.layout.shelves.filter((s) => s.id !== id));

    // Five positions in one burst (faster than frames): one rebuild, on the last of them.
    const burst = await page.evaluate(async (id) => {
      const plan = document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-plan-panel')!.cameraPlan!;
      const from = plan.rebuildCount;
      const [x0, y0] = plan.shelf(id)!.position;
      for (let k = 1; k <= 5; k++) plan.moveShelf(id, { position: [x0, y0 + k * 0.02] }, -1);
      const behind = plan.catchingUp;
      while (plan.catchingUp) await new Promise((r) => setTimeout(r, 10));
      const done = { rebuilds: plan.rebuildCount - from, behind, at: plan.coverage.layout.shelves.get(id)!.position[1] - y0 };
      plan.history.undo();
      return done;
    }, id);
    expect(burst.behind).toBe(true);
    expect(burst.rebuilds).toBe(1);
    expect(burst.at).toBeCloseTo(0.1, 6);
    await expect.poll(totals, { timeout: 30_000 }).toBe(moved);
    expect(errors).toEqual([]);
  });
});
