/**
 * The workbench shell. A header (the layout, the source picker, theme and help), the 3D view,
 * a side panel with tabs (Source, Inspector, Incidents, Devices, Quarantine, Layout, Plan, ROI), a bottom panel
 * (the timeline and the analytics drawer) and the status bar. The side panel and the open
 * analytics drawer can be resized with their splitters and hidden (`[` and `]`); the state that makes a view worth sharing
 * (layout, source, time, selection, tab, hidden panels, theme) lives in the address.
 *
 * Telemetry comes from one source at a time — a live broker, a recording file or a scenario
 * run — through the page's one listener (ActiveSource), which feeds the twin, the event store
 * (DuckDB in a worker) and the status bar. The 3D view shows a RoomView: the live twin's
 * when the timeline is at "live", else the room as the event store says it was at the time
 * shown (time travel: one query, not a replay). Served by `npm start`, the page connects to
 * the embedded broker by itself.
 */
import { css, html, LitElement, nothing } from 'lit';
import { BrowserEventStore } from '../analytics/BrowserEventStore';
import { LayoutIndex } from '../layout/LayoutIndex';
import { parseLayoutText } from '../layout/parseLayout';
import { parseRulesText } from '../rules/parseRules';
import { DEFAULT_RULES, type Rules } from '../rules/Rules';
import type { SceneRef } from '../render/SceneRef';
import type { SceneStats } from '../render/SceneRenderer';
import { ActiveSource } from '../sources/ActiveSource';
import type { TelemetrySource } from '../sources/TelemetrySource';
import { fetchWorkbenchConfig } from './fetchWorkbenchConfig';
import { loadStartupLayout } from './loadStartupLayout';
import { clampSizes, DEFAULT_SIZES, loadSizes, resized, saveSizes, type PanelSizes } from './panelSizes';
import { findRef, searchableRefs } from './roomSummary';
import { commandFor, SHORTCUTS, type Command } from './shortcuts';
import { applyTheme, toggledTheme, type Theme } from './theme';
import { custodyView } from './custodyView';
import { IncidentsController } from './IncidentsController';
import { TimeController } from './TimeController';
import { VisionController, visionInViewStyles } from './visionView';
import { SightingFeed } from './SightingFeed';
import { findingAlert } from '../inference/fusionFeed';
import { formatWorkbenchUrl, parseWorkbenchUrl, sameRef, SIDE_TABS, type Panel, type Ref, type SideTab, type WorkbenchUrlState } from './workbenchUrl';
import type { Refusal } from './tw-layout-panel';
import type { TwInspector } from './tw-inspector';
import type { CameraDrag, ShelfDrag } from './tw-scene-view';
import './tw-analytics-panel';
import './tw-connect-panel';
import './tw-layout-panel';
import './tw-plan-panel';
import './tw-replay-panel';
import './tw-roi-panel';
import type { LatestPlan } from './tw-roi-panel';
import './tw-scene-view';
import './tw-scenario-panel';
import './tw-side-tabs';
import './tw-splitter';
import './tw-status-bar';
import './tw-task-progress';
import './tw-timeline';

type SourceKind = 'scenario' | 'recording' | 'live';
const SOURCE_KINDS: readonly { kind: SourceKind; label: string }[] = [
  { kind: 'scenario', label: 'Scenario' },
  { kind: 'recording', label: 'Recording' },
  { kind: 'live', label: 'Live broker' },
];

const TAB_OF: Partial<Record<Command, SideTab>> = {
  'tab-source': 'source',
  'tab-inspector': 'inspector',
  'tab-incidents': 'incidents',
  'tab-devices': 'devices',
  'tab-quarantine': 'quarantine',
  'tab-layout': 'layout',
  'tab-plan': 'plan',
  'tab-roi': 'roi',
};

export class TwApp extends LitElement {
  static override properties = {
    index: { state: true },
    source: { state: true },
    refusal: { state: true },
    loading: { state: true },
    url: { state: true },
    sizes: { state: true },
    sourceKind: { state: true },
    help: { state: true },
    notice: { state: true },
    rules: { state: true },
    modelSource: { state: true },
    latestPlan: { state: true },
  };

