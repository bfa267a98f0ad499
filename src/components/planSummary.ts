/**
 * The coverage totals in words, as the Plan tab says them: what a loss-prevention or
 * store-operations planner reads before the numbers in the tables.
 */
import type { CoverageTotals } from '../planning/coverage';
import { GRADE_LEVELS, type Grade, type Standard } from '../planning/grades';

const n = (x: number) => Math.round(x).toLocaleString('en-US');

/** One sentence a line: slot faces, high-value faces, doors, floor. */
export function coverageSentences(t: CoverageTotals): string[] {
  return [
    `${n(t.slotsSeen)} of ${n(t.slots)} slot faces seen; ${n(t.slotsFill)} judgeable for fill level, ${n(t.slotsProduct)} for product.`,
    ...(t.highValueSlots ? [`${n(t.highValueSlotsProduct)} of ${n(t.highValueSlots)} high-value slot faces clear enough to tell their product.`] : []),
    `${n(t.doorsSeen)} of ${n(t.doors)} doors seen; ${n(t.doorsPerson)} sharp enough to recognise a person passing.`,
    `${n(t.floorSeen)} of ${n(t.floorArea)} m² of floor seen.`,
  ];
}

/** Slot faces by their best grade, best first: "2 identify, 148 recognise, … 250 unseen or below monitor". */
export function gradeBreakdown(t: CoverageTotals, standard: Standard): string {
  const levels = [...GRADE_LEVELS[standard]].reverse();
  const parts = levels.filter((l) => t.slotsByGrade[l.grade]).map((l) => `${n(t.slotsByGrade[l.grade]!)} ${l.grade}`);
  const none = t.slotsByGrade.none ?? 0;
  if (none) parts.push(`${n(none)} unseen or below ${GRADE_LEVELS[standard][0]!.grade}`);
  return parts.join(', ');
}

/** A grade's legend line: "recognise ≥ 125 px/m". */
export function gradeThreshold(grade: Grade, standard: Standard): string {
  const l = GRADE_LEVELS[standard].find((x) => x.grade === grade);
  return l ? `${grade} ≥ ${l.pxPerM} px/m` : grade;
}
