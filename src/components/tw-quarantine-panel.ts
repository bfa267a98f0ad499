/**
 * The quarantine: messages the contract refused, with why. Counts by reason (chips that
 * filter), the newest rows as a table whose payload opens in full, and exports of the
 * whole quarantine. A pure view: the app pages and filters the rows on `tw-filter` and
 * writes the files on `tw-export`; the rows shown are filtered here too, so a chip works
 * at once on the page already loaded.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { formatInstant } from './timelineModel';

export interface QuarantineRow {
  /** The message's own time, when it had a readable one. */
  readonly ts: number | null;
  /** When it reached the workbench. */
  readonly received: number | null;
  readonly topic: string;
  readonly reason: string;
  readonly detail: string;
  /** The message as it came. */
  readonly payload: string;
}

export type QuarantineExportFormat = 'csv' | 'jsonl';

/** `tw-filter`: the reason to show; null shows all. */
export interface QuarantineFilter {
  readonly reason: string | null;
}

/** `tw-export`: the whole quarantine, in this format. */
export interface QuarantineExport {
  readonly format: QuarantineExportFormat;
}

/** Payload characters the table shows before the rest is behind a click. */
const PAYLOAD_PREVIEW = 80;

export class TwQuarantinePanel extends LitElement {
  static override properties = {
    total: { type: Number },
    byReason: { attribute: false },
    rows: { attribute: false },
    timeZone: { attribute: false },
    reason: { attribute: false },
    opened: { state: true },
  };

  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 0; background: var(--tw-panel); font-size: 0.85rem; font-variant-numeric: tabular-nums; padding: 0.5rem 0.75rem; box-sizing: border-box; }
    .bar { display: flex; align-items: center; gap: 0.5rem; flex-wrap: wrap; margin-bottom: 0.4rem; }
    .total { font-weight: 600; margin-right: auto; }
    .total b { color: var(--tw-danger); }
    button { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.1rem 0.55rem; cursor: pointer; }
    .chips { display: flex; flex-wrap: wrap; gap: 0.3rem; margin-bottom: 0.5rem; }
    .chips button { border-radius: 999px; padding: 0.05rem 0.6rem; }
    .chips button[aria-pressed='true'] { background: var(--tw-accent); color: var(--tw-on-accent); border-color: var(--tw-accent); }
    .chips .n { margin-left: 0.35rem; opacity: 0.8; }
    /* contain: the table scrolls inside the panel instead of widening whatever holds the panel. */
    .table { contain: inline-size; overflow: auto; min-height: 0; flex: 1; border: 1px solid var(--tw-border); border-radius: 4px; }
    table { border-collapse: collapse; width: 100%; }
    th, td { padding: 0.2rem 0.5rem; border-bottom: 1px solid var(--tw-border); text-align: left; vertical-align: top; }
    th { position: sticky; top: 0; background: var(--tw-panel); color: var(--tw-muted); font-weight: 600; white-space: nowrap; z-index: 1; }
    td.when { min-width: 9.5rem; }
    .nowrap { white-space: nowrap; }
    td.topic, td.payload { font-family: var(--tw-mono); font-size: 0.9em; }
    td.topic { min-width: 10rem; max-width: 18rem; }
    td.detail { min-width: 10rem; }
    td.reason { white-space: nowrap; color: var(--tw-danger); }
    .muted { color: var(--tw-muted); }
    details summary { cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 28rem; }
    pre { margin: 0.25rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 16rem; overflow: auto; background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 3px; padding: 0.3rem 0.45rem; }
    .empty { color: var(--tw-muted); font-style: italic; margin: 0.5rem 0; }
  `;

  /** Messages quarantined in all (more than `rows` may hold). */
  declare total: number;
  /** Counts per reason, largest first. */
  declare byReason: readonly { reason: string; count: number }[];
  /** The newest rows, newest first (a page, maybe 200). */
  declare rows: readonly QuarantineRow[];
  /** The store's IANA time zone. */
  declare timeZone: string;
  /** The reason filtered on; null shows all. Set on a chip click, and by the app. */
  declare reason: string | null;
  /** Rows whose payload is open, by index in `rows`: their pretty text is made only then. */
  declare private opened: ReadonlySet<number>;

  constructor() {
    super();
    this.total = 0;
    this.byReason = [];
    this.rows = [];
    this.timeZone = 'UTC';
    this.reason = null;
    this.opened = new Set();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('rows')) this.opened = new Set();
  }

  private fire<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private filter(reason: string | null): void {
    this.reason = reason === this.reason ? null : reason;
    this.fire<QuarantineFilter>('tw-filter', { reason: this.reason });
  }

  private toggle(i: number, open: boolean): void {
    const next = new Set(this.opened);
    if (open) next.add(i);
    else next.delete(i);
    this.opened = next;
  }

  protected override render() {
    if (this.total === 0 && this.rows.length === 0) return html`<p class="empty" data-empty>Nothing quarantined: every message so far was valid.</p>`;
    const rows = this.reason === null ? this.rows : this.rows.filter((r) => r.reason === this.reason);
    // What the shown rows are a page of: all, or the chosen reason's count.
    const of = this.reason === null ? this.total : (this.byReason.find((r) => r.reason === this.reason)?.count ?? rows.length);
    return html`
      <div class="bar">
        <span class="total"><b>${this.total.toLocaleString('en-US')}</b> quarantined${rows.length < of ? html`<span class="muted">, the newest ${rows.length.toLocaleString('en-US')}${this.reason === null ? '' : ` of ${of.toLocaleString('en-US')} ${this.reason}`} shown</span>` : nothing}</span>
        <button title="Every quarantined message as CSV" @click=${() => this.fire<QuarantineExport>('tw-export', { format: 'csv' })}>Export CSV</button>
        <button title="Every quarantined message, one JSON object a line" @click=${() => this.fire<QuarantineExport>('tw-export', { format: 'jsonl' })}>Export JSONL</button>
      </div>
      ${this.byReason.length > 0
        ? html`<div class="chips" role="group" aria-label="Filter by reason">
            <button aria-pressed=${this.reason === null} @click=${() => this.filter(null)}>all<span class="n">${this.total.toLocaleString('en-US')}</span></button>
            ${this.byReason.map((r) => html`<button aria-pressed=${this.reason === r.reason} @click=${() => this.filter(r.reason)}>${r.reason}<span class="n">${r.count.toLocaleString('en-US')}</span></button>`)}
          </div>`
        : nothing}
      ${rows.length === 0
        ? html`<p class="empty">No rows for this reason in the newest page.</p>`
        : html`<div class="table">
            <table>
              <thead><tr><th>Time</th><th>Topic</th><th>Reason</th><th>Detail</th><th>Payload</th></tr></thead>
              <tbody>${rows.map((r, i) => this.renderRow(r, i))}</tbody>
            </table>
          </div>`}
    `;
  }

  private renderRow(r: QuarantineRow, i: number) {
    const when = r.ts ?? r.received;
    const long = r.payload.length > PAYLOAD_PREVIEW;
    return html`<tr>
      <td class="when">${when === null ? html`<span class="muted">—</span>` : html`<span class="nowrap">${formatInstant(when, this.timeZone, true)}</span>`}${r.ts === null && r.received !== null ? html` <span class="muted" title="The message had no readable time: this is when it arrived">(received)</span>` : nothing}</td>
      <td class="topic">${topicBreaks(r.topic)}</td>
      <td class="reason">${r.reason}</td>
      <td class="detail">${r.detail}</td>
      <td class="payload">
        ${long
          ? html`<details @toggle=${(e: Event) => this.toggle(i, (e.target as HTMLDetailsElement).open)}>
              <summary title="Show the whole payload">${r.payload.slice(0, PAYLOAD_PREVIEW)}…</summary>
              ${this.opened.has(i) ? html`<pre>${pretty(r.payload)}</pre>` : nothing}
            </details>`
          : r.payload}
      </td>
    </tr>`;
  }
}

/** The topic with break chances after each '/', so a long one wraps between levels, not mid-word. */
function topicBreaks(topic: string) {
  const levels = topic.split('/');
  return levels.map((l, i) => (i < levels.length - 1 ? html`${l}/<wbr />` : l));
}

/** JSON indented for reading; anything else as it came. */
function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

customElements.define('tw-quarantine-panel', TwQuarantinePanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-quarantine-panel': TwQuarantinePanel;
  }
  interface HTMLElementEventMap {
    'tw-filter': CustomEvent<QuarantineFilter>;
    'tw-export': CustomEvent<QuarantineExport>;
  }
}
