/**
 * The side panel's Layout tab: the open layout's counts and where it came from, "Open
 * layout…", a refused file's problems (path: reason; the open layout stays), where the event
 * store keeps its rows, and the legend of zone kinds. Opening a file fires `tw-layout-file`
 * with its text and name; the shell decides.
 */
import { css, html, LitElement, nothing } from 'lit';
import type { EventStoreStatus } from '../analytics/BrowserEventStore';
import type { LayoutProblem } from '../layout/Layout';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { cssHex, ZONE_COLORS } from '../render/palette';
import { layoutCounts } from './layoutCounts';

/** A file (or the startup layout) that could not be opened, and why. */
export interface Refusal {
  readonly source: string;
  readonly problems: readonly LayoutProblem[];
}

export class TwLayoutPanel extends LitElement {
  static override properties = {
    index: { attribute: false },
    source: { attribute: false },
    refusal: { attribute: false },
    loading: { attribute: false },
    storeStatus: { attribute: false },
    rulesSource: { attribute: false },
    modelSource: { attribute: false },
  };

  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 1.25rem; }
    h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 0 0 0.5rem; }
    dl { display: grid; grid-template-columns: 1fr auto; gap: 0.2rem 1rem; margin: 0; }
    dt { color: var(--tw-muted); }
    dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
    .source { color: var(--tw-muted); font-size: 0.85em; margin: 0.5rem 0 0; word-break: break-all; }
    .open { display: inline-block; padding: 0.45rem 0.9rem; border-radius: 6px; background: var(--tw-accent); color: var(--tw-on-accent); font-weight: 600; cursor: pointer; text-align: center; }
    .open:focus-within { outline: 2px solid var(--tw-fg); outline-offset: 2px; }
    .open input { position: absolute; width: 1px; height: 1px; opacity: 0; }
    .open.secondary { background: none; color: var(--tw-fg); border: 1px solid var(--tw-border); padding: 0.3rem 0.8rem; font-weight: 500; }
    .problems { border: 1px solid var(--tw-danger); border-radius: 6px; padding: 0.75rem; background: var(--tw-danger-bg); }
    .problems h2 { color: var(--tw-danger); text-transform: none; letter-spacing: 0; font-size: 0.95rem; }
    .problems ol { margin: 0.5rem 0; padding-left: 1.25rem; max-height: 40vh; overflow: auto; }
    .problems li { margin: 0.25rem 0; }
    .problems code { font-family: var(--tw-mono); font-size: 0.9em; }
    .problems p { margin: 0; color: var(--tw-muted); }
    button { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.2rem 0.6rem; cursor: pointer; }
    .legend ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.25rem; }
    .swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; margin-right: 0.5em; vertical-align: -0.1em; }
    .status { color: var(--tw-muted); }
    .event-store { color: var(--tw-muted); font-size: 0.85em; margin: 0; }
    .event-store .problem { color: var(--tw-danger); display: block; }
  `;

  declare index: LayoutIndex | undefined;
  /** Where the open layout came from (a path, URL or file name). */
  declare source: string;
  declare refusal: Refusal | undefined;
  declare loading: boolean;
  declare storeStatus: EventStoreStatus | undefined;
  /** Where the rules in force came from: a file name, or undefined for the shipped ones. */
  declare rulesSource: string | undefined;
  /** The shelf CNN's files when the user chose their own, or undefined for the shipped model. */
  declare modelSource: string | undefined;

  constructor() {
    super();
    this.index = undefined;
    this.source = '';
    this.refusal = undefined;
    this.loading = false;
    this.storeStatus = undefined;
    this.rulesSource = undefined;
    this.modelSource = undefined;
  }

  private readonly onModelFiles = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) this.dispatchEvent(new CustomEvent<File[]>('tw-model-files', { detail: files, bubbles: true, composed: true }));
  };

  private readonly onRulesFile = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const text = await file.text();
    this.dispatchEvent(new CustomEvent('tw-rules-file', { detail: { text, name: file.name }, bubbles: true, composed: true }));
  };

  private readonly onFile = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so choosing the same file again (after fixing it) fires `change` again.
    input.value = '';
    if (!file) return;
    const text = await file.text();
    this.dispatchEvent(new CustomEvent('tw-layout-file', { detail: { text, name: file.name }, bubbles: true, composed: true }));
  };

  protected override render() {
    const layout = this.index?.layout;
    return html`
      ${this.renderRefusal()}
      <section class="counts">
        <h2>Layout</h2>
        ${layout
          ? html`<dl>${layoutCounts(layout).map((c) => html`<dt>${c.label}</dt><dd data-count=${c.label}>${c.count}</dd>`)}</dl>
              <p class="source">from ${this.source}</p>`
          : html`<p class="status">${this.loading ? 'Loading…' : 'Open a layout file to begin.'}</p>`}
      </section>
      <label class="open">Open layout…<input type="file" name="layout" accept=".json,application/json" @change=${this.onFile} /></label>
      ${this.storeStatus && layout ? this.renderEventStore(this.storeStatus) : nothing}
      <section class="rules">
        <h2>Rules</h2>
        <p class="source" data-rules-source>${this.rulesSource ? `from ${this.rulesSource}` : 'the shipped defaults (scenarios/rules/default.rules.json)'}; the next source run uses them.</p>
        <label class="open secondary">Open rules file…<input type="file" name="rules" accept=".json,application/json" @change=${this.onRulesFile} /></label>
        ${this.rulesSource ? html` <button @click=${() => this.dispatchEvent(new CustomEvent('tw-rules-default', { bubbles: true, composed: true }))}>Use the defaults</button>` : nothing}
      </section>
      <section class="model">
        <h2>Shelf CNN</h2>
        <p class="source" data-model-source>${this.modelSource ? `your model: ${this.modelSource}` : 'the shipped model (models/shelf-cnn)'}; it judges the camera frames from the next frame on.</p>
        <label class="open secondary" title="Pick model.json, its weight files and, if its outputs differ from the shipped model's, a class map (classes.json)">Open model files…<input type="file" name="model" multiple accept=".json,.bin,application/json,application/octet-stream" @change=${this.onModelFiles} /></label>
        ${this.modelSource ? html` <button @click=${() => this.dispatchEvent(new CustomEvent('tw-model-default', { bubbles: true, composed: true }))}>Use the shipped model</button>` : nothing}
      </section>
      ${layout ? this.renderLegend(layout.zones.map((z) => z.kind)) : nothing}
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
        <p>${this.index ? 'What was open stays open: the layout, and the rules in force.' : 'No layout is open.'}</p>
        <button @click=${() => this.dispatchEvent(new CustomEvent('tw-dismiss-refusal', { bubbles: true, composed: true }))}>Dismiss</button>
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

customElements.define('tw-layout-panel', TwLayoutPanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-layout-panel': TwLayoutPanel;
  }
}
