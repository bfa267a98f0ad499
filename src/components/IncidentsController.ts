/**
 * The incidents the workbench shows: read from the event store (where the rules' output and
 * the workflow's actions are kept, so both survive a reload), opened from the list (the 3D
 * view goes to the place, the timeline to the time), worked (acknowledge, resolve, reopen:
 * each an action appended to the log) and exported as a case file with its chain of custody.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { BrowserEventStore } from '../analytics/BrowserEventStore';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { SceneRef } from '../render/SceneRef';
import type { SceneRenderer } from '../render/SceneRenderer';
import type { Alert, Incident, Place } from '../rules/Incident';
import { IncidentMerger } from '../rules/incidentMerger';
import { resolutionMs } from '../rules/incidentTables';
import type { Rules } from '../rules/Rules';
import type { TimeController } from './TimeController';
import type { IncidentActionRequest } from './tw-incidents-panel';
import './tw-incidents-panel';

const SAVE_EVERY_MS = 1000;

export interface IncidentsHost extends ReactiveControllerHost, HTMLElement {
  readonly incident: string | null;
  readonly renderRoot: HTMLElement | DocumentFragment;
  openIncident(id: string | null): void;
}

/** What the chain of custody adds: rendered, and exported in a case file. */
export interface CustodyView {
  /** The custody section under the incident. */
  render(incident: Incident): Promise<TemplateResult>;
  /** A case file: its name and contents. */
  caseFile(incident: Incident, format: 'json' | 'html'): Promise<{ name: string; type: string; text: string }>;
}

export class IncidentsController implements ReactiveController {
  incidents: Incident[] = [];
  private layout: LayoutIndex | undefined;
  /** The open layout's alerts by id, the stored incidents' and this page's, and what is written (see IncidentMerger). */
  private merger = new IncidentMerger();
  /** Whether the merger holds the stored incidents of the open layout yet (a merge before that would split them). */
  private seeded = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private shown: string | null = null;
  private custody: { id: string; view: TemplateResult } | undefined;
  private problem: string | undefined;

