/**
 * A small software rasteriser for the simulator's camera frames: planar faces in room
 * coordinates, seen through a layout camera's pinhole (src/layout/cameraProjection.ts),
 * clipped at a near plane, z-buffered, flat-shaded, with a procedural pattern evaluated in
 * each face's own metres so that stripes and dots keep their size under perspective.
 * Typed arrays only, no DOM: runs in Node, in a worker and in the page.
 */
import type { CameraFrame } from '../../src/layout/cameraProjection';
import type { Vec3 } from '../../src/layout/Layout';

/** 0-255 per channel. */
export type Rgb = readonly [number, number, number];

/** A procedural pattern on a face, in the face's own coordinates (metres, s right, t up). */
export interface Pattern {
  readonly kind: 'stripes_h' | 'stripes_v' | 'dots' | 'checker' | 'band';
  /** Second colour of the pattern. */
  readonly colour: Rgb;
  /** Repeat length, metres (for a band: its height, centred on the face). */
  readonly period: number;
}

/** One planar convex face, 4 corners counter-clockwise seen from its front (or 3). */
export interface Face {
  /** Corners in room metres: p0 bottom-left, p1 bottom-right, p2 top-right, p3 top-left seen from the front. */
  readonly pts: readonly Vec3[];
  /** Unit normal out of the front; faces turned away from the camera are skipped unless twoSided. */
  readonly normal: Vec3;
  readonly colour: Rgb;
  readonly pattern?: Pattern;
  /** Width of a darker rim, metres, drawn at the face's edges (a box's outline); 0 or absent: none. */
  readonly rim?: number;
  /** Drawn from behind too (walls, doors), with the same shading. */
  readonly twoSided?: boolean;
}

/** Fixed light from above and a little in front: top faces brightest, sides dimmer. */
const LIGHT: Vec3 = normalise([0.25, -0.35, 0.9]);
const NEAR = 0.05;

