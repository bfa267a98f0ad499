/**
 * `twin plan compare A B [--scenario FILE [--seed N] [--days N] | --truth FILE] [--prices FILE]
 *  [--standard 2015|2025] [--format table|json]`: two layouts side by side (today's and a
 * planned one from `twin place --out`): their devices, what those cost at the prices, what
 * the cameras see (coverage totals) and, given a scenario or a truth file, what they would
 * catch of it (src/planning/detectionValue.ts), with the difference B - A. A or B may also be
 * a plan file from `twin place`: its own spent and measures are shown; coverage and detection
 * need the layout `twin place --out` writes.
 *
 * The truth is one run for both sides: a scenario runs once, on its own layout, and each
 * side's devices are judged against the same records.
 */
import { Simulator } from '../../sim/Simulator';
import type { TruthRecord } from '../../sim/world/Truth';
import { LayoutIndex } from '../layout/LayoutIndex';
import { parseLayout } from '../layout/parseLayout';
import { CoverageModel, type CoverageTotals } from '../planning/coverage';
import { CATCHING_DEVICES, detectionValue, type CatchingDevice, type DetectionRow, type DetectionValue } from '../planning/detectionValue';
import { STANDARDS, type Standard } from '../planning/grades';
import { layoutCost, layoutDevices } from '../planning/layoutCost';
import type { Plan } from '../planning/planPlacement';
import type { Prices } from '../planning/prices';
import { CliError } from './CliError';
import { readJson } from './files';
import { formatTable, readFormat } from './incidentsCommand';
import { loadScenario } from './loadScenario';
import { parseOptions, wholeNumber } from './parseOptions';
import { loadPrices } from './placeCommand';
import { readTruth } from './readTruth';

const USAGE = 'usage: twin plan compare A B [--scenario FILE [--seed N] [--days N] | --truth FILE] [--prices FILE] [--standard 2015|2025] [--format table|json]';

export function planCommand(args: string[]): number {
  const [sub, ...rest] = args;
  if (sub === 'compare') return compareCommand(rest);
  throw new CliError(sub ? `unknown plan command "${sub}" (try: twin plan compare A B)` : 'needs a command: compare (try: twin plan compare A B)');
}

const COVERAGE_KEYS = ['slots', 'slotsSeen', 'slotsFill', 'slotsProduct', 'highValueSlots', 'highValueSlotsProduct', 'doors', 'doorsPerson', 'floorArea', 'floorSeen'] as const;
type CoverageSummary = Pick<CoverageTotals, (typeof COVERAGE_KEYS)[number]>;

/** One side of the comparison. Counts and costs are the whole layout's, or for a plan file what the plan adds. */
export interface CompareSide {
  readonly file: string;
  readonly type: 'layout' | 'plan';
  readonly store: string;
  readonly devices: { readonly cameras: number; readonly rfidReaders: number; readonly smartShelves: number; readonly rfidAntennas?: number; readonly smartSlots?: number };
  readonly cost: { readonly currency: string; readonly cameras: number; readonly rfid: number; readonly smartShelves: number; readonly total: number };
  /** null for a plan file. */
  readonly coverage: CoverageSummary | null;
  /** null for a plan file, or with no scenario or truth. */
  readonly detection: DetectionValue | null;
  readonly plan?: Pick<Plan, 'budget' | 'spent' | 'existing' | 'measures' | 'before' | 'after'>;
  readonly note?: string;
}

export interface TruthSource {
  readonly source: 'scenario' | 'truth';
  readonly file: string;
  readonly seed?: number;
  readonly days?: number;
  readonly records: number;
}

export interface Comparison {
  readonly standard: Standard;
  readonly prices: Prices;
  readonly truth: TruthSource | null;
  readonly a: CompareSide;
  readonly b: CompareSide;
  /** B - A for every number both sides have; null when one is a layout and the other a plan (they count different things). */
  readonly difference: Record<string, unknown> | null;
  readonly notes: readonly string[];
}