  static override styles = [visionInViewStyles, css`
    :host {
      display: grid;
      grid-template-rows: auto minmax(0, 1fr) auto auto auto;
      grid-template-columns: minmax(0, 1fr) auto var(--side, 340px);
      grid-template-areas: 'header header header' 'view vsplit side' 'hsplit vsplit side' 'bottom vsplit side' 'status status status';
      height: 100vh;
      color: var(--tw-fg);
      background: var(--tw-bg);
      font: 14px/1.45 var(--tw-font);
    }
    :host([hide-side]) { grid-template-columns: minmax(0, 1fr) 0 0; }
    :host([hide-bottom]) { grid-template-rows: auto minmax(0, 1fr) 0 0 auto; }
    :host([hide-side]) aside, :host([hide-side]) .vsplit, :host([hide-bottom]) .bottom, :host([hide-bottom]) .hsplit { display: none; }
    header { grid-area: header; display: flex; align-items: center; gap: 0.75rem; padding: 0.45rem 1rem; border-bottom: 1px solid var(--tw-border); background: var(--tw-panel); }
    .product { font-weight: 700; letter-spacing: 0.02em; }
    .layout-name { font-weight: 500; }
    .store { color: var(--tw-muted); font-family: var(--tw-mono); font-size: 0.9em; }
    .status { color: var(--tw-muted); }
    .picker { display: inline-flex; border: 1px solid var(--tw-border); border-radius: 6px; overflow: hidden; margin-left: 1rem; }
    .picker button { border: none; border-radius: 0; padding: 0.25rem 0.7rem; }
    .picker button + button { border-left: 1px solid var(--tw-border); }
    .picker button[aria-pressed='true'] { background: var(--tw-accent); color: var(--tw-on-accent); }
    .picker .dot { display: inline-block; width: 0.5em; height: 0.5em; border-radius: 50%; background: var(--tw-ok, #3fb36f); margin-left: 0.35em; vertical-align: 0.1em; }
    .spacer { flex: 1; }
    button { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.2rem 0.6rem; cursor: pointer; }
    .view { grid-area: view; position: relative; min-width: 0; min-height: 0; display: grid; }
    tw-scene-view { min-width: 0; min-height: 0; }
    .time-badge { position: absolute; top: 0.6rem; left: 50%; transform: translateX(-50%); padding: 0.25rem 0.75rem; border-radius: 999px; background: var(--tw-panel); border: 1px solid var(--tw-warning, #c98a12); color: var(--tw-fg); font-size: 0.85rem; display: flex; gap: 0.6rem; align-items: center; box-shadow: 0 2px 8px #0004; }
    .tasks { position: absolute; top: 0.6rem; left: 0.6rem; width: min(22rem, 45%); }
    .notice { position: absolute; bottom: 0.6rem; left: 0.6rem; right: 0.6rem; padding: 0.4rem 0.75rem; border-radius: 6px; background: var(--tw-panel); border: 1px solid var(--tw-border); font-size: 0.85rem; display: flex; gap: 0.75rem; }
    .notice span { flex: 1; }
    .vsplit { grid-area: vsplit; }
    .hsplit { grid-area: hsplit; }
    aside { grid-area: side; min-height: 0; display: flex; flex-direction: column; border-left: 1px solid var(--tw-border); background: var(--tw-panel); }
    .tab-body { overflow: auto; padding: 1rem; flex: 1; display: flex; flex-direction: column; gap: 1.25rem; }
    .tab-body[hidden] { display: none; }
    .bottom { grid-area: bottom; min-height: 0; display: flex; flex-direction: column; background: var(--tw-panel); }
    .bottom tw-analytics-panel { --tw-analytics-height: var(--bottom, 300px); }
    tw-status-bar { grid-area: status; min-width: 0; }
    .find input { font: inherit; color: var(--tw-fg); background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.2rem 0.45rem; width: 14rem; }
    .goto { display: flex; align-items: center; gap: 0.6rem; padding: 0.3rem 0.75rem 0; font-size: 0.85rem; color: var(--tw-muted); }
    .goto input { font: inherit; color: var(--tw-fg); background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.1rem 0.3rem; }
    .room h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 0 0 0.5rem; }
    .room dl { display: grid; grid-template-columns: auto 1fr; gap: 0.35rem 0.8rem; margin: 0; }
    .room dt { color: var(--tw-muted); }
    .room dd { margin: 0; }
    .ref { font-family: var(--tw-mono); font-size: 0.85em; padding: 0 0.35rem; margin: 0 0.1rem 0.15rem 0; }
    .help { position: fixed; inset: 0; background: #0008; display: grid; place-items: center; z-index: 10; }
    .help > div { background: var(--tw-panel); border: 1px solid var(--tw-border); border-radius: 8px; padding: 1rem 1.5rem; min-width: 22rem; }
    .help h2 { margin: 0 0 0.75rem; font-size: 1rem; }
    .help dl { display: grid; grid-template-columns: auto 1fr; gap: 0.3rem 1rem; margin: 0 0 1rem; }
    .help dt { font-family: var(--tw-mono); }
    .help dd { margin: 0; color: var(--tw-muted); }
  `];