function normalise(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** Camera-space vertex: x right, y up, z forward (depth), and the face coordinates s, t. */
type CamVertex = [number, number, number, number, number];

export class Rasteriser {
  readonly width: number;
  readonly height: number;
  /** RGB, 3 bytes a pixel, row-major from the top-left, before light and noise. */
  readonly rgb: Uint8ClampedArray;
  /** 1 / depth of the nearest surface drawn (0: nothing yet). */
  readonly invDepth: Float32Array;
  private readonly f: CameraFrame;

  constructor(frame: CameraFrame) {
    this.f = frame;
    this.width = frame.width;
    this.height = frame.height;
    this.rgb = new Uint8ClampedArray(this.width * this.height * 3);
    this.invDepth = new Float32Array(this.width * this.height);
  }

  /** True when the face's front is turned towards the camera (or it is two-sided). */
  faces(face: Face): boolean {
    const o = this.f.origin;
    const p0 = face.pts[0]!;
    const n = face.normal;
    return face.twoSided === true || (o[0] - p0[0]) * n[0] + (o[1] - p0[1]) * n[1] + (o[2] - p0[2]) * n[2] > 0;
  }

  /** False when every point lies beyond one side of the view (behind, left, right, above or below): nothing there can show. */
  mayShow(points: readonly Vec3[]): boolean {
    const f = this.f;
    const tx = this.width / 2 / f.focalPx;
    const ty = this.height / 2 / f.focalPx;
    let behind = true, left = true, right = true, below = true, above = true;
    for (const p of points) {
      const [x, y, z] = this.toCamera(p, 0, 0);
      behind &&= z < NEAR;
      left &&= x < -z * tx;
      right &&= x > z * tx;
      below &&= y < -z * ty;
      above &&= y > z * ty;
    }
    return !(behind || left || right || below || above);
  }

  /** Draws a face if it faces the camera (or is two-sided), nearer surfaces winning. */
  draw(face: Face): void {
    if (!this.faces(face)) return;
    const n = face.normal;
    const shade = 0.55 + 0.45 * Math.abs(n[0] * LIGHT[0] + n[1] * LIGHT[1] + n[2] * LIGHT[2]);
    // Face coordinates of the corners: s along p0->p1, t along p0->p3.
    const p0 = face.pts[0]!;
    const p1 = face.pts[1]!;
    const pl = face.pts[face.pts.length - 1]!;
    const sLen = Math.hypot(p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]);
    const tLen = Math.hypot(pl[0] - p0[0], pl[1] - p0[1], pl[2] - p0[2]);
    const st: [number, number][] = face.pts.length === 4 ? [[0, 0], [sLen, 0], [sLen, tLen], [0, tLen]] : [[0, 0], [sLen, 0], [0, tLen]];
    let poly: CamVertex[] = face.pts.map((p, i) => this.toCamera(p, st[i]![0], st[i]![1]));
    poly = clipNear(poly);
    if (poly.length < 3) return;
    const c = face.colour;
    const pat = face.pattern;
    const q = pat?.colour ?? c;
    const ctx: FaceCtx = {
      r0: c[0] * shade, g0: c[1] * shade, b0: c[2] * shade,
      r1: q[0] * shade, g1: q[1] * shade, b1: q[2] * shade,
      kind: pat ? PATTERN_CODES[pat.kind] : 0,
      period: pat?.period ?? 1,
      rim: face.rim ?? 0,
      sLen,
      tLen,
    };
    const W2 = this.width / 2;
    const H2 = this.height / 2;
    const fp = this.f.focalPx;
    // Screen vertices: u, v, 1/z, s/z, t/z.
    const sv = poly.map(([x, y, z, s, t]) => [W2 + (fp * x) / z, H2 - (fp * y) / z, 1 / z, s / z, t / z] as const);
    for (let i = 1; i + 1 < sv.length; i++) this.triangle(sv[0]!, sv[i]!, sv[i + 1]!, ctx);
  }

  private toCamera(p: Vec3, s: number, t: number): CamVertex {
    const f = this.f;
    const dx = p[0] - f.origin[0];
    const dy = p[1] - f.origin[1];
    const dz = p[2] - f.origin[2];
    return [
      dx * f.right[0] + dy * f.right[1] + dz * f.right[2],
      dx * f.up[0] + dy * f.up[1] + dz * f.up[2],
      dx * f.forward[0] + dy * f.forward[1] + dz * f.forward[2],
      s,
      t,
    ];
  }

  private triangle(a: ScreenVertex, b: ScreenVertex, c: ScreenVertex, ctx: FaceCtx): void {
    const area = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    if (Math.abs(area) < 1e-9) return;
    const minX = Math.max(0, Math.floor(Math.min(a[0], b[0], c[0])));
    const maxX = Math.min(this.width - 1, Math.ceil(Math.max(a[0], b[0], c[0])));
    const minY = Math.max(0, Math.floor(Math.min(a[1], b[1], c[1])));
    const maxY = Math.min(this.height - 1, Math.ceil(Math.max(a[1], b[1], c[1])));
    if (minX > maxX || minY > maxY) return;
    const inv = 1 / area;
    // Barycentric weights as affine functions of the pixel centre: w = A*x + B*y + C.
    const A0 = (b[1] - c[1]) * inv, B0 = (c[0] - b[0]) * inv, C0 = (b[0] * c[1] - c[0] * b[1]) * inv;
    const A1 = (c[1] - a[1]) * inv, B1 = (a[0] - c[0]) * inv, C1 = (c[0] * a[1] - a[0] * c[1]) * inv;
    // Attributes (1/z, s/z, t/z) as planes over the screen.
    const zA = a[2] - c[2], zB = b[2] - c[2];
    const zx = zA * A0 + zB * A1, zy = zA * B0 + zB * B1, zc = zA * C0 + zB * C1 + c[2];
    const sA = a[3] - c[3], sB = b[3] - c[3];
    const sx = sA * A0 + sB * A1, sy = sA * B0 + sB * B1, sc = sA * C0 + sB * C1 + c[3];
    const tA = a[4] - c[4], tB = b[4] - c[4];
    const tx = tA * A0 + tB * A1, ty = tA * B0 + tB * B1, tc = tA * C0 + tB * C1 + c[4];
    const W = this.width;
    const rgb = this.rgb;
    const depth = this.invDepth;
    const eps = -1e-7;
    const { kind, period: q, rim, sLen, tLen } = ctx;
    const needST = kind !== 0 || rim > 0;
    const half = q / 2;
    const dot2 = (q * q) / 9;
    for (let y = minY; y <= maxY; y++) {
      const py = y + 0.5;
      for (let x = minX; x <= maxX; x++) {
        const px = x + 0.5;
        const w0 = A0 * px + B0 * py + C0;
        if (w0 < eps) continue;
        const w1 = A1 * px + B1 * py + C1;
        if (w1 < eps || 1 - w0 - w1 < eps) continue;
        const iz = zx * px + zy * py + zc;
        const i = y * W + x;
        if (iz <= depth[i]!) continue;
        depth[i] = iz;
        let second = false;
        let dark = 1;
        if (needST) {
          const s = (sx * px + sy * py + sc) / iz;
          const t = (tx * px + ty * py + tc) / iz;
          switch (kind) {
            case 1: // stripes_h
              second = (Math.floor(t / half) & 1) === 1;
              break;
            case 2: // stripes_v
              second = (Math.floor(s / half) & 1) === 1;
              break;
            case 3: // checker
              second = ((Math.floor(s / q) + Math.floor(t / q)) & 1) === 1;
              break;
            case 4: {
              // dots
              const ds = (s % q) - half;
              const dt = (t % q) - half;
              second = ds * ds + dt * dt < dot2;
              break;
            }
            case 5: // band
              second = Math.abs(t - tLen / 2) < half;
              break;
          }
          if (rim > 0 && (s < rim || t < rim || sLen - s < rim || tLen - t < rim)) dark = RIM_DARK;
        }
        const j = i * 3;
        if (second) {
          rgb[j] = ctx.r1 * dark;
          rgb[j + 1] = ctx.g1 * dark;
          rgb[j + 2] = ctx.b1 * dark;
        } else {
          rgb[j] = ctx.r0 * dark;
          rgb[j + 1] = ctx.g0 * dark;
          rgb[j + 2] = ctx.b0 * dark;
        }
      }
    }
  }
}

