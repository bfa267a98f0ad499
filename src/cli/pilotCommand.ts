/**
 * `twin pilot DIR` (a folder from `twin simulate --pilot`, read through its pilot.json) or
 * `twin pilot --test DIR --test DIR ... --control DIR ... --pre FROM..TO --post FROM..TO`:
 * did the pilot work? Each store folder holds recording.jsonl (or .jsonl.gz) and layout.json
 * (or --layout FILE for all); each store's recording goes through the event store and the
 * shrink analysis (shrink.by_day: unexplained loss at cost per local day), and the daily
 * series go to the difference-in-differences (src/roi/did.ts): matched controls, a bootstrap
 * interval, a verdict. Table for people, JSON for scripts.
 *
 * The day bootstrap keeps weeks together (blocks of 7 days) when both periods have 14 days or
 * more; shorter periods resample single days (--block-days N overrides). Pilots of a few days
 * are demonstrations, not evidence: on the simulator, 3 + 3 days call a pilot with no effect
 * significant far too often (npm run calibrate:pilot).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Row } from '../analytics/EventStore';
import { resolveParams } from '../analytics/analyses/AnalysisParams';
import { findSections } from '../analytics/analyses/index';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { addDays } from '../core/zonedTime';
import { dailySeries, daysOf, parseDayRange, type DayRange } from '../roi/dailySeries';
import { differenceInDifferences, type DidResult, type StoreSeries } from '../roi/did';
import { CliError } from './CliError';
import { formatTable } from './incidentsCommand';
import { loadLayout } from './files';
import { loadRecordingIntoStore, type StoreDatabase } from './loadRecording';
import { openDuckDB } from '../analytics/openDuckDB';
import { openNativeDuckDB } from '../analytics/openNativeDuckDB';
import { parseOptions, wholeNumber } from './parseOptions';
import { PILOT_FILE } from './simulatePilot';

/**
 * What the daily series measure. `shrink*`: the shrink analysis's columns per local day (a
 * flow). `record-accuracy` and `phantom-skus`: the variance analysis as of the end of each
 * local day (a level): the share of SKUs whose book is within tolerance of the shelves, and
 * the SKUs booked with none on their slots (phantom stock, the out-of-stocks a right record
 * would prevent).
 */
const METRICS = {
  shrink: { section: 'shrink.by_day', column: 'lost_at_cost', measure: 'Shrink at cost', unit: 'at cost a store-day', better: 'lower' },
  'shrink-units': { section: 'shrink.by_day', column: 'lost_units', measure: 'Shrink in units', unit: 'units a store-day', better: 'lower' },
  'record-accuracy': { section: 'variance.accuracy', column: 'accuracy_pct', measure: 'Record accuracy', unit: '% of SKUs at day end', better: 'higher', level: true },
  'phantom-skus': { section: 'variance.accuracy', column: 'phantom_skus', measure: 'Phantom stock', unit: 'SKUs at day end', better: 'lower', level: true },
} as const;
type MetricName = keyof typeof METRICS;

interface StoreDir {
  readonly store?: string;
  readonly group: 'test' | 'control';
  readonly dir: string;
}

/** Days from which the day bootstrap keeps a week together; shorter periods resample single days. */
const WEEK_FROM_DAYS = 14;

