/**
 * Where the layout's cameras would see a person standing at a spot, as an edge detector
 * reports it: a box around a 1.75 m by 0.5 m figure, in pixels. Occlusion by shelves is not
 * modelled yet: a camera that has the spot in its frame sees it.
 */
import { cameraFrame, project, type CameraFrame } from '../../src/layout/cameraProjection';
import type { LayoutIndex } from '../../src/layout/LayoutIndex';

export interface Sighting {
  readonly camera: string;
  readonly box: [number, number, number, number];
}

const HEIGHT_M = 1.75;
const WIDTH_M = 0.5;

export class PersonSightings {
  private readonly frames: [string, CameraFrame][];
  private readonly cache = new Map<string, Sighting[]>();

  constructor(layout: LayoutIndex) {
    this.frames = [...layout.cameras.values()].map((c) => [c.id, cameraFrame(c)]);
  }

  /** Sightings of a person standing at (x, y); cached per spot (spots repeat: slots, doors). */
  at(x: number, y: number): Sighting[] {
    const key = `${x.toFixed(2)},${y.toFixed(2)}`;
    let s = this.cache.get(key);
    if (!s) this.cache.set(key, (s = this.compute(x, y)));
    return s;
  }

  private compute(x: number, y: number): Sighting[] {
    const out: Sighting[] = [];
    for (const [id, f] of this.frames) {
      const feet = project(f, [x, y, 0]);
      const head = project(f, [x, y, HEIGHT_M]);
      const mid = project(f, [x, y, HEIGHT_M / 2]);
      if (!feet || !head || !mid || !mid.inImage) continue;
      const h = Math.abs(feet.v - head.v);
      const w = (h * WIDTH_M) / HEIGHT_M;
      const top = Math.max(0, Math.min(head.v, feet.v));
      const left = Math.max(0, mid.u - w / 2);
      const clip = (v: number, max: number) => Math.round(Math.max(1, Math.min(v, max)));
      out.push({ camera: id, box: [Math.round(left), Math.round(top), clip(w, f.width - left), clip(h, f.height - top)] });
    }
    return out;
  }
}
