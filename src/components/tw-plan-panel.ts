/**
 * The side panel's Plan tab, for loss-prevention and store-operations planners: what the
 * layout's cameras really see and how to make them see more. The coverage standard (IEC
 * 62676-4, 2015 or 2025), the 3D view's heat map (off, best grade, seen by N cameras) with its
 * legend, the totals in words, and the cameras: select one to see its own view in the corner
 * of the 3D view and to turn, tilt, zoom, move or re-lens it; select a shelf (or one of its
 * slots) to nudge its position and yaw, or drag it over the floor in the 3D view. Every edit is
 * a command (CameraPlan, CommandHistory): Ctrl+Z undoes, Ctrl+Shift+Z redoes; a slider drag is
 * one edit and recomputes only its camera, the report at most once an animation frame. A
 * shelf moved rebuilds the whole coverage model, one rebuild at a time after a frame has
 * painted, ending on the drag's last position; the tab says when it is catching up. "Export
 * layout" downloads the opened file with the edited cameras and shelves (refused, with the
 * layout reader's problems, when a shelf overlaps another or leaves the room).
 *
 * The coverage model is built the first time the tab is shown for a layout (a full pass over
 * every camera: ~0.2 s on the large layout), then kept while the layout stays open.
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { LayoutProblem } from '../layout/Layout';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { parseLayoutText } from '../layout/parseLayout';
import type { CoverageReport } from '../planning/coverage';
import { GRADE_LEVELS, STANDARDS, type Standard } from '../planning/grades';
import { BELOW_GRADE, COUNT_COLORS, coveragePaint, GRADE_COLORS, UNSEEN, type CoverageMode } from '../render/coveragePalette';
import { cssHex } from '../render/palette';
import type { SceneRenderer } from '../render/SceneRenderer';
import { CameraPlan, type CameraPatch, type PlanChange } from './CameraPlan';
import type { Schedule } from './CatchUp';
import { editedLayoutName, editedLayoutText } from './editedLayout';
import { coverageSentences, gradeBreakdown } from './planSummary';
import { shelfProblems, type ShelfPatch } from './SetShelfCommand';
import { editCommandFor } from './shortcuts';
import './tw-placement-panel';
import type { CameraDrag, ShelfDrag } from './tw-scene-view';
import type { Ref } from './workbenchUrl';

const MODES: readonly { mode: CoverageMode; label: string }[] = [
  { mode: 'off', label: 'Off' },
  { mode: 'grade', label: 'Best grade' },
  { mode: 'count', label: 'Seen by N cameras' },
];

const RESOLUTIONS: readonly (readonly [number, number])[] = [
  [1280, 720],
  [1280, 960],
  [1920, 1080],
  [2560, 1440],
  [2688, 1520],
  [3840, 2160],
];

export class TwPlanPanel extends LitElement {
  static override properties = {
    index: { attribute: false },
    layoutText: { attribute: false },
    source: { attribute: false },
    selected: { attribute: false },
    active: { type: Boolean },
    // A getter the shell hands in afresh on every render: never a reason to update.
    scene: { attribute: false, hasChanged: () => false },
    mode: { state: true },
    report: { state: true },
    catchingUp: { state: true },
    exportProblems: { state: true },
  };

  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 1.1rem; }
    h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 0 0 0.5rem; }
    p { margin: 0.2rem 0; }
    .status { color: var(--tw-muted); }
    .row { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
    .seg { display: inline-flex; border: 1px solid var(--tw-border); border-radius: 6px; overflow: hidden; }
    .seg button { border: none; border-radius: 0; }
    .seg button + button { border-left: 1px solid var(--tw-border); }
    .seg button[aria-pressed='true'] { background: var(--tw-accent); color: var(--tw-on-accent); }
    button, select { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.2rem 0.6rem; cursor: pointer; }
    select { background: var(--tw-bg); }
    button:disabled { opacity: 0.5; cursor: default; }
    .legend ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.2rem; font-size: 0.9em; }
    .swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; margin-right: 0.5em; vertical-align: -0.1em; }
    table { border-collapse: collapse; width: 100%; font-size: 0.85em; font-variant-numeric: tabular-nums; }
    th { text-align: right; color: var(--tw-muted); font-weight: 500; padding: 0.15rem 0.3rem; }
    td { text-align: right; padding: 0.15rem 0.3rem; border-top: 1px solid var(--tw-border); }
    th:first-child, td:first-child { text-align: left; }
    tr[data-camera] { cursor: pointer; }
    tr[aria-selected='true'] td { background: color-mix(in srgb, var(--tw-accent) 22%, transparent); }
    .edit { display: grid; grid-template-columns: auto 1fr 5.2rem; gap: 0.3rem 0.5rem; align-items: center; font-size: 0.9em; }
    .edit input[type='number'] { font: inherit; color: var(--tw-fg); background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.1rem 0.3rem; width: 100%; box-sizing: border-box; }
    .edit input[type='range'] { width: 100%; }
    .edit label { color: var(--tw-muted); }
    .problems { border: 1px solid var(--tw-danger); border-radius: 6px; padding: 0.5rem 0.75rem; background: var(--tw-danger-bg); }
    .problems ol { margin: 0.3rem 0; padding-left: 1.2rem; }
    .stale { opacity: 0.6; }
    .warn { color: var(--tw-danger); }
  `;

  declare index: LayoutIndex | undefined;
  /** The opened layout's text: Export changes its cameras only. */
  declare layoutText: string | undefined;
  /** Where the layout came from (names the exported file). */
  declare source: string;
  /** The page's selection: a camera selected is the one edited and shown in the inset. */
  declare selected: Ref | null;
  /** Whether the tab is on show: the coverage is worked out the first time it is. */
  declare active: boolean;
  /** The 3D view's renderer, when there is one. */
  declare scene: () => SceneRenderer | undefined;
  declare private mode: CoverageMode;
  declare private report: CoverageReport | undefined;
  /** The report is still that of an earlier arrangement of the shelves. */
  declare private catchingUp: boolean;
  declare private exportProblems: readonly LayoutProblem[] | undefined;
  private plan: CameraPlan | undefined;
  private unsubscribe: (() => void) | undefined;
  private frame = 0;
  private building = 0;
  /** The open slider drag: one gesture is one history entry. */
  private gesture: { id: number; key: string } | undefined;
  private gestures = 0;

  constructor() {
    super();
    this.index = undefined;
    this.layoutText = undefined;
    this.source = '';
    this.selected = null;
    this.active = false;
    this.scene = () => undefined;
    this.mode = 'grade';
    this.report = undefined;
    this.catchingUp = false;
    this.exportProblems = undefined;
  }

  /** The plan being edited (for tests and the page handle). */
  get cameraPlan(): CameraPlan | undefined {
    return this.plan;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onKey);
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    clearTimeout(this.building);
    this.building = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('index') && this.plan && this.plan.index !== this.index) {
      this.unsubscribe?.();
      this.plan.dispose();
      this.plan = undefined;
      this.report = undefined;
      this.exportProblems = undefined;
      // Another layout: the old heat map goes until the new one is worked out.
      this.schedule();
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (this.active && this.index && !this.plan && !this.building) {
      // Let "Working out coverage…" paint before the full pass runs.
      const index = this.index;
      this.building = window.setTimeout(() => {
        this.building = 0;
        if (this.index === index && !this.plan) this.usePlan(new CameraPlan(index, '2015', afterPaint));
      }, 0);
    }
    if ((changed as Map<string, unknown>).has('mode')) this.schedule();
  }

  private usePlan(plan: CameraPlan): void {
    this.plan = plan;
    this.unsubscribe = plan.onChange((c: PlanChange) => {
      const scene = this.scene();
      if (c.shelves.length) scene?.showEdited(plan.editedIndex);
      if (c.cameras.length) scene?.showCameras(plan.cameraList);
      // A shelf moved leaves the report as it was until the rebuild: the buttons and the editor still change.
      this.requestUpdate();
      this.schedule();
    });
    this.schedule();
  }

  /** Recomputes the report and repaints the heat map once, on the next animation frame. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const plan = this.plan;
      const scene = this.scene();
      if (!plan) {
        scene?.coverage.paint(null);
        scene?.slots.mute(false);
        return;
      }
      this.report = plan.report();
      this.catchingUp = plan.catchingUp;
      if (!scene) return;
      const model = plan.coverage;
      if (scene.coverage.builtFor !== model.layout) {
        scene.coverage.build(model.layout, model.targets.cells, model.targets.options.cellSize);
        // Shelves moved again since this model's layout: its faces go where they stand now.
        if (plan.editedIndex !== model.layout) scene.coverage.placeShelves(plan.editedIndex);
      }
      scene.slots.mute(this.mode !== 'off');
      scene.coverage.paint(this.mode === 'off' ? null : coveragePaint(this.mode, this.report.slots, model.cameraViews().values(), model.targets.cells.length, plan.standard));
    });
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const plan = this.plan;
    if (!plan) return;
    const target = e.composedPath()[0] as HTMLElement | undefined;
    const c = editCommandFor({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, shiftKey: e.shiftKey, target: target ?? null });
    if (!c || !(c === 'undo' ? plan.history.canUndo : plan.history.canRedo)) return;
    e.preventDefault();
    this.gesture = undefined;
    if (c === 'undo') plan.history.undo();
    else plan.history.redo();
  };

  /** The gesture an edit belongs to: one per drag (`key` names what is dragged and how), none for a single edit. */
  private gestureOf(key: string | undefined): number | undefined {
    if (!key) {
      this.gesture = undefined;
      return undefined;
    }
    if (this.gesture?.key !== key) this.gesture = { id: ++this.gestures, key };
    return this.gesture.id;
  }

  private edit(id: string, patch: CameraPatch, drag?: string): void {
    if (!this.plan) return;
    this.plan.change(id, patch, this.gestureOf(drag && `camera/${id}/${drag}`));
  }

  private editShelf(id: string, patch: ShelfPatch, drag?: string): void {
    if (!this.plan) return;
    this.plan.moveShelf(id, patch, this.gestureOf(drag && `shelf/${id}/${drag}`));
  }

  /** A shelf dragged in the 3D view (tw-scene-view's `tw-shelf-drag`): one drag, one edit. */
  dragShelf(drag: ShelfDrag): void {
    if (drag.phase === 'start') this.gesture = undefined;
    this.editShelf(drag.id, { position: drag.position }, 'drag');
    if (drag.phase === 'end') this.gesture = undefined;
  }

  /** A camera dragged in the 3D view (tw-scene-view's `tw-camera-drag`): one drag, one edit. */
  dragCamera(drag: CameraDrag): void {
    if (drag.phase === 'start') this.gesture = undefined;
    this.edit(drag.id, { position: drag.position }, 'drag');
    if (drag.phase === 'end') this.gesture = undefined;
  }

  private chooseCamera(id: string): void {
    const ref: Ref | null = this.selected?.kind === 'camera' && this.selected.id === id ? null : { kind: 'camera', id };
    // The shell listens on this element; it selects (and keeps the Plan tab open).
    this.dispatchEvent(new CustomEvent('tw-select', { detail: { ref } }));
  }

  private useStandard(s: Standard): void {
    if (!this.plan) return;
    this.plan.useStandard(s);
  }

  private exportLayout(): void {
    const plan = this.plan;
    if (!plan || this.layoutText === undefined) return;
    const text = editedLayoutText(this.layoutText, plan.cameraList, plan.shelfList);
    const check = parseLayoutText(text);
    if (!check.ok) {
      this.exportProblems = check.problems;
      return;
    }
    this.exportProblems = undefined;
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = editedLayoutName(this.source);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  protected override render() {
    if (!this.index) return html`<p class="status">Open a layout first (Layout tab).</p>`;
    const plan = this.plan;
    const report = this.report;
    if (!plan || !report) return html`<p class="status" data-plan-status>Working out what the cameras see…</p>`;
    const std = plan.standard;
    const h = plan.history;
    return html`
      <section>
        <h2>Coverage</h2>
        <div class="row">
          <label>Standard <select data-plan-standard aria-label="IEC 62676-4 edition" @change=${(e: Event) => this.useStandard((e.target as HTMLSelectElement).value as Standard)}>
            ${STANDARDS.map((s) => html`<option value=${s} ?selected=${s === std}>IEC 62676-4 (${s})</option>`)}
          </select></label>
        </div>
        <div class="row" style="margin-top:0.5rem">
          <span class="seg" role="group" aria-label="Heat map in the 3D view">
            ${MODES.map((m) => html`<button data-plan-mode=${m.mode} aria-pressed=${this.mode === m.mode} @click=${() => (this.mode = m.mode)}>${m.label}</button>`)}
          </span>
        </div>
        ${this.catchingUp ? html`<p class="status" role="status" data-plan-catching-up>Catching up with the moved shelf: the numbers below are from its last position worked out.</p>` : nothing}
        <div data-plan-totals class=${this.catchingUp ? 'stale' : ''} style="margin-top:0.6rem">${coverageSentences(report.totals).map((s) => html`<p>${s}</p>`)}</div>
        <p class="status" data-plan-grades>Best grade of each slot face: ${gradeBreakdown(report.totals, std)}.</p>
      </section>
      ${this.mode === 'off' ? nothing : this.renderLegend(std)}
      <section>
        <h2>Cameras</h2>
        <div class="row" style="margin-bottom:0.4rem">
          <button data-action="undo" ?disabled=${!h.canUndo} title=${h.undoName ? `Undo ${h.undoName} (Ctrl+Z)` : 'Nothing to undo'} @click=${() => h.undo()}>Undo</button>
          <button data-action="redo" ?disabled=${!h.canRedo} title=${h.redoName ? `Redo ${h.redoName} (Ctrl+Shift+Z)` : 'Nothing to redo'} @click=${() => h.redo()}>Redo</button>
          <button data-action="export-layout" ?disabled=${this.layoutText === undefined} title="Download the layout with the cameras and shelves as edited here" @click=${() => this.exportLayout()}>Export layout</button>
          ${plan.edited ? html`<span class="status" data-plan-edited>edited</span>` : nothing}
        </div>
        ${this.exportProblems ? this.renderProblems(this.exportProblems) : nothing}
        <table>
          <thead><tr><th>Camera</th><th title="Slot faces it sees any part of">Slots</th><th title="Slot faces it alone makes judgeable for fill level">Fill</th><th title="Floor it sees, m²">Floor</th><th title="Median px/m over the slot faces it sees">px/m</th></tr></thead>
          <tbody>
            ${report.cameras.map((c) => html`<tr data-camera=${c.camera} aria-selected=${this.selected?.kind === 'camera' && this.selected.id === c.camera} tabindex="0"
              @click=${() => this.chooseCamera(c.camera)} @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.chooseCamera(c.camera)}>
              <td>${c.camera}</td><td>${c.slots}</td><td>${c.fillSlots}</td><td>${Math.round(c.floorArea)}</td><td>${Math.round(c.slotPxPerM)}</td>
            </tr>`)}
          </tbody>
        </table>
        ${this.renderEditor()}
      </section>
      <tw-placement-panel .index=${this.index} .layoutText=${this.layoutText} .cameraPlan=${plan}></tw-placement-panel>
    `;
  }

  private renderLegend(std: Standard) {
    const items =
      this.mode === 'grade'
        ? [
            ...[...GRADE_LEVELS[std]].reverse().map((l) => ({ color: GRADE_COLORS[l.grade], label: `${l.grade} ≥ ${l.pxPerM} px/m` })),
            { color: BELOW_GRADE, label: `seen, below ${GRADE_LEVELS[std][0]!.pxPerM} px/m` },
            { color: UNSEEN, label: 'no camera sees it' },
          ]
        : [...COUNT_COLORS.map((color, i) => ({ color, label: i === COUNT_COLORS.length - 1 ? `${i + 1} or more cameras` : `${i + 1} camera${i ? 's' : ''}` })), { color: UNSEEN, label: 'no camera sees it' }];
    return html`<section class="legend" data-plan-legend>
      <h2>${this.mode === 'grade' ? `Best grade (IEC 62676-4, ${std})` : 'Seen by'}</h2>
      <ul>${items.map((i) => html`<li><span class="swatch" style="background:${cssHex(i.color)}"></span>${i.label}</li>`)}</ul>
      <p class="status">Slot faces and floor cells (at a person's torso height) are tinted in the 3D view.</p>
    </section>`;
  }

  private renderEditor() {
    const id = this.selected?.kind === 'camera' ? this.selected.id : undefined;
    const c = id ? this.plan?.camera(id) : undefined;
    if (!c) return this.renderShelfEditor() ?? html`<p class="status">Select a camera (here or in the 3D view) to see its own view and to move it, or a shelf to move and turn it; in the 3D view, drag a camera or a shelf to move it over the floor.</p>`;
    const room = this.index!.layout.room;
    const xs = room.outline.map((p) => p[0]);
    const ys = room.outline.map((p) => p[1]);
    const res = `${c.resolution[0]}x${c.resolution[1]}`;
    const presets = RESOLUTIONS.some(([w, h]) => `${w}x${h}` === res) ? RESOLUTIONS : [...RESOLUTIONS, c.resolution];
    const slider = (name: string, label: string, value: number, min: number, max: number, step: number, patch: (v: number) => CameraPatch) => html`
      <label for="plan-${name}">${label}</label>
      <input id="plan-${name}" type="range" min=${min} max=${max} step=${step} .value=${String(value)}
        @input=${(e: Event) => this.edit(c.id, patch(Number((e.target as HTMLInputElement).value)), name)}
        @change=${() => (this.gesture = undefined)} />
      <input type="number" data-field=${name} aria-label=${label} step=${step} .value=${String(Math.round(value * 100) / 100)}
        @change=${(e: Event) => {
          const v = Number((e.target as HTMLInputElement).value);
          if (Number.isFinite(v)) this.edit(c.id, patch(v));
        }} />`;
    return html`<div data-plan-editor=${c.id} style="margin-top:0.75rem">
      <h2>${c.id}</h2>
      <div class="edit">
        ${slider('yaw', 'Yaw °', c.yaw, -180, 180, 1, (yaw) => ({ yaw }))}
        ${slider('pitch', 'Pitch °', c.pitch, -90, 90, 1, (pitch) => ({ pitch }))}
        ${slider('hfov', 'Field of view °', c.hfov, 10, 170, 1, (hfov) => ({ hfov }))}
        ${slider('x', 'x m', c.position[0], Math.min(...xs), Math.max(...xs), 0.05, (x) => ({ position: [x, c.position[1], c.position[2]] }))}
        ${slider('y', 'y m', c.position[1], Math.min(...ys), Math.max(...ys), 0.05, (y) => ({ position: [c.position[0], y, c.position[2]] }))}
        ${slider('z', 'Height m', c.position[2], 0, room.height, 0.05, (z) => ({ position: [c.position[0], c.position[1], z] }))}
        <label for="plan-resolution">Resolution</label>
        <select id="plan-resolution" data-field="resolution" style="grid-column: span 2" @change=${(e: Event) => {
          const [w, h] = (e.target as HTMLSelectElement).value.split('x').map(Number);
          this.edit(c.id, { resolution: [w!, h!] });
        }}>
          ${presets.map(([w, h]) => html`<option value="${w}x${h}" ?selected=${`${w}x${h}` === res}>${w} × ${h}</option>`)}
        </select>
      </div>
      <p class="status">Its own view is in the corner of the 3D view.</p>
    </div>`;
  }

  /** Position and yaw of the selected shelf (or the selected slot's shelf), and what would stop it loading. */
  private renderShelfEditor() {
    const sel = this.selected;
    const plan = this.plan;
    if (!plan || !sel) return undefined;
    const id = sel.kind === 'shelf' ? sel.id : sel.kind === 'slot' ? this.index?.slots.get(sel.id)?.shelf : undefined;
    const shelf = id === undefined ? undefined : plan.shelf(id);
    if (!shelf) return undefined;
    const room = this.index!.layout.room;
    const xs = room.outline.map((p) => p[0]);
    const ys = room.outline.map((p) => p[1]);
    const [x, y] = shelf.position;
    const slider = (name: string, label: string, value: number, min: number, max: number, step: number, patch: (v: number) => ShelfPatch) => html`
      <label for="plan-shelf-${name}">${label}</label>
      <input id="plan-shelf-${name}" type="range" min=${min} max=${max} step=${step} .value=${String(value)}
        @input=${(e: Event) => this.editShelf(shelf.id, patch(Number((e.target as HTMLInputElement).value)), name)}
        @change=${() => (this.gesture = undefined)} />
      <input type="number" data-field="shelf-${name}" aria-label=${label} step=${step} .value=${String(Math.round(value * 1000) / 1000)}
        @change=${(e: Event) => {
          const v = Number((e.target as HTMLInputElement).value);
          if (Number.isFinite(v)) this.editShelf(shelf.id, patch(v));
        }} />`;
    const problems = shelfProblems(plan.layout, shelf.id);
    return html`<div data-plan-shelf-editor=${shelf.id} style="margin-top:0.75rem">
      <h2>Shelf ${shelf.id}</h2>
      <div class="edit">
        ${slider('x', 'x m', x, Math.min(...xs), Math.max(...xs), 0.05, (v) => ({ position: [v, y] }))}
        ${slider('y', 'y m', y, Math.min(...ys), Math.max(...ys), 0.05, (v) => ({ position: [x, v] }))}
        ${slider('yaw', 'Yaw °', shelf.yaw, -180, 360, 1, (yaw) => ({ yaw }))}
      </div>
      ${problems.length ? html`<p class="warn" data-plan-shelf-problems>${problems.join('; ')}: Export would refuse the layout.</p>` : nothing}
      <p class="status">In the 3D view, drag the shelf (its frame or its stock) to move it over the floor.</p>
    </div>`;
  }

  private renderProblems(problems: readonly LayoutProblem[]) {
    return html`<div class="problems" role="alert" data-plan-export-problems>
      <p>The edited layout would not load again:</p>
      <ol>${problems.map((p) => html`<li><code>${p.path}</code>: ${p.reason}</li>`)}</ol>
    </div>`;
  }
}

/** Runs a rebuild after the next frame has painted, so the moved shelf shows before the rebuild blocks. */
const afterPaint: Schedule = (run) => {
  let timer = 0;
  const frame = requestAnimationFrame(() => (timer = window.setTimeout(run, 0)));
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
};

customElements.define('tw-plan-panel', TwPlanPanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-plan-panel': TwPlanPanel;
  }
}
