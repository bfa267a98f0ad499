/** The heat map's colours: by best grade or by camera count, unseen grey, and the totals in words. */
import { describe, expect, it } from 'vitest';
import { coverageSentences, gradeBreakdown, gradeThreshold } from '../../src/components/planSummary';
import type { CameraViews } from '../../src/planning/cameraViews';
import type { CoverageTotals, SlotCoverage } from '../../src/planning/coverage';
import { GRADE_LEVELS } from '../../src/planning/grades';
import { BELOW_GRADE, countColor, coveragePaint, GRADE_COLORS, gradeColor, UNSEEN } from '../../src/render/coveragePalette';

const slot = (grades: (string | null)[]): SlotCoverage =>
  ({ slot: 's', shelf: 'h', zone: 'z', fill: false, product: false, cameras: grades.map((grade, i) => ({ camera: `c${i}`, fraction: 1, pxPerM: 1, angle: 0, grade })) }) as SlotCoverage;
const views = (...cells: number[][]) => cells.map((c) => ({ cells: Float32Array.from(c) }) as unknown as CameraViews);

describe('coverage palette', () => {
  it('gives every grade of both editions its own colour, none of them the unseen grey', () => {
    const grades = new Set([...GRADE_LEVELS['2015'], ...GRADE_LEVELS['2025']].map((l) => l.grade));
    const colours = new Set([...grades].map((g) => GRADE_COLORS[g]));
    expect(colours.size).toBe(grades.size);
    expect(colours.has(UNSEEN)).toBe(false);
    expect(gradeColor(null, false)).toBe(UNSEEN);
    expect(gradeColor(null)).toBe(BELOW_GRADE);
    expect(countColor(0)).toBe(UNSEEN);
    expect(countColor(9)).toBe(countColor(4));
    expect(countColor(1)).not.toBe(countColor(2));
  });

  it('paints slots by their best camera and cells by their sharpest one, or by how many see them', () => {
    const slots = [slot(['recognise', 'detect']), slot([]), slot([null])];
    const v = views([0, 30, 300], [0, 0, 70]);
    const g = coveragePaint('grade', slots, v, 3, '2015');
    expect([...g.slots]).toEqual([GRADE_COLORS.recognise, UNSEEN, BELOW_GRADE]);
    expect([...g.cells]).toEqual([UNSEEN, GRADE_COLORS.detect, GRADE_COLORS.identify]);
    const n = coveragePaint('count', slots, v, 3, '2015');
    expect([...n.slots]).toEqual([countColor(2), UNSEEN, countColor(1)]);
    expect([...n.cells]).toEqual([UNSEEN, countColor(1), countColor(2)]);
    // The 2025 edition's monitor starts at 20 px/m: 15 is below it.
    expect([...coveragePaint('grade', [], views([15]), 1, '2025').cells]).toEqual([BELOW_GRADE]);
    expect(coveragePaint('off', slots, v, 3, '2015').cells.length).toBe(0);
  });

  it('says the totals in words', () => {
    const t: CoverageTotals = { slots: 850, slotsSeen: 600, slotsByGrade: { none: 250, detect: 207, observe: 243, recognise: 148, identify: 2 }, slotsFill: 376, slotsProduct: 138, highValueSlots: 84, highValueSlotsProduct: 52, doors: 5, doorsSeen: 5, doorsPerson: 2, floorArea: 510.25, floorSeen: 439.75, rays: 1 };
    expect(coverageSentences(t)).toEqual([
      '600 of 850 slot faces seen; 376 judgeable for fill level, 138 for product.',
      '52 of 84 high-value slot faces clear enough to tell their product.',
      '5 of 5 doors seen; 2 sharp enough to recognise a person passing.',
      '440 of 510 m² of floor seen.',
    ]);
    expect(gradeBreakdown(t, '2015')).toBe('2 identify, 148 recognise, 243 observe, 207 detect, 250 unseen or below monitor');
    expect(gradeThreshold('monitor', '2025')).toBe('monitor ≥ 20 px/m');
  });
});
