/**
 * The ROI tab: does the pilot pay, and how sure is that? The devices come from the latest
 * plan made in the Plan tab, a plan file (`twin place`), or today's layout bought new; the
 * assumptions are a form (each with its unit, range and source) that recomputes on every
 * edit; the answer is a few sentences, a tornado, a Monte Carlo band and the spread between
 * stores. Assumptions open from and save to a file (a bad one: every problem listed), and
 * the whole answer prints as a standalone report (or downloads as HTML).
 *
 * The assumptions form is tw-roi-assumptions. The work (roiReport: ~30 ms with 2,000 draws)
 * runs once a frame at most, after the edits of that frame, and only while the tab is shown.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Problem } from '../core/fields';
import { parseJsonText, Problems } from '../core/fields';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { DEFAULT_ASSUMPTIONS, parseAssumptions, withMeasuredResolution, type Assumptions } from '../roi/assumptions';

/** Resolved incidents from which their median time replaces the assumed minutes per incident. */
const MEASURED_FROM = 5;
import { basisOfLayout, basisOfPlan, measuredCut, readPilotResult, readPlanFile, withDetection, type PlanForRoi, type RoiBasis } from '../roi/roiBasis';
import type { Detection } from '../roi/roiModel';
import { MAX_STORES, money, months, roiReport, type RoiReport } from '../roi/roiReport';
import { bandPlot, tornadoPlot } from './roiCharts';
import { roiReportHtml } from './roiReportHtml';
import './tw-roi-assumptions';

/** A plan the Plan tab made, with the name it has there. */
export interface LatestPlan {
  readonly plan: PlanForRoi;
  readonly label: string;
}

type BasisChoice = 'latest' | 'file' | 'layout';

/** A file that could not be used, and why. */
interface Refusal {
  readonly what: string;
  readonly name: string;
  readonly problems: readonly Problem[];
}

export class TwRoiPanel extends LitElement {
  static override properties = {
    index: { attribute: false },
    latestPlan: { attribute: false },
    resolutionMs: { attribute: false },
    active: { type: Boolean },
    choice: { state: true },
    filePlan: { state: true },
    assumptions: { state: true },
    stores: { state: true },
    detection: { state: true },
    fieldProblems: { state: true },
    refusal: { state: true },
    pilot: { state: true },
    report: { state: true },
    error: { state: true },
  };

  static override styles = css`
    :host { display: block; }
    h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 1rem 0 0.4rem; }
    h2:first-child { margin-top: 0; }
    p { margin: 0.25rem 0; }
    .status, .muted { color: var(--tw-muted); }
    .verdict { font-weight: 600; font-size: 1.02rem; margin: 0.2rem 0 0.4rem; }
    ul.headline { margin: 0; padding-left: 1.1rem; } ul.headline li { margin: 0.25rem 0; }
    .choices { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.9em; }
    .row { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; margin: 0.4rem 0; }
    input[type='number'] { font: inherit; color: var(--tw-fg); background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.1rem 0.3rem; width: 6.5rem; }
    input[aria-invalid='true'] { border-color: var(--tw-danger); }
    button, label.open { font: inherit; font-size: 0.9em; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.2rem 0.6rem; cursor: pointer; }
    button.primary { background: var(--tw-accent); color: var(--tw-on-accent); border-color: var(--tw-accent); }
    label.open input { display: none; }
    table { border-collapse: collapse; width: 100%; font-size: 0.85em; font-variant-numeric: tabular-nums; }
    th { text-align: right; color: var(--tw-muted); font-weight: 500; padding: 0.15rem 0.3rem; }
    td { text-align: right; padding: 0.15rem 0.3rem; border-top: 1px solid var(--tw-border); white-space: nowrap; }
    th:first-child, td:first-child { text-align: left; }
    .chart { min-height: 1px; } .chart :is(svg, figure) { --plot-background: var(--tw-panel); max-width: 100%; margin: 0; }
    .problem { color: var(--tw-danger); font-size: 0.9em; }
    .error { border: 1px solid var(--tw-danger); border-radius: 6px; padding: 0.4rem 0.7rem; background: var(--tw-danger-bg); margin: 0.4rem 0; }
    .error ul { margin: 0.2rem 0; padding-left: 1.1rem; }
  `;