  declare private index: LayoutIndex | undefined;
  declare private source: string;
  /** The open layout's text, as a worker source needs it. */
  private layoutText: string | undefined;
  declare private refusal: Refusal | undefined;
  declare private loading: boolean;
  /** The part of the state that lives in the address. */
  declare private url: WorkbenchUrlState;
  declare private sizes: PanelSizes;
  /** Which source the Source tab shows. */
  declare private sourceKind: SourceKind;
  declare private help: boolean;
  /** A one-line message over the 3D view (an address that could not be read in full). */
  declare private notice: string | undefined;
  /** The rules the next source runs, and where they came from; undefined: the shipped ones. */
  declare private rules: { rules: Rules; source: string } | undefined;
  /** The user's shelf CNN files, or undefined for the shipped model. */
  declare private modelSource: string | undefined;
  /** The latest plan made in the Plan tab, for the ROI tab. */
  declare private latestPlan: LatestPlan | undefined;
  private theme: Theme = 'dark';
  private startupRequested = false;
  /**
   * The rules each source started with (those in force when it became the active one, which
   * its panel passed to its worker): its alerts merge into incidents under them.
   */
  private readonly sourceRules = new WeakMap<TelemetrySource, Rules>();
  /** Where every source's events are kept; opened on first need (or at once if this browser has a saved one). */
  readonly eventStore = new BrowserEventStore({ onChange: () => this.requestUpdate() });
  /** The source being shown: its batches go to the twin, the event store and the status bar. */
  readonly feed = new ActiveSource({
    enqueue: (layout, events, quarantine) => {
      this.eventStore.enqueue(layout, events, quarantine);
      this.sightingFeed.frames(layout, events);
    },
    fills: () => this.time.liveChanged(),
    alerts: (layout, alerts) => this.incidents.addAlerts(layout, alerts, (this.feed.source && this.sourceRules.get(this.feed.source)) ?? DEFAULT_RULES),
    changed: () => {
      // play() calls this as the source becomes the active one, before it starts: note its rules then.
      const source = this.feed.source;
      if (source && !this.sourceRules.has(source)) this.sourceRules.set(source, this.rules?.rules ?? DEFAULT_RULES);
      this.requestUpdate();
    },
  });
  /** The time shown, playback, and the room at that time. */
  readonly time = new TimeController(this, this.eventStore, () => this.feed.twin);
  /** What the rules found, worked through the Incidents tab. */
  readonly incidents = new IncidentsController(this, this.eventStore, this.time, (layout) => custodyView(this.eventStore, layout));
  /** What the cameras saw (visionView.ts): a camera's latest frame, a slot's latest CNN verdict, the frame in the 3D view. */
  readonly vision = new VisionController(this, this.eventStore, this.time);
  /** Camera frames through the shelf CNN (SightingFeed.ts), started by the first frame; its verdicts go to the event store. */
  readonly sightingFeed = new SightingFeed({
    append: (rows) => this.eventStore.appendSightings(rows).then(() => this.vision.sightingsAdded()),
    onProblem: (p) => (this.notice = p.message),
    // What the cameras and the load cells disagree on is an alert of the shelf_vision rule, merged into incidents as any other.
    onFindings: (layout, findings) => {
      const rules = (this.feed.source && this.sourceRules.get(this.feed.source)) ?? DEFAULT_RULES;
      const alerts = findings.map((f) => findingAlert(layout, f, rules.rules.shelf_vision)).filter((a) => a !== undefined);
      if (alerts.length) this.incidents.addAlerts(layout, alerts, rules);
    },
  });

