/**
 * Runs a shipped scenario on the open layout with no broker: the simulation and the ingest
 * run in a web worker (ScenarioSource), and its batches flow, one a frame, through the page's
 * one listener (ActiveSource) to the twin, the 3D view and the event store, as a recording's
 * or a live broker's do. Shows progress, simulated time, totals and the quarantine; can be
 * stopped.
 */
import { css, html, LitElement, nothing } from 'lit';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Rules } from '../rules/Rules';
import type { ActiveSource, SourceView } from '../sources/ActiveSource';
import { ScenarioSource } from '../sources/ScenarioSource';
import type { TwinState } from '../twin/TwinState';
import { SHIPPED_SCENARIOS } from './shippedScenarios';

export interface RunStatus {
  readonly running: boolean;
  readonly progress: number;
  readonly messages: number;
  readonly quarantined: number;
  readonly simTime: number | null;
  readonly error?: string;
}

export class TwScenarioPanel extends LitElement {
  static override properties = { rules: { attribute: false }, index: { attribute: false }, layoutText: { attribute: false }, feed: { attribute: false }, view: { attribute: false } };

  static override styles = css`
    :host { display: block; }
    :host([hidden]) { display: none; }
    h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 0 0 0.5rem; }
    label { display: block; margin: 0.35rem 0; color: var(--tw-muted); }
    select, input { font: inherit; color: var(--tw-fg); background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.2rem 0.3rem; }
    select { width: 100%; }
    input { width: 4rem; }
    .row { display: flex; gap: 0.5rem; align-items: center; margin-top: 0.5rem; }
    button { font: inherit; font-weight: 600; padding: 0.35rem 0.9rem; border-radius: 6px; border: 1px solid var(--tw-border); cursor: pointer; background: var(--tw-accent); color: var(--tw-on-accent); }
    button.stop { background: none; color: var(--tw-fg); }
    progress { width: 100%; }
    dl { display: grid; grid-template-columns: 1fr auto; gap: 0.1rem 1rem; margin: 0.5rem 0 0; }
    dt { color: var(--tw-muted); }
    dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
    .error { color: var(--tw-danger); }
    .hint { color: var(--tw-muted); font-size: 0.85em; margin: 0.3rem 0 0; }
  `;

  declare index: LayoutIndex | undefined;
  declare layoutText: string | undefined;
  /** The rules a source run from here evaluates (the shipped ones when undefined). */
  declare rules: Rules | undefined;
  /** The page's one listener, which plays the run. */
  declare feed: ActiveSource | undefined;
  /** The active source's view, passed down so this re-renders as it changes. */
  declare view: SourceView | undefined;
  /** The run this panel started last, and the last view of it (kept once another source takes over). */
  private source: ScenarioSource | undefined;
  private lastView: SourceView | undefined;

  constructor() {
    super();
    this.index = undefined;
    this.layoutText = undefined;
    this.rules = undefined;
    this.feed = undefined;
    this.view = undefined;
  }

  /** The current run's status (tests read it). */
  runStatus(): RunStatus {
    const v = this.ownView();
    if (!v) return { running: false, progress: 0, messages: 0, quarantined: 0, simTime: null };
    return {
      running: v.running,
      progress: v.status.progress ?? 0,
      messages: v.totals?.messages ?? 0,
      quarantined: v.totals?.quarantined ?? 0,
      simTime: v.status.clock ?? null,
      ...(v.error ? { error: v.error } : {}),
    };
  }

  /** The twin the run is feeding, while it is the active source. */
  twin(): TwinState | undefined {
    return this.source && this.feed?.source === this.source ? this.feed.twin : undefined;
  }

  async run(scenarioId: string, days: number): Promise<void> {
    const chosen = SHIPPED_SCENARIOS.find((s) => s.id === scenarioId);
    if (!chosen || !this.index || !this.layoutText || !this.feed) return;
    const source = new ScenarioSource({ layoutText: this.layoutText, ...(this.rules ? { pump: { rules: this.rules } } : {}), scenarioText: chosen.text, days }, chosen.name);
    this.source = source;
    this.lastView = undefined;
    await this.feed.play(source, this.index);
  }

  /** Runs a shipped scenario named by id (as in an address's `source=scenario:ID`); false when none has that id. */
  async runByName(id: string, days: number): Promise<boolean> {
    if (!SHIPPED_SCENARIOS.some((s) => s.id === id)) return false;
    const select = this.renderRoot.querySelector('select');
    if (select) select.value = id;
    void this.run(id, days);
    return true;
  }

  stop(): void {
    if (this.source && this.feed?.source === this.source) void this.feed.stop();
  }

  private ownView(): SourceView | undefined {
    if (this.source && this.feed?.source === this.source && this.feed.view) this.lastView = this.feed.view;
    return this.lastView;
  }

  private readonly onRun = (): void => {
    const select = this.renderRoot.querySelector('select')!;
    const days = Number((this.renderRoot.querySelector('input') as HTMLInputElement).value) || 1;
    void this.run(select.value, Math.max(1, Math.min(60, Math.round(days))));
  };

  protected override render() {
    const s = this.runStatus();
    return html`
      <h2>Run a scenario</h2>
      <label>Scenario
        <select ?disabled=${s.running}>
          ${SHIPPED_SCENARIOS.map((x) => html`<option value=${x.id}>${x.name}</option>`)}
        </select>
      </label>
      <div class="row">
        <label>Days <input type="number" min="1" max="60" value="1" ?disabled=${s.running} /></label>
        ${s.running
          ? html`<button class="stop" @click=${() => this.stop()}>Stop</button>`
          : html`<button @click=${this.onRun} ?disabled=${!this.index}>Run</button>`}
      </div>
      <p class="hint">Runs in the browser on the open layout, no broker needed.</p>
      ${s.running || s.messages ? this.renderProgress(s) : nothing}
      ${s.error ? html`<p class="error" role="alert">${s.error}</p>` : nothing}
    `;
  }

  private renderProgress(s: RunStatus) {
    return html`
      <progress max="1" .value=${s.progress}></progress>
      <dl>
        <dt>Simulated time</dt><dd data-run="simTime">${s.simTime === null ? '—' : new Date(s.simTime).toISOString().slice(0, 16).replace('T', ' ')} UTC</dd>
        <dt>Messages</dt><dd data-run="messages">${s.messages.toLocaleString('en-US')}</dd>
        <dt>Quarantined</dt><dd data-run="quarantined">${s.quarantined.toLocaleString('en-US')}</dd>
      </dl>
    `;
  }
}

customElements.define('tw-scenario-panel', TwScenarioPanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-scenario-panel': TwScenarioPanel;
  }
}
