/**
 * The workbench shell: a header naming the product and the open layout, the 3D view, and a
 * side panel with the layout's counts and an "Open layout…" button. A file the layout reader
 * refuses is shown with every problem (path: reason) while the current layout stays open —
 * a layout is either loaded whole or not at all. Telemetry comes from one source at a time
 * — a live broker, a recording file, or a scenario run — through the page's one listener
 * (ActiveSource), which feeds the 3D view, the event store (DuckDB, saved in this browser
 * where it can be; a line under the panels says where) and the status bar along the bottom.
 * Under the 3D view, the analytics drawer queries that store.
 */
import { css, html, LitElement, nothing } from 'lit';
import { BrowserEventStore, type EventStoreStatus } from '../analytics/BrowserEventStore';
import type { LayoutProblem } from '../layout/Layout';
import { LayoutIndex } from '../layout/LayoutIndex';
import { parseLayoutText } from '../layout/parseLayout';
import { cssHex, ZONE_COLORS } from '../render/palette';
import type { SceneStats } from '../render/SceneRenderer';
import { ActiveSource } from '../sources/ActiveSource';
import { layoutCounts } from './layoutCounts';
import { loadStartupLayout } from './loadStartupLayout';
import './tw-analytics-panel';
import './tw-connect-panel';
import './tw-replay-panel';
import './tw-scene-view';
import './tw-scenario-panel';
import './tw-status-bar';

/** A file (or the startup layout) that could not be opened, and why. */
interface Refusal {
  readonly source: string;
  readonly problems: readonly LayoutProblem[];
}

export class TwApp extends LitElement {
  static override properties = {
    index: { state: true },
    source: { state: true },
    refusal: { state: true },
    loading: { state: true },
  };

  static override styles = css`
    :host {
      display: grid;
      grid-template-rows: auto minmax(0, 1fr) auto auto;
      grid-template-columns: minmax(0, 1fr) minmax(260px, 320px);
      grid-template-areas: 'header header' 'view panel' 'analytics panel' 'status status';
      height: 100vh;
      color: var(--tw-fg);
      background: var(--tw-bg);
      font: 14px/1.45 var(--tw-font);
    }
    header {
      grid-area: header;
      display: flex;
      align-items: baseline;
      gap: 0.75rem;
      padding: 0.6rem 1rem;
      border-bottom: 1px solid var(--tw-border);
      background: var(--tw-panel);
    }
    .product { font-weight: 700; letter-spacing: 0.02em; }
    .layout-name { font-weight: 500; }
    .store { color: var(--tw-muted); font-family: var(--tw-mono); font-size: 0.9em; }
    tw-scene-view { grid-area: view; min-width: 0; }
    tw-analytics-panel { grid-area: analytics; min-width: 0; }
    tw-status-bar { grid-area: status; min-width: 0; }
    aside {
      grid-area: panel;
      overflow: auto;
      padding: 1rem;
      border-left: 1px solid var(--tw-border);
      background: var(--tw-panel);
      display: flex;
      flex-direction: column;
      gap: 1.25rem;
    }
    h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 0 0 0.5rem; }
    dl { display: grid; grid-template-columns: 1fr auto; gap: 0.2rem 1rem; margin: 0; }
    dt { color: var(--tw-muted); }
    dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
    .source { color: var(--tw-muted); font-size: 0.85em; margin: 0.5rem 0 0; word-break: break-all; }
    .open {
      display: inline-block;
      padding: 0.45rem 0.9rem;
      border-radius: 6px;
      background: var(--tw-accent);
      color: var(--tw-on-accent);
      font-weight: 600;
      cursor: pointer;
      text-align: center;
    }
    .open:focus-within { outline: 2px solid var(--tw-fg); outline-offset: 2px; }
    .open input { position: absolute; width: 1px; height: 1px; opacity: 0; }
    .problems {
      border: 1px solid var(--tw-danger);
      border-radius: 6px;
      padding: 0.75rem;
      background: var(--tw-danger-bg);
    }
    .problems h2 { color: var(--tw-danger); text-transform: none; letter-spacing: 0; font-size: 0.95rem; }
    .problems ol { margin: 0.5rem 0; padding-left: 1.25rem; max-height: 40vh; overflow: auto; }
    .problems li { margin: 0.25rem 0; }
    .problems code { font-family: var(--tw-mono); font-size: 0.9em; }
    .problems p { margin: 0; color: var(--tw-muted); }
    button { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.2rem 0.6rem; cursor: pointer; }
    .legend ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.25rem; }
    .swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; margin-right: 0.5em; vertical-align: -0.1em; }
    .status { color: var(--tw-muted); }
    .event-store { color: var(--tw-muted); font-size: 0.85em; margin: -0.75rem 0 0; }
    .event-store .problem { color: var(--tw-danger); display: block; }
  `;

  /** The open layout; undefined until the first one loads. */
  declare private index: LayoutIndex | undefined;
  /** Where the open layout came from (a path, URL or file name). */
  declare private source: string;
  /** The open layout's text, as a scenario run in a worker needs it. */
  private layoutText: string | undefined;
  /** The last refused file, shown until dismissed or until a layout opens. */
  declare private refusal: Refusal | undefined;
  declare private loading: boolean;
  private startupRequested = false;
  /** Where every source's events are kept; opened on first need (or at once if this browser has a saved one). */
  readonly eventStore = new BrowserEventStore({ onChange: () => this.requestUpdate() });
  /** The source being shown: its batches go to the 3D view, the event store and the status bar. */
  readonly feed = new ActiveSource({
    enqueue: (layout, events, quarantine) => this.eventStore.enqueue(layout, events, quarantine),
    fills: (fills) => this.onFills(fills),
    changed: () => this.requestUpdate(),
  });