export async function pilotCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    test: { type: 'string', multiple: true },
    control: { type: 'string', multiple: true },
    pre: { type: 'string' },
    post: { type: 'string' },
    layout: { type: 'string' },
    metric: { type: 'string', default: 'shrink' },
    resample: { type: 'string' },
    'block-days': { type: 'string' },
    seed: { type: 'string' },
    format: { type: 'string', default: 'table' },
  }, true);
  if (values.format !== 'table' && values.format !== 'json') throw new CliError(`--format must be table or json, not "${values.format}"`);
  if (!(values.metric! in METRICS)) throw new CliError(`--metric must be one of ${Object.keys(METRICS).join(', ')}, not "${values.metric}"`);
  const metric = METRICS[values.metric as MetricName];
  if (values.resample !== undefined && values.resample !== 'days' && values.resample !== 'stores') throw new CliError(`--resample must be days or stores, not "${values.resample}"`);
  const seed = wholeNumber(values.seed, 'seed', 0, 2 ** 32 - 1) ?? 1;

  const run = await runPilot({
    dir: positionals.length === 1 ? positionals[0] : undefined,
    ...(values.test ? { test: values.test } : {}), ...(values.control ? { control: values.control } : {}),
    pre: values.pre, post: values.post, layout: values.layout, metric: values.metric as MetricName,
    blockDays: wholeNumber(values['block-days'], 'block-days', 1, 60), seed,
    ...(values.resample ? { resample: values.resample as 'days' | 'stores' } : {}),
  }, positionals.length);
  const { series, result, pre, post, injected, seconds, blockDays } = run;
  if (values.format === 'json') {
    console.log(JSON.stringify({
      metric: values.metric, unit: metric.unit, pre, post, blockDays,
      ...(injected === undefined ? {} : { injected }),
      stores: series.map((s) => ({ store: s.store, group: s.group, dir: s.dir, pre: s.pre, post: s.post })),
      result, seconds: Math.round(seconds * 100) / 100,
    }, null, 2));
  } else {
    console.log(pilotTable(series, result, pre, post, metric.unit, injected));
  }
  if (!result.ok) {
    for (const p of result.problems) console.error(`${p.message}${p.tip ? ` ${p.tip}` : ''}`);
    return 1;
  }
  return 0;
}

export interface PilotOptions {
  /** A folder from twin simulate --pilot (its pilot.json), or test and control folders with the periods. */
  readonly dir?: string | undefined;
  readonly test?: readonly string[];
  readonly control?: readonly string[];
  readonly pre?: string | undefined;
  readonly post?: string | undefined;
  readonly layout?: string | undefined;
  readonly metric?: MetricName;
  readonly blockDays?: number | undefined;
  readonly seed?: number;
  readonly resample?: 'days' | 'stores';
}

export interface PilotRun {
  readonly metric: (typeof METRICS)[MetricName];
  readonly series: readonly (StoreSeries & { dir: string })[];
  readonly result: DidResult;
  readonly pre: DayRange;
  readonly post: DayRange;
  readonly blockDays: number;
  /** The effect a simulated pilot injected (pilot.json's `effect`), when it says. */
  readonly injected: unknown;
  readonly seconds: number;
}

