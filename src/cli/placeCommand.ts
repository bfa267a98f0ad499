/**
 * `twin place --layout FILE --budget AMOUNT [--prices FILE] [--weights FILE] [--out FILE]
 *  [--existing keep|replace] [--kinds camera,smart_shelf,rfid] [--exclude ZONE,...]
 *  [--lock ID,...] [--standard 2015|2025] [--wall-spacing M] [--ceiling-spacing M] [--exact]
 *  [--format json|table]`:
 * the placement plan (devices, poses, marginal gains, the measures before and after) as JSON
 * or a table; with --out, the layout with the plan's devices, ready to load. --exact also
 * solves the integer program (HiGHS) over the same candidates, to show how close greedy got
 * (small rooms: it refuses more than 80 candidates).
 */
import { writeFileSync } from 'node:fs';
import { STANDARDS, type Standard } from '../planning/grades';
import { exactPlan } from '../planning/exactPlan';
import { bestQuality, type DeviceKind } from '../planning/objective';
import { layoutWithPlan, planPlacement, type Plan } from '../planning/planPlacement';
import { DEFAULT_PRICES, parsePrices, type Prices } from '../planning/prices';
import { DEFAULT_WEIGHTS, parseWeights, type Weights } from '../planning/weights';
import { CliError } from './CliError';
import { loadLayout, readTextFile } from './files';
import { formatTable } from './incidentsCommand';
import { parseOptions } from './parseOptions';

