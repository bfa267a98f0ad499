/**
 * The 3D twin in real Chromium: slots cost the same draw calls and triangles however many
 * stand on the same shelves, the pointer names and selects a slot, a RoomView (fill,
 * mismatch, open door, people, offline device) changes the picture, and an idle view draws
 * no frames once alert pulses settle.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stressLayout } from '../../src/layout/stressLayout';
import type { SceneStats } from '../../src/render/SceneRenderer';
import { openPage, webglRenderer } from './browser';
import { imageVariety } from './imageVariety';
import { useWorkbench } from './session';

const FIXTURE = 'test/fixtures/small.layout.json';
const session = useWorkbench();

/** The page's SceneRenderer, found through the open shadow roots (wherever tw-app nests the view). */
const FIND_SCENE = `(() => {
  const find = (root) => {
    const hit = root.querySelector('tw-scene-view');
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) { const f = find(el.shadowRoot); if (f) return f; }
    return null;
  };
  return find(document);
})()`;

async function openWorkbench(query = ''): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(session.browser());
  await opened.page.goto(session.server().url + query);
  await opened.page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 }).catch(async (err) => {
    throw new Error(`no first frame (WebGL: ${await webglRenderer(opened.page)}; errors: ${opened.errors.join(' | ')}): ${err}`);
  });
  await opened.page.evaluate(`window.__scene = ${FIND_SCENE}`);
  return opened;
}

const stats = (page: Page) => page.evaluate(() => window.__twin!.stats()) as Promise<SceneStats>;