  constructor() {
    super();
    this.time.extraAlerts = (scene) => this.incidents.alerts(scene);
    this.time.onRefresh = () => void this.incidents.reload();
    this.index = undefined;
    this.source = '';
    this.refusal = undefined;
    this.loading = true;
    const { state, ignored } = parseWorkbenchUrl(location.search);
    this.url = state;
    this.notice = ignored.length ? `Parts of the address were ignored: ${ignored.join('; ')}.` : undefined;
    this.sizes = loadSizes(safeStorage());
    this.sourceKind = state.source?.kind === 'scenario' ? 'scenario' : 'live';
    this.help = false;
    this.rules = undefined;
    this.modelSource = undefined;
    this.latestPlan = undefined;
  }

  /**
   * Takes the user's own shelf CNN (model.json, its shards, a class map) for the frames from
   * now on; files that do not make a model are shown with every problem, the model in use
   * stays. What only tf.js can check (the input's shape, the outputs against the class map)
   * is checked as the next frame starts the pool, and told over the 3D view.
   */
  async useModelFiles(files: readonly File[]): Promise<boolean> {
    const source = files.map((f) => f.name).join(', ');
    const { readModelFiles, ModelError } = await import('../inference/userModel');
    try {
      const model = await readModelFiles(files);
      this.sightingFeed.useModel(model);
      this.modelSource = source;
      this.refusal = undefined;
      return true;
    } catch (e) {
      const problems = e instanceof ModelError ? e.problems : [e instanceof Error ? e.message : String(e)];
      this.refusal = { source, problems: problems.map((reason) => ({ path: '', reason })) };
      this.setUrl({ tab: 'layout' });
      return false;
    }
  }

  /** Takes a rules file for the sources run from now on; a bad one is shown with every problem, the rules in force stay. */
  useRules(text: string, source: string): boolean {
    const r = parseRulesText(text);
    if (!r.ok) {
      this.refusal = { source, problems: r.problems };
      this.setUrl({ tab: 'layout' });
      return false;
    }
    this.rules = { rules: r.rules, source };
    this.refusal = undefined;
    return true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.theme = applyTheme(this.url.theme);
    document.addEventListener('keydown', this.onKey);
    window.addEventListener('resize', this.onWindowResize);
    if (!this.startupRequested) {
      this.startupRequested = true;
      void this.openStartupLayout();
      void this.eventStore.openIfSaved();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onKey);
    window.removeEventListener('resize', this.onWindowResize);
    this.time.dispose();
    void this.sightingFeed.close();
  }

  /** Stats of the 3D view's last frame (see SceneStats). */
  stats(): SceneStats | undefined {
    return this.renderRoot.querySelector('tw-scene-view')?.stats();
  }

  /** The open layout. */
  get layout(): LayoutIndex | undefined {
    return this.index;
  }

  /** The thing selected, if any. */
  get selection(): Ref | null {
    return this.url.select ?? null;
  }

  /** Opens layout text from `source`; returns whether it was accepted. */
  open(text: string, source: string): boolean {
    const result = parseLayoutText(text);
    if (!result.ok) {
      this.refusal = { source, problems: result.problems };
      this.setUrl({ tab: 'layout' });
      return false;
    }
    // The source reads against the layout it started with: it ends with that layout.
    if (this.feed.view?.running) void this.feed.stop();
    this.index = new LayoutIndex(result.layout);
    // Plans of the last layout no longer apply.
    this.latestPlan = undefined;
    this.eventStore.useLayout(this.index);
    this.time.useLayout(this.index);
    this.incidents.useLayout(this.index);
    this.layoutText = text;
    this.source = source;
    this.refusal = undefined;
    return true;
  }

