/**
 * The shelf CNN in web workers, in real Chromium: a pool of workers on the page's origin
 * (cross-origin isolated by the dev server's COOP/COEP) judges a frame rendered in Node on
 * the wasm backend with SIMD and threads, WebGL left alone because it is SwiftShader here;
 * the frame's JPEG is transferred to the worker (the page's buffer detached), and a burst of
 * one camera's frames drops the stale ones and counts them; a model picked as files, with a
 * class map, runs the same way.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FrameRenderer } from '../../sim/render/FrameRenderer';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayoutText } from '../../src/layout/parseLayout';
import { openPage } from './browser';
import { useWorkbench } from './session';

const LAYOUT = 'scenarios/layouts/apparel-compact.layout.json';
const session = useWorkbench();
let page: Page;
let errors: string[];

/** A frame of each camera, as base64 JPEG: every slot full of its own SKU, or (mixed) slots at fills from empty to full. */
function renderFrames(mixed = false): Map<string, string> {
  const parsed = parseLayoutText(readFileSync(LAYOUT, 'utf8'));
  if (!parsed.ok) throw new Error(`${LAYOUT} should load`);
  const layout = new LayoutIndex(parsed.layout);
  const renderer = new FrameRenderer(layout);
  const units = (capacity: number, i: number) => (mixed ? Math.round((capacity * ((i * 37) % 101)) / 100) : capacity);
  const stock = new Map([...layout.slots.values()].map((s, i) => [s.id, new Map([[s.sku, units(s.capacity, i)]])]));
  const world = { ts: Date.parse('2026-11-17T16:00:00Z'), stock, people: [] };
  return new Map([...layout.cameras.keys()].map((c) => [c, Buffer.from(renderer.jpeg(c, world, { width: 1280 }).jpeg).toString('base64')]));
}

let frames: Map<string, string>;

beforeAll(async () => {
  frames = renderFrames();
  ({ page, errors } = await openPage(session.browser()));
  await page.goto(`${session.server().url}test/e2e/vision.html`);
  await page.waitForFunction(() => window.__vision !== undefined, undefined, { timeout: 60_000 });
});