const KINDS: readonly DeviceKind[] = ['camera', 'smart_shelf', 'rfid'];
const EXACT_LIMIT = 80;

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readTextFile(path, what));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${what} ${path} is not JSON: ${(e as Error).message}`);
  }
}

export function loadPrices(path: string | undefined): Prices {
  if (!path) return DEFAULT_PRICES;
  const r = parsePrices(readJson(path, 'prices file'));
  if (!r.ok) throw new CliError(`prices file ${path} is not valid:\n${r.problems.map((p) => `  ${p.path || '(file)'}: ${p.reason}`).join('\n')}`);
  return r.prices;
}

function loadWeights(path: string | undefined): Weights {
  if (!path) return DEFAULT_WEIGHTS;
  const r = parseWeights(readJson(path, 'weights file'));
  if (!r.ok) throw new CliError(`weights file ${path} is not valid:\n${r.problems.map((p) => `  ${p.path || '(file)'}: ${p.reason}`).join('\n')}`);
  return r.weights;
}

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

export async function placeCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    layout: { type: 'string' },
    budget: { type: 'string' },
    prices: { type: 'string' },
    weights: { type: 'string' },
    out: { type: 'string' },
    existing: { type: 'string', default: 'keep' },
    kinds: { type: 'string' },
    exclude: { type: 'string' },
    lock: { type: 'string' },
    standard: { type: 'string', default: '2015' },
    exact: { type: 'boolean', default: false },
    'wall-spacing': { type: 'string' },
    'ceiling-spacing': { type: 'string' },
    format: { type: 'string', default: 'json' },
  });
  if (!values.layout || values.budget === undefined) throw new CliError('usage: twin place --layout FILE --budget AMOUNT [--prices FILE] [--weights FILE] [--out FILE] [--existing keep|replace] [--format json|table]');
  const budget = Number(values.budget);
  if (!Number.isFinite(budget) || budget < 0) throw new CliError(`--budget must be an amount >= 0, not "${values.budget}"`);
  if (values.existing !== 'keep' && values.existing !== 'replace') throw new CliError(`--existing must be keep or replace, not "${values.existing}"`);
  if (!STANDARDS.includes(values.standard as Standard)) throw new CliError(`--standard must be one of ${STANDARDS.join(', ')}, not "${values.standard}"`);
  if (values.format !== 'json' && values.format !== 'table') throw new CliError(`--format must be json or table, not "${values.format}"`);
  const kinds = list(values.kinds) as DeviceKind[] | undefined;
  for (const k of kinds ?? []) if (!KINDS.includes(k)) throw new CliError(`--kinds takes ${KINDS.join(', ')}, not "${k}"`);
  const spacing = (flag: 'wall-spacing' | 'ceiling-spacing', min: number) => {
    const v = values[flag];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new CliError(`--${flag} must be metres >= ${min}, not "${v}"`);
    return n;
  };
  const wallSpacing = spacing('wall-spacing', 0.5);
  const ceilingSpacing = spacing('ceiling-spacing', 0);
  const candidates = { ...(wallSpacing !== undefined ? { wallSpacing } : {}), ...(ceilingSpacing !== undefined ? { ceilingSpacing } : {}) };
  const layout = loadLayout(values.layout);
  const prices = loadPrices(values.prices);
  const weights = loadWeights(values.weights);
  let run;
  try {
    run = planPlacement(layout, { budget, prices, weights, standard: values.standard as Standard, existing: values.existing, kinds, excludeZones: list(values.exclude), lock: list(values.lock), candidates });
  } catch (e) {
    if (e instanceof RangeError) throw new CliError(e.message);
    throw e;
  }
  let exact: { gain: number; greedyGain: number; ratio: number; chosen: readonly string[]; candidates: number } | undefined;
  if (values.exact) {
    const { plan } = run;
    const n = plan.candidates.cameras + plan.candidates.shelves + plan.candidates.zones;
    if (n > EXACT_LIMIT) throw new CliError(`--exact solves rooms with at most ${EXACT_LIMIT} candidates; this one has ${n} (use --kinds or a smaller room)`);
    // Exact over greedy's own candidates (no local search), so the two answer the same question.
    const greedyOnly = planPlacement(layout, { budget, prices, weights, standard: values.standard as Standard, existing: values.existing, kinds, excludeZones: list(values.exclude), lock: list(values.lock), candidates, localSearch: false });
    const all = greedyOnly.candidates;
    const r = await exactPlan(greedyOnly.objective, all, budget, bestQuality(greedyOnly.objective, greedyOnly.installed));
    const greedyGain = greedyOnly.plan.objective.after - greedyOnly.plan.objective.before;
    exact = { gain: round(r.gain), greedyGain: round(greedyGain), ratio: r.gain > 0 ? round(greedyGain / r.gain) : 1, chosen: r.chosen, candidates: all.length };
  }
  if (values.out) {
    writeFileSync(values.out, JSON.stringify(layoutWithPlan(layout.layout, run.plan), null, 2) + '\n');
    console.error(`wrote ${values.out}: ${layout.layout.name} with the plan's ${run.plan.devices.length} devices`);
  }
  console.log(values.format === 'json' ? JSON.stringify(exact ? { ...run.plan, exact } : run.plan, null, 2) : planTable(run.plan, exact));
  return 0;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function planTable(plan: Plan, exact?: { gain: number; greedyGain: number; ratio: number }): string {
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const money = (x: number) => `${plan.currency} ${x.toLocaleString('en-US')}`;
  const lines = [
    `${plan.store}: ${plan.devices.length} devices for ${money(plan.spent)} of ${money(plan.budget)} (${plan.existing === 'keep' ? "added to today's devices" : 'from scratch'}); ${plan.method}`,
    `objective ${plan.objective.before} -> ${plan.objective.after} (every candidate installed: ${plan.objective.ceiling})`,
    ...(exact ? [`exact optimum (HiGHS) gains ${exact.gain}; greedy gains ${exact.greedyGain}: ${pct(exact.ratio)} of it`] : []),
    '',
    formatTable(['measure', 'before', 'after'], (Object.keys(plan.measures) as (keyof Plan['measures'])[]).map((m) => [plan.measures[m], pct(plan.before[m]), pct(plan.after[m])])),
    '',
    formatTable(
      ['device', 'kind', 'where', 'cost', 'share', 'why'],
      plan.devices.map((d) => [
        d.id + (d.locked ? ' (locked)' : ''),
        d.kind,
        d.camera ? `(${d.camera.position.map((x) => x.toFixed(1)).join(', ')}) yaw ${Math.round(d.camera.yaw)} pitch ${Math.round(d.camera.pitch)}` : (d.shelf ?? d.zone ?? ''),
        money(d.cost),
        pct(d.share),
        d.explanation,
      ]),
    ),
  ];
  return lines.join('\n');
}