  /** Selects a thing (null clears), shows it in the inspector and in the 3D view. */
  select(ref: Ref | null): void {
    if (sameRef(ref, this.url.select)) return;
    // A planner picking cameras, shelves or a shelf's slots stays in the Plan tab (it edits what is selected).
    const planned = ref?.kind === 'camera' || ref?.kind === 'shelf' || ref?.kind === 'slot';
    this.setUrl(ref ? { select: ref, tab: this.url.tab === 'plan' && planned ? 'plan' : 'inspector' } : { select: null });
    if (ref && this.url.hide.includes('side')) this.togglePanel('side');
  }

  /** Runs a shortcut's command (the key handler and the help's buttons do). */
  command(c: Command): void {
    const tab = TAB_OF[c];
    if (tab) {
      this.setUrl({ tab });
      if (this.url.hide.includes('side')) this.togglePanel('side');
      return;
    }
    switch (c) {
      case 'play-pause':
        this.time.togglePlay();
        return;
      case 'step-back':
        this.time.step(-1);
        return;
      case 'step-forward':
        this.time.step(1);
        return;
      case 'go-live':
        this.time.seek(null);
        return;
      case 'toggle-side':
        this.togglePanel('side');
        return;
      case 'toggle-bottom':
        this.togglePanel('bottom');
        return;
      case 'frame-room':
        this.renderRoot.querySelector('tw-scene-view')?.scene?.frame();
        return;
      case 'toggle-theme':
        this.setUrl({ theme: toggledTheme(this.theme) });
        this.theme = applyTheme(this.url.theme);
        return;
      case 'clear-selection':
        if (this.help) this.help = false;
        else this.select(null);
        return;
      case 'help':
        this.help = !this.help;
        return;
      case 'find':
        this.renderRoot.querySelector<HTMLInputElement>('input[name=find]')?.focus();
        return;
    }
  }

  /** The incident open in the Incidents tab. */
  get incident(): string | null {
    return this.url.incident ?? null;
  }

  /** Opens an incident: the Incidents tab shows it, the view goes to its place and time. */
  openIncident(id: string | null): void {
    this.setUrl(id ? { incident: id, tab: 'incidents' } : { incident: null });
    if (id && this.url.hide.includes('side')) this.togglePanel('side');
  }

  /** Called by the TimeController when the time shown changes (the address keeps it). */
  timeChanged(at: number | null): void {
    if (at !== (this.url.at ?? null)) this.setUrl({ at });
  }

  private setUrl(change: Partial<WorkbenchUrlState>): void {
    this.url = { ...this.url, ...change };
    const q = formatWorkbenchUrl(this.url);
    if (q !== location.search) history.replaceState(history.state, '', `${location.pathname}${q}${location.hash}`);
  }

  private togglePanel(panel: Panel): void {
    const hide = this.url.hide.includes(panel) ? this.url.hide.filter((p) => p !== panel) : [...this.url.hide, panel];
    this.setUrl({ hide });
  }

  private async openStartupLayout(): Promise<void> {
    const start = await loadStartupLayout(location.search);
    this.loading = false;
    // The user may have opened a file while this loaded: theirs wins.
    if (!this.index) {
      if (start.ok) this.open(start.text, start.source);
      else {
        this.refusal = { source: start.source, problems: [{ path: '', reason: start.reason }] };
        this.setUrl({ tab: 'layout' });
      }
    }
    if (this.url.at !== undefined && this.url.at !== null) this.time.seek(this.url.at);
    await this.updateComplete;
    await this.startSource();
  }

  /** The source the address names, else the live broker `npm start` serves, else none. */
  private async startSource(): Promise<void> {
    const want = this.url.source;
    if (!this.index || want?.kind === 'none') return;
    if (want?.kind === 'scenario') {
      this.sourceKind = 'scenario';
      await this.updateComplete;
      const panel = this.renderRoot.querySelector('tw-scenario-panel');
      if (panel && !(await panel.runByName(want.name, 1))) this.notice = `No shipped scenario is called ${want.name}.`;
      return;
    }
    const served = (await fetchWorkbenchConfig())?.broker;
    if (!served && want?.kind !== 'live') {
      this.sourceKind = 'scenario';
      return;
    }
    this.sourceKind = 'live';
    await this.updateComplete;
    await this.renderRoot.querySelector('tw-connect-panel')?.autoConnect();
  }