  declare index: LayoutIndex | undefined;
  /** The latest plan made in the Plan tab. */
  declare latestPlan: LatestPlan | undefined;
  /** How long the store's resolved incidents took (ms): once there are enough, minutes per incident is measured, not assumed. */
  declare resolutionMs: readonly number[];
  /** Whether the tab is shown: the work waits until it is. */
  declare active: boolean;
  /** undefined: the latest plan when there is one, else today's layout. */
  declare private choice: BasisChoice | undefined;
  declare private filePlan: LatestPlan | undefined;
  declare assumptions: Assumptions;
  declare private stores: number;
  /** Detection shares the analyst typed in. */
  declare private detection: Partial<Detection>;
  /** Field (`stores`) to why what was typed there is not used. */
  declare private fieldProblems: ReadonlyMap<string, string>;
  declare private refusal: Refusal | undefined;
  /** A pilot's measured cut in shrink (twin pilot --format json), standing for what the devices catch and deter. */
  declare private pilot: { name: string; how: string } | undefined;
  declare report: RoiReport | undefined;
  declare private error: string | undefined;
  private frame = 0;
  private drawn = 0;
  /** The width the charts were drawn for: a resized side panel draws them again. */
  private chartWidth = 0;
  private readonly resize = new ResizeObserver(() => {
    const w = this.renderRoot.querySelector<HTMLElement>('[data-roi-band]')?.clientWidth ?? 0;
    if (w && Math.abs(w - this.chartWidth) > 8) void this.drawCharts();
  });

