/**
 * The ROI panel's two charts, drawn by Observable Plot (the module the caller loaded): the
 * tornado (each assumption's NPV at its low and its high around the base) and the Monte
 * Carlo band (cumulative discounted cash, P10 to P90 month by month, the median and the
 * assumed values). The rows are plain data (`tornadoRows`, `bandRows`), tested without a DOM.
 */
import type * as PlotModule from '@observablehq/plot';
import { money, type RoiReport } from '../roi/roiReport';
import { CHART_COLOR } from './chartSpec';

/** Bars the tornado shows: past these the swings are small and the labels crowd. */
export const TORNADO_BARS = 10;

export interface TornadoRow {
  readonly label: string;
  /** Which end of the assumption's range. */
  readonly end: 'low' | 'high';
  /** From the base NPV to the NPV at that end. */
  readonly x1: number;
  readonly x2: number;
}

export function tornadoRows(r: RoiReport): TornadoRow[] {
  return r.tornado.bars.slice(0, TORNADO_BARS).flatMap((b) => [
    { label: b.label, end: 'low' as const, x1: r.tornado.base, x2: b.npvAtLow },
    { label: b.label, end: 'high' as const, x1: r.tornado.base, x2: b.npvAtHigh },
  ]);
}

export function bandRows(r: RoiReport) {
  return r.band.months;
}

const LOW = '#d08b3e';

/** A label cut to `n` characters, with an ellipsis, so that it fits the chart's margin (the bar's tip has it whole). */
export function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(1, n - 1))}…`;
}

export function tornadoPlot(r: RoiReport, Plot: typeof PlotModule, width: number, document?: Document): SVGSVGElement | HTMLElement {
  const rows = tornadoRows(r);
  const order = r.tornado.bars.slice(0, TORNADO_BARS).map((b) => b.label);
  const fmt = (x: number) => money(x, r.currency);
  const marginLeft = Math.round(Math.min(210, width * 0.45));
  return Plot.plot({
    width, height: 28 + order.length * 24, marginLeft, style: { fontSize: '11px', overflow: 'visible' },
    ...(document ? { document } : {}),
    x: { label: `NPV (${r.currency})`, grid: true, tickFormat: (x: number) => fmt(x).replace(`${r.currency} `, ''), ticks: 4 },
    y: { domain: order, label: null, tickFormat: (s: string) => clip(s, Math.floor((marginLeft - 10) / 6)) },
    color: { domain: ['low', 'high'], range: [LOW, CHART_COLOR] },
    marks: [
      Plot.barX(rows, { y: 'label', x1: 'x1', x2: 'x2', fill: 'end', title: (d: TornadoRow) => `${d.label} at its ${d.end}: NPV ${fmt(d.x2)}` }),
      Plot.ruleX([r.tornado.base]),
    ],
  });
}

export function bandPlot(r: RoiReport, Plot: typeof PlotModule, width: number, document?: Document): SVGSVGElement | HTMLElement {
  const rows = bandRows(r);
  const fmt = (x: number) => money(x, r.currency);
  return Plot.plot({
    width, height: 220, marginLeft: 64, style: { fontSize: '11px', overflow: 'visible' },
    ...(document ? { document } : {}),
    x: { label: 'Month', domain: [0, r.horizonMonths] },
    y: { label: `Cumulative discounted cash (${r.currency})`, grid: true, tickFormat: (x: number) => fmt(x).replace(`${r.currency} `, ''), ticks: 5 },
    marks: [
      Plot.areaY(rows, { x: 'month', y1: 'p10', y2: 'p90', fill: CHART_COLOR, fillOpacity: 0.25, curve: 'step-after' }),
      Plot.lineY(rows, { x: 'month', y: 'p50', stroke: CHART_COLOR, strokeWidth: 2, curve: 'step-after' }),
      Plot.lineY(rows, { x: 'month', y: 'base', stroke: 'currentColor', strokeDasharray: '4 3', curve: 'step-after' }),
      Plot.ruleY([0]),
      Plot.tip(rows, Plot.pointerX({ x: 'month', y: 'p50', title: (d: (typeof rows)[number]) => `Month ${d.month}\nP90 ${fmt(d.p90)}\nP50 ${fmt(d.p50)}\nP10 ${fmt(d.p10)}\nAssumed values ${fmt(d.base)}` })),
    ],
  });
}
