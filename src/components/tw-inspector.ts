/**
 * The inspector: what the selected thing is now (or at the time shown), its history as a
 * chart, its recent events, and what it relates to (a camera's slots, a slot's shelf), each
 * a link that selects it. A pure view: the app queries the facts and history and passes
 * them down; a click on a related thing, or Close, fires `tw-select`.
 *
 * The chart is drawn by Observable Plot, loaded on first need like the analytics charts:
 * one small panel per unit (weight in grams above, units and book below) on a shared time
 * axis whose ticks follow the store's time zone, with a rule at the time shown.
 */
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { formatValue, inspectorChart, type InspectorChart, type InspectorSeries } from './inspectorModel';
import { formatClock, formatInstant, ticks } from './timelineModel';
import type { PickedKind, Ref } from './workbenchUrl';

/** `tw-select` from the inspector: a related thing clicked, or null on Close. */
export interface InspectorSelect {
  readonly ref: Ref | null;
}

export interface InspectorFact {
  readonly label: string;
  readonly value: string;
}

export interface InspectorEvent {
  readonly ts: number;
  readonly kind: string;
  readonly text: string;
}

/** A group of related things: "Sees", "On shelf", "Zone". */
export interface InspectorRelated {
  readonly label: string;
  readonly refs: readonly Ref[];
}

const KIND_WORDS: Record<PickedKind, string> = {
  slot: 'Slot',
  shelf: 'Shelf',
  zone: 'Zone',
  door: 'Door',
  camera: 'Camera',
  rfid: 'RFID reader',
  badge: 'Badge reader',
  device: 'Device',
};

const PANEL_H = 96;

