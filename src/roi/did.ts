/**
 * Did the pilot work? Difference-in-differences of a daily measure (shrink value, record
 * accuracy, out-of-stock rate) between pilot (test) stores and control stores, over a
 * pre-period before the devices and a post-period after, with a bootstrap confidence interval
 * and a verdict a finance person can read.
 *
 * The estimate, with T and C the mean per store-day of the test and control stores:
 * - relative: (T_post / T_pre) / (C_post / C_pre) - 1, the change in the test stores beyond
 *   the change the controls show (a season, a price rise). Scale-free, so a big store and a
 *   small one compare; it is what the verdict reports.
 * - absolute: (T_post - T_pre) - (C_post - C_pre), per store-day, in the measure's unit.
 *
 * The interval: a bootstrap standard error (the relative effect's on the log scale) times
 * Student's t. Two bootstraps, and which by default:
 * - "stores", with 5 or more stores on each side: a stratified cluster bootstrap, test and
 *   control stores each drawn with replacement, each group's variance scaled by n / (n - 1)
 *   (a bootstrap over n clusters falls short by that much) and Welch's degrees of freedom.
 *   It sees every source of noise, a lasting change in one store (a new manager) included;
 *   calibrated on synthetic pilots it covers 95 % from 5 stores a side, with or without such
 *   changes (test/roi/did.test.ts).
 * - "days", with fewer: a store bootstrap over 2 stores a side finds almost nothing (5 % power
 *   against a cut of a third in the calibration), over 3 it is too wide (84 %; days: 100 %).
 *   Moving blocks of `blockDays` consecutive days (7: a week keeps its weekday
 *   pattern and a short run of bad days together), drawn separately in the pre- and the
 *   post-period, the same days for every store so that a shock common to all stores stays
 *   common; t with (blocks - 1) per period degrees of freedom. It is blind to a lasting
 *   change in one store: the permutation check, which reassigns the test label among the
 *   stores, measures that store-to-store variation and a warning is raised when it disagrees.
 */
import type { Problem } from '../core/Problem';
import { Random } from '../core/random';
import { matchControls, type Match } from './matchControls';
import { permutationCheck } from './permutationCheck';
import { pearson, sd, tQuantile } from './stats';

export interface StoreSeries {
  readonly store: string;
  readonly group: 'test' | 'control';
  /** The measure each day of the pre-period, oldest first; every store has the same days. */
  readonly pre: readonly number[];
  /** The same over the post-period. */
  readonly post: readonly number[];
}

export interface DidOptions {
  /** What is measured, as the verdict names it: "Shrink", "Record accuracy". */
  readonly measure?: string;
  /** Which way is better: shrink and out-of-stocks `lower`, record accuracy `higher`. */
  readonly better?: 'lower' | 'higher';
  /** Match controls to test stores on the pre-period (default true); false uses every control. */
  readonly match?: boolean;
  /** Controls matched to each test store, each control used once (default 1). */
  readonly controlsPerTest?: number;
  /** Default: `stores` with 5 or more stores on each side (after matching), else `days`. */
  readonly resample?: 'days' | 'stores';
  /** Days in a block of the day bootstrap (default 7). */
  readonly blockDays?: number;
  /** Bootstrap draws (default 2000). */
  readonly replicates?: number;
  /** Confidence level (default 0.95). */
  readonly level?: number;
  /** Seeds the bootstrap and the random reassignments (default 1). */
  readonly seed?: number;
  /** Most label reassignments in the permutation check; all of them when there are fewer (default 2000; 0 skips it). */
  readonly permutations?: number;
}

export interface Did {
  readonly ok: true;
  readonly tests: readonly string[];
  readonly controls: readonly string[];
  /** Present when controls were matched. */
  readonly matches?: readonly Match[];
  /** Mean per store-day. */
  readonly means: { readonly test: { pre: number; post: number }; readonly control: { pre: number; post: number } };
  readonly relative: { readonly estimate: number; readonly low: number; readonly high: number };
  readonly absolute: { readonly estimate: number; readonly low: number; readonly high: number };
  readonly level: number;
  /** The interval leaves 0 out. */
  readonly significant: boolean;
  /** Share of test-label reassignments with an effect at least as large (two-sided), and how many were tried. */
  readonly permutation?: { readonly p: number; readonly count: number };
  /** How the interval was made, in words. */
  readonly method: string;
  readonly resample: 'days' | 'stores';
  readonly verdict: string;
  readonly warnings: readonly Problem[];
}

