/**
 * The Plan tab's placement planner: a budget (and what may be added, what stays, which zones
 * stay free) in, a plan out, worked out in a worker with its progress shown and Cancel at
 * hand. Each chosen device says why ("new-cam-1 adds 29 % of high-value slot faces at >= 120
 * px/m"); a device can be locked for the next plan; plans asked for in this session are set
 * side by side with today's layout. "Show in the 3D view" adds the plan's cameras to the
 * edited cameras as one edit (Ctrl+Z takes them out), so the heat map and the totals show
 * what the plan sees; the plan and the planned layout download as files.
 */
import { css, html, LitElement, nothing } from 'lit';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { DeviceKind } from '../planning/objective';
import type { PlanProgress } from '../planning/planPlacement';
import type { CameraPlan } from './CameraPlan';
import { editedLayoutText, plannedLayoutText } from './editedLayout';
import { planInWorker, type PlanJob } from './plannerClient';
import { comparison, deviceWhere, money, runLabel, type PlanRun } from './placementView';
import './tw-task-progress';

const KINDS: readonly { kind: DeviceKind; label: string }[] = [
  { kind: 'camera', label: 'Cameras' },
  { kind: 'smart_shelf', label: 'Smart shelves' },
  { kind: 'rfid', label: 'RFID readers' },
];

const PHASES: Record<PlanProgress['phase'], string> = { candidates: 'Looking from every candidate mount', choosing: 'Choosing', 'local search': 'Fine-tuning camera poses', done: 'Done' };

export class TwPlacementPanel extends LitElement {
  static override properties = {
    index: { attribute: false },
    layoutText: { attribute: false },
    cameraPlan: { attribute: false },
    runs: { state: true },
    progress: { state: true },
    error: { state: true },
    locked: { state: true },
  };

  static override styles = css`
    :host { display: block; }
    h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 0 0 0.5rem; }
    p { margin: 0.2rem 0; }
    .status { color: var(--tw-muted); }
    form { display: grid; grid-template-columns: auto 1fr; gap: 0.35rem 0.6rem; align-items: center; font-size: 0.9em; }
    form label.k { color: var(--tw-muted); }
    input[type='number'] { font: inherit; color: var(--tw-fg); background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.1rem 0.3rem; width: 8rem; }
    button, select { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.2rem 0.6rem; cursor: pointer; }
    select { background: var(--tw-bg); }
    button.primary { background: var(--tw-accent); color: var(--tw-on-accent); border-color: var(--tw-accent); }
    button:disabled { opacity: 0.5; cursor: default; }
    details { grid-column: span 2; }
    .zones { display: flex; flex-wrap: wrap; gap: 0.2rem 0.8rem; max-height: 8rem; overflow: auto; }
    .row { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; margin: 0.5rem 0; }
    table { border-collapse: collapse; width: 100%; font-size: 0.85em; font-variant-numeric: tabular-nums; margin-top: 0.4rem; }
    th { text-align: right; color: var(--tw-muted); font-weight: 500; padding: 0.15rem 0.3rem; vertical-align: bottom; }
    td { text-align: right; padding: 0.15rem 0.3rem; border-top: 1px solid var(--tw-border); vertical-align: top; }
    th:first-child, td:first-child { text-align: left; }
    ol.devices { margin: 0.3rem 0; padding-left: 1.2rem; font-size: 0.9em; }
    ol.devices li { margin: 0.35rem 0; }
    .why { color: var(--tw-fg); }
    .where { color: var(--tw-muted); font-size: 0.9em; }
    .error { border: 1px solid var(--tw-danger); border-radius: 6px; padding: 0.4rem 0.7rem; background: var(--tw-danger-bg); }
  `;

  declare index: LayoutIndex | undefined;
  declare layoutText: string | undefined;
  /** The cameras as edited in the Plan tab: plans start from them, and "Show in the 3D view" adds to them. */
  declare cameraPlan: CameraPlan | undefined;
  declare private runs: readonly PlanRun[];
  declare private progress: PlanProgress | undefined;
  declare private error: string | undefined;
  /** Candidate ids the next plan must keep (ticked in the last plan's list). */
  declare private locked: ReadonlySet<string>;
  private job: PlanJob | undefined;
  private forIndex: LayoutIndex | undefined;

