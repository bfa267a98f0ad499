/**
 * The side panel's tab bar: one button a tab, a small count beside a tab that has news
 * (quarantined messages, devices offline). Fires `tw-tab` with the tab chosen; arrow keys move
 * between tabs, as in any tab list.
 */
import { css, html, LitElement, nothing } from 'lit';
import type { SideTab } from './workbenchUrl';

const LABELS: Record<SideTab, string> = { source: 'Source', inspector: 'Inspector', incidents: 'Incidents', devices: 'Devices', quarantine: 'Quarantine', layout: 'Layout', plan: 'Plan', roi: 'ROI' };

export class TwSideTabs extends LitElement {
  static override properties = { tabs: { attribute: false }, active: { attribute: false }, badges: { attribute: false } };

  static override styles = css`
    :host { display: flex; border-bottom: 1px solid var(--tw-border); flex: none; }
    button { font: inherit; font-size: 0.8rem; color: var(--tw-muted); background: none; border: none; border-bottom: 2px solid transparent; padding: 0.5rem 0.4rem; cursor: pointer; white-space: nowrap; }
    button[aria-selected='true'] { color: var(--tw-fg); border-bottom-color: var(--tw-accent); font-weight: 600; }
    button:focus-visible { outline: 2px solid var(--tw-accent); outline-offset: -2px; }
    .badge { margin-left: 0.3em; padding: 0 0.35em; border-radius: 999px; background: var(--tw-danger-bg); color: var(--tw-danger); font-size: 0.8em; font-variant-numeric: tabular-nums; }
  `;

  declare tabs: readonly SideTab[];
  declare active: SideTab;
  declare badges: Partial<Record<SideTab, string>>;

  constructor() {
    super();
    this.tabs = [];
    this.active = 'source';
    this.badges = {};
  }

  private choose(tab: SideTab): void {
    this.dispatchEvent(new CustomEvent<SideTab>('tw-tab', { detail: tab, bubbles: true, composed: true }));
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const i = this.tabs.indexOf(this.active);
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!d || i < 0) return;
    e.preventDefault();
    e.stopPropagation();
    const next = this.tabs[(i + d + this.tabs.length) % this.tabs.length]!;
    this.choose(next);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`[data-tab=${next}]`)?.focus());
  };

  protected override render() {
    return html`<div role="tablist" aria-label="Side panel" @keydown=${this.onKey} style="display:flex;flex-wrap:wrap">
      ${this.tabs.map(
        (t) => html`<button role="tab" data-tab=${t} aria-selected=${t === this.active} tabindex=${t === this.active ? 0 : -1} @click=${() => this.choose(t)}>
          ${LABELS[t]}${this.badges[t] ? html`<span class="badge">${this.badges[t]}</span>` : nothing}
        </button>`,
      )}
    </div>`;
  }
}

customElements.define('tw-side-tabs', TwSideTabs);

declare global {
  interface HTMLElementTagNameMap {
    'tw-side-tabs': TwSideTabs;
  }
}