/** Stores a side from which the store bootstrap is the default. */
export const STORES_TO_RESAMPLE = 5;

export type DidResult = Did | { readonly ok: false; readonly problems: readonly Problem[] };

/** Per-day sums of a group's stores. */
function daySums(stores: readonly StoreSeries[], period: 'pre' | 'post'): Float64Array {
  const n = stores[0]![period].length;
  const s = new Float64Array(n);
  for (const st of stores) for (let d = 0; d < n; d++) s[d]! += st[period][d]!;
  return s;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

interface Estimate {
  readonly relative: number;
  readonly absolute: number;
}

/** From the four means per store-day. */
function estimate(tPre: number, tPost: number, cPre: number, cPost: number): Estimate {
  return { relative: tPost / tPre / (cPost / cPre) - 1, absolute: tPost - tPre - (cPost - cPre) };
}

interface Settings {
  readonly level: number;
  readonly replicates: number;
  readonly resample: 'days' | 'stores';
  readonly blockDays: number;
}

interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** The estimate and its interval for given test and control stores; undefined when a mean it divides by is not above 0. */
function estimateWithInterval(tests: readonly StoreSeries[], controls: readonly StoreSeries[], o: Settings, rng: Random):
  { means: Did['means']; point: Estimate; relative: Interval; absolute: Interval; df: number } | undefined {
  const nT = tests.length, nC = controls.length;
  const nPre = tests[0]!.pre.length, nPost = tests[0]!.post.length;
  const tPreDays = daySums(tests, 'pre'), tPostDays = daySums(tests, 'post');
  const cPreDays = daySums(controls, 'pre'), cPostDays = daySums(controls, 'post');
  const m = (xs: Float64Array, stores: number) => xs.reduce((a, b) => a + b, 0) / (xs.length * stores);
  const means = { test: { pre: m(tPreDays, nT), post: m(tPostDays, nT) }, control: { pre: m(cPreDays, nC), post: m(cPostDays, nC) } };
  if (!(means.test.pre > 0 && means.control.pre > 0 && means.control.post > 0)) return undefined;
  const point = estimate(means.test.pre, means.test.post, means.control.pre, means.control.post);

  const logPoint = Math.log(1 + point.relative);
  let seLog: number, seAbs: number, df: number;
  if (o.resample === 'days') {
    const logs: number[] = [];
    const abs: number[] = [];
    const pre = blockSampler(rng, nPre, o.blockDays);
    const post = blockSampler(rng, nPost, o.blockDays);
    for (let b = 0; b < o.replicates; b++) {
      const ip = pre(), iq = post();
      const e = estimate(pick(tPreDays, ip) / nT, pick(tPostDays, iq) / nT, pick(cPreDays, ip) / nC, pick(cPostDays, iq) / nC);
      const l = Math.log(1 + e.relative);
      if (Number.isFinite(l)) logs.push(l);
      abs.push(e.absolute);
    }
    seLog = logs.length > 1 ? sd(logs) : 0;
    seAbs = abs.length > 1 ? sd(abs) : 0;
    // t, not z: a period of 8 weeks holds only 8 blocks, and z's interval covers too seldom then.
    df = Math.floor(nPre / o.blockDays) + Math.floor(nPost / o.blockDays) - 2;
  } else {
    // Each group drawn on its own, so its variance is its own: each is scaled by n / (n - 1),
    // the bootstrap's shortfall with n clusters, and the degrees of freedom are Welch's.
    const storeMeans = (s: readonly StoreSeries[]) => s.map((x) => ({ pre: sum(x.pre) / nPre, post: sum(x.post) / nPost }));
    const group = (xs: readonly { pre: number; post: number }[]) => {
      const logs: number[] = [], diffs: number[] = [];
      for (let b = 0; b < o.replicates; b++) {
        const g = drawMeans(rng, xs);
        const l = Math.log(g.post / g.pre);
        if (Number.isFinite(l)) logs.push(l);
        diffs.push(g.post - g.pre);
      }
      const k = xs.length > 1 ? xs.length / (xs.length - 1) : 1;
      return { vLog: (logs.length > 1 ? sd(logs) ** 2 : 0) * k, vAbs: (diffs.length > 1 ? sd(diffs) ** 2 : 0) * k };
    };
    const t = group(storeMeans(tests)), c = group(storeMeans(controls));
    seLog = Math.sqrt(t.vLog + c.vLog);
    seAbs = Math.sqrt(t.vAbs + c.vAbs);
    const welch = (vt: number, vc: number) => ((vt + vc) ** 2) / ((nT > 1 ? vt ** 2 / (nT - 1) : 0) + (nC > 1 ? vc ** 2 / (nC - 1) : 0));
    const w = welch(t.vLog, c.vLog);
    df = Number.isFinite(w) ? w : nT + nC - 2;
  }
  // Bootstrap standard errors with a t critical value, the relative effect on the log scale
  // (ln(1 + effect) is a difference of log ratios, nearer normal, and its interval stays above -100 %).
  const crit = tQuantile(1 - (1 - o.level) / 2, Math.max(1, df));
  return {
    means, point, df,
    relative: { estimate: point.relative, low: Math.exp(logPoint - crit * seLog) - 1, high: Math.exp(logPoint + crit * seLog) - 1 },
    absolute: { estimate: point.absolute, low: point.absolute - crit * seAbs, high: point.absolute + crit * seAbs },
  };
}

/**
 * Correlation, over the pre-period, between the test stores' excess over their controls on a
 * day and `lag` days later (each group's day sum as a share of its mean, test minus control).
 */
function lagCorrelation(tests: readonly StoreSeries[], controls: readonly StoreSeries[], lag: number): number {
  const t = daySums(tests, 'pre'), c = daySums(controls, 'pre');
  const mt = t.reduce((a, b) => a + b, 0) / t.length, mc = c.reduce((a, b) => a + b, 0) / c.length;
  if (!(mt > 0 && mc > 0) || t.length < lag + 3) return 0;
  const x = Array.from(t, (v, d) => v / mt - c[d]! / mc);
  return pearson(x.slice(0, x.length - lag), x.slice(lag));
}

function validate(series: readonly StoreSeries[]): Problem[] {
  const problems: Problem[] = [];
  const add = (id: string, message: string, tip?: string) => problems.push({ id, severity: 'error', message, ...(tip ? { tip } : {}) });
  const tests = series.filter((s) => s.group === 'test');
  const controls = series.filter((s) => s.group === 'control');
  if (tests.length === 0) add('did-no-test', 'No test (pilot) store is given.', 'Mark the stores with the devices as group "test".');
  if (controls.length === 0) add('did-no-control', 'No control store is given.', 'Add stores without the devices as group "control".');
  const seen = new Set<string>();
  for (const s of series) {
    if (seen.has(s.store)) add(`did-duplicate-${s.store}`, `Store ${s.store} is given twice.`);
    seen.add(s.store);
  }
  const first = series[0];
  for (const s of series) {
    for (const period of ['pre', 'post'] as const) {
      if (s[period].length === 0) add(`did-empty-${s.store}-${period}`, `Store ${s.store} has no days in the ${period}-period.`);
      else if (first && s[period].length !== first[period].length) {
        add(`did-days-${s.store}-${period}`, `Store ${s.store} has ${s[period].length} days in the ${period}-period, store ${first.store} ${first[period].length}.`, 'Give every store the same days.');
      }
      const bad = s[period].findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) add(`did-value-${s.store}-${period}`, `Store ${s.store} has no number on day ${bad + 1} of the ${period}-period.`);
    }
  }
  return problems;
}

