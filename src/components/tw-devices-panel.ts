/**
 * The devices: every sensor, camera and reader the twin has heard of, whether it is online
 * (at the time shown), since when, and when it was last heard. Offline ones come first,
 * since they are what someone has to go and look at. Sortable by any column and filtered
 * by kind; a click on a row selects the device (`tw-select`). A pure view.
 */
import { css, html, LitElement, nothing } from 'lit';
import { formatInstant } from './timelineModel';
import type { Ref } from './workbenchUrl';

export interface DeviceRow {
  readonly id: string;
  /** 'scale', 'camera', 'rfid', 'badge', 'door'… */
  readonly kind: string;
  /** Null: never heard, or not known at the time shown. */
  readonly online: boolean | null;
  /** Since when it has been in its present state. */
  readonly since: number | null;
  readonly lastSeen: number | null;
  /** What is wrong with it, in words, when something is. */
  readonly problem?: string;
}

type SortKey = 'status' | 'id' | 'kind' | 'since' | 'lastSeen';

const COLUMNS: readonly { key: SortKey; label: string }[] = [
  { key: 'status', label: 'Status' },
  { key: 'id', label: 'Device' },
  { key: 'kind', label: 'Kind' },
  { key: 'since', label: 'Since' },
  { key: 'lastSeen', label: 'Last seen' },
];

/** Offline first, then unknown, then online. */
const statusRank = (d: DeviceRow) => (d.online === false ? 0 : d.online === null ? 1 : 2);
const statusWord = (d: DeviceRow) => (d.online === false ? 'offline' : d.online === null ? 'unknown' : 'online');

/** Compares by `key`, ties by id; missing times sort last in either direction. */
function compare(key: SortKey, dir: 1 | -1): (a: DeviceRow, b: DeviceRow) => number {
  const byId = (a: DeviceRow, b: DeviceRow) => a.id.localeCompare(b.id, 'en', { numeric: true });
  return (a, b) => {
    let c = 0;
    if (key === 'status') c = statusRank(a) - statusRank(b);
    else if (key === 'id') c = byId(a, b);
    else if (key === 'kind') c = a.kind.localeCompare(b.kind);
    else {
      const x = a[key];
      const y = b[key];
      if (x === null || y === null) return x === y ? byId(a, b) : x === null ? 1 : -1;
      c = x - y;
    }
    return c * dir || byId(a, b);
  };
}

