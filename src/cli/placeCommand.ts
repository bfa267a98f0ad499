/**
 * `twin place --layout FILE --budget AMOUNT [--prices FILE] [--weights FILE] [--out FILE]
 *  [--existing keep|replace] [--kinds camera,smart_shelf,rfid] [--exclude ZONE,...]
 *  [--lock ID,...] [--standard 2015|2025] [--wall-spacing M] [--ceiling-spacing M]
 *  [--candidates FILE] [--recording FILE] [--exact] [--format json|table]`:
 * --candidates gives the camera poses to choose from instead of generating them; --recording
 * weighs slots up by their losses and movements in it (activityWeights.ts);
 * the placement plan (devices, poses, marginal gains, the measures before and after) as JSON
 * or a table; with --out, the layout with the plan's devices, ready to load. --exact also
 * solves the integer program (HiGHS) over the same candidates, to show how close greedy got
 * (small rooms: it refuses more than 80 candidates).
 */
import { writeFileSync } from 'node:fs';
import { resolveParams } from '../analytics/analyses/AnalysisParams';
import type { Camera } from '../layout/Layout';
import { slotActivitySql, weightsFromActivity } from '../planning/activityWeights';
import { STANDARDS, type Standard } from '../planning/grades';
import { exactPlan } from '../planning/exactPlan';
import { bestQuality, type DeviceKind } from '../planning/objective';
import { layoutWithPlan, planPlacement, type Plan } from '../planning/planPlacement';
import { DEFAULT_PRICES, parsePrices, type Prices } from '../planning/prices';
import { DEFAULT_WEIGHTS, parseWeights, type Weights } from '../planning/weights';
import { CliError } from './CliError';
import { loadLayout, readJson } from './files';
import { formatTable } from './incidentsCommand';
import { loadRecordingIntoStore } from './loadRecording';
import { parseOptions } from './parseOptions';

const KINDS: readonly DeviceKind[] = ['camera', 'smart_shelf', 'rfid'];
const EXACT_LIMIT = 80;

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
    recording: { type: 'string' },
    candidates: { type: 'string' },
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
  const layout = loadLayout(values.layout);
  const candidates = values.candidates
    ? { cameras: loadCandidates(values.candidates) }
    : { ...(wallSpacing !== undefined ? { wallSpacing } : {}), ...(ceilingSpacing !== undefined ? { ceilingSpacing } : {}) };
  const prices = loadPrices(values.prices);
  let weights = loadWeights(values.weights);
  if (values.recording) weights = await weightsFromRecording(layout, values.recording, weights);
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

/** Candidate camera poses from a file: a JSON array of cameras as the layout writes them. */
function loadCandidates(path: string): Camera[] {
  const json = readJson(path, 'candidates file');
  if (!Array.isArray(json)) throw new CliError(`candidates file ${path}: a JSON array of cameras ({id, position, yaw, pitch, hfov, resolution})`);
  const problems: string[] = [];
  json.forEach((c: Record<string, unknown>, i) => {
    const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
    if (typeof c?.id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(c.id)) problems.push(`[${i}].id: an id of letters, digits, _ and -`);
    if (!Array.isArray(c?.position) || c.position.length !== 3 || !c.position.every(num)) problems.push(`[${i}].position: [x, y, z] in metres`);
    for (const f of ['yaw', 'pitch', 'hfov'] as const) if (!num(c?.[f])) problems.push(`[${i}].${f}: degrees, a number`);
    if (!Array.isArray(c?.resolution) || c.resolution.length !== 2 || !c.resolution.every((x) => Number.isInteger(x) && (x as number) > 0)) problems.push(`[${i}].resolution: [width, height] in pixels`);
  });
  if (problems.length) throw new CliError(`candidates file ${path} is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return json as Camera[];
}

/** The weights with each slot's losses and movements in a recording multiplied in (activityWeights.ts). */
async function weightsFromRecording(layout: ReturnType<typeof loadLayout>, path: string, base: Weights): Promise<Weights> {
  const { duck, store } = await loadRecordingIntoStore(layout, path);
  try {
    const rows = await store.query(slotActivitySql(resolveParams(layout.store, {}, layout.layout.timezone)));
    const { weights, multipliers } = weightsFromActivity(base, rows.map((r) => ({ slot: String(r.slot), lostAtCost: Number(r.lost_at_cost), moves: Number(r.moves) })));
    const top = Object.entries(multipliers).sort((a, b) => b[1] - a[1])[0];
    console.error(`weighted ${Object.keys(multipliers).length} slots by their losses and movements in ${path}${top ? ` (most: ${top[0]} x${top[1]})` : ''}`);
    return weights;
  } finally {
    duck.close();
  }
}

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
