/**
 * Simulated camera frames (sim/render/): milliseconds a frame to rasterise the room, develop
 * it (light, noise) and label the slots in view, and to encode the JPEG, over every camera of
 * the large layout with its slots about half full on average, at 320, 640 and 1280 pixels wide (1280: what the shelf CNN reads),
 * with jpeg-js's encoder beside ours for comparison.
 * `npx tsx bench/frames.bench.ts` prints the figures without touching bench/results.json.
 */
import { FrameRenderer, type FrameWorld } from '../sim/render/FrameRenderer';
import { encodeJpeg } from '../sim/render/encodeJpeg';
import type { LayoutIndex } from '../src/layout/LayoutIndex';
import { encode } from 'jpeg-js';
import { bestOf, type Benchmark, type Figure } from './harness';
import { benchLayout } from './ingest.bench';

/** Every slot of the layout a quarter empty, a fifth, half or full in turn, with `people` (default 3) in the room, at a set time. */
export function worldOf(layout: LayoutIndex, people = 3, ts = Date.parse('2026-11-17T18:00:00Z')): FrameWorld {
  const stock = new Map<string, Map<string, number>>();
  let i = 0;
  for (const s of layout.slots.values()) {
    const share = [0, 0.2, 0.5, 1][i++ % 4]!;
    stock.set(s.id, share ? new Map([[s.sku, Math.max(1, Math.round(s.capacity * share))]]) : new Map());
  }
  return { ts, stock, people: Array.from({ length: people }, (_, k) => ({ x: 5 + 6 * k, y: 6 + 3 * k, key: `p${k}` })) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const framesBench: Benchmark = {
  id: 'frames',
  run() {
    const layout = benchLayout();
    const renderer = new FrameRenderer(layout);
    const world = worldOf(layout);
    const cameras = [...layout.cameras.keys()];
    const out: Figure[] = [];
    for (const width of [320, 640, 1280]) {
      const renderMs: number[] = [];
      const encodeMs: number[] = [];
      let bytes = 0;
      // One warm-up pass, then three measured ones.
      for (let pass = 0; pass < 4; pass++) {
        for (const c of cameras) {
          const t0 = performance.now();
          const f = renderer.render(c, world, { width, noise: 3, seed: pass });
          const t1 = performance.now();
          const jpeg = encodeJpeg(f.rgba, f.width, f.height, 75);
          const t2 = performance.now();
          if (pass === 0) continue;
          renderMs.push(t1 - t0);
          encodeMs.push(t2 - t1);
          bytes += jpeg.length;
        }
      }
      const note = `gm-large, ${cameras.length} cameras, median over 3 passes`;
      out.push({ name: `render + truth, ${width} px wide`, value: median(renderMs), unit: 'ms/frame', note });
      out.push({ name: `JPEG encode q75, ${width} px wide`, value: median(encodeMs), unit: 'ms/frame', note });
      out.push({ name: `JPEG size, ${width} px wide`, value: bytes / renderMs.length / 1024, unit: 'KiB/frame', note });
      // What our encoder replaced: jpeg-js rebuilds its tables on every call.
      const f = renderer.render(cameras[0]!, world, { width });
      const ms = bestOf(5, () => encode({ data: f.rgba, width: f.width, height: f.height }, 75));
      out.push({ name: `jpeg-js encode q75, ${width} px wide`, value: ms, unit: 'ms/frame', note: 'for comparison, best of 5' });
    }
    return out;
  },
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  for (const f of await framesBench.run()) console.log(`${f.name.padEnd(34)} ${f.value.toFixed(1).padStart(8)} ${f.unit}`);
}
