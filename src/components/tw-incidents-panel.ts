/**
 * The Incidents tab: what the rules found, filtered (status, kind, severity), the ones that
 * still need a person first. Selecting one fires `tw-incident-select` (the shell moves the 3D
 * view to the place and the timeline to the time) and shows its evidence, the workflow
 * (acknowledge; resolve with an outcome and a note; reopen) and its chain of custody, with
 * the case file to export. A pure view: it fires events and the shell saves.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import type { Incident, Outcome, RuleKind, Severity } from '../rules/Incident';
import { DEFAULT_FILTER, filterIncidents, KIND_WORDS, OUTCOME_WORDS, placeText, statusCounts, type IncidentFilter } from './incidentList';
import { formatInstant } from './timelineModel';

export interface IncidentActionRequest {
  readonly id: string;
  readonly action: 'acknowledge' | 'resolve' | 'reopen';
  readonly outcome?: Outcome;
  readonly note?: string;
}

export class TwIncidentsPanel extends LitElement {
  static override properties = {
    incidents: { attribute: false },
    selected: { attribute: false },
    custody: { attribute: false },
    timeZone: { attribute: false },
    filter: { state: true },
  };

  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 0.6rem; font-size: 0.9rem; }
    h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 0; }
    .filters { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: center; }
    .chip { border-radius: 999px; padding: 0.1rem 0.55rem; font-size: 0.85em; }
    .chip[aria-pressed='true'] { background: var(--tw-accent); color: var(--tw-on-accent); border-color: var(--tw-accent); }
    select, textarea { font: inherit; color: var(--tw-fg); background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.15rem 0.3rem; }
    button { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.15rem 0.6rem; cursor: pointer; }
    button.primary { background: var(--tw-accent); color: var(--tw-on-accent); border-color: var(--tw-accent); font-weight: 600; }
    ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.25rem; }
    li button.row { width: 100%; text-align: left; display: grid; grid-template-columns: auto 1fr auto; gap: 0.1rem 0.5rem; padding: 0.35rem 0.5rem; border-radius: 6px; }
    li button.row[aria-current='true'] { border-color: var(--tw-accent); background: color-mix(in srgb, var(--tw-accent) 12%, transparent); }
    .dot { width: 0.6rem; height: 0.6rem; border-radius: 50%; margin-top: 0.35rem; grid-row: span 2; }
    .dot[data-severity='critical'] { background: var(--tw-danger); }
    .dot[data-severity='warning'] { background: var(--tw-warning, #c98a12); }
    .dot[data-severity='info'] { background: var(--tw-muted); }
    .title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .meta { color: var(--tw-muted); font-size: 0.85em; grid-column: 2 / span 2; }
    .status { font-size: 0.8em; color: var(--tw-muted); }
    .status[data-status='open'] { color: var(--tw-danger); }
    .detail { border-top: 1px solid var(--tw-border); padding-top: 0.6rem; display: grid; gap: 0.6rem; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: 0.2rem 0.8rem; margin: 0; }
    dt { color: var(--tw-muted); }
    dd { margin: 0; }
    .workflow { display: grid; gap: 0.35rem; }
    .workflow .row { display: flex; gap: 0.4rem; flex-wrap: wrap; align-items: center; }
    textarea { width: 100%; box-sizing: border-box; min-height: 3rem; resize: vertical; }
    .empty { color: var(--tw-muted); font-style: italic; }
    ul.alerts { margin: 0; padding-left: 1.1rem; color: var(--tw-muted); font-size: 0.85em; }
    .custody dd div { margin-bottom: 0.15rem; }
    .muted { color: var(--tw-muted); }
  `;

  declare incidents: readonly Incident[];
  /** The id of the incident shown in detail. */
  declare selected: string | null;
  /** The chain of custody of the selected incident, rendered by the shell (it knows the store). */
  declare custody: TemplateResult | typeof nothing;
  declare timeZone: string;
  declare private filter: IncidentFilter;

  constructor() {
    super();
    this.incidents = [];
    this.selected = null;
    this.custody = nothing;
    this.timeZone = 'UTC';
    this.filter = DEFAULT_FILTER;
  }

  private fire<T>(name: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(name, { detail, bubbles: true, composed: true }));
  }

  private act(req: IncidentActionRequest): void {
    this.fire('tw-incident-action', req);
  }

  protected override render() {
    const counts = statusCounts(this.incidents);
    const shown = filterIncidents(this.incidents, this.filter);
    const kinds = [...new Set(this.incidents.map((i) => i.kind))].sort();
    const selected = this.incidents.find((i) => i.id === this.selected);
    const chip = (status: IncidentFilter['status'], label: string) =>
      html`<button class="chip" aria-pressed=${this.filter.status === status} data-filter-status=${status} @click=${() => (this.filter = { ...this.filter, status })}>${label} ${counts[status]}</button>`;
    return html`
      <h2>Incidents</h2>
      <div class="filters">
        ${chip('active', 'To do')}${chip('open', 'Open')}${chip('acknowledged', 'Acknowledged')}${chip('resolved', 'Resolved')}${chip('all', 'All')}
        <select aria-label="Kind" @change=${(e: Event) => (this.filter = { ...this.filter, kind: (e.target as HTMLSelectElement).value as RuleKind | 'all' })}>
          <option value="all">every kind</option>
          ${kinds.map((k) => html`<option value=${k} ?selected=${this.filter.kind === k}>${KIND_WORDS[k]}</option>`)}
        </select>
        <select aria-label="Severity" @change=${(e: Event) => (this.filter = { ...this.filter, severity: (e.target as HTMLSelectElement).value as Severity | 'all' })}>
          <option value="all">any severity</option>
          <option value="critical">critical</option>
          <option value="warning">warning</option>
          <option value="info">info</option>
        </select>
      </div>
      ${this.incidents.length === 0
        ? html`<p class="empty">No incidents: the rules have found nothing worth a person's time in what is stored.</p>`
        : shown.length === 0
          ? html`<p class="empty">None match these filters.</p>`
          : html`<ol>
              ${shown.map(
                (i) => html`<li>
                  <button class="row" data-incident=${i.id} aria-current=${i.id === this.selected} @click=${() => this.fire('tw-incident-select', { id: i.id })}>
                    <span class="dot" data-severity=${i.severity} title=${i.severity}></span>
                    <span class="title">${i.title}</span>
                    <span class="status" data-status=${i.status}>${i.status}</span>
                    <span class="meta">${KIND_WORDS[i.kind]}${i.suspect ? ` · suspected ${OUTCOME_WORDS[i.suspect].toLowerCase()}` : ''} · ${placeText(i.place)} · ${formatInstant(i.from, this.timeZone)}</span>
                  </button>
                </li>`,
              )}
            </ol>`}
      ${selected ? this.renderDetail(selected) : nothing}
    `;
  }

  private renderDetail(i: Incident) {
    const when = (t: number) => formatInstant(t, this.timeZone);
    return html`<section class="detail" data-incident-detail=${i.id}>
      <dl>
        <dt>What</dt><dd>${KIND_WORDS[i.kind]}${i.sku ? html` · ${i.units ?? '?'} × ${i.sku}` : nothing}</dd>
        <dt>Where</dt><dd>${placeText(i.place)}</dd>
        <dt>When</dt><dd>${when(i.from)}${i.to !== i.from ? html` to ${when(i.to)}` : nothing}</dd>
        <dt>Found</dt><dd>${when(i.detectedAt)}</dd>
        <dt>Status</dt><dd>${i.status}${i.outcome ? html` · ${OUTCOME_WORDS[i.outcome]}` : nothing}${i.resolvedAt !== undefined ? html` · resolved in ${duration(i.resolvedAt - i.detectedAt)}` : nothing}${i.note ? html`<br /><em>${i.note}</em>` : nothing}</dd>
      </dl>
      <ul class="alerts">${i.alerts.map((a) => html`<li>${a.text}</li>`)}</ul>
      ${this.renderWorkflow(i)}
      ${this.custody}
      <div class="row">
        <button data-export="json" @click=${() => this.fire('tw-incident-export', { id: i.id, format: 'json' })}>Case file (JSON)</button>
        <button data-export="html" @click=${() => this.fire('tw-incident-export', { id: i.id, format: 'html' })}>Printable case file</button>
      </div>
    </section>`;
  }

  private renderWorkflow(i: Incident) {
    if (i.status === 'resolved') return html`<div class="workflow"><div class="row"><button data-action="reopen" @click=${() => this.act({ id: i.id, action: 'reopen' })}>Reopen</button></div></div>`;
    const note = () => (this.renderRoot.querySelector('textarea[name=note]') as HTMLTextAreaElement | null)?.value.trim() ?? '';
    const outcome = () => (this.renderRoot.querySelector('select[name=outcome]') as HTMLSelectElement).value as Outcome;
    return html`<div class="workflow">
      <textarea name="note" placeholder="A note: what you checked, what you found"></textarea>
      <div class="row">
        ${i.status === 'open' ? html`<button data-action="acknowledge" @click=${() => this.act({ id: i.id, action: 'acknowledge', ...(note() ? { note: note() } : {}) })}>Acknowledge</button>` : nothing}
        <select name="outcome" aria-label="Outcome">
          ${(Object.keys(OUTCOME_WORDS) as Outcome[]).map((o) => html`<option value=${o}>${OUTCOME_WORDS[o]}</option>`)}
        </select>
        <button class="primary" data-action="resolve" @click=${() => this.act({ id: i.id, action: 'resolve', outcome: outcome(), ...(note() ? { note: note() } : {}) })}>Resolve</button>
      </div>
    </div>`;
  }
}

function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 60 ? `${m} min` : m < 48 * 60 ? `${(m / 60).toFixed(1)} h` : `${(m / 1440).toFixed(1)} d`;
}

customElements.define('tw-incidents-panel', TwIncidentsPanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-incidents-panel': TwIncidentsPanel;
  }
}
