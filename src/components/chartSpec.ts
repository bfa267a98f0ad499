/**
 * A section's suggested chart (its mark and the columns on x, y and fill) and a result,
 * to the options Observable Plot draws from: the rows with times as Date objects, the
 * mark's channels, and scales that suit each column — bands for categories in the order
 * the query sorted them, UTC time scales for instants and days, a sequential colour scale
 * for a quantity and swatches for categories. Plain data, so it is tested without a DOM;
 * `plotChart` turns it into Plot marks with the Plot module the caller loaded.
 */
import type * as PlotModule from '@observablehq/plot';
import type { ChartSpec } from '../analytics/analyses/Analysis';
import { isNumericType, temporalKind, temporalText, type ResultTable } from '../analytics/resultColumns';

/** The colour of a mark with no fill column (the workbench's accent, readable on light and dark). */
export const CHART_COLOR = '#4f8fd6';

export interface ChartPlan {
  readonly mark: ChartSpec['mark'];
  /** The rows, with the charted columns as Date (times), number or their own value. */
  readonly data: readonly Record<string, unknown>[];
  /** The mark's options: channels (column names or a constant colour) and mark settings. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Plot's options but the marks: size, margins, scales. */
  readonly plot: Omit<PlotModule.PlotOptions, 'marks'>;
  /** A rule at zero on this axis, drawn over the mark (bars and lines). */
  readonly zero?: 'x' | 'y';
}

/** What a column holds, as an axis sees it. */
type Kind = 'number' | 'time' | 'day' | 'category';

/** More categories than this on a colour legend make a wall of swatches: the tip says it instead. */
const MAX_SWATCHES = 24;

/**
 * The plan for drawing `result` with `spec` at `width` pixels; undefined when there is no
 * spec, no row, or the result lacks a column the spec names.
 */
export function chartSpec(spec: ChartSpec | undefined, result: ResultTable, width = 640): ChartPlan | undefined {
  if (!spec || result.rows.length === 0) return undefined;
  const kinds = new Map(result.columns.map((c) => [c.name, kindOf(c.type)]));
  const used = [spec.x, spec.y, ...(spec.fill ? [spec.fill] : [])];
  if (used.some((name) => !kinds.has(name))) return undefined;
  const data = result.rows.map((row) => {
    const out: Record<string, unknown> = { ...row };
    for (const name of used) out[name] = chartValue(row[name], kinds.get(name)!);
    return out;
  });
  const kx = kinds.get(spec.x)!;
  const ky = kinds.get(spec.y)!;
  const color = spec.fill ? colorScale(spec.fill, kinds.get(spec.fill)!, data) : undefined;
  const base = { width, style: { fontSize: '11px', overflow: 'visible' }, ...(color ? { color } : {}) };

  switch (spec.mark) {
    case 'barY': {
      const xs = distinct(data, spec.x);
      const crowded = xs.length * 48 > width;
      return {
        mark: 'barY',
        data,
        zero: 'y',
        options: { x: spec.x, y: spec.y, fill: spec.fill ?? CHART_COLOR, tip: true },
        plot: {
          ...base,
          height: 300,
          marginLeft: 60,
          marginBottom: crowded ? 80 : 40,
          x: { type: 'band', domain: xs, label: label(spec.x), padding: 0.15, ...bandTicks(xs, kx, width, crowded) },
          y: { grid: true, label: label(spec.y) },
        },
      };
    }
    case 'barX': {
      const ys = distinct(data, spec.y);
      return {
        mark: 'barX',
        data,
        zero: 'x',
        options: { x: spec.x, y: spec.y, fill: spec.fill ?? CHART_COLOR, tip: true },
        plot: {
          ...base,
          height: clamp(ys.length * 18 + 60, 140, 720),
          marginLeft: labelMargin(ys, ky),
          x: { grid: true, label: label(spec.x) },
          y: { type: 'band', domain: ys, label: label(spec.y), padding: 0.15, ...bandTicks(ys, ky, Infinity, false) },
        },
      };
    }
    case 'cell': {
      const xs = kx === 'number' ? integerRun(distinct(data, spec.x)) : distinct(data, spec.x);
      const ys = distinct(data, spec.y);
      return {
        mark: 'cell',
        data,
        options: { x: spec.x, y: spec.y, fill: spec.fill ?? CHART_COLOR, inset: 0.5, tip: true },
        plot: {
          ...base,
          height: clamp(ys.length * 26 + 70, 140, 640),
          marginLeft: labelMargin(ys, kinds.get(spec.y)!),
          x: { type: 'band', domain: xs, label: label(spec.x), ...bandTicks(xs, kx, width, false) },
          y: { type: 'band', domain: ys, label: label(spec.y) },
        },
      };
    }
    case 'line':
    case 'dot': {
      const line = spec.mark === 'line';
      const colour = spec.fill ?? CHART_COLOR;
      const options = line
        ? { x: spec.x, y: spec.y, stroke: colour, ...(spec.fill ? { z: spec.fill } : {}), marker: data.length <= 200 ? 'circle' : null, tip: true }
        : { x: spec.x, y: spec.y, fill: colour, r: 3.5, tip: true };
      return {
        mark: spec.mark,
        data,
        ...(line && ky === 'number' ? { zero: 'y' as const } : {}),
        options,
        plot: {
          ...base,
          height: 300,
          marginLeft: 60,
          x: { ...continuousScale(kx, distinct(data, spec.x)), label: label(spec.x) },
          y: { ...continuousScale(ky, distinct(data, spec.y)), grid: true, label: label(spec.y) },
        },
      };
    }
  }
}