describe('vision pool in the browser', () => {
  it('judges a frame in a worker on wasm (SIMD, threads where the cores allow), skipping software WebGL, with the JPEG transferred', async () => {
    const started = await page.evaluate((layout) => window.__vision!.start({ layout }), `/${LAYOUT}`);
    expect(started.isolated).toBe(true);
    expect(started.size).toBe(Math.max(1, Math.min(4, started.cores - 1)));
    const [camera, jpeg] = [...frames][0]!;
    const left = await page.evaluate(([c, j]) => window.__vision!.push(c, 1, j), [camera, jpeg] as const);
    expect(left).toBe(0); // the page's buffer went to the worker
    await page.evaluate(() => window.__vision!.idle());
    const stats = await page.evaluate(() => window.__vision!.stats());
    console.info(`backend: ${JSON.stringify(stats.backend)}`);
    expect(stats.backend).toMatchObject({ name: 'wasm', simd: true, software: false });
    // Threads are there (the page is cross-origin isolated); XNNPACK takes at most cores / 2
    // of them, and each worker its share of the cores: on 2 cores, one thread.
    expect(stats.backend.threadsAvailable).toBe(true);
    const share = Math.min(Math.max(1, Math.floor(started.cores / started.size)), Math.floor(started.cores / 2));
    expect(stats.backend.threads).toBe(share >= 2 ? share : 1);
    // This machine's WebGL is SwiftShader: seen and skipped, not used.
    expect(stats.backend.notes.join('\n')).toMatch(/webgl skipped: software renderer \(.*SwiftShader/i);
    // JPEGs decoded by mozjpeg's wasm in the worker, as the held-out scores were measured.
    expect(stats.decoder).toBe('wasm');
    const results = await page.evaluate(() => window.__vision!.results());
    expect(await page.evaluate(() => window.__vision!.errors())).toEqual([]);
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r.camera).toBe(camera);
    expect(r.slots).toBeGreaterThan(0);
    expect(r.cropBytes).toBe(32 * 32 * 4);
    // Every slot is full of its own SKU.
    expect(r.fills.filter((f) => f === 'full').length / r.slots).toBeGreaterThanOrEqual(0.8);
    // More likely than not their own SKU (the shipped threshold, tuned for misplaced recall, flags some that are).
    expect(r.likelyOwn / r.slots).toBeGreaterThanOrEqual(0.8);
    expect(errors).toEqual([]);
  });

  it('drops a camera\'s stale frames in a burst and counts them, never holding up the pushes', async () => {
    const [camera, jpeg] = [...frames][1]!;
    const before = await page.evaluate(() => window.__vision!.stats());
    const burst = await page.evaluate(
      ([c, j]) => {
        const t0 = performance.now();
        for (let ts = 100; ts < 120; ts++) window.__vision!.push(c, ts, j);
        return performance.now() - t0;
      },
      [camera, jpeg] as const,
    );
    await page.evaluate(() => window.__vision!.idle());
    const after = await page.evaluate(() => window.__vision!.stats());
    const cam = after.byCamera[camera]!;
    const was = before.byCamera[camera] ?? { done: 0, dropped: 0, failed: 0 };
    console.info(`burst of 20 pushed in ${burst.toFixed(1)} ms: ${cam.done - was.done} done, ${cam.dropped - was.dropped} dropped`);
    expect(cam.done - was.done + (cam.dropped - was.dropped)).toBe(20);
    // At most one frame a worker starts at once, plus the newest that waited: the rest are stale.
    expect(cam.done - was.done).toBeLessThanOrEqual(after.size + 1);
    expect(cam.dropped - was.dropped).toBeGreaterThanOrEqual(20 - after.size - 1);
    const newest = (await page.evaluate(() => window.__vision!.results())).filter((r) => r.camera === camera).at(-1)!;
    expect(newest.ts).toBe(119); // the last one pushed always runs
    expect(errors).toEqual([]);
  });

  it('judges frames decoded by the browser as it judges them decoded by mozjpeg\'s wasm (what its held-out scores are measured through) or jpeg-js', async () => {
    const mixed = renderFrames(true);
    const judge = async (decode: 'native' | 'wasm' | 'js') => {
      await page.evaluate(([layout, d]) => window.__vision!.start({ layout, decode: d }), [`/${LAYOUT}`, decode] as const);
      const t0 = Date.now();
      let ts = 1000;
      for (const [camera, jpeg] of mixed) {
        await page.evaluate(([c, t, j]) => window.__vision!.push(c, t, j), [camera, ts++, jpeg] as const);
        await page.evaluate(() => window.__vision!.idle());
      }
      const stats = await page.evaluate(() => window.__vision!.stats());
      return { decoder: stats.decoder, ms: Date.now() - t0, results: await page.evaluate(() => window.__vision!.results()) };
    };
    const native = await judge('native');
    const wasm = await judge('wasm');
    const js = await judge('js');
    expect([native.decoder, wasm.decoder, js.decoder]).toEqual(['native', 'wasm', 'js']);
    const agree = (a: typeof native, b: typeof native): number => {
      expect(a.results.map((r) => r.camera)).toEqual(b.results.map((r) => r.camera));
      let same = 0, slots = 0;
      a.results.forEach((r, i) => {
        const other = b.results[i]!;
        expect(r.slots).toBe(other.slots);
        slots += r.slots;
        same += r.fills.filter((f, k) => f === other.fills[k]).length;
      });
      expect(slots).toBeGreaterThan(20);
      return same / slots;
    };
    const nativeWasm = agree(native, wasm);
    const jsWasm = agree(js, wasm);
    console.info(`fill calls the same as through mozjpeg's wasm: ${(nativeWasm * 100).toFixed(1)} % native, ${(jsWasm * 100).toFixed(1)} % jpeg-js; ${mixed.size} frames in ${native.ms} ms native, ${wasm.ms} ms wasm, ${js.ms} ms jpeg-js`);
    // The browser's decoder is libjpeg-turbo too; jpeg-js upsamples colour more coarsely.
    expect(nativeWasm).toBeGreaterThanOrEqual(0.95);
    expect(jsWasm).toBeGreaterThanOrEqual(0.9);
    expect(await page.evaluate(() => window.__vision!.errors())).toEqual([]);
  });

  it('runs a model loaded from files with a class map', async () => {
    // The shipped model's files picked as a user would, with a map that reads its fill units in reverse.
    const classMap = { fillLabels: ['full', 'half', 'low', 'empty'] };
    await page.evaluate(([layout, map]) => window.__vision!.start({ layout, classMap: map }), [`/${LAYOUT}`, classMap] as const);
    const [camera, jpeg] = [...frames][0]!;
    await page.evaluate(([c, j]) => window.__vision!.push(c, 2, j), [camera, jpeg] as const);
    await page.evaluate(() => window.__vision!.idle());
    const r = (await page.evaluate(() => window.__vision!.results()))[0]!;
    expect(r.slots).toBeGreaterThan(0);
    // Full shelves, read through the reversed map: empty.
    expect(r.fills.filter((f) => f === 'empty').length / r.slots).toBeGreaterThanOrEqual(0.8);
    expect(errors).toEqual([]);
    await page.evaluate(() => window.__vision!.close());
  });
});