export class TwInspector extends LitElement {
  static override properties = {
    selection: { attribute: false },
    facts: { attribute: false },
    series: { attribute: false },
    events: { attribute: false },
    related: { attribute: false },
    at: { attribute: false },
    loading: { type: Boolean },
    timeZone: { attribute: false },
    vision: { attribute: false },
    width: { state: true },
  };

  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 0; overflow: auto; background: var(--tw-panel); font-size: 0.85rem; font-variant-numeric: tabular-nums; padding: 0.5rem 0.75rem; box-sizing: border-box; }
    header { display: flex; align-items: baseline; gap: 0.5rem; }
    .kind { color: var(--tw-muted); text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.75rem; }
    .id { font-weight: 600; font-family: var(--tw-mono); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .busy { color: var(--tw-muted); font-style: italic; }
    button { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.1rem 0.5rem; cursor: pointer; }
    button.close { margin-left: auto; border-color: transparent; font-size: 1rem; line-height: 1; padding: 0.1rem 0.35rem; }
    button.close:hover { border-color: var(--tw-border); }
    h3 { font-size: 0.72rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 0.7rem 0 0.3rem; font-weight: 600; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 0.8rem; margin: 0.4rem 0 0; }
    dt { color: var(--tw-muted); }
    dd { margin: 0; }
    .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; margin-bottom: 0.2rem; }
    .legend i { display: inline-block; width: 0.8rem; height: 0.2rem; border-radius: 1px; margin-right: 0.3rem; vertical-align: 0.2rem; }
    .legend b { font-weight: 600; }
    .chart :is(svg, figure) { --plot-background: var(--tw-panel); max-width: 100%; margin: 0; display: block; }
    ol.events { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: max-content max-content 1fr; gap: 0.1rem 0.6rem; }
    ol.events li { display: contents; }
    .ts { color: var(--tw-muted); }
    .ek { font-family: var(--tw-mono); font-size: 0.9em; }
    .refs { display: flex; flex-wrap: wrap; gap: 0.25rem; }
    .refs button { font-family: var(--tw-mono); font-size: 0.85em; padding: 0.05rem 0.45rem; }
    .refs button:hover { border-color: var(--tw-accent); color: var(--tw-accent); }
    .empty { color: var(--tw-muted); font-style: italic; margin: 0.3rem 0; }
    /* What the cameras saw (visionView.ts). */
    .vision .frame { margin: 0.2rem 0 0; }
    .vision .frame-box { position: relative; line-height: 0; }
    .vision .frame-box img { width: 100%; height: auto; display: block; border-radius: 3px; }
    .vision .frame-box svg { position: absolute; inset: 0; width: 100%; height: 100%; }
    .vision polygon { fill: transparent; stroke: var(--tw-accent, #4aa3ff); stroke-width: 1; vector-effect: non-scaling-stroke; cursor: pointer; }
    .vision polygon:hover { fill: color-mix(in srgb, var(--tw-accent, #4aa3ff) 30%, transparent); }
    .vision figcaption { color: var(--tw-muted); font-size: 0.8rem; margin-top: 0.2rem; }
    .vision-options { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; margin-top: 0.3rem; }
    .vision .sighting { display: flex; gap: 0.75rem; align-items: flex-start; }
    .vision .crop { image-rendering: pixelated; border: 1px solid var(--tw-border); border-radius: 2px; flex: none; }
    .vision .seen { color: var(--tw-muted); margin-top: 0.2rem; }
    .vision .ref { font-family: var(--tw-mono); font-size: 0.85em; padding: 0 0.35rem; }
  `;

  /** The thing shown; null shows how to pick one. */
  declare selection: Ref | null;
  /** What it is now or at the time shown: SKU, units/capacity, book, last reading. */
  declare facts: readonly InspectorFact[];
  /** Its history on a shared time axis. */
  declare series: readonly InspectorSeries[];
  /** Recent events, newest first. */
  declare events: readonly InspectorEvent[];
  declare related: readonly InspectorRelated[];
  /** The time shown (a rule on the chart); null is live. */
  declare at: number | null;
  /** Whether the app is still querying the selection's details. */
  declare loading: boolean;
  /** The store's IANA time zone. */
  declare timeZone: string;
  /** What the cameras saw of the selection (visionView.ts): a camera's latest frame, a slot's latest CNN verdict; nothing for other kinds. */
  declare vision: TemplateResult | typeof nothing;
  declare private width: number;
  private observer: ResizeObserver | undefined;
  /** Bumped on each draw, so a slow Plot import does not draw an older selection over a newer one. */
  private drawn = 0;

  constructor() {
    super();
    this.selection = null;
    this.facts = [];
    this.series = [];
    this.events = [];
    this.related = [];
    this.at = null;
    this.loading = false;
    this.timeZone = 'UTC';
    this.vision = nothing;
    this.width = 320;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver(([entry]) => {
      // Redraw only for a real change: a Plot chart is rebuilt whole.
      if (entry && Math.abs(entry.contentRect.width - this.width) >= 8) this.width = Math.max(200, entry.contentRect.width);
    });
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (['series', 'at', 'timeZone', 'width', 'selection'].some((k) => changed.has(k as keyof TwInspector))) void this.draw();
  }

  private select(ref: Ref | null): void {
    this.dispatchEvent(new CustomEvent<InspectorSelect>('tw-select', { detail: { ref }, bubbles: true, composed: true }));
  }

  private async draw(): Promise<void> {
    const turn = ++this.drawn;
    const box = this.renderRoot.querySelector<HTMLElement>('.chart');
    const chart = this.selection ? inspectorChart(this.series, this.at) : undefined;
    if (!box || !chart) {
      box?.replaceChildren();
      return;
    }
    const Plot = await import('@observablehq/plot');
    if (turn !== this.drawn) return;
    box.replaceChildren(...this.plots(chart, Plot));
  }

  private plots(chart: InspectorChart, Plot: typeof import('@observablehq/plot')): Element[] {
    const [from, to] = chart.domain;
    const span = { from, to };
    const tz = this.timeZone;
    const tickList = ticks(span, this.width, tz, 90);
    const labels = new Map(tickList.map((t) => [t.t, t.label]));
    const short = to - from < 3600_000;
    return chart.panels.map((panel, i) => {
      const last = i === chart.panels.length - 1;
      const marks: import('@observablehq/plot').Markish[] = panel.lines.map((line) =>
        Plot.lineY(line.points as [number, number][], {
          x: (d: [number, number]) => new Date(d[0]),
          y: (d: [number, number]) => d[1],
          stroke: line.color,
          strokeWidth: 1.6,
          curve: line.step ? 'step-after' : 'linear',
          // The tip names the series and says the time in the store's zone, not the browser's.
          tip: true,
          title: (d: [number, number]) => `${line.name} ${formatValue(d[1], panel.unit)}\n${formatInstant(d[0], tz, short)}`,
        }),
      );
      if (this.at !== null) marks.push(Plot.ruleX([new Date(this.at)], { stroke: 'currentColor', strokeOpacity: 0.6, strokeDasharray: '3 2' }));
      return Plot.plot({
        width: this.width,
        height: PANEL_H + (last ? 20 : 0),
        marginLeft: 48,
        marginRight: 8,
        // Room above the top tick for the unit label.
        marginTop: 18,
        marginBottom: last ? 24 : 4,
        style: { fontSize: '10px', overflow: 'visible' },
        x: {
          type: 'time',
          domain: [new Date(from), new Date(to)],
          axis: last ? 'bottom' : null,
          ticks: tickList.map((t) => new Date(t.t)),
          tickFormat: (d: Date) => labels.get(d.getTime()) ?? formatClock(d.getTime(), tz),
          label: null,
        },
        y: { grid: true, nice: true, zero: panel.unit !== 'g' ? true : undefined, label: panel.unit, labelAnchor: 'top', ticks: 4 },
        marks,
      });
    });
  }

  protected override render() {
    const sel = this.selection;
    if (!sel) return html`<p class="empty" data-empty>Click a slot, shelf, door or camera in the 3D view to see its details here.</p>`;
    const chart = inspectorChart(this.series, this.at);
    return html`
      <header>
        <span class="kind">${KIND_WORDS[sel.kind] ?? sel.kind}</span>
        <span class="id" title=${sel.id}>${sel.id}</span>
        ${this.loading ? html`<span class="busy" role="status">loading…</span>` : nothing}
        <button class="close" aria-label="Close the inspector" title="Close" @click=${() => this.select(null)}>×</button>
      </header>
      ${this.at !== null ? html`<div class="busy">at ${formatInstant(this.at, this.timeZone, true)}</div>` : nothing}
      ${this.facts.length > 0
        ? html`<dl>${this.facts.map((f) => html`<dt>${f.label}</dt><dd>${f.value}</dd>`)}</dl>`
        : this.loading ? nothing : html`<p class="empty">Nothing known about it yet.</p>`}
      ${this.vision}
      ${chart
        ? html`<h3>History</h3>
            <div class="legend">
              ${chart.legend.map((l) => html`<span><i style="background:${l.color}"></i>${l.name} <b>${formatValue(l.value, l.unit)}</b></span>`)}
            </div>`
        : nothing}
      <div class="chart" aria-label="History chart"></div>
      ${this.events.length > 0
        ? html`<h3>Recent events</h3>
            <ol class="events">
              ${this.events.map(
                (e) => html`<li><span class="ts" title=${formatInstant(e.ts, this.timeZone, true)}>${formatClock(e.ts, this.timeZone, true)}</span><span class="ek">${e.kind}</span><span>${e.text}</span></li>`,
              )}
            </ol>`
        : nothing}
      ${this.related.filter((g) => g.refs.length > 0).map(
        (g) => html`<h3>${g.label}</h3>
          <div class="refs">
            ${g.refs.map((ref) => html`<button title="Select ${KIND_WORDS[ref.kind] ?? ref.kind} ${ref.id}" @click=${() => this.select(ref)}>${ref.id}</button>`)}
          </div>`,
      )}
    `;
  }
}

customElements.define('tw-inspector', TwInspector);

declare global {
  interface HTMLElementTagNameMap {
    'tw-inspector': TwInspector;
  }
}
