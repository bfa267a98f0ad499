/**
 * The analytics panel, a drawer under the 3D view: the named analyses (pick one and a
 * section, set the filters, see a chart and the rows) and a SQL box beside the store's
 * schema. Queries run in DuckDB's worker, so the page and the 3D view go on while they
 * run; any result can be exported as CSV or Parquet (both written in the page).
 * Refused filters and failed queries are shown as problems, not thrown.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { ChartSpec, Section } from '../analytics/analyses/Analysis';
import { DEFAULT_SHIFTS, lit } from '../analytics/analyses/AnalysisParams';
import { ANALYSES } from '../analytics/analyses/index';
import type { BrowserEventStore, QueryResult, TableSchema } from '../analytics/BrowserEventStore';
import { readOnlyProblem } from '../analytics/readOnlySql';
import { resultCsv } from '../analytics/resultCsv';
import type { Problem } from '../core/Problem';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { NO_FILTERS, sectionInputs, sectionQuery, type FilterInput, type FilterValues } from './sectionQuery';
import './tw-result-view';
import type { ExportFormat } from './tw-result-view';

type Mode = 'analyses' | 'sql';

/** A result on show and what made it: the id names its export files. */
interface Shown {
  readonly id: string;
  readonly sql: string;
  readonly chart?: ChartSpec;
  readonly result: QueryResult;
  readonly emptyNote: string;
}

/** One mode's result, problem and whether its query is running. */
interface View {
  readonly shown?: Shown;
  readonly problem?: Problem;
  readonly running: boolean;
}

/** Rows a result shows (and charts); exports take them all. */
const SHOWN_ROWS = 1000;
const EXAMPLE_SQL = 'SELECT * FROM readings ORDER BY ts DESC LIMIT 100';
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const LIMIT_LABELS: Record<'tolerance' | 'gapMinutes' | 'longOpenMinutes', string> = {
  tolerance: 'Tolerance (units)',
  gapMinutes: 'Gap (minutes)',
  longOpenMinutes: 'Long open (minutes)',
};