  private readonly onFind = (e: SubmitEvent): void => {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('find') as HTMLInputElement;
    const ref = this.index ? findRef(this.index, input.value) : undefined;
    if (!ref) {
      this.notice = `Nothing in this layout is called ${JSON.stringify(input.value.trim())}.`;
      return;
    }
    this.notice = undefined;
    this.select(ref);
    // findRef names parts of the layout only (never a bare device), which the view can frame.
    this.renderRoot.querySelector('tw-scene-view')?.scene?.focus(ref as SceneRef);
    input.select();
  };

  private readonly onKey = (e: KeyboardEvent): void => {
    const target = e.composedPath()[0] as HTMLElement | undefined;
    const c = commandFor({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, target: target ?? null });
    if (!c) return;
    e.preventDefault();
    this.command(c);
  };

  private readonly onWindowResize = (): void => {
    this.sizes = clampSizes(this.sizes, innerWidth, innerHeight);
  };

  private onResize(panel: keyof PanelSizes, e: CustomEvent<{ delta: number }>): void {
    this.sizes = resized(this.sizes, panel, e.detail.delta, innerWidth, innerHeight);
  }

  private onResetSize(panel: keyof PanelSizes): void {
    this.sizes = clampSizes({ ...this.sizes, [panel]: DEFAULT_SIZES[panel] }, innerWidth, innerHeight);
    saveSizes(safeStorage(), this.sizes);
  }

  protected override willUpdate(): void {
    this.toggleAttribute('hide-side', this.url.hide.includes('side'));
    this.toggleAttribute('hide-bottom', this.url.hide.includes('bottom'));
    const s = clampSizes(this.sizes, innerWidth || 1600, innerHeight || 1000);
    this.style.setProperty('--side', `${s.side}px`);
    this.style.setProperty('--bottom', `${s.bottom}px`);
  }

  protected override updated(): void {
    // The inspector is the TimeController's to render; what the cameras saw goes into it here.
    const inspector = this.renderRoot.querySelector<TwInspector>('[data-tab=inspector] tw-inspector');
    if (inspector) inspector.vision = this.vision.renderInspector();
  }

