/**
 * One query result in the analytics panel: a chart when the section suggests one (drawn by
 * Observable Plot, loaded on first use), the rows as a table, and buttons that export the
 * whole result as CSV or Parquet. With no rows it says so, and why, instead.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { ChartSpec } from '../analytics/analyses/Analysis';
import type { QueryResult } from '../analytics/BrowserEventStore';
import { cellText, isNumericType } from '../analytics/resultColumns';
import { chartSpec, plotChart } from './chartSpec';

export type ExportFormat = 'csv' | 'parquet';

export class TwResultView extends LitElement {
  static override properties = {
    result: { attribute: false },
    chart: { attribute: false },
    emptyNote: { attribute: false },
    exporting: { attribute: false },
  };

  static override styles = css`
    :host { display: block; }
    .bar { display: flex; align-items: center; gap: 0.5rem; margin: 0.25rem 0 0.5rem; flex-wrap: wrap; }
    .count { color: var(--tw-muted); margin-right: auto; }
    button { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.15rem 0.55rem; cursor: pointer; }
    button:disabled { opacity: 0.5; cursor: default; }
    .chart { margin: 0 0 0.75rem; min-height: 1px; }
    .chart :is(svg, figure) { --plot-background: var(--tw-panel); max-width: 100%; margin: 0; }
    .empty { color: var(--tw-muted); font-style: italic; margin: 0.5rem 0; }
    .table { overflow: auto; max-height: 24rem; border: 1px solid var(--tw-border); border-radius: 4px; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.9em; width: max-content; min-width: 100%; }
    th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid var(--tw-border); text-align: left; white-space: nowrap; }
    th { position: sticky; top: 0; background: var(--tw-panel); color: var(--tw-muted); font-weight: 600; }
    td.num, th.num { text-align: right; }
    td.null { color: var(--tw-muted); }
  `;

  /** The result shown; undefined shows nothing. */
  declare result: QueryResult | undefined;
  /** The section's suggested chart; none: a table alone. */
  declare chart: ChartSpec | undefined;
  /** What to say when the result has no rows. */
  declare emptyNote: string;
  /** The export under way, whose button shows it. */
  declare exporting: ExportFormat | undefined;
  /** Called when the user asks for the whole result as a file. */
  onExport: (format: ExportFormat) => void = () => {};
  /** Bumped on each draw, so a slow Plot import for an older result does not draw over a newer one. */
  private drawn = 0;

  constructor() {
    super();
    this.result = undefined;
    this.chart = undefined;
    this.emptyNote = 'No rows.';
    this.exporting = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('result') || changed.has('chart')) void this.draw();
  }

  private async draw(): Promise<void> {
    const turn = ++this.drawn;
    const box = this.renderRoot.querySelector<HTMLElement>('.chart');
    if (!box) return;
    const plan = this.result ? chartSpec(this.chart, this.result, Math.max(320, box.clientWidth || 640)) : undefined;
    if (!plan) {
      box.replaceChildren();
      return;
    }
    const Plot = await import('@observablehq/plot');
    if (turn !== this.drawn) return;
    box.replaceChildren(plotChart(plan, Plot));
  }

  protected override render() {
    const r = this.result;
    if (!r) return html`<div class="chart"></div>`;
    if (r.total === 0) return html`<div class="chart"></div><p class="empty" data-empty>${this.emptyNote}</p>`;
    return html`
      <div class="bar">
        <span class="count" data-rows=${r.total}>${r.total.toLocaleString('en-US')} row${r.total === 1 ? '' : 's'}${r.rows.length < r.total ? html`, the first ${r.rows.length.toLocaleString('en-US')} shown (exports have all)` : nothing}</span>
        <button data-export="csv" ?disabled=${!!this.exporting} @click=${() => this.onExport('csv')}>${this.exporting === 'csv' ? 'Exporting…' : 'Export CSV'}</button>
        <button
          data-export="parquet"
          ?disabled=${!!this.exporting}
          title="The whole result as a Parquet file (every column keeps its type)"
          @click=${() => this.onExport('parquet')}
        >${this.exporting === 'parquet' ? 'Exporting…' : 'Export Parquet'}</button>
      </div>
      <div class="chart"></div>
      <div class="table">
        <table class="result">
          <thead>
            <tr>${r.columns.map((c) => html`<th class=${isNumericType(c.type) ? 'num' : ''} title=${c.type}>${c.name}</th>`)}</tr>
          </thead>
          <tbody>
            ${r.rows.map(
              (row) => html`<tr>${r.columns.map((c) => {
                const v = row[c.name];
                return html`<td class=${v === null || v === undefined ? 'null' : isNumericType(c.type) ? 'num' : ''}>${v === null || v === undefined ? 'null' : cellText(v, c.type)}</td>`;
              })}</tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }
}

customElements.define('tw-result-view', TwResultView);

declare global {
  interface HTMLElementTagNameMap {
    'tw-result-view': TwResultView;
  }
}