function compareCommand(args: string[]): number {
  const { values, positionals } = parseOptions(args, {
    scenario: { type: 'string' },
    seed: { type: 'string' },
    days: { type: 'string' },
    truth: { type: 'string' },
    prices: { type: 'string' },
    standard: { type: 'string', default: '2015' },
    format: { type: 'string', default: 'table' },
  }, true);
  if (positionals.length !== 2) throw new CliError(`${USAGE} (got ${positionals.length} file${positionals.length === 1 ? '' : 's'}, need A and B)`);
  if (!STANDARDS.includes(values.standard as Standard)) throw new CliError(`--standard must be one of ${STANDARDS.join(', ')}, not "${values.standard}"`);
  if (values.scenario && values.truth) throw new CliError('give --scenario FILE or --truth FILE, not both');
  if (!values.scenario && (values.seed !== undefined || values.days !== undefined)) throw new CliError('--seed and --days go with --scenario FILE');
  const format = readFormat(values.format);
  const standard = values.standard as Standard;
  const prices = loadPrices(values.prices);
  const [a, b] = positionals.map((p) => readSideFile(p)) as [SideFile, SideFile];
  const notes: string[] = [];
  let truth: TruthRecord[] | undefined;
  let source: TruthSource | null = null;
  if (values.scenario) {
    const s = loadScenario(values.scenario);
    const days = wholeNumber(values.days, 'days', 1, 60) ?? s.run.days;
    const seed = wholeNumber(values.seed, 'seed', 0, 2 ** 32 - 1) ?? s.run.seed;
    truth = [...new Simulator(s.layout, { ...s.run, days, seed }, { recording: () => {} }).run().truth];
    source = { source: 'scenario', file: values.scenario, seed, days, records: truth.length };
    for (const [name, side] of [['A', a], ['B', b]] as const) {
      if (side.store !== s.layout.store) notes.push(`${name} is store ${side.store}, the scenario runs store ${s.layout.store}: records at places ${name} lacks count as no place`);
    }
  } else if (values.truth) {
    truth = readTruth(values.truth);
    source = { source: 'truth', file: values.truth, records: truth.length };
  }
  const sides = [a, b].map((s) => side(s, prices, standard, truth)) as [CompareSide, CompareSide];
  for (const [name, s] of [['A', sides[0]], ['B', sides[1]]] as const) if (s.note) notes.push(`${name}: ${s.note}`);
  const difference = sides[0].type === sides[1].type ? differenceOf(sides[0], sides[1]) : null;
  if (!difference) notes.push('no difference: one side is a layout and the other a plan file (they count different things)');
  const cmp: Comparison = { standard, prices, truth: source, a: sides[0], b: sides[1], difference, notes };
  console.log(format === 'json' ? JSON.stringify(cmp, null, 2) : compareTable(cmp));
  return 0;
}

type SideFile = { file: string; store: string } & ({ type: 'layout'; layout: LayoutIndex } | { type: 'plan'; plan: Plan });

const isPlan = (j: unknown): j is Record<string, unknown> =>
  typeof j === 'object' && j !== null && !Array.isArray(j) && 'version' in j && 'devices' in j && 'objective' in j;

/** A layout file, or a plan file from `twin place` (it has `version`, `devices` and `objective`). */
function readSideFile(path: string): SideFile {
  const json = readJson(path, 'file');
  if (isPlan(json)) {
    const p = json;
    const bad = !Array.isArray(p.devices) || typeof p.store !== 'string' || typeof p.spent !== 'number' || typeof p.currency !== 'string' || typeof p.before !== 'object' || typeof p.after !== 'object' ||
      !(p.devices as unknown[]).every((d) => typeof d === 'object' && d !== null && typeof (d as { kind?: unknown }).kind === 'string' && typeof (d as { cost?: unknown }).cost === 'number');
    if (bad) throw new CliError(`plan file ${path} is not a plan from twin place (it needs store, currency, spent, before, after and devices with kind and cost)`);
    return { file: path, store: p.store as string, type: 'plan', plan: p as unknown as Plan };
  }
  const r = parseLayout(json);
  if (!r.ok) {
    const shown = r.problems.slice(0, 10).map((q) => `  ${q.path || '(file)'}: ${q.reason}`).join('\n');
    const more = r.problems.length > 10 ? `\n  (and ${r.problems.length - 10} more: run twin layout check ${path})` : '';
    throw new CliError(`layout ${path} is not valid:\n${shown}${more}`);
  }
  return { file: path, store: r.layout.store, type: 'layout', layout: new LayoutIndex(r.layout) };
}

