/**
 * Colours of the coverage heat map and its legend: slot faces and floor cells by their best
 * grade (red for the least use, through green, to blue for inspection), or by how many cameras
 * see them. Unseen is the neutral grey; seen but too small for any grade a dull brown, so a
 * planner tells "no camera" from "a camera, too far". Pure: the Plan tab's legend and the
 * coverage layer share these answers.
 */
import type { CameraViews } from '../planning/cameraViews';
import type { SlotCoverage } from '../planning/coverage';
import { gradeOf, type Grade, type Standard } from '../planning/grades';

/** What the 3D view's coverage layer shows. */
export type CoverageMode = 'off' | 'grade' | 'count';
export const COVERAGE_MODES: readonly CoverageMode[] = ['off', 'grade', 'count'];

/** No camera sees it. */
export const UNSEEN = 0x6e737a;
/** Some camera sees it, below the lowest grade's density. */
export const BELOW_GRADE = 0x7a5540;

export const GRADE_COLORS: Readonly<Record<Grade, number>> = {
  monitor: 0xc2413b,
  detect: 0xe07b35,
  observe: 0xe3c13f,
  recognise: 0x9cc94a,
  identify: 0x3fb36f,
  inspect: 0x2f9fb8,
  'inspect-detail': 0x3d6fd6,
};

/** Colours for 1, 2, 3 and 4 or more cameras: one camera is a single point of failure. */
export const COUNT_COLORS: readonly number[] = [0xe07b35, 0xe3c13f, 0x3fb36f, 0x2f9fb8];

export function gradeColor(grade: Grade | null, seen = true): number {
  if (!seen) return UNSEEN;
  return grade ? GRADE_COLORS[grade] : BELOW_GRADE;
}

export function countColor(cameras: number): number {
  return cameras <= 0 ? UNSEEN : COUNT_COLORS[Math.min(cameras, COUNT_COLORS.length) - 1]!;
}

/** One colour (0xRRGGBB) per slot face and per floor cell, in the coverage targets' order. */
export interface CoveragePaint {
  readonly slots: Uint32Array;
  readonly cells: Uint32Array;
}

/**
 * Paints the coverage: `slots` as the report lists them (the targets' order), `views` the
 * model's per-camera views (their `cells` give each floor cell's density), `cellCount` the
 * number of floor cells. Mode 'off' paints nothing (empty arrays).
 */
export function coveragePaint(mode: CoverageMode, slots: readonly SlotCoverage[], views: Iterable<CameraViews>, cellCount: number, standard: Standard): CoveragePaint {
  if (mode === 'off') return { slots: new Uint32Array(0), cells: new Uint32Array(0) };
  const out = { slots: new Uint32Array(slots.length), cells: new Uint32Array(cellCount) };
  slots.forEach((s, i) => {
    out.slots[i] = mode === 'grade' ? gradeColor(s.cameras[0]?.grade ?? null, s.cameras.length > 0) : countColor(s.cameras.length);
  });
  const best = new Float32Array(cellCount);
  const count = new Uint8Array(cellCount);
  for (const v of views) {
    const c = v.cells;
    for (let i = 0; i < cellCount; i++) {
      const px = c[i]!;
      if (px <= 0) continue;
      if (px > best[i]!) best[i] = px;
      count[i]!++;
    }
  }
  for (let i = 0; i < cellCount; i++) {
    out.cells[i] = mode === 'grade' ? gradeColor(best[i]! > 0 ? gradeOf(best[i]!, standard) : null, best[i]! > 0) : countColor(count[i]!);
  }
  return out;
}
