/**
 * What the Plan tab says about placement plans, as plain data: the measures of today's
 * layout and of each plan side by side (what a planner compares), and each chosen device in
 * words. Pure, tested in Node; tw-placement-panel renders it.
 */
import type { Metric } from '../planning/objective';
import type { Plan, PlannedDevice } from '../planning/planPlacement';

/** A plan the planner asked for, with what they asked. */
export interface PlanRun {
  /** "Plan 2: USD 5,000, keep today's devices". */
  readonly label: string;
  readonly plan: Plan;
}

export interface ComparisonRow {
  readonly label: string;
  /** Today, then each plan: "44 %", "USD 4,900". */
  readonly cells: readonly string[];
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

export function money(currency: string, x: number): string {
  return `${currency} ${Math.round(x).toLocaleString('en-US')}`;
}

/**
 * Today (the first plan's `before`: its layout as edited when it ran) and each plan: spent,
 * devices, every measure after it. Plans made from different starting layouts still compare
 * on what they reach.
 */
export function comparison(runs: readonly PlanRun[]): { head: string[]; rows: ComparisonRow[] } {
  if (!runs.length) return { head: [], rows: [] };
  const first = runs[0]!.plan;
  const head = ['', 'today', ...runs.map((r) => r.label)];
  const rows: ComparisonRow[] = [
    { label: 'spent', cells: [money(first.currency, 0), ...runs.map((r) => money(r.plan.currency, r.plan.spent))] },
    { label: 'devices added', cells: ['-', ...runs.map((r) => deviceCount(r.plan.devices))] },
    ...(Object.keys(first.measures) as Metric[]).map((m) => ({ label: first.measures[m], cells: [pct(first.before[m]), ...runs.map((r) => pct(r.plan.after[m]))] })),
    { label: 'objective', cells: [String(first.objective.before), ...runs.map((r) => String(r.plan.objective.after))] },
  ];
  return { head, rows };
}

const WORDS: Record<PlannedDevice['kind'], readonly [string, string]> = {
  camera: ['camera', 'cameras'],
  smart_shelf: ['smart shelf', 'smart shelves'],
  rfid: ['RFID reader', 'RFID readers'],
};

function deviceCount(devices: readonly PlannedDevice[]): string {
  const said = (Object.keys(WORDS) as PlannedDevice['kind'][]).flatMap((k) => {
    const n = devices.filter((d) => d.kind === k).length;
    return n ? [`${n} ${WORDS[k][n === 1 ? 0 : 1]}`] : [];
  });
  return said.join(', ') || 'none';
}

/** Where a device goes, in words: a camera's mount and aim, a shelf, a zone. */
export function deviceWhere(d: PlannedDevice): string {
  if (d.camera) {
    const [x, y, z] = d.camera.position;
    return `(${x.toFixed(1)}, ${y.toFixed(1)}) at ${z.toFixed(1)} m, yaw ${Math.round(d.camera.yaw)}°, pitch ${Math.round(d.camera.pitch)}°`;
  }
  if (d.shelf) return `shelf ${d.shelf}`;
  return d.zone ? `zone ${d.zone}` : '';
}

/** A label for the n-th plan from what was asked. */
export function runLabel(n: number, plan: Plan): string {
  return `Plan ${n}: ${money(plan.currency, plan.budget)}${plan.existing === 'replace' ? ', from scratch' : ''}`;
}