function side(f: SideFile, prices: Prices, standard: Standard, truth: readonly TruthRecord[] | undefined): CompareSide {
  if (f.type === 'plan') {
    const { plan } = f;
    const of = (k: string) => plan.devices.filter((d) => d.kind === k);
    const sum = (k: string) => of(k).reduce((a, d) => a + d.cost, 0);
    return {
      file: f.file, type: 'plan', store: f.store,
      devices: { cameras: of('camera').length, rfidReaders: of('rfid').length, smartShelves: of('smart_shelf').length },
      cost: { currency: plan.currency, cameras: sum('camera'), rfid: sum('rfid'), smartShelves: sum('smart_shelf'), total: plan.spent },
      coverage: null, detection: null,
      plan: { budget: plan.budget, spent: plan.spent, existing: plan.existing, measures: plan.measures, before: plan.before, after: plan.after },
      note: `a plan file: its devices and cost are what the plan adds (at its own prices); coverage and detection value need its layout (twin place --layout FILE --budget N --out PLANNED.json, then compare that)`,
    };
  }
  const model = new CoverageModel(f.layout, { standard });
  const report = model.report();
  const coverage = Object.fromEntries(COVERAGE_KEYS.map((k) => [k, report.totals[k]])) as unknown as CoverageSummary;
  return {
    file: f.file, type: 'layout', store: f.store,
    devices: layoutDevices(f.layout.layout),
    cost: layoutCost(f.layout.layout, prices),
    coverage,
    detection: truth ? detectionValue(model, truth, report) : null,
  };
}

/** B - A over the numbers both have, at any depth; detection rows matched by kind (and subtype). */
function differenceOf(a: CompareSide, b: CompareSide): Record<string, unknown> {
  const nums = (x: unknown, y: unknown): unknown => {
    if (typeof x === 'number' && typeof y === 'number') return Math.round((y - x) * 1000) / 1000;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || Array.isArray(x)) return undefined;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) {
      const d = nums((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]);
      if (d !== undefined) out[k] = d;
    }
    return Object.keys(out).length ? out : undefined;
  };
  const rows = (xs: readonly DetectionRow[], ys: readonly DetectionRow[]) =>
    ys.map((y) => {
      const x = xs.find((r) => r.kind === y.kind && r.subtype === y.subtype);
      return { kind: y.kind, ...(y.subtype === undefined ? {} : { subtype: y.subtype }), ...(x ? (nums(pick(x), pick(y)) as object) : {}) };
    });
  const pick = (r: DetectionRow) => ({ caught: r.caught, units: { caught: r.units.caught }, value: { caught: r.value.caught } });
  const out: Record<string, unknown> = {
    devices: nums(a.devices, b.devices) ?? {},
    cost: nums(a.cost, b.cost) ?? {},
  };
  if (a.coverage && b.coverage) out.coverage = nums(a.coverage, b.coverage);
  if (a.plan && b.plan) out.planAfter = nums(a.plan.after, b.plan.after);
  if (a.detection && b.detection) {
    out.detection = { kinds: rows(a.detection.kinds, b.detection.kinds), subtypes: rows(a.detection.subtypes, b.detection.subtypes), total: rows([a.detection.total], [b.detection.total])[0] };
  }
  return out;
}

const signed = (x: number) => (x > 0 ? `+${fmt(x)}` : x < 0 ? `-${fmt(-x)}` : '0');
const fmt = (x: number) => (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 2 }));