export function differenceInDifferences(series: readonly StoreSeries[], opts: DidOptions = {}): DidResult {
  const problems = validate(series);
  if (problems.length) return { ok: false, problems };
  const level = opts.level ?? 0.95;
  const replicates = opts.replicates ?? 2000;
  const blockDays = Math.max(1, Math.round(opts.blockDays ?? 7));
  const rng = new Random(opts.seed ?? 1);
  const warnings: Problem[] = [];
  const warn = (id: string, message: string, tip?: string) => warnings.push({ id, severity: 'warning', message, ...(tip ? { tip } : {}) });

  const tests = series.filter((s) => s.group === 'test');
  const pool = series.filter((s) => s.group === 'control');
  let controls = pool;
  let matches: Match[] | undefined;
  if (opts.match ?? true) {
    const perTest = opts.controlsPerTest ?? 1;
    matches = matchControls(tests, pool, perTest);
    const chosen = new Set(matches.map((m) => m.control));
    controls = pool.filter((c) => chosen.has(c.store));
    if (matches.length < tests.length * perTest) {
      warn('did-few-controls', `Only ${matches.length} controls for ${tests.length * perTest} matches: too few control stores to match ${perTest} to each test store.`);
    }
    const weak = matches.filter((m) => m.correlation < 0.3);
    if (weak.length) {
      warn('did-weak-match', `${weak.length} of ${matches.length} matched controls moved little with their test store before the pilot (correlation below 0.3).`, 'More candidate control stores give better matches.');
    }
  }

  const fewest = Math.min(tests.length, controls.length);
  let resample = opts.resample ?? (fewest >= STORES_TO_RESAMPLE ? 'stores' : 'days');
  if (resample === 'stores' && fewest < 2) {
    warn('did-one-store', 'With one store on a side, stores cannot be resampled: days are resampled instead.');
    resample = 'days';
  } else if (resample === 'stores' && fewest < STORES_TO_RESAMPLE) {
    warn('did-few-stores', `Stores are resampled with only ${fewest} on a side: the interval rests on few distinct draws and is rough.`, `Pilot in ${STORES_TO_RESAMPLE} or more stores a side.`);
  }
  const settings: Settings = { level, replicates, resample, blockDays };
  const main = estimateWithInterval(tests, controls, settings, rng);
  if (!main) {
    return { ok: false, problems: [{ id: 'did-zero-mean', severity: 'error', message: 'A group\'s mean is 0 or below in a period, so a relative change cannot be worked out.', tip: 'Use a measure that is positive (a value, a rate).' }] };
  }
  const { means, point, relative, absolute, df } = main;
  const significant = relative.low > 0 || relative.high < 0;

  // Parallel trends: before the pilot, the test stores should not already drift from their controls.
  // The same estimate between the two halves of the pre-period (a placebo) should find nothing.
  const half = Math.floor(tests[0]!.pre.length / 2);
  if (half >= 2 * blockDays || (resample === 'stores' && half >= 1)) {
    const split = (s: StoreSeries): StoreSeries => ({ ...s, pre: s.pre.slice(0, half), post: s.pre.slice(half) });
    const placebo = estimateWithInterval(tests.map(split), controls.map(split), { ...settings, replicates: Math.max(200, Math.floor(replicates / 4)) }, rng);
    if (placebo && (placebo.relative.low > 0 || placebo.relative.high < 0)) {
      warn('did-pre-trend', `Before the pilot, the test stores already moved ${signedPct(placebo.point.relative)} against their controls from the first half of the pre-period to the second: the controls may not show what the test stores would have done.`, 'Match on a longer pre-period, or choose other controls.');
    }
  }
  // Days correlated beyond a block make the day bootstrap too sure of itself.
  if (resample === 'days') {
    const r = lagCorrelation(tests, controls, blockDays);
    if (r > 0.3) {
      warn('did-correlated-days', `Days ${blockDays} apart are still correlated (${r.toFixed(2)}) between test and control stores: the interval may be too narrow.`, `Use longer blocks (blockDays ${2 * blockDays}).`);
    }
  }

  const most = opts.permutations ?? 2000;
  const permutation = most > 0 ? permutationCheck(tests, controls, point.relative, most, rng) : undefined;
  if (permutation && significant && permutation.count >= 20 && permutation.p > 1 - level) {
    warn('did-permutation', `Swapping which stores count as the pilot gives an effect this large ${(permutation.p * 100).toFixed(0)} % of the time: the stores differ from one another about as much as the pilot's effect.`, 'Pilot in more stores, or a longer post-period, before deciding.');
  }
  const method = resample === 'days'
    ? `difference-in-differences of means per store-day; ${(level * 100).toFixed(0)} % interval from the standard error of ${replicates} moving-block bootstraps of days (blocks of ${blockDays}, the same days for every store) and t with ${df} degrees of freedom`
    : `difference-in-differences of means per store-day; ${(level * 100).toFixed(0)} % interval from the standard error of ${replicates} stratified bootstraps of stores and t with ${Number.isInteger(df) ? df : df.toFixed(1)} degrees of freedom`;
  return {
    ok: true,
    tests: tests.map((s) => s.store), controls: controls.map((s) => s.store),
    ...(matches ? { matches } : {}),
    means, relative, absolute, level, significant,
    ...(permutation ? { permutation } : {}),
    method, resample,
    verdict: verdict(opts.measure ?? 'Shrink', opts.better ?? 'lower', relative, level, significant, matches !== undefined),
    warnings,
  };
}

