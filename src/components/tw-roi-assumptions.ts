/**
 * The ROI tab's assumptions form: every assumption with its value, unit, range and source,
 * and the detection shares with theirs. A field typed in is checked as the assumptions file
 * would check it (roiForm.ts): a good one fires `tw-assumptions` with the new assumptions, a
 * bad one is shown beside the field with its reason and not used. Also opens (`tw-assumptions-file`
 * with the text, for the panel to read and refuse) and saves an assumptions file.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { ASSUMPTION_KEYS, ASSUMPTION_SPECS, DEFAULT_ASSUMPTIONS, type AssumptionKey, type Assumptions } from '../roi/assumptions';
import type { RoiBasis } from '../roi/roiBasis';
import type { Detection } from '../roi/roiModel';
import { percent } from '../roi/roiReport';
import { assumptionsFileText, editAssumption, type AssumptionField } from './roiForm';

export class TwRoiAssumptions extends LitElement {
  static override properties = {
    assumptions: { attribute: false },
    basis: { attribute: false },
    fieldProblems: { state: true },
  };

  static override styles = css`
    :host { display: block; }
    h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 1rem 0 0.4rem; }
    p { margin: 0.25rem 0; }
    .muted { color: var(--tw-muted); }
    .row { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; margin: 0.4rem 0; }
    input[type='number'] { font: inherit; color: var(--tw-fg); background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.1rem 0.3rem; width: 6.5rem; }
    input.small { width: 4.5rem; font-size: 0.9em; }
    input[aria-invalid='true'] { border-color: var(--tw-danger); }
    button, label.open { font: inherit; font-size: 0.9em; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.2rem 0.6rem; cursor: pointer; }
    label.open input { display: none; }
    .a { border-top: 1px solid var(--tw-border); padding: 0.35rem 0; font-size: 0.88em; }
    .a .top { display: flex; align-items: center; gap: 0.4rem; }
    .a .label { flex: 1; }
    .a .unit, .a .src { color: var(--tw-muted); font-size: 0.9em; }
    .a .src { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; margin-top: 0.15rem; }
    .a .range { display: flex; align-items: center; gap: 0.3rem; margin-top: 0.2rem; color: var(--tw-muted); font-size: 0.9em; }
    .problem { color: var(--tw-danger); font-size: 0.9em; }
  `;

  declare assumptions: Assumptions;
  /** The devices the ROI is for, with their detection shares; undefined hides the shares. */
  declare basis: RoiBasis | undefined;
  /** Field (`key.value`, `detection.lossCaught`) to why what was typed there is not used. */
  declare private fieldProblems: ReadonlyMap<string, string>;
  /** The assumptions this form last sent up: others (a file opened, the defaults) clear its problems. */
  private sent: Assumptions | undefined;

  constructor() {
    super();
    this.assumptions = DEFAULT_ASSUMPTIONS;
    this.basis = undefined;
    this.fieldProblems = new Map();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('assumptions') && this.assumptions !== this.sent) this.fieldProblems = new Map();
  }

  private setProblem(field: string, why: string | undefined): void {
    const next = new Map(this.fieldProblems);
    if (why) next.set(field, why);
    else next.delete(field);
    this.fieldProblems = next;
  }

  private send<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }

  private edit(key: AssumptionKey, field: AssumptionField, text: string): void {
    const r = editAssumption(this.assumptions, key, field, text);
    if (!r.ok) {
      this.setProblem(`${key}.${field}`, `${r.problems.map((p) => `${p.path} ${p.reason}`).join('; ')} — not used; the answer is for ${this.assumptions[key][field]}.`);
      return;
    }
    for (const f of ['value', 'low', 'high']) this.setProblem(`${key}.${f}`, undefined);
    if (key === 'iraWith' || key === 'iraWithout') for (const k of ['iraWith', 'iraWithout']) this.setProblem(`${k}.value`, undefined);
    this.sent = r.assumptions;
    this.send('tw-assumptions', r.assumptions);
  }

  private editDetection(k: keyof Detection, text: string): void {
    const x = Number(text);
    if (text.trim() === '' || !(x >= 0 && x <= 1)) {
      this.setProblem(`detection.${k}`, `detection.${k} must be a share from 0 to 1, not ${JSON.stringify(text)} — not used.`);
      return;
    }
    this.setProblem(`detection.${k}`, undefined);
    this.send<Partial<Detection>>('tw-detection', { [k]: x });
  }

  private readonly onFile = async (event: Event): Promise<void> => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so choosing the same file again (after fixing it) fires `change` again.
    input.value = '';
    if (file) this.send('tw-assumptions-file', { text: await file.text(), name: file.name });
  };

  private save(): void {
    const url = URL.createObjectURL(new Blob([assumptionsFileText(this.assumptions)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${this.basis?.store ?? 'store'}-assumptions.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  protected override render() {
    const a = this.assumptions;
    const basis = this.basis;
    const field = (key: AssumptionKey, f: AssumptionField, cls = '') => html`<input type="number" step="any" class=${cls} name=${`${key}.${f}`} id=${f === 'value' ? `roi-${key}` : nothing} aria-label=${`${ASSUMPTION_SPECS[key].label}: ${f}`}
      .value=${String(a[key][f])} aria-invalid=${this.fieldProblems.has(`${key}.${f}`)} @input=${(e: Event) => this.edit(key, f, (e.target as HTMLInputElement).value)} />`;
    const problems = (keys: readonly string[]) => keys.flatMap((k) => {
      const why = this.fieldProblems.get(k);
      return why ? [html`<div class="problem">${why}</div>`] : [];
    });
    const share = (k: keyof Detection, label: string) => html`<div class="top"><span class="label">${label}</span>
      <input type="number" step="any" min="0" max="1" name=${`detection.${k}`} aria-invalid=${this.fieldProblems.has(`detection.${k}`)} .value=${String(Number(basis!.detection[k].toFixed(3)))}
        @input=${(e: Event) => this.editDetection(k, (e.target as HTMLInputElement).value)} /><span class="unit">share (0..1)</span></div>`;
    return html`<section data-roi-assumptions>
      <h2>Assumptions</h2>
      <p class="muted">Every figure the ROI does not measure. Change one and the answer above moves. The range (low to high) is what the tornado and the simulation vary.</p>
      <div class="row">
        <label class="open">Open assumptions…<input type="file" name="assumptions" accept=".json,application/json" @change=${this.onFile} /></label>
        <button data-action="save-assumptions" @click=${() => this.save()}>Save assumptions</button>
        <button data-action="reset-assumptions" @click=${() => this.send('tw-assumptions', DEFAULT_ASSUMPTIONS)}>Defaults</button>
      </div>
      ${basis ? html`<div class="a" data-detection>
          ${share('lossCaught', 'Share of the loss the devices catch')}
          ${share('recordsCovered', 'Share of the record errors they catch')}
          <div class="src" title=${basis.detectionSource}>${basis.detectionSource}</div>
          ${problems(['detection.lossCaught', 'detection.recordsCovered'])}
        </div>` : nothing}
      ${ASSUMPTION_KEYS.map((key) => {
        const spec = ASSUMPTION_SPECS[key];
        return html`<div class="a" data-assumption=${key}>
          <div class="top"><label class="label" for=${`roi-${key}`} title=${a[key].source}>${spec.label}</label>
            ${field(key, 'value')}<span class="unit">${spec.unit}</span></div>
          <div class="range">range ${field(key, 'low', 'small')} to ${field(key, 'high', 'small')}${spec.uncertain ? nothing : html` <span>(a choice: not varied)</span>`}</div>
          <div class="src" title=${a[key].source}>Source: ${a[key].source}</div>
          ${problems([`${key}.value`, `${key}.low`, `${key}.high`])}
        </div>`;
      })}
      <p class="muted">Money is in ${basis?.currency ?? 'the prices\' currency'}. Shares are 0..1 (0.016 is 1.6 %). ${percent(a.discountRate.value, 1)} a year discounts the months.</p>
    </section>`;
  }
}

customElements.define('tw-roi-assumptions', TwRoiAssumptions);

declare global {
  interface HTMLElementTagNameMap {
    'tw-roi-assumptions': TwRoiAssumptions;
  }
}