export class TwAnalyticsPanel extends LitElement {
  static override properties = {
    index: { attribute: false },
    store: { attribute: false },
    open: { type: Boolean, reflect: true },
    mode: { state: true },
    sectionId: { state: true },
    filters: { state: true },
    views: { state: true },
    schema: { state: true },
    exporting: { state: true },
  };

  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 0; border-top: 1px solid var(--tw-border); background: var(--tw-panel); }
    :host([open]) { height: var(--tw-analytics-height, 48vh); }
    .bar { display: flex; align-items: center; gap: 0.5rem; padding: 0.3rem 0.75rem; }
    .bar .toggle { font-weight: 600; border: none; padding-left: 0; }
    .tabs { display: flex; gap: 0.25rem; }
    .tabs button[aria-pressed='true'] { background: var(--tw-accent); color: var(--tw-on-accent); border-color: var(--tw-accent); }
    .busy { color: var(--tw-muted); font-style: italic; }
    .problem[data-severity='info'] { color: var(--tw-muted); background: none; border-color: var(--tw-border); font-family: inherit; }
    button { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.15rem 0.6rem; cursor: pointer; }
    button.primary { background: var(--tw-accent); color: var(--tw-on-accent); border-color: var(--tw-accent); font-weight: 600; }
    .body { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(200px, 240px) 1fr; border-top: 1px solid var(--tw-border); }
    .side { overflow: auto; padding: 0.6rem 0.75rem; border-right: 1px solid var(--tw-border); }
    .main { overflow: auto; padding: 0.6rem 0.9rem; min-width: 0; }
    h3 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 0.6rem 0 0.3rem; }
    select, input, textarea { font: inherit; color: var(--tw-fg); background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.15rem 0.3rem; }
    .side select { width: 100%; }
    ul.sections { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.2rem; }
    ul.sections button { width: 100%; text-align: left; border-color: transparent; }
    ul.sections button[aria-pressed='true'] { border-color: var(--tw-accent); background: color-mix(in srgb, var(--tw-accent) 18%, transparent); }
    .description { color: var(--tw-muted); font-size: 0.9em; margin: 0 0 0.5rem; }
    .filters { display: flex; flex-wrap: wrap; gap: 0.4rem 0.9rem; align-items: end; margin-bottom: 0.5rem; }
    .filters label { display: grid; gap: 0.1rem; color: var(--tw-muted); font-size: 0.85em; }
    .filters label.off { opacity: 0.45; }
    .filters input[type='number'] { width: 5rem; }
    .filters select { max-width: 14rem; }
    .problem { color: var(--tw-danger); background: var(--tw-danger-bg); border: 1px solid var(--tw-danger); border-radius: 4px; padding: 0.35rem 0.6rem; margin: 0.4rem 0; white-space: pre-wrap; font-family: var(--tw-mono); font-size: 0.85em; }
    textarea { width: 100%; box-sizing: border-box; font-family: var(--tw-mono); font-size: 0.9em; resize: vertical; }
    .run { display: flex; gap: 0.75rem; align-items: center; margin: 0.35rem 0 0.5rem; }
    .hint { color: var(--tw-muted); font-size: 0.85em; }
    details { margin: 0.1rem 0; }
    summary { cursor: pointer; font-family: var(--tw-mono); font-size: 0.9em; }
    dl.columns { display: grid; grid-template-columns: auto 1fr; gap: 0 0.6rem; margin: 0.2rem 0 0.4rem 1rem; font-family: var(--tw-mono); font-size: 0.8em; }
    dl.columns dd { margin: 0; color: var(--tw-muted); }
  `;

  /** The open layout: its store id, time zone, zones and SKUs. */
  declare index: LayoutIndex | undefined;
  /** The event store the queries read. */
  declare store: BrowserEventStore | undefined;
  /** Whether the drawer is open; closed, it is one line. */
  declare open: boolean;
  declare private mode: Mode;
  declare private sectionId: string;
  declare private filters: FilterValues;
  declare private views: Readonly<Record<Mode, View>>;
  /** The store's tables; 'loading' while DESCRIBE runs, undefined before the SQL box is first shown. */
  declare private schema: readonly TableSchema[] | 'loading' | undefined;
  declare private exporting: ExportFormat | undefined;
  private sql = EXAMPLE_SQL;
  /** Bumped per query and mode, so a slow query's result never replaces a newer one's. */
  private readonly turns: Record<Mode, number> = { analyses: 0, sql: 0 };
  /** Cancels the query each mode is running. */
  private readonly aborts: Record<Mode, AbortController | undefined> = { analyses: undefined, sql: undefined };

  constructor() {
    super();
    this.index = undefined;
    this.store = undefined;
    this.open = false;
    this.mode = 'analyses';
    this.sectionId = ANALYSES[0]!.sections[0]!.id;
    this.filters = NO_FILTERS;
    this.views = { analyses: { running: false }, sql: { running: false } };
    this.schema = undefined;
    this.exporting = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another layout: its zones and SKUs differ, and results of the old store id are stale.
    if (changed.has('index') && changed.get('index') !== undefined) {
      this.filters = { ...this.filters, zone: '', sku: '' };
      this.views = { analyses: { running: false }, sql: { running: false } };
    }
    // What an opened drawer shows first: the chosen section's rows, or the schema. Started
    // here, before rendering, so the state they set joins this update.
    if (!this.open || !this.index || !this.store) return;
    const a = this.views.analyses;
    if (this.mode === 'analyses' && !a.shown && !a.problem && !a.running) void this.runSection();
    if (this.mode === 'sql' && this.schema === undefined) void this.loadSchema();
  }

  private section(): Section {
    return ANALYSES.flatMap((a) => a.sections).find((s) => s.id === this.sectionId)!;
  }

  /** Runs the chosen section with the form's filters. */
  async runSection(): Promise<void> {
    const section = this.section();
    if (!this.index) return;
    const q = sectionQuery(section, this.index.store, this.filters, this.index.layout.timezone);
    if (!q.ok) {
      this.turns.analyses++;
      this.views = { ...this.views, analyses: { running: false, problem: { id: 'analysis-filter', severity: 'error', message: q.message } } };
      return;
    }
    await this.execute('analyses', { id: section.id, sql: q.sql, ...(section.chart ? { chart: section.chart } : {}) });
  }

  /** Runs the SQL box's query. */
  async runSql(): Promise<void> {
    if (this.sql.trim() === '') return;
    const refused = readOnlyProblem(this.sql);
    if (refused) {
      this.turns.sql++;
      this.views = { ...this.views, sql: { running: false, problem: { id: 'analytics-query', severity: 'error', message: refused, tip: 'The event store is shared by every source and analysis; change it with the CLI (twin ingest, twin export) instead.' } } };
      return;
    }
    await this.execute('sql', { id: 'sql', sql: this.sql });
  }

  private async execute(mode: Mode, what: Omit<Shown, 'result' | 'emptyNote'>): Promise<void> {
    const store = this.store;
    const index = this.index;
    if (!store || !index) return;
    const turn = ++this.turns[mode];
    // Only the Cancel button cancels: duckdb-wasm cancels whichever query is pending on the
    // connection, which after a quick one could already be the next one.
    const abort = (this.aborts[mode] = new AbortController());
    this.views = { ...this.views, [mode]: { ...this.views[mode], running: true } };
    let view: View;
    try {
      const result = await store.select(what.sql, { limit: SHOWN_ROWS, signal: abort.signal });
      view = { running: false, shown: { ...what, result, emptyNote: result.total === 0 ? await this.emptyNote(store, index, mode) : '' } };
    } catch (e) {
      const cancelled = e instanceof Error && e.name === 'QueryCancelled';
      view = cancelled
        ? { running: false, problem: { id: 'analytics-cancelled', severity: 'info', message: 'Cancelled.' } }
        : { running: false, problem: { id: 'analytics-query', severity: 'error', message: e instanceof Error ? e.message : String(e) } };
    }
    if (this.aborts[mode] === abort) this.aborts[mode] = undefined;
    if (turn === this.turns[mode]) this.views = { ...this.views, [mode]: view };
  }

  /** Why a result is empty: nothing stored yet for this store, or nothing that passes the filters. */
  private async emptyNote(store: BrowserEventStore, index: LayoutIndex, mode: Mode): Promise<string> {
    const [row] = await store.query(`SELECT count(*) AS n FROM readings WHERE store = ${lit(index.store)}`).catch(() => [{ n: 1 }]);
    if (Number(row?.n) === 0) return 'No rows: run a scenario first (the event store holds nothing for this store yet).';
    return mode === 'sql' ? 'No rows.' : 'No rows for these filters.';
  }

  private async loadSchema(): Promise<void> {
    this.schema = 'loading';
    try {
      this.schema = await this.store!.schema();
    } catch (e) {
      this.schema = [];
      this.views = { ...this.views, sql: { ...this.views.sql, problem: { id: 'analytics-schema', severity: 'error', message: e instanceof Error ? e.message : String(e) } } };
    }
  }

  private async export(mode: Mode, format: ExportFormat): Promise<void> {
    const shown = this.views[mode].shown;
    const store = this.store;
    if (!shown || !store || !this.index || this.exporting) return;
    this.exporting = format;
    try {
      const name = `${this.index.store}-${shown.id}.${format}`;
      if (format === 'csv') {
        const all = shown.result.rows.length === shown.result.total ? shown.result : await store.select(shown.sql);
        download(new Blob([resultCsv(all)], { type: 'text/csv;charset=utf-8' }), name);
      } else {
        const bytes = await store.exportParquet(shown.sql);
        download(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.apache.parquet' }), name);
      }
    } catch (e) {
      const message = `could not export ${format === 'csv' ? 'CSV' : 'Parquet'}: ${e instanceof Error ? e.message : String(e)}`;
      this.views = { ...this.views, [mode]: { ...this.views[mode], problem: { id: 'analytics-export', severity: 'error', message } } };
    } finally {
      this.exporting = undefined;
    }
  }

  private pickSection(id: string): void {
    if (id === this.sectionId) return;
    this.sectionId = id;
    void this.runSection();
  }

  private readonly onFilter = (event: Event): void => {
    const input = event.target as HTMLInputElement | HTMLSelectElement;
    this.filters = { ...this.filters, [input.name]: input.value };
    void this.runSection();
  };

  private readonly onSqlKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.runSql();
    }
  };

  protected override render() {
    const view = this.views[this.mode];
    return html`
      <div class="bar">
        <button class="toggle" aria-expanded=${this.open} @click=${() => (this.open = !this.open)}>${this.open ? '▾' : '▸'} Analytics</button>
        ${this.open
          ? html`<div class="tabs" role="group" aria-label="Mode">
              <button aria-pressed=${this.mode === 'analyses'} @click=${() => (this.mode = 'analyses')}>Analyses</button>
              <button aria-pressed=${this.mode === 'sql'} @click=${() => (this.mode = 'sql')}>SQL</button>
            </div>`
          : nothing}
        <span class="busy" role="status">${view.running ? 'running…' : this.exporting ? 'exporting…' : ''}</span>
        ${view.running ? html`<button data-action="cancel-query" title="Stop this query" @click=${() => this.aborts[this.mode]?.abort()}>Cancel</button>` : nothing}
      </div>
      ${this.open ? html`<div class="body">${this.mode === 'analyses' ? this.renderAnalyses(view) : this.renderSql(view)}</div>` : nothing}
    `;
  }

  private renderAnalyses(view: View) {
    const section = this.section();
    const analysis = ANALYSES.find((a) => a.sections.includes(section))!;
    const inputs = sectionInputs(section);
    return html`
      <div class="side">
        <h3>Analysis</h3>
        <select name="analysis" @change=${(e: Event) => this.pickSection(ANALYSES.find((a) => a.name === (e.target as HTMLSelectElement).value)!.sections[0]!.id)}>
          ${ANALYSES.map((a) => html`<option value=${a.name} ?selected=${a === analysis}>${a.title}</option>`)}
        </select>
        <p class="description">${analysis.description}</p>
        <h3>Section</h3>
        <ul class="sections">
          ${analysis.sections.map((s) => html`<li><button data-section=${s.id} aria-pressed=${s.id === section.id} @click=${() => this.pickSection(s.id)}>${s.title}</button></li>`)}
        </ul>
      </div>
      <div class="main">
        <p class="description">${section.description}</p>
        ${this.renderFilters(inputs)}
        ${this.renderProblem(view)}
        ${this.renderResult('analyses', view)}
      </div>
    `;
  }

  private renderFilters(inputs: ReadonlySet<FilterInput>) {
    const layout = this.index?.layout;
    const f = this.filters;
    const off = (input: FilterInput) => !inputs.has(input);
    const title = (input: FilterInput) => (off(input) ? 'this section does not take this filter' : '');
    return html`
      <div class="filters" @change=${this.onFilter}>
        <label class=${off('range') ? 'off' : ''} title=${title('range')}>From <input type="date" name="from" .value=${f.from} ?disabled=${off('range')} /></label>
        <label class=${off('range') ? 'off' : ''} title=${title('range')}>To <input type="date" name="to" .value=${f.to} ?disabled=${off('range')} /></label>
        <label class=${off('zone') ? 'off' : ''} title=${title('zone')}>Zone
          <select name="zone" ?disabled=${off('zone')}>
            <option value="" ?selected=${f.zone === ''}>all zones</option>
            ${layout?.zones.map((z) => html`<option value=${z.id} ?selected=${f.zone === z.id}>${z.id} (${z.kind.replace('_', ' ')})</option>`)}
          </select>
        </label>
        <label class=${off('sku') ? 'off' : ''} title=${title('sku')}>SKU
          <select name="sku" ?disabled=${off('sku')}>
            <option value="" ?selected=${f.sku === ''}>all SKUs</option>
            ${layout?.skus.map((s) => html`<option value=${s.id} ?selected=${f.sku === s.id}>${s.id} — ${s.name}</option>`)}
          </select>
        </label>
        <label class=${off('shift') ? 'off' : ''} title=${title('shift')}>Shift
          <select name="shift" ?disabled=${off('shift')}>
            <option value="" ?selected=${f.shift === ''}>all day</option>
            ${DEFAULT_SHIFTS.map((s) => html`<option value=${s.name} ?selected=${f.shift === s.name}>${s.name} ${hhmm(s.start)}–${hhmm(s.end)}</option>`)}
          </select>
        </label>
        ${(['tolerance', 'gapMinutes', 'longOpenMinutes'] as const).map((k) =>
          inputs.has(k) ? html`<label>${LIMIT_LABELS[k]} <input type="number" name=${k} min="0" step="any" .value=${f[k]} placeholder="default" /></label>` : nothing,
        )}
        <button @click=${() => void this.runSection()} title="Run the section again on the rows stored since">Refresh</button>
      </div>
    `;
  }

  private renderSql(view: View) {
    return html`
      <div class="side">
        <h3>Tables</h3>
        ${this.schema === 'loading' ? html`<p class="hint">loading…</p>` : nothing}
        ${this.schema === 'loading' ? nothing : this.schema?.map(
          (t) => html`<details data-table=${t.table}>
            <summary>${t.table}</summary>
            <dl class="columns">${t.columns.map((c) => html`<dt>${c.name}</dt><dd>${c.type}</dd>`)}</dl>
          </details>`,
        )}
      </div>
      <div class="main">
        <textarea name="sql" rows="4" spellcheck="false" aria-label="SQL" .value=${this.sql} @input=${(e: Event) => (this.sql = (e.target as HTMLTextAreaElement).value)} @keydown=${this.onSqlKey}></textarea>
        <div class="run">
          <button class="primary" @click=${() => void this.runSql()}>Run</button>
          <span class="hint">Ctrl+Enter (⌘+Enter) runs · DuckDB SQL over the event store</span>
        </div>
        ${this.renderProblem(view)}
        ${this.renderResult('sql', view)}
      </div>
    `;
  }

  private renderProblem(view: View) {
    return view.problem ? html`<p class="problem" role="alert" data-problem=${view.problem.id} data-severity=${view.problem.severity}>${view.problem.message}${view.problem.tip ? html`<br />${view.problem.tip}` : nothing}</p>` : nothing;
  }

  private renderResult(mode: Mode, view: View) {
    const shown = view.shown;
    return html`<tw-result-view
      .result=${shown?.result}
      .chart=${shown?.chart}
      .emptyNote=${shown?.emptyNote ?? ''}
      .exporting=${this.exporting}
      .onExport=${(format: ExportFormat) => void this.export(mode, format)}
    ></tw-result-view>`;
  }
}

/** Hands `blob` to the browser as a download named `name`. */
function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The download has its own reference by the time the click returns; freed a little later all the same.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

customElements.define('tw-analytics-panel', TwAnalyticsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-analytics-panel': TwAnalyticsPanel;
  }
}