/** Draws a plan with the Plot module the caller imported (lazily: it is not in the page's first chunk). */
export function plotChart(plan: ChartPlan, Plot: typeof PlotModule): ReturnType<typeof PlotModule.plot> {
  const mark = Plot[plan.mark] as (data: PlotModule.Data, options: Record<string, unknown>) => PlotModule.Markish;
  const marks: PlotModule.Markish[] = [mark(plan.data as PlotModule.Data, { ...plan.options })];
  if (plan.zero === 'y') marks.push(Plot.ruleY([0]));
  if (plan.zero === 'x') marks.push(Plot.ruleX([0]));
  return Plot.plot({ ...plan.plot, marks });
}

function kindOf(type: string): Kind {
  const t = temporalKind(type);
  if (t === 'timestamp') return 'time';
  if (t === 'date') return 'day';
  return isNumericType(type) ? 'number' : 'category';
}

function chartValue(v: unknown, kind: Kind): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'time' || kind === 'day') return typeof v === 'number' || typeof v === 'bigint' ? new Date(Number(v)) : v;
  if (kind === 'number') return Number(v);
  return typeof v === 'string' || typeof v === 'boolean' ? v : String(v);
}

/** The column's values in row order, each once (Dates by their time); nulls left out. */
function distinct(data: readonly Record<string, unknown>[], name: string): unknown[] {
  const seen = new Map<unknown, unknown>();
  for (const row of data) {
    const v = row[name];
    if (v === null || v === undefined) continue;
    const key = v instanceof Date ? v.getTime() : v;
    if (!seen.has(key)) seen.set(key, v);
  }
  return [...seen.values()];
}

/** Whole numbers from the least to the greatest (hours 0 to 23 with the quiet ones kept as gaps), else sorted. */
function integerRun(values: unknown[]): unknown[] {
  const ns = (values as number[]).slice().sort((a, b) => a - b);
  const lo = ns[0]!;
  const hi = ns[ns.length - 1]!;
  if (ns.every(Number.isInteger) && hi - lo <= 96) return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  return ns;
}

/** Tick text and thinning for a band axis: days as YYYY-MM-DD, at most a tick per 24 px. */
function bandTicks(values: unknown[], kind: Kind, length: number, rotate: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (kind === 'day' || kind === 'time') out.tickFormat = (d: unknown) => temporalText(d, kind === 'day' ? 'date' : 'timestamp') ?? String(d);
  if (rotate) out.tickRotate = -40;
  const step = Number.isFinite(length) ? Math.ceil((values.length * 24) / length) : 1;
  if (step > 1) out.ticks = values.filter((_, i) => i % step === 0);
  return out;
}

function continuousScale(kind: Kind, values: unknown[]): Record<string, unknown> {
  if (kind === 'time' || kind === 'day') return { type: 'utc' };
  if (kind === 'number') return { type: 'linear' };
  return { type: 'point', domain: values };
}

function colorScale(name: string, kind: Kind, data: readonly Record<string, unknown>[]): PlotModule.ScaleOptions {
  if (kind === 'number') return { type: 'linear', scheme: 'YlOrRd', legend: true, label: label(name) };
  return { type: 'categorical', legend: distinct(data, name).length <= MAX_SWATCHES, label: label(name) };
}

/** Room on the left for the longest band label (about 6.5 px a character at 11 px) and the axis label beside them. */
function labelMargin(values: unknown[], kind: Kind): number {
  const longest = Math.max(0, ...values.map((v) => (kind === 'day' ? 10 : String(v).length)));
  return clamp(Math.round(longest * 6.5) + 30, 50, 260);
}

function label(column: string): string {
  return column.replaceAll('_', ' ');
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