  constructor() {
    super();
    this.index = undefined;
    this.source = '';
    this.refusal = undefined;
    this.loading = true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.startupRequested) {
      this.startupRequested = true;
      void this.openStartupLayout();
      void this.eventStore.openIfSaved();
    }
  }

  /** Stats of the 3D view's last frame (see SceneStats). */
  stats(): SceneStats | undefined {
    return this.renderRoot.querySelector('tw-scene-view')?.stats();
  }

  /** Opens layout text from `source`; returns whether it was accepted. */
  open(text: string, source: string): boolean {
    const result = parseLayoutText(text);
    if (!result.ok) {
      this.refusal = { source, problems: result.problems };
      return false;
    }
    // The source reads against the layout it started with: it ends with that layout.
    if (this.feed.view?.running) void this.feed.stop();
    this.index = new LayoutIndex(result.layout);
    this.eventStore.useLayout(this.index);
    this.layoutText = text;
    this.source = source;
    this.refusal = undefined;
    return true;
  }

  private async openStartupLayout(): Promise<void> {
    const start = await loadStartupLayout(location.search);
    this.loading = false;
    // The user may have opened a file while this loaded: theirs wins.
    if (this.index) return;
    if (start.ok) this.open(start.text, start.source);
    else this.refusal = { source: start.source, problems: [{ path: '', reason: start.reason }] };
  }

  /** Slot fills from the active source, to the 3D view. */
  private onFills(fills: Map<string, number>): void {
    const slots = this.renderRoot.querySelector('tw-scene-view')?.scene?.slots;
    if (slots) for (const [id, f] of fills) slots.setFill(id, f);
  }

  private readonly onFile = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so choosing the same file again (after fixing it) fires `change` again.
    input.value = '';
    if (file) this.open(await file.text(), file.name);
  };

  protected override render() {
    const layout = this.index?.layout;
    const view = this.feed.view;
    return html`
      <header>
        <span class="product">Backroom Twin</span>
        ${layout
          ? html`<span class="layout-name">${layout.name}</span><span class="store">${layout.store}</span>`
          : html`<span class="status">${this.loading ? 'Loading layout…' : 'No layout open'}</span>`}
      </header>
      <tw-scene-view .layout=${this.index}></tw-scene-view>
      <tw-analytics-panel .index=${this.index} .store=${this.eventStore}></tw-analytics-panel>
      <aside>
        ${this.renderRefusal()}
        <section class="counts">
          <h2>Layout</h2>
          ${layout
            ? html`<dl>${layoutCounts(layout).map((c) => html`<dt>${c.label}</dt><dd data-count=${c.label}>${c.count}</dd>`)}</dl>
                <p class="source">from ${this.source}</p>`
            : html`<p class="status">${this.loading ? 'Loading…' : 'Open a layout file to begin.'}</p>`}
        </section>
        <label class="open">Open layout…<input type="file" name="layout" accept=".json,application/json" @change=${this.onFile} /></label>
        ${layout
          ? html`<tw-connect-panel .index=${this.index} .layoutText=${this.layoutText} .feed=${this.feed} .view=${view}></tw-connect-panel>
              <tw-replay-panel .index=${this.index} .layoutText=${this.layoutText} .feed=${this.feed}></tw-replay-panel>
              <tw-scenario-panel .index=${this.index} .layoutText=${this.layoutText} .feed=${this.feed} .view=${view}></tw-scenario-panel>
              ${this.renderEventStore(this.eventStore.status())}`
          : nothing}
        ${layout ? this.renderLegend(layout.zones.map((z) => z.kind)) : nothing}
      </aside>
      <tw-status-bar .feed=${this.feed} .view=${view} .store=${layout?.store}></tw-status-bar>
    `;
  }

  private renderRefusal() {
    const r = this.refusal;
    if (!r) return nothing;
    const n = r.problems.length;
    return html`
      <section class="problems" role="alert" id="problems">
        <h2>Could not open ${r.source}: ${n} problem${n === 1 ? '' : 's'}</h2>
        <ol>
          ${r.problems.map((p) => html`<li><code>${p.path || '(whole file)'}</code>: ${p.reason}</li>`)}
        </ol>
        <p>${this.index ? 'The current layout stays open.' : 'No layout is open.'}</p>
        <button @click=${() => (this.refusal = undefined)}>Dismiss</button>
      </section>
    `;
  }

  private renderEventStore(s: EventStoreStatus) {
    const where =
      s.state === 'closed'
        ? 'opens with the first run'
        : s.state === 'opening'
          ? 'opening…'
          : s.state === 'failed'
            ? `not available — ${s.reason}`
            : s.persistence === 'opfs'
              ? 'saved in this browser (OPFS)'
              : `in memory only — ${s.reason ?? 'gone on reload'}`;
    return html`<p class="event-store" data-event-store=${s.persistence ?? s.state}>
      Event store: ${where}
      ${s.problems.map((p) => html`<span class="problem" role="alert" title=${p.tip ?? ''}>${p.message}</span>`)}
    </p>`;
  }

  private renderLegend(kinds: readonly (keyof typeof ZONE_COLORS)[]) {
    const present = [...new Set(kinds)];
    return html`
      <section class="legend">
        <h2>Zone kinds</h2>
        <ul>
          ${present.map((k) => html`<li><span class="swatch" style="background:${cssHex(ZONE_COLORS[k])}"></span>${k.replace('_', ' ')}</li>`)}
        </ul>
      </section>
    `;
  }
}

customElements.define('tw-app', TwApp);

declare global {
  interface HTMLElementTagNameMap {
    'tw-app': TwApp;
  }
}