/** Draws day indices for one period: whole blocks of consecutive days from random starts, wrapping round (circular), cut to the period's length. */
function blockSampler(rng: Random, n: number, block: number): () => Int32Array {
  const len = Math.min(block, n);
  return () => {
    const idx = new Int32Array(n);
    for (let i = 0; i < n; ) {
      const start = Math.floor(rng.next() * n);
      for (let j = 0; j < len && i < n; j++, i++) idx[i] = (start + j) % n;
    }
    return idx;
  };
}

/** Mean of the day sums at the drawn days. */
function pick(days: Float64Array, idx: Int32Array): number {
  let s = 0;
  for (let i = 0; i < idx.length; i++) s += days[idx[i]!]!;
  return s / idx.length;
}

function drawMeans(rng: Random, xs: readonly { pre: number; post: number }[]): { pre: number; post: number } {
  let pre = 0, post = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[Math.floor(rng.next() * xs.length)]!;
    pre += x.pre;
    post += x.post;
  }
  return { pre: pre / xs.length, post: post / xs.length };
}

const pct = (x: number) => `${Math.abs(x * 100) < 10 ? Math.abs(x * 100).toFixed(1) : Math.abs(x * 100).toFixed(0)} %`;
const signedPct = (x: number) => `${x < 0 ? '-' : '+'}${pct(x)}`;

/** "Shrink fell by 31 % (95 % CI 18 % to 44 %) in the pilot stores against matched controls: the pilot works." */
export function verdict(
  measure: string, better: 'lower' | 'higher', r: { estimate: number; low: number; high: number }, level: number, significant: boolean, matched: boolean,
): string {
  const against = matched ? 'against matched controls' : 'against the control stores';
  const ci = `${(level * 100).toFixed(0)} % CI`;
  if (!significant) {
    return `${measure} changed by ${signedPct(r.estimate)} (${ci} ${signedPct(r.low)} to ${signedPct(r.high)}) in the pilot stores ${against}: not distinguishable from no effect.`;
  }
  const fell = r.estimate < 0;
  // A fall reads as a positive size: the interval's ends swap.
  const [a, b] = fell ? [-r.high, -r.low] : [r.low, r.high];
  const good = fell === (better === 'lower');
  return `${measure} ${fell ? 'fell' : 'rose'} by ${pct(r.estimate)} (${ci} ${pct(a)} to ${pct(b)}) in the pilot stores ${against}: ${good ? 'the pilot works' : 'the pilot made it worse'}.`;
}