  constructor() {
    super();
    this.index = undefined;
    this.layoutText = undefined;
    this.cameraPlan = undefined;
    this.runs = [];
    this.progress = undefined;
    this.error = undefined;
    this.locked = new Set();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.job?.cancel();
  }

  protected override willUpdate(): void {
    // Another layout: plans of the last one no longer apply.
    if (this.index !== this.forIndex) {
      this.forIndex = this.index;
      this.job?.cancel();
      this.runs = [];
      this.locked = new Set();
      this.error = undefined;
      this.progress = undefined;
    }
  }

  /** The plans asked for so far (for tests and the page handle). */
  get plans(): readonly PlanRun[] {
    return this.runs;
  }

  private async run(form: HTMLFormElement): Promise<void> {
    const plan = this.cameraPlan;
    if (!plan || this.layoutText === undefined) return;
    const data = new FormData(form);
    const budget = Number(data.get('budget'));
    if (!Number.isFinite(budget) || budget < 0) {
      this.error = 'The budget is an amount of money, 0 or more.';
      return;
    }
    const kinds = KINDS.map((k) => k.kind).filter((k) => data.get(`kind-${k}`) === 'on');
    if (!kinds.length) {
      this.error = 'Choose at least one kind of device to add.';
      return;
    }
    this.error = undefined;
    this.job?.cancel();
    const index = this.index;
    const job = planInWorker(
      {
        layoutText: editedLayoutText(this.layoutText, plan.cameraList, plan.shelfList),
        budget,
        standard: plan.standard,
        existing: data.get('existing') === 'replace' ? 'replace' : 'keep',
        kinds,
        excludeZones: data.getAll('exclude').map(String),
        lock: [...this.locked],
      },
      (p) => (this.progress = p),
    );
    this.job = job;
    this.progress = { phase: 'candidates', done: 0, total: 1 };
    try {
      const answer = await job.answer;
      if (this.job !== job || this.index !== index) return;
      const made = { label: runLabel(this.runs.length + 1, answer.plan), plan: answer.plan };
      this.runs = [...this.runs, made].slice(-3);
      this.locked = new Set();
      // The ROI tab works out whether the latest plan pays.
      this.dispatchEvent(new CustomEvent('tw-plan-made', { detail: made, bubbles: true, composed: true }));
    } catch (e) {
      if (this.job === job) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (this.job === job) {
        this.job = undefined;
        this.progress = undefined;
      }
    }
  }

  private cancel(): void {
    this.job?.cancel();
  }

  private show(run: PlanRun): void {
    const cams = run.plan.devices.flatMap((d) => (d.camera ? [d.camera] : []));
    this.cameraPlan?.addCameras(cams, `${run.label}: ${cams.length} cameras`);
  }

