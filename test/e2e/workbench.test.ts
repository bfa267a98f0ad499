/**
 * The workbench in real Chromium: it opens the default layout, draws it with WebGL (checked
 * on the pixels, not only on the DOM), keeps draw calls flat as slots grow, renders only on
 * demand, and handles a refused layout file without losing the open one.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Layout } from '../../src/layout/Layout';
import { parseLayoutText } from '../../src/layout/parseLayout';
import type { SceneStats } from '../../src/render/SceneRenderer';
import { openPage, screenshotPixels as pixels, webglRenderer } from './browser';
import { imageVariety } from './imageVariety';
import { useWorkbench } from './session';

const DEFAULT_LAYOUT = 'scenarios/layouts/gm-large.layout.json';
const FIXTURE = 'test/fixtures/small.layout.json';

function readLayout(path: string): Layout {
  const result = parseLayoutText(readFileSync(path, 'utf8'));
  if (!result.ok) throw new Error(`${path} is refused: ${JSON.stringify(result.problems.slice(0, 5))}`);
  return result.layout;
}
const slotCount = (layout: Layout) => layout.shelves.reduce((n, s) => n + s.slots.length, 0);

const session = useWorkbench();

/** Opens the workbench (with an optional query) and waits for its first frame. */
async function openWorkbench(query = ''): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(session.browser());
  await opened.page.goto(session.server().url + query);
  await opened.page
    .waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 })
    .catch(async (err) => {
      throw new Error(`no first frame (WebGL: ${await webglRenderer(opened.page)}; errors: ${opened.errors.join(' | ')}): ${err}`);
    });
  return opened;
}

const stats = (page: Page) => page.evaluate(() => window.__twin!.stats()) as Promise<SceneStats>;
const layoutName = (page: Page) => page.locator('tw-app header .layout-name').textContent();

describe('workbench page', () => {
  const drawn = { query: '', file: DEFAULT_LAYOUT };

  it(`draws ${drawn.file} with instanced slots and no errors`, async () => {
    const layout = readLayout(drawn.file);
    const { page, errors } = await openWorkbench(drawn.query);
    expect(await layoutName(page)).toBe(layout.name);

    const s = await stats(page);
    const slots = slotCount(layout);
    expect(s.slots).toBe(slots);
    // Slots are one instanced mesh: calls track shelves and devices, never slots.
    expect(s.calls).toBeLessThan(slots / 2);
    console.info(`${drawn.file}: ${slots} slots, ${s.calls} draw calls, ${s.triangles} triangles, ${s.lines} lines`);

    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/workbench.png', await page.screenshot());
    const variety = imageVariety(await pixels(page, await page.locator('tw-scene-view').screenshot()));
    console.info(`scene pixels: ${JSON.stringify(variety)}`);
    expect(variety.colours).toBeGreaterThan(64);
    expect(variety.dominantShare).toBeLessThan(0.85);
    expect(variety.lumaStdDev).toBeGreaterThan(8);

    expect(await page.locator('tw-app dd[data-count="Slots"]').textContent()).toBe(String(slots));
    expect(errors).toEqual([]);
    await page.close();
  });

  it(`opens ${DEFAULT_LAYOUT} by default`, async () => {
    const opened = await openPage(session.browser());
    const { page, errors } = opened;
    await page.goto(session.server().url);
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
    expect(await layoutName(page)).toBe(readLayout(DEFAULT_LAYOUT).name);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders only on demand: idle adds no frames, dragging the view adds some', async () => {
    const { page, errors } = await openWorkbench(`?layout=/${FIXTURE}`);
    const before = (await stats(page)).frames;
    await page.waitForTimeout(600);
    expect((await stats(page)).frames).toBe(before);

    const box = (await page.locator('tw-scene-view').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 30, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => (await stats(page)).frames).toBeGreaterThan(before);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps draw calls flat when every shelf holds twice the slots', async () => {
    const { page, errors } = await openWorkbench(`?layout=/${FIXTURE}`);
    const before = await stats(page);
    const denser = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    for (const shelf of denser.shelves) {
      // Each slot gets a twin on its level; indices stay 0..n-1 per level as the contract asks.
      shelf.slots = shelf.slots.flatMap((s: { id: string; index: number }) => [
        { ...s, index: 2 * s.index },
        { ...s, id: `${s.id}-b`, index: 2 * s.index + 1 },
      ]);
    }
    await page.locator('tw-app input[name=layout]').setInputFiles({
      name: 'denser.layout.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(denser)),
    });
    await expect.poll(async () => (await stats(page)).slots).toBe(2 * before.slots);
    expect((await stats(page)).calls).toBe(before.calls);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists every problem of a refused file and keeps the open layout', async () => {
    const { page, errors } = await openWorkbench(`?layout=/${FIXTURE}`);
    const name = await layoutName(page);
    const slotsBefore = (await stats(page)).slots;

    const broken = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    broken.shelves[0].slots[1].sku = 'sku-nope'; // unknown reference
    broken.shelves[1].slots[0].id = broken.shelves[0].slots[0].id; // duplicate slot id
    broken.shelves[2].position = [40, 40]; // outside the room
    broken.cameras[0].hfov = 'wide'; // mistyped
    await page.locator('tw-app input[name=layout]').setInputFiles({
      name: 'broken.layout.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(broken)),
    });

    const problems = page.locator('tw-app #problems');
    await expect.poll(() => problems.count()).toBe(1);
    const items = await problems.locator('li').allTextContents();
    expect(items.length).toBeGreaterThanOrEqual(4);
    const text = items.join('\n');
    expect(text).toContain('shelves[0].slots[1].sku');
    expect(text).toContain('shelves[1].slots[0].id');
    expect(text).toContain('shelves[2].position');
    expect(text).toContain('cameras[0].hfov');
    expect(await problems.locator('h2').textContent()).toContain('broken.layout.json');

    expect(await layoutName(page)).toBe(name);
    expect((await stats(page)).slots).toBe(slotsBefore);
    // A refused file is data, not an error: the page logs nothing.
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a good file chosen by the user in place of the current one', async () => {
    const { page, errors } = await openWorkbench(`?layout=/${FIXTURE}`);
    const other = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    other.name = 'Renamed back room';
    other.shelves = other.shelves.slice(0, 3);
    await page.locator('tw-app input[name=layout]').setInputFiles({
      name: 'renamed.layout.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(other)),
    });
    await expect.poll(() => layoutName(page)).toBe('Renamed back room');
    const slots = other.shelves.reduce((n: number, s: { slots: unknown[] }) => n + s.slots.length, 0);
    await expect.poll(async () => (await stats(page)).slots).toBe(slots);
    expect(await page.locator('tw-app dd[data-count="Shelves"]').textContent()).toBe('3');
    expect(errors).toEqual([]);
    await page.close();
  });
});