/** Reads each store's recording into the event store, takes the metric by day and runs the difference-in-differences. */
export async function runPilot(o: PilotOptions, folders = o.dir === undefined ? 0 : 1): Promise<PilotRun> {
  const values = { test: o.test, control: o.control, pre: o.pre, post: o.post, layout: o.layout };
  const metric = METRICS[o.metric ?? 'shrink'];
  const positionals = o.dir === undefined ? [] : [o.dir];
  // Which stores, and which days: from a pilot folder, or given.
  let stores: StoreDir[];
  let pre: DayRange | undefined, post: DayRange | undefined;
  let injected: unknown;
  if (folders > 1) throw new CliError('give one pilot folder, or --test DIR ... --control DIR ...');
  if (positionals.length === 1) {
    if (values.test || values.control) throw new CliError('give a pilot folder or --test and --control, not both');
    const dir = positionals[0]!;
    const file = join(dir, PILOT_FILE);
    if (!existsSync(file)) throw new CliError(`${dir} has no ${PILOT_FILE}: give a folder from twin simulate --pilot, or --test DIR ... --control DIR ...`);
    const pilot = readPilotFile(file);
    stores = pilot.stores.map((s) => ({ store: s.store, group: s.group, dir: resolve(dir, s.dir) }));
    pre = pilot.pre;
    post = pilot.post;
    injected = pilot.effect;
  } else {
    if (!values.test?.length || !values.control?.length) throw new CliError('usage: twin pilot DIR | twin pilot --test DIR ... --control DIR ... --pre FROM..TO --post FROM..TO [--metric shrink|shrink-units|record-accuracy|phantom-skus] [--format table|json]');
    stores = [...values.test.map((dir) => ({ group: 'test' as const, dir })), ...values.control.map((dir) => ({ group: 'control' as const, dir }))];
  }
  const range = (v: string | undefined, name: string, fallback: DayRange | undefined) => {
    if (v === undefined) {
      if (!fallback) throw new CliError(`--${name} FROM..TO is required`);
      return fallback;
    }
    const r = parseDayRange(v);
    if (typeof r === 'string') throw new CliError(`--${name} ${r}`);
    return r;
  };
  pre = range(values.pre, 'pre', pre);
  post = range(values.post, 'post', post);
  if (post.from <= pre.to) throw new CliError(`the post-period (${post.from}..${post.to}) must start after the pre-period ends (${pre.to})`);

  const shared = values.layout ? loadLayout(values.layout) : undefined;
  const series: (StoreSeries & { dir: string })[] = [];
  const started = performance.now();
  for (const s of stores) {
    const layoutPath = join(s.dir, 'layout.json');
    if (!shared && !existsSync(layoutPath)) throw new CliError(`${s.dir} has no layout.json: give --layout FILE`);
    const layout: LayoutIndex = shared ?? loadLayout(layoutPath);
    const recording = [join(s.dir, 'recording.jsonl'), join(s.dir, 'recording.jsonl.gz')].find(existsSync);
    if (!recording) throw new CliError(`${s.dir} has no recording.jsonl`);
    const { duck, store } = await loadRecordingIntoStore(layout, recording, Date.now, openStoreDatabase);
    const section = findSections(metric.section)![0]!;
    const tz = layout.layout.timezone;
    let days: { day: string; value: number }[];
    try {
      if (metric.section === 'shrink.by_day') {
        const rows: Row[] = (await store.select(section.sql(resolveParams(layout.store, {}, tz)))).rows;
        days = rows.map((r) => ({ day: dayText(r.day), value: Number(r[metric.column] ?? 0) }));
      } else {
        // A level: the analysis as of each day's end (the next local midnight).
        days = [];
        for (const day of [...daysOf(pre), ...daysOf(post)]) {
          const rows = (await store.select(section.sql(resolveParams(layout.store, { to: addDays(day, 1) }, tz)))).rows;
          days.push({ day, value: Number(rows[0]?.[metric.column] ?? 0) });
        }
      }
    } finally {
      duck.close();
    }
    series.push({ store: s.store ?? layout.store, group: s.group, dir: s.dir, pre: dailySeries(days, pre), post: dailySeries(days, post) });
  }
  const seconds = (performance.now() - started) / 1000;

  const shortest = Math.min(series[0]!.pre.length, series[0]!.post.length);
  const blockDays = o.blockDays ?? (shortest >= WEEK_FROM_DAYS ? 7 : 1);
  // A level (accuracy as of each day's end) carries each day's errors into the next: its days
  // are not independent draws, and a bootstrap of days makes the interval far too narrow. The
  // stores are: resample them (did.ts falls back to days, with a warning, for one store a side).
  const resample = o.resample ?? ('level' in metric ? 'stores' : undefined);
  const result = differenceInDifferences(series, {
    measure: metric.measure, better: metric.better, seed: o.seed ?? 1, blockDays,
    ...(resample ? { resample } : {}),
  });
  return { metric, series, result, pre, post, blockDays, injected, seconds };
}

/**
 * Native DuckDB where its binary is installed (an optional dependency): four times quicker
 * than DuckDB-WASM on a pilot's recordings (3.5 s against 14 s for four small stores), with
 * the same rows; DuckDB-WASM otherwise.
 */
async function openStoreDatabase(): Promise<StoreDatabase> {
  try {
    return await openNativeDuckDB();
  } catch {
    return openDuckDB();
  }
}

