/**
 * Where a new camera could go: poses on the walls (points every `wallSpacing` metres along
 * the room's outline, just inside it, looking into the room square-on and turned either way)
 * and on the ceiling (a grid every `ceilingSpacing` metres, looking along the room's four
 * directions), each at two pitches. A pose inside a shelf, an obstacle or an excluded zone is
 * dropped. Ids are stable for a layout and options: `wall-E-K-Y-P` / `ceil-I-J-Y-P`.
 */
import { footprint, pointInPolygon, signedArea2 } from '../layout/geometry';
import type { Camera, Vec2 } from '../layout/Layout';
import type { LayoutIndex } from '../layout/LayoutIndex';

export interface CandidateOptions {
  /** Metres between wall mounts along the outline (default 3). */
  readonly wallSpacing?: number;
  /** Metres between ceiling mounts (default 4; 0: none). */
  readonly ceilingSpacing?: number;
  /** Mounting height, metres (default: 0.3 below the ceiling, at most 4.5). */
  readonly height?: number;
  /** Pitches tried, degrees (default -25 and -45 on walls, -45 and -65 on the ceiling). */
  readonly wallPitches?: readonly number[];
  readonly ceilingPitches?: readonly number[];
  /** Turns from square-on tried on walls, degrees (default 0, +-40). */
  readonly wallTurns?: readonly number[];
  /** Zones where nothing may be mounted. */
  readonly excludeZones?: readonly string[];
  /** The camera model proposed. */
  readonly hfov: number;
  readonly resolution: readonly [number, number];
}

/** A candidate camera pose, and where it hangs (for moving it along its wall in local search). */
export interface CameraCandidate {
  readonly camera: Camera;
  readonly mount: 'wall' | 'ceiling';
  /** For a wall mount: the wall's unit direction (counter-clockwise along the outline). */
  readonly along?: Vec2;
}

const DEG = 180 / Math.PI;

export function cameraCandidates(layout: LayoutIndex, opts: CandidateOptions): CameraCandidate[] {
  const l = layout.layout;
  const room = l.room.outline;
  const height = opts.height ?? Math.min(l.room.height - 0.3, 4.5);
  const wallSpacing = opts.wallSpacing ?? 3;
  const ceilingSpacing = opts.ceilingSpacing ?? 4;
  const wallPitches = opts.wallPitches ?? [-25, -45];
  const ceilingPitches = opts.ceilingPitches ?? [-45, -65];
  const turns = opts.wallTurns ?? [0, -40, 40];
  const excluded = (opts.excludeZones ?? []).map((z) => {
    const zone = layout.zones.get(z);
    if (!zone) throw new RangeError(`unknown zone to exclude: ${z}`);
    return zone.outline;
  });
  const solids = [...l.shelves, ...l.obstacles].filter((b) => b.size[2] >= height - 0.05).map((b) => footprint(b.position, b.size[0], b.size[1], b.yaw));
  const usable = (p: Vec2) => pointInPolygon(p, room, 0) && !solids.some((f) => pointInPolygon(p, f, 0)) && !excluded.some((z) => pointInPolygon(p, z, 0));
  const base = { hfov: opts.hfov, resolution: opts.resolution };
  const out: CameraCandidate[] = [];
  // Inward normal: left of the edge for a counter-clockwise outline.
  const ccw = signedArea2(room) > 0;
  const inset = 0.15;
  room.forEach((a, e) => {
    const b = room[(e + 1) % room.length]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len < 1e-9) return;
    const along: Vec2 = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
    const inward: Vec2 = ccw ? [-along[1], along[0]] : [along[1], -along[0]];
    const n = Math.max(1, Math.floor(len / wallSpacing));
    for (let k = 0; k < n; k++) {
      const s = ((k + 0.5) / n) * len;
      const p: Vec2 = [a[0] + along[0] * s + inward[0] * inset, a[1] + along[1] * s + inward[1] * inset];
      if (!usable(p)) continue;
      const yaw0 = Math.atan2(inward[1], inward[0]) * DEG;
      for (const turn of turns) {
        for (const pitch of wallPitches) {
          out.push({ camera: { id: `wall-${e}-${k}-${Math.round(yaw0 + turn)}-${-pitch}`, position: [p[0], p[1], height], yaw: norm(yaw0 + turn), pitch, ...base }, mount: 'wall', along });
        }
      }
    }
  });
  if (ceilingSpacing > 0) {
    const xs = room.map((p) => p[0]);
    const ys = room.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    for (let i = 0, x = x0 + ceilingSpacing / 2; x < x1; i++, x += ceilingSpacing) {
      for (let j = 0, y = y0 + ceilingSpacing / 2; y < y1; j++, y += ceilingSpacing) {
        if (!usable([x, y])) continue;
        for (const yaw of [0, 90, 180, -90]) {
          for (const pitch of ceilingPitches) out.push({ camera: { id: `ceil-${i}-${j}-${yaw}-${-pitch}`, position: [x, y, height], yaw, pitch, ...base }, mount: 'ceiling' });
        }
      }
    }
  }
  return out;
}

/** Degrees into (-180, 180]. */
export function norm(deg: number): number {
  let d = deg % 360;
  if (d > 180) d -= 360;
  if (d <= -180) d += 360;
  return Math.round(d * 1000) / 1000;
}