  constructor() {
    super();
    this.index = undefined;
    this.latestPlan = undefined;
    this.resolutionMs = [];
    this.active = false;
    this.choice = undefined;
    this.filePlan = undefined;
    this.assumptions = DEFAULT_ASSUMPTIONS;
    this.stores = 20;
    this.detection = {};
    this.fieldProblems = new Map();
    this.refusal = undefined;
    this.pilot = undefined;
    this.report = undefined;
    this.error = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** The devices in use: what was chosen, falling back to what there is. */
  private get used(): BasisChoice | undefined {
    const c = this.choice ?? (this.latestPlan ? 'latest' : 'layout');
    if (c === 'latest' && this.latestPlan) return c;
    if (c === 'file' && this.filePlan) return c;
    return this.index ? 'layout' : undefined;
  }

  private basis(): RoiBasis | undefined {
    const u = this.used;
    const b = u === 'latest' ? basisOfPlan(this.latestPlan!.plan, this.latestPlan!.label)
      : u === 'file' ? basisOfPlan(this.filePlan!.plan, this.filePlan!.label)
      : u === 'layout' ? basisOfLayout(this.index!.layout) : undefined;
    const measured = b && this.pilot ? { ...b, detection: { ...b.detection, lossCaught: 0 }, detectionSource: this.pilot.how } : b;
    return measured && withDetection(measured, this.detection);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Measured resolution times replace the assumed minutes per incident, unless the analyst set them.
    const minutes = this.assumptions.minutesPerIncident;
    if (changed.has('resolutionMs') && this.resolutionMs.length >= MEASURED_FROM
      && (minutes === DEFAULT_ASSUMPTIONS.minutesPerIncident || minutes.source.startsWith('measured'))) {
      this.assumptions = withMeasuredResolution(this.assumptions, this.resolutionMs);
    }
    const inputs = ['index', 'latestPlan', 'resolutionMs', 'active', 'choice', 'filePlan', 'assumptions', 'stores', 'detection', 'pilot'] as const;
    if (this.active && inputs.some((k) => changed.has(k as keyof TwRoiPanel)) && !this.frame) {
      // Once a frame: the edits of a frame are worked out together, after the page has drawn them.
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.compute();
      });
    }
  }

  private compute(): void {
    const basis = this.basis();
    if (!basis) {
      this.report = undefined;
      return;
    }
    try {
      this.report = roiReport({ basis, assumptions: this.assumptions, stores: this.stores });
      this.error = undefined;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('report')) void this.drawCharts();
  }

  private async drawCharts(): Promise<void> {
    const r = this.report;
    const turn = ++this.drawn;
    if (!r) return;
    const Plot = await import('@observablehq/plot');
    if (turn !== this.drawn) return;
    const t = this.renderRoot.querySelector<HTMLElement>('[data-roi-tornado]');
    const b = this.renderRoot.querySelector<HTMLElement>('[data-roi-band]');
    const width = Math.max(280, (t ?? b)?.clientWidth || 320);
    this.chartWidth = width;
    t?.replaceChildren(tornadoPlot(r, Plot, width));
    b?.replaceChildren(bandPlot(r, Plot, width));
  }

  private setProblem(field: string, why: string | undefined): void {
    const next = new Map(this.fieldProblems);
    if (why) next.set(field, why);
    else next.delete(field);
    this.fieldProblems = next;
  }

  private editStores(text: string): void {
    const n = Number(text);
    if (!(Number.isInteger(n) && n >= 1 && n <= MAX_STORES)) {
      this.setProblem('stores', `must be a whole number from 1 to ${MAX_STORES}, not ${JSON.stringify(text)} — the answer is for ${this.stores}.`);
      return;
    }
    this.setProblem('stores', undefined);
    this.stores = n;
  }

  private async readFile(event: Event): Promise<{ text: string; name: string } | undefined> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    return file ? { text: await file.text(), name: file.name } : undefined;
  }

  /** Takes an assumptions file; a bad one is listed problem by problem and the assumptions in use stay. */
  openAssumptions(text: string, name: string): boolean {
    const p = new Problems();
    const json = parseJsonText(p, text);
    const r = p.ok ? parseAssumptions(json) : { ok: false as const, problems: p.list };
    if (!r.ok) {
      this.refusal = { what: 'assumptions file', name, problems: r.problems };
      return false;
    }
    this.refusal = undefined;
    this.assumptions = r.assumptions;
    return true;
  }

  private readonly onPlanFile = async (event: Event): Promise<void> => {
    const f = await this.readFile(event);
    if (f) this.openPlan(f.text, f.name);
  };

  private readonly onPilotFile = async (event: Event): Promise<void> => {
    const f = await this.readFile(event);
    if (f) this.openPilot(f.text, f.name);
  };

  /**
   * Takes a pilot's result (twin pilot DIR --format json): its measured cut in shrink becomes
   * the loss the devices take away (roiBasis.ts measuredCut); a file that is not one is refused.
   */
  openPilot(text: string, name: string): boolean {
    const p = new Problems();
    const json = parseJsonText(p, text);
    const m = p.ok ? readPilotResult(json) : p.list.map((x) => x.reason).join('; ');
    if (typeof m === 'string') {
      this.refusal = { what: 'pilot result', name, problems: [{ path: '', reason: m }] };
      return false;
    }
    const cut = measuredCut(m, name);
    this.refusal = undefined;
    this.pilot = { name, how: cut.how };
    this.assumptions = { ...this.assumptions, deterrence: cut.deterrence };
    return true;
  }

  /** Back to the assumed catching and deterring. */
  private forgetPilot(): void {
    this.pilot = undefined;
    this.assumptions = { ...this.assumptions, deterrence: DEFAULT_ASSUMPTIONS.deterrence };
  }

  /** Takes a `twin place` plan file as the devices; a bad one is listed problem by problem. */
  openPlan(text: string, name: string): boolean {
    const p = new Problems();
    const json = parseJsonText(p, text);
    const r = p.ok ? readPlanFile(json) : { ok: false as const, problems: p.list };
    if (!r.ok) {
      this.refusal = { what: 'plan file', name, problems: r.problems };
      return false;
    }
    this.refusal = undefined;
    this.filePlan = { plan: r.plan, label: `plan file ${name}` };
    this.choice = 'file';
    return true;
  }

  private download(name: string, text: string, type: string): void {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** The printable report, its charts drawn afresh at paper width. */
  async reportHtml(): Promise<string | undefined> {
    const r = this.report;
    if (!r) return undefined;
    const Plot = await import('@observablehq/plot');
    const svg = (el: Element) => el.outerHTML;
    return roiReportHtml(r, { tornado: svg(tornadoPlot(r, Plot, 720)), band: svg(bandPlot(r, Plot, 720)) }, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC');
  }

  private async printReport(): Promise<void> {
    const text = await this.reportHtml();
    if (!text) return;
    const url = URL.createObjectURL(new Blob([text], { type: 'text/html' }));
    const w = window.open(url, '_blank');
    if (!w) {
      this.error = 'The browser did not open a new window for the report: download it instead and print it from there.';
      return;
    }
    w.addEventListener('load', () => w.print(), { once: true });
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  private async downloadReport(): Promise<void> {
    const text = await this.reportHtml();
    if (text && this.report) this.download(`${this.report.basis.store}-roi-report.html`, text, 'text/html');
  }

  protected override render() {
    if (!this.index) return html`<p class="status">Open a layout first (Layout tab).</p>`;
    const r = this.report;
    return html`
      ${this.renderBasis()}
      ${this.refusal ? this.renderRefusal(this.refusal) : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${r ? this.renderAnswer(r) : html`<p class="status">Working it out…</p>`}
      <tw-roi-assumptions .assumptions=${this.assumptions} .basis=${r?.basis}
        @tw-assumptions=${(e: CustomEvent<Assumptions>) => (this.assumptions = e.detail)}
        @tw-detection=${(e: CustomEvent<Partial<Detection>>) => (this.detection = { ...this.detection, ...e.detail })}
        @tw-assumptions-file=${(e: CustomEvent<{ text: string; name: string }>) => this.openAssumptions(e.detail.text, e.detail.name)}></tw-roi-assumptions>
    `;
  }

  private renderBasis() {
    const used = this.used;
    const opt = (c: BasisChoice, label: string, enabled: boolean) => html`<label><input type="radio" name="roi-basis" value=${c} .checked=${used === c} ?disabled=${!enabled}
      @change=${() => (this.choice = c)} /> ${label}</label>`;
    return html`<section>
      <h2>Devices</h2>
      <div class="choices" role="radiogroup" aria-label="Devices the ROI is for">
        ${opt('latest', this.latestPlan ? `Latest plan from the Plan tab (${this.latestPlan.label})` : 'Latest plan from the Plan tab (none yet: make one there)', !!this.latestPlan)}
        ${opt('file', this.filePlan ? this.filePlan.label : 'A plan file (twin place output)', !!this.filePlan)}
        ${opt('layout', "Today's layout, every device bought new", true)}
      </div>
      <div class="row"><label class="open" title="A plan from twin place --out, or from Download plan on the Plan tab">Open plan file…<input type="file" name="plan" accept=".json,application/json" @change=${this.onPlanFile} /></label>
        <label class="open" title="twin pilot DIR --format json: the cut in shrink the pilot measured stands for what the devices catch and deter">Open pilot result…<input type="file" name="pilot" accept=".json,application/json" @change=${this.onPilotFile} /></label></div>
      ${this.pilot ? html`<p class="muted" data-roi-pilot>Loss taken away: measured by the pilot ${this.pilot.name}. <button @click=${() => this.forgetPilot()}>Use the assumptions instead</button></p>` : nothing}
      ${this.report ? html`<p class="muted" data-roi-basis>${this.report.basis.label}; bought and installed ${money(this.report.basis.devices.capex, this.report.currency)}.</p>` : nothing}
    </section>`;
  }

  private renderRefusal(f: Refusal) {
    return html`<div class="error" role="alert" data-roi-refusal>
      <strong>The ${f.what} ${f.name} was not used: ${f.problems.length} problem${f.problems.length === 1 ? '' : 's'}.</strong>
      <ul>${f.problems.map((p) => html`<li><code>${p.path || '(the file)'}</code> ${p.reason}</li>`)}</ul>
      <button @click=${() => (this.refusal = undefined)}>Dismiss</button>
    </div>`;
  }

  private renderAnswer(r: RoiReport) {
    const s = r.sentences;
    const ro = r.rollout;
    const cur = r.currency;
    const cols = ['min', 'p10', 'p50', 'p90', 'max'] as const;
    return html`<section aria-live="polite">
      <h2>Does it pay?</h2>
      <p class="verdict" data-roi-verdict>${s.verdict}</p>
      <ul class="headline">
        <li data-roi-payback>${s.payback}</li>
        <li data-roi-npv>${s.npv}</li>
        <li data-roi-irr>${s.irr}</li>
        <li data-roi-tco>${s.tco}</li>
        <li data-roi-drivers>${s.drivers}</li>
        <li class="muted">${s.detection}</li>
      </ul>
      <div class="row">
        <button class="primary" data-action="print-report" title="Open the report in a new tab and print it" @click=${() => void this.printReport()}>Print report</button>
        <button data-action="download-report" title="The same report as one HTML file" @click=${() => void this.downloadReport()}>Download report (HTML)</button>
      </div>
      <h2>What moves the answer most</h2>
      <p class="muted">NPV of one store with each assumption at its low (orange) and its high (blue), the others at their values.</p>
      <div class="chart" data-roi-tornado></div>
      <h2>How sure</h2>
      <p class="muted">Cumulative discounted cash of one store: P10 to P90 of ${r.band.draws.toLocaleString('en-US')} simulated cases (band), the median (line), the assumed values (dashed).</p>
      <div class="chart" data-roi-band></div>
      <h2>Rollout</h2>
      <div class="row"><label for="roi-stores">Stores</label>
        <input id="roi-stores" type="number" min="1" max=${MAX_STORES} step="1" .value=${String(this.stores)} aria-invalid=${this.fieldProblems.has('stores')}
          @input=${(e: Event) => this.editStores((e.target as HTMLInputElement).value)} /></div>
      ${this.fieldProblems.has('stores') ? html`<p class="problem">Stores ${this.fieldProblems.get('stores')}</p>` : nothing}
      <p data-roi-rollout>${s.rollout}</p>
      <table data-roi-spread>
        <tr><th>Between stores</th>${cols.map((c) => html`<th>${c === 'min' ? 'Min' : c === 'max' ? 'Max' : c.toUpperCase()}</th>`)}</tr>
        <tr><td>NPV</td>${cols.map((c) => html`<td>${money(ro.spread.npv[c], cur, true)}</td>`)}</tr>
        <tr><td>Payback</td>${cols.map((c) => html`<td>${months(ro.spread.paybackMonths[c])}</td>`)}</tr>
      </table>
    </section>`;
  }
}

customElements.define('tw-roi-panel', TwRoiPanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-roi-panel': TwRoiPanel;
  }
}