/** A day cell from the store: a Date column comes back as epoch ms. */
function dayText(v: unknown): string {
  return typeof v === 'number' ? new Date(v).toISOString().slice(0, 10) : String(v);
}

interface PilotFile {
  readonly stores: { store: string; group: 'test' | 'control'; dir: string }[];
  readonly pre: DayRange;
  readonly post: DayRange;
  readonly effect?: unknown;
}

function readPilotFile(path: string): PilotFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`${path} is not JSON: ${(e as Error).message}`);
  }
  const o = json as Partial<PilotFile> & { version?: unknown };
  const ok = o && o.version === 1 && Array.isArray(o.stores) && o.pre && o.post
    && o.stores.every((s) => s && typeof s.store === 'string' && typeof s.dir === 'string' && (s.group === 'test' || s.group === 'control'));
  if (!ok) throw new CliError(`${path} is not a pilot file (version 1, stores with store, group and dir, pre and post): write one with twin simulate --pilot`);
  return o as PilotFile;
}

const money = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;

function pilotTable(series: readonly StoreSeries[], r: DidResult, pre: DayRange, post: DayRange, unit: string, injected: unknown): string {
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const out: string[] = [];
  out.push(`Pilot: ${series.filter((s) => s.group === 'test').length} test and ${series.filter((s) => s.group === 'control').length} control stores; pre ${pre.from}..${pre.to}, post ${post.from}..${post.to}`);
  out.push('');
  out.push(formatTable(['store', 'group', `pre (mean, ${unit})`, 'post'], series.map((s) => [s.store, s.group, money(mean(s.pre)), money(mean(s.post))])));
  out.push('');
  if (!r.ok) {
    out.push('No estimate:');
    for (const p of r.problems) out.push(`  ${p.message}`);
    return out.join('\n');
  }
  out.push(r.verdict);
  out.push('');
  const lvl = `${(r.level * 100).toFixed(0)} % CI`;
  out.push(formatTable(['', 'estimate', lvl], [
    ['relative change', pct(r.relative.estimate), `${pct(r.relative.low)} to ${pct(r.relative.high)}`],
    [`absolute (${unit})`, money(r.absolute.estimate), `${money(r.absolute.low)} to ${money(r.absolute.high)}`],
  ]));
  out.push('');
  out.push(formatTable(['group', 'pre', 'post'], [
    ['test', money(r.means.test.pre), money(r.means.test.post)],
    ['control', money(r.means.control.pre), money(r.means.control.post)],
  ]));
  if (r.matches?.length) {
    out.push('');
    out.push(formatTable(['test store', 'matched control', 'correlation', 'size gap'], r.matches.map((m) => [m.test, m.control, m.correlation.toFixed(2), m.magnitude.toFixed(2)])));
  }
  if (r.permutation) out.push('', `Permutation check: ${(r.permutation.p * 100).toFixed(0)} % of ${r.permutation.count} reassignments of the test label give an effect as large.`);
  out.push('', `Method: ${r.method}.`);
  for (const w of r.warnings) out.push(`Warning: ${w.message}${w.tip ? ` ${w.tip}` : ''}`);
  const inj = injected as { theftCut?: number; realisedTheftChange?: number | null; errorCut?: number; realisedErrorChange?: number | null } | undefined;
  if (inj && typeof inj.theftCut === 'number') {
    out.push('', `Simulated: thefts in the test stores cut by ${(inj.theftCut * 100).toFixed(0)} % from ${post.from}${typeof inj.realisedTheftChange === 'number' ? `; their theft at cost changed ${pct(inj.realisedTheftChange)} against the same stores without the cut` : ''}.`);
  }
  if (inj && typeof inj.errorCut === 'number' && inj.errorCut > 0) {
    out.push(`Simulated: unscanned moves and misplaced putaways in the test stores cut by ${(inj.errorCut * 100).toFixed(0)} % from ${post.from}${typeof inj.realisedErrorChange === 'number' ? `; their count changed ${pct(inj.realisedErrorChange)} against the same stores without the cut` : ''}.`);
  }
  return out.join('\n');
}