export function compareTable(c: Comparison): string {
  const { a, b } = c;
  const money = (s: CompareSide, x: number) => `${s.cost.currency} ${fmt(x)}`;
  const row = (label: string, x: number | undefined, y: number | undefined, show: (s: CompareSide, v: number) => string = (_, v) => fmt(v)) => [
    label,
    x === undefined ? '-' : show(a, x),
    y === undefined ? '-' : show(b, y),
    x === undefined || y === undefined || a.type !== b.type ? '-' : signed(y - x),
  ];
  const cov = (k: (typeof COVERAGE_KEYS)[number]) => [a.coverage?.[k], b.coverage?.[k]] as const;
  const rows = [
    row('cameras', a.devices.cameras, b.devices.cameras),
    row('RFID readers', a.devices.rfidReaders, b.devices.rfidReaders),
    row('smart shelves', a.devices.smartShelves, b.devices.smartShelves),
    row('cost: cameras', a.cost.cameras, b.cost.cameras, money),
    row('cost: RFID', a.cost.rfid, b.cost.rfid, money),
    row('cost: smart shelves', a.cost.smartShelves, b.cost.smartShelves, money),
    row('cost: total', a.cost.total, b.cost.total, money),
    row('slot faces seen', ...cov('slotsSeen')),
    row('  fill level judgeable', ...cov('slotsFill')),
    row('  product judgeable', ...cov('slotsProduct')),
    row('  high-value, product judgeable', ...cov('highValueSlotsProduct')),
    row('doors, person recognisable', ...cov('doorsPerson')),
    row('floor seen m²', ...cov('floorSeen')),
  ];
  const what = (s: CompareSide) => `${s.file} (${s.type}, ${s.store}${s.coverage ? `: ${s.coverage.slots} slots, ${s.coverage.doors} doors, ${s.coverage.floorArea} m² floor` : ''})`;
  const out = [`A  ${what(a)}`, `B  ${what(b)}`, `prices in ${c.prices.currency}; IEC 62676-4 (${c.standard})`, '', formatTable(['', 'A', 'B', 'B - A'], rows)];
  for (const [name, s] of [['A', a], ['B', b]] as const) {
    if (!s.plan) continue;
    const p = s.plan;
    out.push('', `${name} is a plan: ${money(s, p.spent)} of ${money(s, p.budget)} (${p.existing === 'keep' ? "added to today's devices" : 'from scratch'})`);
    out.push(formatTable(['measure', 'before', 'after'], Object.keys(p.measures).map((m) => [(p.measures as Record<string, string>)[m]!, pct(p.before[m as keyof typeof p.before]), pct(p.after[m as keyof typeof p.after])])));
  }
  if (c.truth) {
    const t = c.truth;
    out.push('', `detection value against ${t.file}${t.source === 'scenario' ? ` (seed ${t.seed}, ${t.days} day${t.days === 1 ? '' : 's'})` : ''}: ${t.records} truth records`);
    if (a.detection || b.detection) out.push(detectionTable(a.detection, b.detection, a.cost.currency));
    else out.push('(neither side is a layout: nothing to judge)');
  }
  if (c.notes.length) out.push('', ...c.notes.map((n) => `note: ${n}`));
  return out.join('\n');
}

const pct = (x: number | undefined) => (x === undefined ? '-' : `${Math.round(x * 100)} %`);
const DEVICE_LABEL: Record<CatchingDevice, string> = { any: 'any', camera: 'camera', smartShelf: 'smart shelf', rfid: 'RFID' };

function detectionTable(a: DetectionValue | null, b: DetectionValue | null, currency: string): string {
  const base = (b ?? a)!;
  const find = (v: DetectionValue | null, r: DetectionRow) =>
    !v ? undefined : r.kind === 'all' ? v.total : [...v.kinds, ...v.subtypes].find((x) => x.kind === r.kind && x.subtype === r.subtype);
  const order = [...base.kinds.flatMap((k) => [k, ...base.subtypes.filter((s) => s.kind === k.kind)]), base.total];
  const pair = (x: number | undefined, y: number | undefined) => `${x === undefined ? '-' : fmt(x)} → ${y === undefined ? '-' : fmt(y)}`;
  const devices: CatchingDevice[] = ['any', ...CATCHING_DEVICES.filter((d) => d !== 'any')];
  return formatTable(
    ['kind', 'records', 'no place', ...devices.map((d) => `${DEVICE_LABEL[d]} A → B`), `value caught (${currency} at cost) A → B`, 'B - A', 'by camera A → B'],
    order.map((r) => {
      const x = find(a, r), y = find(b, r);
      const vx = x?.value.caught.any, vy = y?.value.caught.any;
      return [
        r.subtype ? `  ${r.subtype}` : r.kind,
        String(r.records),
        String(r.noPlace),
        ...devices.map((d) => pair(x?.caught[d], y?.caught[d])),
        `${pair(vx, vy)} of ${fmt(r.value.total)}`,
        vx === undefined || vy === undefined ? '-' : signed(Math.round((vy - vx) * 100) / 100),
        pair(x?.value.caught.camera, y?.value.caught.camera),
      ];
    }),
  );
}