  private download(name: string, text: string): void {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private downloadLayout(run: PlanRun): void {
    const plan = this.cameraPlan;
    if (!plan || this.layoutText === undefined) return;
    const cams = [...plan.cameraList, ...run.plan.devices.flatMap((d) => (d.camera && !plan.camera(d.id) ? [d.camera] : []))];
    const readers = run.plan.devices.flatMap((d) => (d.kind === 'rfid' && d.zone ? [{ id: d.id, zone: d.zone }] : []));
    this.download(`${run.plan.store}-planned.layout.json`, plannedLayoutText(this.layoutText, cams, readers, plan.shelfList));
  }

  private toggleLock(candidate: string, on: boolean): void {
    const next = new Set(this.locked);
    if (on) next.add(candidate);
    else next.delete(candidate);
    this.locked = next;
  }

  protected override render() {
    if (!this.index || !this.cameraPlan) return nothing;
    const busy = this.job !== undefined;
    const last = this.runs.at(-1);
    return html`
      <section>
        <h2>Where should the next devices go?</h2>
        <form data-placement-form @submit=${(e: Event) => {
          e.preventDefault();
          void this.run(e.target as HTMLFormElement);
        }}>
          <label class="k" for="pl-budget">Budget</label>
          <span><input id="pl-budget" name="budget" type="number" min="0" step="100" value="5000" /> ${last?.plan.currency ?? 'USD'}</span>
          <span class="k">Add</span>
          <span>${KINDS.map((k) => html`<label><input type="checkbox" name="kind-${k.kind}" ?checked=${k.kind !== 'smart_shelf'} /> ${k.label}</label> `)}</span>
          <label class="k" for="pl-existing">Today's devices</label>
          <select id="pl-existing" name="existing">
            <option value="keep" selected>stay (free); the plan adds to them</option>
            <option value="replace">plan from scratch; they are candidates</option>
          </select>
          <details>
            <summary>Keep zones free of new devices</summary>
            <div class="zones">${this.index.layout.zones.map((z) => html`<label><input type="checkbox" name="exclude" value=${z.id} /> ${z.id}</label>`)}</div>
          </details>
          <span></span>
          <span class="row">
            <button class="primary" type="submit" ?disabled=${busy} data-action="plan">Plan</button>
            ${this.locked.size ? html`<span class="status">${this.locked.size} locked from the last plan</span>` : nothing}
          </span>
        </form>
        ${this.progress
          ? html`<tw-task-progress .tasks=${[{ id: 'plan', label: PHASES[this.progress.phase], progress: this.progress.total ? this.progress.done / this.progress.total : null, cancellable: true }]}
              @tw-cancel=${() => this.cancel()}></tw-task-progress>`
          : nothing}
        ${this.error ? html`<p class="error" role="alert" data-placement-error>${this.error}</p>` : nothing}
        <p class="status">Candidates: camera mounts every 3 m on the walls and 4 m on the ceiling, shelves not yet smart, zones with no RFID reader. Greedy choice (lazy, by gain per cost), then each camera's pose fine-tuned.</p>
      </section>
      ${last ? this.renderPlan(last) : nothing}
      ${this.runs.length ? this.renderComparison() : nothing}
    `;
  }

  private renderPlan(run: PlanRun) {
    const p = run.plan;
    return html`<section data-placement-plan>
      <h2>${run.label}</h2>
      <p data-placement-headline>${p.devices.length} device${p.devices.length === 1 ? '' : 's'} for ${money(p.currency, p.spent)} of ${money(p.currency, p.budget)}; the objective goes from ${p.objective.before} to ${p.objective.after} (${p.objective.ceiling} with every candidate).</p>
      <ol class="devices">
        ${p.devices.map((d) => html`<li data-device=${d.id}>
          <div class="why">${d.explanation}</div>
          <div class="where">${d.kind.replace('_', ' ')} · ${deviceWhere(d)} · ${money(p.currency, d.cost)} · ${Math.round(d.share * 100)} % of the gain
            <label title="Keep this device in the next plan"><input type="checkbox" .checked=${this.locked.has(d.candidate)} @change=${(e: Event) => this.toggleLock(d.candidate, (e.target as HTMLInputElement).checked)} /> lock</label></div>
        </li>`)}
      </ol>
      <div class="row">
        <button data-action="show-plan" ?disabled=${!p.devices.some((d) => d.camera)} title="Add the plan's cameras to the view (Ctrl+Z takes them out)" @click=${() => this.show(run)}>Show in the 3D view</button>
        <button data-action="download-plan" @click=${() => this.download(`${p.store}-plan.json`, `${JSON.stringify(p, null, 2)}\n`)}>Download plan</button>
        <button data-action="download-planned-layout" @click=${() => this.downloadLayout(run)}>Download planned layout</button>
      </div>
    </section>`;
  }

  private renderComparison() {
    const { head, rows } = comparison(this.runs);
    return html`<section data-placement-compare>
      <h2>Today and the plans</h2>
      <table>
        <thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead>
        <tbody>${rows.map((r) => html`<tr><td>${r.label}</td>${r.cells.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody>
      </table>
    </section>`;
  }
}

customElements.define('tw-placement-panel', TwPlacementPanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-placement-panel': TwPlacementPanel;
  }
}
