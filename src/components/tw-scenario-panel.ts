/**
 * Runs a shipped scenario on the open layout with no broker: the simulation runs in a web
 * worker and its messages flow, one batch a frame, through the same pipeline as a
 * recording or the live broker (Ingest). Shows progress, simulated time, totals and the
 * quarantine; can be stopped. Slot fill levels go to the 3D view through `onFills`, and each
 * batch's accepted events and quarantine entries to the event store through `onEvents`.
 */
import { css, html, LitElement, nothing } from 'lit';
import type { QuarantineEntry, TwinEvent } from '../contract/messages';
import { Ingest } from '../ingest/Ingest';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { ScenarioSource } from '../sources/ScenarioSource';
import type { SlotState, TwinState } from '../twin/TwinState';
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
  static override properties = { index: { attribute: false }, layoutText: { attribute: false }, status: { state: true } };

  static override styles = css`
    :host { display: block; }
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
  declare private status: RunStatus;
  /** Called after each batch with the slots whose fill changed: slot id to fraction (NaN = unknown). */
  onFills: (fills: Map<string, number>) => void = () => {};
  /** Called after each batch with the layout the run reads against, and the events it accepted and messages it quarantined, in arrival order. */
  onEvents: (layout: LayoutIndex, events: TwinEvent[], quarantine: QuarantineEntry[]) => void = () => {};
  private readonly source = new ScenarioSource();
  private ingest: Ingest | undefined;
  private shown: TwinState | undefined;

  constructor() {
    super();
    this.index = undefined;
    this.layoutText = undefined;
    this.status = { running: false, progress: 0, messages: 0, quarantined: 0, simTime: null };
  }

  /** The current run's status (tests and the status bar read it). */
  runStatus(): RunStatus {
    return this.status;
  }

  /** The twin the run is feeding, if any. */
  twin(): TwinState | undefined {
    return this.ingest?.twin.state;
  }

  async run(scenarioId: string, days: number): Promise<void> {
    const chosen = SHIPPED_SCENARIOS.find((s) => s.id === scenarioId);
    if (!chosen || !this.index || !this.layoutText) return;
    let accepted: TwinEvent[] = [];
    const ingest = new Ingest(this.index, { onEvent: (e) => accepted.push(e) });
    this.ingest = ingest;
    this.shown = undefined;
    this.status = { running: true, progress: 0, messages: 0, quarantined: 0, simTime: null };
    let lineNo = 0;
    let quarantineSent = 0;
    try {
      await this.source.run(this.layoutText, chosen.text, (b) => {
        for (const line of b.lines) ingest.pushLine(line, ++lineNo, b.simTime);
        const entries = ingest.quarantine.entries;
        this.onEvents(ingest.layout, accepted, entries.slice(quarantineSent));
        accepted = [];
        quarantineSent = entries.length;
        const t = ingest.totals();
        this.status = { running: true, progress: b.progress, messages: t.messages, quarantined: t.quarantined, simTime: b.simTime };
        this.pushFills();
      }, { days });
      this.status = { ...this.status, running: false };
    } catch (e) {
      this.status = { ...this.status, running: false, error: (e as Error).message };
    }
  }

  stop(): void {
    this.source.stop();
  }

  private pushFills(): void {
    const state = this.ingest!.twin.state;
    const before = this.shown?.slots;
    const fills = new Map<string, number>();
    for (const [id, s] of state.slots) if (!before || before.get(id) !== s) fills.set(id, fillOf(s));
    this.shown = state;
    if (fills.size) this.onFills(fills);
  }

  private readonly onRun = (): void => {
    const select = this.renderRoot.querySelector('select')!;
    const days = Number((this.renderRoot.querySelector('input') as HTMLInputElement).value) || 1;
    void this.run(select.value, Math.max(1, Math.min(60, Math.round(days))));
  };

  protected override render() {
    const s = this.status;
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

/** How full a slot is, 0 to 1, from the load cell's units; NaN before any reading. */
export function fillOf(s: SlotState): number {
  return s.units === null ? NaN : Math.min(1, s.units / s.capacity);
}

customElements.define('tw-scenario-panel', TwScenarioPanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-scenario-panel': TwScenarioPanel;
  }
}
