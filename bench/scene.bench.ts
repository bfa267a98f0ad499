/**
 * The 3D view in headless Chromium: draw calls, triangles and frame time for an empty room,
 * the large layout (gm-large, 1,000 slots) and a generated 5,000-slot room (stressLayout).
 * WebGL here is software (SwiftShader), so the frame times are not a GPU's: the figures to
 * read are the draw calls and triangles (which must not grow with slots) and the frame time
 * of 5,000 slots as a ratio to the empty room's in the same run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { stressLayout } from '../src/layout/stressLayout';
import type { SceneStats } from '../src/render/SceneRenderer';
import { launchBrowser, openPage } from '../test/e2e/browser';
import { startTestServer } from '../test/e2e/server';
import type { Benchmark, Figure } from './harness';

const FRAMES = 40;
const ROUNDS = 3;

/** The page's SceneRenderer, wherever tw-app nests the view (open shadow roots). */
const FIND_SCENE = `(() => {
  const find = (root) => {
    const hit = root.querySelector('tw-scene-view');
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) { const f = find(el.shadowRoot); if (f) return f; }
    return null;
  };
  return find(document).scene;
})()`;

interface Measured {
  readonly stats: SceneStats;
  /** Best mean frame time over ROUNDS runs of FRAMES forced frames, ms. */
  readonly frameMs: number;
}

async function measure(page: Page, layout: { name: string }): Promise<Measured> {
  await page.locator('tw-app input[name=layout]').setInputFiles({ name: 'bench.layout.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(layout)) });
  await page.waitForFunction((name) => (window as unknown as { __scene: { layoutIndex?: { layout: { name: string } } } }).__scene.layoutIndex?.layout.name === name, layout.name, { timeout: 60_000 });
  return page.evaluate(
    ({ frames, rounds }) => {
      const scene = (window as unknown as { __scene: { renderFrames(n: number): number; stats(): SceneStats } }).__scene;
      scene.renderFrames(5); // warm-up: shader compile, texture upload
      let best = Infinity;
      for (let r = 0; r < rounds; r++) best = Math.min(best, scene.renderFrames(frames));
      return { stats: scene.stats(), frameMs: best };
    },
    { frames: FRAMES, rounds: ROUNDS },
  );
}

export const sceneBench: Benchmark = {
  id: 'scene',
  async run() {
    const server = await startTestServer();
    const browser = await launchBrowser();
    try {
      const { page, errors } = await openPage(browser);
      await page.goto(`${server.url}?layout=/test/fixtures/small.layout.json`);
      await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
      await page.evaluate(`window.__scene = ${FIND_SCENE}`);
      const large = JSON.parse(readFileSync(join(import.meta.dirname, '../scenarios/layouts/gm-large.layout.json'), 'utf8'));
      const empty = await measure(page, stressLayout({ slots: 0 }) as { name: string });
      const gm = await measure(page, large);
      const stress = await measure(page, stressLayout({ slots: 5000 }) as { name: string });
      const half = await measure(page, stressLayout({ slots: 2500, shelves: 100 }) as { name: string });
      if (errors.length) throw new Error(`the page logged errors: ${errors.join(' | ')}`);
      const row = (label: string, m: Measured): Figure[] => [
        { name: `${label}: draw calls a frame`, value: m.stats.calls, unit: 'calls' },
        { name: `${label}: triangles a frame`, value: m.stats.triangles, unit: 'triangles' },
        { name: `${label}: frame time (SwiftShader)`, value: m.frameMs, unit: 'ms' },
      ];
      return [
        ...row('empty room', empty),
        ...row(`gm-large, ${gm.stats.slots} slots`, gm),
        ...row(`stress, ${stress.stats.slots} slots`, stress),
        ...row(`stress, ${half.stats.slots} slots on the same shelves`, half),
        {
          name: 'triangles, 5,000 slots over 2,500 on the same shelves',
          value: stress.stats.triangles / half.stats.triangles,
          unit: 'x',
          target: { atMost: 1 },
          note: 'slot triangles track shelf levels, not slots',
        },
        { name: 'frame time, 5,000 slots over the empty room', value: stress.frameMs / empty.frameMs, unit: 'x' },
      ];
    } finally {
      await browser.close();
      await server.close();
    }
  },
};