  protected override render() {
    const layout = this.index?.layout;
    const view = this.feed.view;
    const tab = this.url.tab ?? (this.url.select ? 'inspector' : 'source');
    return html`
      <header>
        <span class="product">Backroom Twin</span>
        ${layout
          ? html`<span class="layout-name">${layout.name}</span><span class="store">${layout.store}</span>`
          : html`<span class="status">${this.loading ? 'Loading layout…' : 'No layout open'}</span>`}
        <span class="picker" role="group" aria-label="Source">
          ${SOURCE_KINDS.map(
            (s) => html`<button aria-pressed=${this.sourceKind === s.kind} data-source-kind=${s.kind} title="Show the ${s.label.toLowerCase()} source" @click=${() => {
              this.sourceKind = s.kind;
              this.setUrl({ tab: 'source' });
              if (this.url.hide.includes('side')) this.togglePanel('side');
            }}>${s.label}${view?.running && this.runningKind() === s.kind ? html`<span class="dot" title="running"></span>` : nothing}</button>`,
          )}
        </span>
        <span class="spacer"></span>
        ${layout
          ? html`<form class="find" role="search" @submit=${this.onFind}>
              <input name="find" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (e.target as HTMLInputElement).blur()} list="tw-ids" placeholder="Find a slot, shelf, door… (/)" aria-label="Find a slot, shelf, door, zone or camera by its id" autocomplete="off" />
              <datalist id="tw-ids">${searchableRefs(this.index!).map((r) => html`<option value=${r.id}>${r.kind}</option>`)}</datalist>
            </form>`
          : nothing}
        <button data-action="theme" title="Light or dark (T)" @click=${() => this.command('toggle-theme')}>${this.theme === 'dark' ? '☀ Light' : '☾ Dark'}</button>
        <button data-action="help" title="Keyboard shortcuts (?)" @click=${() => this.command('help')}>?</button>
      </header>
      <div class="view">
        <tw-scene-view .layout=${this.index} @tw-select=${(e: CustomEvent<Ref | null | { ref: Ref | null }>) => this.select(refOf(e.detail))}
          ?dragParts=${tab === 'plan'} @tw-camera-drag=${(e: CustomEvent<CameraDrag>) => this.renderRoot.querySelector('tw-plan-panel')?.dragCamera(e.detail)}
          @tw-shelf-drag=${(e: CustomEvent<ShelfDrag>) => this.renderRoot.querySelector('tw-plan-panel')?.dragShelf(e.detail)}></tw-scene-view>
        ${this.time.at !== null
          ? html`<div class="time-badge" data-time-badge>Showing ${this.time.format(this.time.at)} (the past) <button data-action="go-live" @click=${() => this.time.seek(null)}>Back to live</button></div>`
          : nothing}
        ${this.vision.renderInView()}
        <tw-task-progress class="tasks" .tasks=${this.tasks()} @tw-cancel=${() => void this.feed.stop()}></tw-task-progress>
        ${this.notice ? html`<div class="notice" role="status"><span>${this.notice}</span><button @click=${() => (this.notice = undefined)}>Dismiss</button></div>` : nothing}
      </div>
      <tw-splitter class="vsplit" orientation="vertical" label="Resize the side panel" @tw-resize=${(e: CustomEvent<{ delta: number }>) => this.onResize('side', e)} @tw-resize-end=${() => saveSizes(safeStorage(), this.sizes)} @tw-reset=${() => this.onResetSize('side')}></tw-splitter>
      <aside>
        <tw-side-tabs .tabs=${SIDE_TABS} .active=${tab} .badges=${this.tabBadges()} @tw-tab=${(e: CustomEvent<SideTab>) => this.setUrl({ tab: e.detail })}></tw-side-tabs>
        <div class="tab-body" ?hidden=${tab !== 'source'} data-tab="source">${layout ? this.renderSource() : html`<p class="status">Open a layout first (Layout tab).</p>`}</div>
        <div class="tab-body" ?hidden=${tab !== 'inspector'} data-tab="inspector">${this.time.renderInspector()}</div>
        <div class="tab-body" ?hidden=${tab !== 'incidents'} data-tab="incidents">${tab === 'incidents' ? this.incidents.render() : nothing}</div>
        <div class="tab-body" ?hidden=${tab !== 'devices'} data-tab="devices">${tab === 'devices' ? this.time.renderDevices() : nothing}</div>
        <div class="tab-body" ?hidden=${tab !== 'quarantine'} data-tab="quarantine">${tab === 'quarantine' ? this.time.renderQuarantine() : nothing}</div>
        <div class="tab-body" ?hidden=${tab !== 'layout'} data-tab="layout">
          <tw-layout-panel .index=${this.index} .source=${this.source} .refusal=${this.refusal} .loading=${this.loading} .storeStatus=${this.eventStore.status()}
            @tw-layout-file=${(e: CustomEvent<{ text: string; name: string }>) => this.open(e.detail.text, e.detail.name)}
            .rulesSource=${this.rules?.source}
            @tw-rules-file=${(e: CustomEvent<{ text: string; name: string }>) => this.useRules(e.detail.text, e.detail.name)}
            @tw-rules-default=${() => (this.rules = undefined)}
            .modelSource=${this.modelSource}
            @tw-model-files=${(e: CustomEvent<File[]>) => void this.useModelFiles(e.detail)}
            @tw-model-default=${() => { this.sightingFeed.useModel(undefined); this.modelSource = undefined; }}
            @tw-dismiss-refusal=${() => (this.refusal = undefined)}></tw-layout-panel>
        </div>
        <div class="tab-body" ?hidden=${tab !== 'plan'} data-tab="plan">
          <tw-plan-panel .index=${this.index} .layoutText=${this.layoutText} .source=${this.source} .selected=${this.url.select ?? null} ?active=${tab === 'plan'}
            .scene=${() => this.renderRoot.querySelector('tw-scene-view')?.scene}
            @tw-select=${(e: CustomEvent<{ ref: Ref | null }>) => this.select(e.detail.ref)}
            @tw-plan-made=${(e: CustomEvent<LatestPlan>) => (this.latestPlan = e.detail)}></tw-plan-panel>
        </div>
        <div class="tab-body" ?hidden=${tab !== 'roi'} data-tab="roi">
          <tw-roi-panel .index=${this.index} .latestPlan=${this.latestPlan} .resolutionMs=${this.incidents.resolutionTimes} ?active=${tab === 'roi'}></tw-roi-panel>
        </div>
      </aside>
      <tw-splitter class="hsplit" orientation="horizontal" label="Resize the bottom panel" @tw-resize=${(e: CustomEvent<{ delta: number }>) => this.onResize('bottom', e)} @tw-resize-end=${() => saveSizes(safeStorage(), this.sizes)} @tw-reset=${() => this.onResetSize('bottom')}></tw-splitter>
      <section class="bottom" aria-label="Timeline and analytics">
        ${this.time.renderTimeline()}
        <tw-analytics-panel .index=${this.index} .store=${this.eventStore}></tw-analytics-panel>
      </section>
      <tw-status-bar .feed=${this.feed} .view=${view} .store=${layout?.store}></tw-status-bar>
      ${this.help ? this.renderHelp() : nothing}
    `;
  }

  private renderSource() {
    const view = this.feed.view;
    return html`
      <tw-scenario-panel ?hidden=${this.sourceKind !== 'scenario'} .rules=${this.rules?.rules} .index=${this.index} .layoutText=${this.layoutText} .feed=${this.feed} .view=${view}></tw-scenario-panel>
      <tw-replay-panel ?hidden=${this.sourceKind !== 'recording'} .rules=${this.rules?.rules} .index=${this.index} .layoutText=${this.layoutText} .feed=${this.feed}></tw-replay-panel>
      <tw-connect-panel ?hidden=${this.sourceKind !== 'live'} .rules=${this.rules?.rules} .index=${this.index} .layoutText=${this.layoutText} .feed=${this.feed} .view=${view}></tw-connect-panel>
    `;
  }

  /** Which picker entry the running source belongs to (by the panel that started it). */
  private runningKind(): SourceKind | undefined {
    const name = this.feed.view?.name ?? '';
    if (name.startsWith('Live')) return 'live';
    if (this.renderRoot.querySelector('tw-scenario-panel')?.twin()) return 'scenario';
    return 'recording';
  }

  /** Long work under way that the user may want to stop: a scenario run, a recording being read. */
  private tasks() {
    const v = this.feed.view;
    if (!v?.running || v.realtime) return [];
    const p = v.status.progress;
    return [{ id: 'source', label: `${v.name}${v.status.clock ? ` · at ${this.time.format(v.status.clock)}` : ''}`, progress: p === undefined ? null : p, cancellable: v.capabilities.includes('stop') }];
  }

  private tabBadges(): Partial<Record<SideTab, string>> {
    const t = this.feed.view?.totals;
    const offline = this.time.room?.offline.size ?? 0;
    const active = this.incidents.active;
    return {
      ...(active ? { incidents: active.toLocaleString('en-US') } : {}),
      ...(t?.quarantined ? { quarantine: t.quarantined.toLocaleString('en-US') } : {}),
      ...(offline ? { devices: `${offline} off` } : {}),
    };
  }

  private renderHelp() {
    return html`<div class="help" role="dialog" aria-label="Keyboard shortcuts" @click=${(e: Event) => e.target === e.currentTarget && (this.help = false)}>
      <div>
        <h2>Keyboard shortcuts</h2>
        <dl>${SHORTCUTS.map((s) => html`<dt>${s.label}</dt><dd>${s.does}</dd>`)}</dl>
        <p class="status">In the 3D view: drag to orbit, right-drag to pan, wheel to zoom, hover for details, click to select.</p>
        <button @click=${() => (this.help = false)}>Close</button>
      </div>
    </div>`;
  }
}

/** `tw-select` details come as a ref, null, or {ref}. */
function refOf(detail: Ref | null | { ref: Ref | null }): Ref | null {
  if (!detail) return null;
  return 'ref' in detail ? detail.ref : detail;
}

function safeStorage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

customElements.define('tw-app', TwApp);

declare global {
  interface HTMLElementTagNameMap {
    'tw-app': TwApp;
  }
}
