/**
 * What the cameras saw, in the workbench, real Chromium: a scenario that renders camera
 * frames runs in the page (its worker, the page's pipeline, the event store), then a camera
 * selected shows its latest stored frame in the inspector (a decoded image, its time and age,
 * the slots the CNN judges outlined), and the frame can be shown in the 3D view; before the
 * first frame the inspector says none is stored. The page's vision pool judges the frames as
 * they come (the shipped CNN in web workers); a slot's latest verdict shows its crop, fill,
 * match and the load cell beside it.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './browser';
import { useWorkbench } from './session';

const LAYOUT = 'scenarios/layouts/apparel-compact.layout.json';
/** The camera of that layout that judges the most slots (23 at 320 x 180). */
const CAMERA = 'cam-cage';
const session = useWorkbench();
let page: Page;
let errors: string[];

const count = (table: string) => page.evaluate((t) => document.querySelector('tw-app')!.eventStore.count(t), table);
const naturalWidth = (selector: string) =>
  page.locator(selector).first().evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0));

describe('camera frames and CNN verdicts in the workbench', () => {
  beforeAll(async () => {
    ({ page, errors } = await openPage(session.browser()));
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${session.server().url}?layout=/${LAYOUT}&source=none`);
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
  });
  afterAll(() => page?.close().catch(() => {}));

  it('says no frame is stored before a run, then shows the camera’s latest frame and puts it in the 3D view', async () => {
    await page.evaluate((id) => document.querySelector('tw-app')!.select({ kind: 'camera', id }), CAMERA);
    await expect.poll(() => page.locator('tw-inspector [data-vision=camera] [data-vision-none]').count(), { timeout: 20_000 }).toBe(1);

    // A day of the baseline scenario, a frame a camera every hour, run in the page as "Run a scenario" does.
    const t0 = Date.now();
    await page.evaluate(async () => {
      const app = document.querySelector('tw-app')!;
      // The page's own modules, from Vite (a string, so the test's transform leaves the import alone).
      const { ScenarioSource } = await new Function('return import("/src/sources/ScenarioSource.ts")')();
      const scenario = JSON.parse(await (await fetch('/scenarios/baseline-apparel.scenario.json')).text());
      scenario.frames = { intervalSeconds: 3600, width: 320 };
      const layoutText = await (await fetch('/scenarios/layouts/apparel-compact.layout.json')).text();
      await app.feed.play(new ScenarioSource({ layoutText, scenarioText: JSON.stringify(scenario), days: 1 }, 'baseline with frames'), app.layout!);
    });
    await page.waitForFunction(() => document.querySelector('tw-app')!.feed.view?.running === false, undefined, { timeout: 110_000 });
    await page.evaluate(() => document.querySelector('tw-app')!.eventStore.flushed());
    const frames = await count('frames');
    console.info(`a day with frames ran in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${frames} frames stored`);
    // One a camera an hour, and more where the scenario's motion asks for them.
    expect(frames).toBeGreaterThanOrEqual(4 * 24);

    // The inspector shows the newest frame: a decoded JPEG with its time, the judged slots outlined.
    const img = 'tw-inspector [data-vision-frame] img';
    await expect.poll(() => page.locator(img).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => naturalWidth(img), { timeout: 10_000 }).toBe(320);
    expect(await page.locator('tw-inspector [data-vision-frame]').getAttribute('data-vision-frame')).toBe(CAMERA);
    expect(await page.locator('tw-inspector [data-vision-when]').innerText()).toMatch(/\d\d:\d\d.*before the newest data|at the newest data/);
    // The slots this camera judges at 320 px: faces at least 12 px wide (src/inference/slotsInView.ts).
    expect(await page.locator('tw-inspector [data-vision-slot]').count()).toBe(23);

    // In the 3D view, in the corner the rendered inset leaves free.
    await page.locator('tw-inspector [data-vision-show-in-view]').check();
    const inView = `[data-vision-in-view=${CAMERA}] img`;
    await expect.poll(() => page.locator(inView).count()).toBe(1);
    await expect.poll(() => naturalWidth(inView)).toBe(320);
    const box = (await page.locator(inView).boundingBox())!;
    const view = (await page.locator('tw-scene-view').boundingBox())!;
    expect(box.x - view.x).toBeLessThan(30);
    expect(view.y + view.height - (box.y + box.height)).toBeLessThan(30);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/vision-frame.png' });

    // At a time before the last frame: that time's frame, not the newest.
    const newest = await page.locator('tw-inspector [data-vision-when]').innerText();
    await page.evaluate(() => {
      const app = document.querySelector('tw-app')!;
      app.time.seek(app.time.span!.from + 3 * 3_600_000 + 60_000);
    });
    await expect.poll(() => page.locator('tw-inspector [data-vision-when]').innerText(), { timeout: 20_000 }).not.toBe(newest);
    expect(await page.locator('tw-inspector [data-vision-when]').innerText()).toMatch(/before the time shown/);
    expect(await naturalWidth(img)).toBe(320);
    await page.evaluate(() => document.querySelector('tw-app')!.time.seek(null));
  });

  it('judges the frames with the shelf CNN and shows a slot’s latest verdict: its crop, fill and match, the load cell beside it', async () => {
    // The frames went through the page's vision pool as they came; its verdicts are in the store.
    const t0 = Date.now();
    await expect.poll(() => count('slot_sightings'), { timeout: 90_000, interval: 1000 }).toBeGreaterThan(0);
    const judged = await page.evaluate(
      (camera) => document.querySelector('tw-app')!.eventStore.query(`SELECT slot, count(*) AS n FROM slot_sightings WHERE camera = '${camera}' GROUP BY slot ORDER BY slot`),
      CAMERA,
    );
    console.info(`verdicts after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${await count('slot_sightings')} rows, ${judged.length} of ${CAMERA}'s slots`);
    expect(judged.length).toBeGreaterThan(0);
    const slot = String(judged[0]!.slot);

    // Clicking the slot's outline on the camera's frame selects it.
    await page.locator(`tw-inspector [data-vision-slot="${slot}"]`).dispatchEvent('click');
    await expect.poll(() => page.evaluate(() => document.querySelector('tw-app')!.selection)).toEqual({ kind: 'slot', id: slot });
    const crop = 'tw-inspector [data-vision-sighting] img.crop';
    await expect.poll(() => page.locator(crop).count(), { timeout: 20_000 }).toBe(1);
    // The shipped model's crop, 64 x 16, shown twice its size.
    await expect.poll(() => naturalWidth(crop)).toBe(64);
    expect(await page.locator(crop).evaluate((e) => [(e as HTMLImageElement).naturalHeight, (e as HTMLImageElement).width, (e as HTMLImageElement).height])).toEqual([16, 128, 32]);
    expect(await page.locator('tw-inspector [data-vision-verdict]').innerText()).toMatch(/^(empty|low|half|full) \(\d+ %\) · (matches \S+ \(\d+ %\)|another product\? \(\d+ % that it is \S+\))$/);
    expect(await page.locator('tw-inspector [data-vision-cell]').innerText()).toMatch(/^\d+ of \d+ → (empty|low|half|full)/);
    await page.screenshot({ path: 'test-results/vision-slot.png' });
    // The frame's picture goes with the camera's selection.
    expect(await page.locator('[data-vision-in-view]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