async function openLayout(page: Page, layout: unknown, slots: number): Promise<SceneStats> {
  await page.locator('tw-app input[name=layout]').setInputFiles({ name: 'stress.layout.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(layout)) });
  await expect.poll(async () => (await stats(page)).slots, { timeout: 20_000 }).toBe(slots);
  // One more frame with the new layout settled (stats are of the last frame).
  const frames = (await stats(page)).frames;
  await page.evaluate('window.__scene.scene.requestRender()');
  await expect.poll(async () => (await stats(page)).frames).toBeGreaterThan(frames);
  return stats(page);
}

describe('3D twin', () => {
  it('draws 5,000 slots with the draw calls and triangles of 2,500 on the same shelves', async () => {
    const { page, errors } = await openWorkbench(`?layout=/${FIXTURE}`);
    const full = await openLayout(page, stressLayout({ slots: 5000 }), 5000);
    const half = await openLayout(page, stressLayout({ slots: 2500, shelves: 100 }), 2500);
    console.info(`5,000 slots: ${full.calls} calls, ${full.triangles} triangles; 2,500: ${half.calls} calls, ${half.triangles} triangles; ${full.slotLevels} levels`);
    expect(full.calls).toBe(half.calls);
    expect(full.triangles).toBe(half.triangles);
    // Slot triangles track shelf levels (12 a level), never slots.
    expect(full.slotLevels).toBe(500);
    expect(full.triangles).toBeLessThan(5000 * 12);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('names a slot under the pointer and selects it on click', async () => {
    const { page, errors } = await openWorkbench(`?layout=/${FIXTURE}`);
    // A slot whose centre nothing hides: the renderer's own pick agrees with it there.
    const target = (await page.evaluate(`(() => {
      const s = window.__scene.scene;
      for (const id of s.layoutIndex.slots.keys()) {
        const p = s.screenPointOf({ kind: 'slot', id });
        const hit = p && s.pick(p.x, p.y);
        if (hit && hit.kind === 'slot' && hit.id === id) return { id, ...p };
      }
      return null;
    })()`)) as { id: string; x: number; y: number } | null;
    expect(target).not.toBeNull();
    const { id, x, y } = target!;

    await page.evaluate(`window.__hovers = []; window.__selects = [];
      document.addEventListener('tw-hover', (e) => window.__hovers.push(e.detail.ref));
      document.addEventListener('tw-select', (e) => window.__selects.push(e.detail.ref));`);
    await page.mouse.move(x - 30, y - 30);
    await page.mouse.move(x, y, { steps: 3 });
    const tooltip = page.locator('tw-scene-view .tooltip');
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    expect(await tooltip.textContent()).toContain(`Slot ${id}`);
    expect(await page.evaluate('window.__hovers.at(-1)')).toEqual({ kind: 'slot', id });

    await page.mouse.down();
    await page.mouse.up();
    await expect.poll(() => page.evaluate('window.__selects.at(-1)')).toEqual({ kind: 'slot', id });
    expect(await page.evaluate('window.__scene.scene.selectedRef')).toEqual({ kind: 'slot', id });

    // A drag is an orbit, not a click: the selection stays.
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 80, y + 20, { steps: 4 });
    await page.mouse.up();
    expect(await page.evaluate('window.__selects.length')).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows fill, a mismatch, an open door, people and an offline camera, then idles', async () => {
    const { page, errors } = await openWorkbench(`?layout=/${FIXTURE}`);
    const layout = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    const view = page.locator('tw-scene-view');
    const before = await view.screenshot();
    const frames0 = (await stats(page)).frames;
    await page.evaluate(
      `(() => {
        const s = window.__scene.scene;
        const layout = ${JSON.stringify({ doors: layout.doors.map((d: { id: string }) => d.id), cameras: layout.cameras.map((c: { id: string }) => c.id) })};
        const slots = new Map();
        let i = 0;
        for (const id of s.layoutIndex.slots.keys()) {
          const fill = (i % 5) / 4;
          slots.set(id, { fill, units: fill * 10, book: i % 3 === 0 ? fill * 10 + 2 : fill * 10, mismatch: i % 3 === 0 });
          i++;
        }
        s.show({
          store: 'x', at: 0, slots,
          openDoors: new Map(layout.doors.map((d) => [d, 0])),
          present: [0, 1, 2, 3, 4].map((k) => ({ badge: 'b' + k, role: k % 2 ? 'associate' : 'manager', door: layout.doors[0], since: k })),
          offline: new Set([layout.cameras[0]]),
        });
      })()`,
    );
    await expect.poll(async () => (await stats(page)).frames).toBeGreaterThan(frames0);
    const after = await view.screenshot();
    expect(after.equals(before)).toBe(false);
    const variety = imageVariety(await decode(page, after));
    expect(variety.colours).toBeGreaterThan(64);
    expect(variety.dominantShare).toBeLessThan(0.85);

    // Idle after a view: no frames.
    const idle = (await stats(page)).frames;
    await page.waitForTimeout(500);
    expect((await stats(page)).frames).toBe(idle);

    // A new alert pulses (frames keep coming) …
    await page.evaluate(`(() => { const s = window.__scene.scene; s.setAlerts([{ id: 'a1', at: s.positionOf('${layout.doors[0].id}'), severity: 'critical' }]); })()`);
    const pulse = (await stats(page)).frames;
    await page.waitForTimeout(400);
    expect((await stats(page)).frames).toBeGreaterThan(pulse + 2);
    // … and a view without alerts is idle again.
    await page.evaluate(`window.__scene.scene.setAlerts([])`);
    // The pulse's last frame may still be on its way on a slow machine: wait for a quiet spell, then expect quiet.
    await expect.poll(async () => {
      const a = (await stats(page)).frames;
      await page.waitForTimeout(150);
      return (await stats(page)).frames === a;
    }, { timeout: 5_000 }).toBe(true);
    const settled = (await stats(page)).frames;
    await page.waitForTimeout(500);
    expect((await stats(page)).frames).toBe(settled);
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** RGBA pixels of a PNG, decoded by the page. */
async function decode(page: Page, png: Buffer): Promise<Uint8Array> {
  const b64 = (await page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.min(480, img.width);
    canvas.height = Math.max(1, Math.round((img.height * canvas.width) / img.width));
    const ctx = canvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let s = '';
    for (let i = 0; i < rgba.length; i += 0x8000) s += String.fromCharCode(...rgba.subarray(i, i + 0x8000));
    return btoa(s);
  }, png.toString('base64'))) as string;
  return new Uint8Array(Buffer.from(b64, 'base64'));
}