type ScreenVertex = readonly [number, number, number, number, number];

const PATTERN_CODES: Record<Pattern['kind'], number> = { stripes_h: 1, stripes_v: 2, checker: 3, dots: 4, band: 5 };

/** A face's colours (shaded) and pattern, as plain numbers for the pixel loop. */
interface FaceCtx {
  readonly r0: number;
  readonly g0: number;
  readonly b0: number;
  readonly r1: number;
  readonly g1: number;
  readonly b1: number;
  /** 0: plain; else PATTERN_CODES. */
  readonly kind: number;
  readonly period: number;
  readonly rim: number;
  readonly sLen: number;
  readonly tLen: number;
}

const RIM_DARK = 0.55;

/** Sutherland-Hodgman against z >= NEAR, carrying s and t along. */
function clipNear(poly: CamVertex[]): CamVertex[] {
  if (poly.every((v) => v[2] >= NEAR)) return poly;
  const out: CamVertex[] = [];
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    const aIn = a[2] >= NEAR;
    const bIn = b[2] >= NEAR;
    if (aIn) out.push(a);
    if (aIn !== bIn) {
      const k = (NEAR - a[2]) / (b[2] - a[2]);
      out.push([a[0] + k * (b[0] - a[0]), a[1] + k * (b[1] - a[1]), NEAR, a[3] + k * (b[3] - a[3]), a[4] + k * (b[4] - a[4])]);
    }
  }
  return out;
}