/** "45 s", "12 min", "3 h", "2 d" ago. */
function ago(ms: number): string {
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (ms < 3600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${Math.round(ms / 3600_000)} h`;
  return `${Math.round(ms / 86_400_000)} d`;
}

export class TwDevicesPanel extends LitElement {
  static override properties = {
    devices: { attribute: false },
    at: { attribute: false },
    timeZone: { attribute: false },
    selected: { attribute: false },
    sortKey: { state: true },
    sortDir: { state: true },
    kind: { state: true },
  };

  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 0; background: var(--tw-panel); font-size: 0.85rem; font-variant-numeric: tabular-nums; padding: 0.5rem 0.75rem; box-sizing: border-box; }
    .bar { display: flex; align-items: center; gap: 0.9rem; flex-wrap: wrap; margin-bottom: 0.4rem; }
    .count { color: var(--tw-muted); }
    .count b { color: var(--tw-fg); }
    .count.offline b { color: var(--tw-danger); }
    label { margin-left: auto; color: var(--tw-muted); }
    select { font: inherit; color: var(--tw-fg); background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.1rem 0.3rem; }
    /* contain: the table scrolls inside the panel instead of widening whatever holds the panel. */
    .table { contain: inline-size; overflow: auto; min-height: 0; flex: 1; border: 1px solid var(--tw-border); border-radius: 4px; }
    table { border-collapse: collapse; width: 100%; }
    th, td { padding: 0.2rem 0.5rem; border-bottom: 1px solid var(--tw-border); text-align: left; white-space: nowrap; }
    th { position: sticky; top: 0; background: var(--tw-panel); padding: 0; }
    th button { font: inherit; font-weight: 600; color: var(--tw-muted); background: none; border: none; padding: 0.2rem 0.5rem; width: 100%; text-align: left; cursor: pointer; }
    th[aria-sort] button { color: var(--tw-fg); }
    tbody tr { cursor: pointer; }
    tbody tr:hover, tbody tr:focus-visible { background: color-mix(in srgb, var(--tw-accent) 12%, transparent); outline: none; }
    tbody tr[aria-selected='true'] { background: color-mix(in srgb, var(--tw-accent) 22%, transparent); }
    td.id { font-family: var(--tw-mono); font-size: 0.9em; }
    .dot { display: inline-block; width: 0.55rem; height: 0.55rem; border-radius: 50%; margin-right: 0.35rem; background: var(--tw-muted); }
    [data-status='online'] .dot { background: var(--tw-ok, #2e9d5b); }
    [data-status='offline'] .dot { background: var(--tw-danger); }
    [data-status='offline'] .word { color: var(--tw-danger); font-weight: 600; }
    .muted, .ago { color: var(--tw-muted); }
    .problem { color: var(--tw-warning, #c98a12); white-space: normal; }
    .empty { color: var(--tw-muted); font-style: italic; margin: 0.5rem 0; }
  `;

  declare devices: readonly DeviceRow[];
  /** The time shown ("ago" counts from it); null is live, counting from the newest sighting. */
  declare at: number | null;
  /** The store's IANA time zone. */
  declare timeZone: string;
  /** The selected device's id, highlighted; optional. */
  declare selected: string | null;
  declare private sortKey: SortKey;
  declare private sortDir: 1 | -1;
  /** The kind filtered on; '' shows all. */
  declare private kind: string;

  constructor() {
    super();
    this.devices = [];
    this.at = null;
    this.timeZone = 'UTC';
    this.selected = null;
    this.sortKey = 'status';
    this.sortDir = 1;
    this.kind = '';
  }

  private sortBy(key: SortKey): void {
    if (key === this.sortKey) this.sortDir = this.sortDir === 1 ? -1 : 1;
    else {
      this.sortKey = key;
      // Times read best newest first; names and status from the top.
      this.sortDir = key === 'since' || key === 'lastSeen' ? -1 : 1;
    }
  }

  private pick(id: string): void {
    this.dispatchEvent(new CustomEvent<{ ref: Ref }>('tw-select', { detail: { ref: { kind: 'device', id } }, bubbles: true, composed: true }));
  }

  protected override render() {
    const all = this.devices;
    if (all.length === 0) return html`<p class="empty" data-empty>No devices heard from yet.</p>`;
    const kinds = [...new Set(all.map((d) => d.kind))].sort();
    const shown = (this.kind ? all.filter((d) => d.kind === this.kind) : [...all]).sort(compare(this.sortKey, this.sortDir));
    const n = { online: 0, offline: 0, unknown: 0 };
    for (const d of shown) n[statusWord(d)]++;
    // Without a time shown, "ago" counts from the newest sighting, not the wall clock: a
    // recording from last week would otherwise read "7 d" everywhere.
    const ref = this.at ?? Math.max(...all.map((d) => d.lastSeen ?? -Infinity));
    return html`
      <div class="bar">
        <span class="count offline">offline <b data-count="offline">${n.offline}</b></span>
        <span class="count">online <b data-count="online">${n.online}</b></span>
        <span class="count">unknown <b data-count="unknown">${n.unknown}</b></span>
        ${kinds.length > 1
          ? html`<label>Kind
              <select @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value)}>
                <option value="" ?selected=${this.kind === ''}>all kinds</option>
                ${kinds.map((k) => html`<option value=${k} ?selected=${this.kind === k}>${k}</option>`)}
              </select>
            </label>`
          : nothing}
      </div>
      <div class="table">
        <table>
          <thead>
            <tr>
              ${COLUMNS.map(
                (c) => html`<th aria-sort=${c.key === this.sortKey ? (this.sortDir === 1 ? 'ascending' : 'descending') : nothing}>
                  <button title="Sort by ${c.label.toLowerCase()}" @click=${() => this.sortBy(c.key)}>${c.label}${c.key === this.sortKey ? (this.sortDir === 1 ? ' ▴' : ' ▾') : ''}</button>
                </th>`,
              )}
              <th><button disabled>Problem</button></th>
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (d) => html`<tr
                data-status=${statusWord(d)}
                tabindex="0"
                aria-selected=${d.id === this.selected}
                @click=${() => this.pick(d.id)}
                @keydown=${(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), this.pick(d.id))}
              >
                <td><span class="dot"></span><span class="word">${statusWord(d)}</span></td>
                <td class="id">${d.id}</td>
                <td>${d.kind}</td>
                <td>${d.since === null ? html`<span class="muted">—</span>` : formatInstant(d.since, this.timeZone)}</td>
                <td>${d.lastSeen === null
                  ? html`<span class="muted">never</span>`
                  : html`${formatInstant(d.lastSeen, this.timeZone, true)}${Number.isFinite(ref) ? html` <span class="ago">(${ago(ref - d.lastSeen)} ago)</span>` : nothing}`}</td>
                <td class="problem">${d.problem ?? ''}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }
}

customElements.define('tw-devices-panel', TwDevicesPanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-devices-panel': TwDevicesPanel;
  }
}