  constructor(
    private readonly host: IncidentsHost,
    private readonly store: BrowserEventStore,
    private readonly time: TimeController,
    private readonly custodyView: (layout: LayoutIndex) => CustodyView | undefined = () => undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostUpdated(): void {
    const id = this.host.incident;
    if (id !== this.shown) {
      this.shown = id;
      const i = this.incidents.find((x) => x.id === id);
      if (i) this.goTo(i);
    }
  }

  useLayout(layout: LayoutIndex): void {
    this.layout = layout;
    this.incidents = [];
    this.custody = undefined;
    // Another layout is another store: its incidents are not this one's to merge with.
    this.merger = new IncidentMerger();
    this.seeded = false;
    void this.reload();
  }

  /**
   * Alerts the rules raised in the active source's worker, with the rules that source runs
   * (their mergeMinutes and suppressMinutes decide what joins what): merged into incidents
   * and saved, a few times a second at most.
   */
  addAlerts(layout: LayoutIndex, alerts: readonly Alert[], rules?: Rules): void {
    if (layout !== this.layout) return;
    if (rules) this.merger.useRules(rules);
    this.merger.add(alerts);
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      void this.saveMerged();
    }, SAVE_EVERY_MS);
  }

  private async saveMerged(): Promise<void> {
    const layout = this.layout;
    // Alerts can come before the stored incidents were read (a source started at once after
    // a reload, or the store still closed then): read them first, or the new alerts would
    // open incidents beside the stored ones they belong to. Could not read them: the alerts
    // wait for the next batch's try.
    if (!this.seeded) await this.loadStored(layout);
    if (layout !== this.layout || !this.seeded) return;
    const merger = this.merger;
    const changed = merger.changed();
    if (!changed.length) return;
    try {
      await this.store.saveIncidents(changed);
    } catch (e) {
      merger.unwritten(changed);
      this.problem = `Incidents could not be saved: ${e instanceof Error ? e.message : String(e)}`;
    }
    await this.reload();
  }

  /** Reads the layout's incidents, seeding the merge with them; undefined when they could not be read (the problem is set). */
  private async loadStored(layout: LayoutIndex | undefined): Promise<Incident[] | undefined> {
    if (!layout) return undefined;
    try {
      const all = await this.store.incidents();
      if (layout !== this.layout) return undefined;
      this.merger.seed(all);
      this.seeded = true;
      return all;
    } catch (e) {
      if (layout === this.layout) this.problem = e instanceof Error ? e.message : String(e);
      return undefined;
    }
  }

  /** How long each resolved incident took (ms), for the ROI's labour: a new array only when the incidents change. */
  get resolutionTimes(): readonly number[] {
    if (this.resolvedFor !== this.incidents) {
      this.resolvedFor = this.incidents;
      this.resolved = this.incidents.map(resolutionMs).filter((ms): ms is number => ms !== undefined);
    }
    return this.resolved;
  }
  private resolvedFor: Incident[] | undefined;
  private resolved: readonly number[] = [];

  /** Active incidents (open or acknowledged), for the tab's badge. */
  get active(): number {
    return this.incidents.filter((i) => i.status !== 'resolved').length;
  }

  /** Reads the incidents again (after the rules wrote some, or an action). */
  async reload(): Promise<void> {
    const layout = this.layout;
    if (!layout || this.store.status().state === 'closed') return;
    const all = await this.loadStored(layout);
    if (layout !== this.layout) return;
    if (all) {
      const changed = JSON.stringify(all.map((i) => [i.id, i.status, i.to])) !== JSON.stringify(this.incidents.map((i) => [i.id, i.status, i.to]));
      this.incidents = all;
      this.problem = undefined;
      if (changed) this.time.refreshAlerts();
      const id = this.host.incident;
      // Opened from an address before the list had loaded: go there now.
      if (id && this.shown === id && !this.custody) {
        const i = all.find((x) => x.id === id);
        if (i) this.goTo(i);
      }
    }
    this.host.requestUpdate();
  }

  /** The 3D view on the place, the timeline at the start of the window, the custody loaded. */
  private goTo(i: Incident): void {
    this.time.seek(i.from);
    const ref = sceneRefOf(i.place, this.layout);
    const scene = this.scene();
    if (ref && scene) {
      scene.select(ref);
      scene.focus(ref);
    }
    void this.loadCustody(i);
  }

  private async loadCustody(i: Incident): Promise<void> {
    const view = this.layout ? this.custodyView(this.layout) : undefined;
    if (!view) return;
    try {
      const rendered = await view.render(i);
      if (this.host.incident === i.id) this.custody = { id: i.id, view: rendered };
    } catch (e) {
      this.custody = { id: i.id, view: html`<p class="status" role="alert">Chain of custody: ${e instanceof Error ? e.message : String(e)}</p>` };
    }
    this.host.requestUpdate();
  }

  private async act(req: IncidentActionRequest): Promise<void> {
    try {
      await this.store.saveIncidentAction({ incident: req.id, at: Date.now(), action: req.action, ...(req.outcome ? { outcome: req.outcome } : {}), ...(req.note ? { note: req.note } : {}) });
    } catch (e) {
      this.problem = e instanceof Error ? e.message : String(e);
    }
    await this.reload();
  }

  private async export(id: string, format: 'json' | 'html'): Promise<void> {
    const i = this.incidents.find((x) => x.id === id);
    const view = this.layout ? this.custodyView(this.layout) : undefined;
    if (!i || !view) return;
    try {
      const file = await view.caseFile(i, format);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([file.text], { type: file.type }));
      a.download = file.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      this.problem = e instanceof Error ? e.message : String(e);
      this.host.requestUpdate();
    }
  }

  private scene(): SceneRenderer | undefined {
    return this.host.renderRoot.querySelector('tw-scene-view')?.scene;
  }

  /** Where open incidents pulse in the 3D view. */
  alerts(scene: SceneRenderer): { id: string; at: [number, number, number]; severity: Incident['severity'] }[] {
    const out = [];
    for (const i of this.incidents) {
      if (i.status === 'resolved') continue;
      const ref = sceneRefOf(i.place, this.layout);
      const at = ref ? scene.positionOf(ref) : undefined;
      if (at) out.push({ id: `incident:${i.id}`, at: [at[0], at[1], at[2]] as [number, number, number], severity: i.severity });
    }
    return out;
  }

  render() {
    const id = this.host.incident;
    return html`<tw-incidents-panel
        .incidents=${this.incidents}
        .selected=${id}
        .custody=${this.custody && this.custody.id === id ? this.custody.view : nothing}
        .timeZone=${this.layout?.layout.timezone ?? 'UTC'}
        @tw-incident-select=${(e: CustomEvent<{ id: string }>) => {
          this.custody = undefined;
          this.shown = null; // open it again even when it is the one open (go back to its place)
          this.host.openIncident(e.detail.id);
        }}
        @tw-incident-action=${(e: CustomEvent<IncidentActionRequest>) => void this.act(e.detail)}
        @tw-incident-export=${(e: CustomEvent<{ id: string; format: 'json' | 'html' }>) => void this.export(e.detail.id, e.detail.format)}
      ></tw-incidents-panel>
      ${this.problem ? html`<p class="status" role="alert" style="color:var(--tw-danger)">${this.problem}</p>` : nothing}`;
  }
}

/** The part of the room an incident's place names, as the 3D view knows it. */
export function sceneRefOf(place: Place, layout: LayoutIndex | undefined): SceneRef | undefined {
  if (place.slot) return { kind: 'slot', id: place.slot };
  if (place.door) return { kind: 'door', id: place.door };
  if (place.shelf) return { kind: 'shelf', id: place.shelf };
  if (place.device) {
    const kind = layout?.deviceKinds(place.device)[0];
    return kind ? { kind, id: place.device } : undefined;
  }
  if (place.zone) return { kind: 'zone', id: place.zone };
  return undefined;
}
