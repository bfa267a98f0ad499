/**
 * Pixel density grades: the IEC 62676-4 levels a planner quotes (what an operator can do with
 * the picture of a target at that density), in the 2014/15 edition or the 2025 revision, and
 * this product's own tasks (what the shelf CNN and a person at a door need).
 */

/** The IEC 62676-4 edition whose levels grade a density. */
export type Standard = '2015' | '2025';
export const STANDARDS: readonly Standard[] = ['2015', '2025'];

export type Grade = 'monitor' | 'detect' | 'observe' | 'recognise' | 'identify' | 'inspect' | 'inspect-detail';

export interface GradeLevel {
  readonly grade: Grade;
  /** The least pixels per metre at the target for this grade. */
  readonly pxPerM: number;
}

/**
 * Lowest first. The 2014/15 edition: monitor 12.5, detect 25, observe 62.5, recognise 125,
 * identify 250, inspect 1000 px/m. The 2025 revision raises the low levels (20, 40, 80) and
 * splits inspection into 500 and 1500 px/m; the seventh level is named `inspect-detail` here.
 */
export const GRADE_LEVELS: Readonly<Record<Standard, readonly GradeLevel[]>> = {
  '2015': [
    { grade: 'monitor', pxPerM: 12.5 },
    { grade: 'detect', pxPerM: 25 },
    { grade: 'observe', pxPerM: 62.5 },
    { grade: 'recognise', pxPerM: 125 },
    { grade: 'identify', pxPerM: 250 },
    { grade: 'inspect', pxPerM: 1000 },
  ],
  '2025': [
    { grade: 'monitor', pxPerM: 20 },
    { grade: 'detect', pxPerM: 40 },
    { grade: 'observe', pxPerM: 80 },
    { grade: 'recognise', pxPerM: 125 },
    { grade: 'identify', pxPerM: 250 },
    { grade: 'inspect', pxPerM: 500 },
    { grade: 'inspect-detail', pxPerM: 1500 },
  ],
};

/** The highest grade a density reaches; null below the lowest level (the target is in the picture, too small to use). */
export function gradeOf(pxPerM: number, standard: Standard = '2015'): Grade | null {
  let best: Grade | null = null;
  for (const l of GRADE_LEVELS[standard]) if (pxPerM >= l.pxPerM) best = l.grade;
  return best;
}

/** Grades from best to worst, then null: for ordering and for counting slots by their best grade. */
export function gradeRank(grade: Grade | null, standard: Standard = '2015'): number {
  return grade === null ? -1 : GRADE_LEVELS[standard].findIndex((l) => l.grade === grade);
}

/**
 * This product's own tasks, the density each needs at the target and the least fraction of
 * the target in clear view:
 * - `fill`: the shelf CNN judging a slot's fill level (empty, low, half, full) from a crop of
 *   its front face: 60 px/m gives a 0.5 m slot face 30 px across, the CNN's smallest crop.
 * - `product`: the CNN telling the slot's product from another (pattern, label): 120 px/m.
 * - `person`: recognising a person passing a door: IEC's recognise, 125 px/m.
 * The CNN's figures are this product's assumptions until the model's card measures them.
 */
export interface TaskNeeds {
  readonly pxPerM: number;
  readonly fraction: number;
}
export type Task = 'fill' | 'product' | 'person';
export const DEFAULT_TASKS: Readonly<Record<Task, TaskNeeds>> = {
  fill: { pxPerM: 60, fraction: 0.5 },
  product: { pxPerM: 120, fraction: 0.5 },
  person: { pxPerM: 125, fraction: 0.5 },
};
