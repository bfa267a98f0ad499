/**
 * The inspector's history chart as plain data: the series grouped into one panel per unit
 * (grams and units do not share a y axis, but every panel shares the time axis), a colour
 * per series that stays put as series come and go, and each series' value at the time
 * shown for the legend. Tested on Node; tw-inspector turns it into Plot marks.
 */

/** One line of history. */
export interface InspectorSeries {
  /** What it measures, as the legend says it: 'weight', 'units', 'book'. */
  readonly name: string;
  /** Its unit: 'g', 'units'. Series with the same unit share a panel. */
  readonly unit: string;
  /** [epoch ms, value], oldest first. */
  readonly points: readonly (readonly [number, number])[];
  /** Drawn as steps (a count that holds until it changes) rather than a line. */
  readonly step?: boolean;
}

/** Chosen to read on the light and the dark theme alike. */
export const SERIES_COLORS = ['#4f8fd6', '#2e9d5b', '#a371f7', '#d9622b', '#8a8f98', '#c2417a'];

/** Fixed colours for the series the twin always draws, so weight is the same blue everywhere. */
const KNOWN: Record<string, string> = { weight: SERIES_COLORS[0]!, units: SERIES_COLORS[1]!, book: SERIES_COLORS[2]! };

export interface ChartLine {
  readonly name: string;
  readonly color: string;
  readonly step: boolean;
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartPanel {
  readonly unit: string;
  readonly lines: readonly ChartLine[];
}

export interface LegendEntry {
  readonly name: string;
  readonly unit: string;
  readonly color: string;
  /** The value at the time shown (the newest when live); null before the first point. */
  readonly value: number | null;
}

export interface InspectorChart {
  /** The time axis every panel shares. */
  readonly domain: readonly [number, number];
  readonly panels: readonly ChartPanel[];
  readonly legend: readonly LegendEntry[];
}

/** The series' colour: a known name's own, else the palette in order of first appearance. */
export function seriesColor(name: string, index: number): string {
  return KNOWN[name] ?? SERIES_COLORS[(index + 3) % SERIES_COLORS.length]!;
}

/** The last value at or before `t`: what was known then. Null before the first point. */
export function valueAt(points: readonly (readonly [number, number])[], t: number): number | null {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]![0] <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? null : points[found]![1];
}

/** The panels to draw, or undefined when no series has a point. */
export function inspectorChart(series: readonly InspectorSeries[], at: number | null): InspectorChart | undefined {
  let from = Infinity;
  let to = -Infinity;
  for (const s of series) {
    for (const [t] of s.points) {
      if (t < from) from = t;
      if (t > to) to = t;
    }
  }
  if (from === Infinity) return undefined;
  // The shown time belongs on the axis even when the history stops short of it.
  if (at !== null) {
    from = Math.min(from, at);
    to = Math.max(to, at);
  }
  if (from === to) to = from + 60_000;
  const panels = new Map<string, ChartLine[]>();
  const legend: LegendEntry[] = [];
  let unknown = 0;
  for (const s of series) {
    const color = seriesColor(s.name, s.name in KNOWN ? 0 : unknown++);
    const lines = panels.get(s.unit) ?? [];
    lines.push({ name: s.name, color, step: s.step ?? false, points: s.points });
    panels.set(s.unit, lines);
    const last = s.points[s.points.length - 1];
    legend.push({ name: s.name, unit: s.unit, color, value: at === null ? (last ? last[1] : null) : valueAt(s.points, at) });
  }
  return { domain: [from, to], panels: [...panels].map(([unit, lines]) => ({ unit, lines })), legend };
}

/** "1,234 g", "12 units", "3.5 kg": a number as the legend shows it. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  const digits = Number.isInteger(value) ? 0 : Math.abs(value) < 10 ? 2 : 1;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits })} ${unit}`;
}
