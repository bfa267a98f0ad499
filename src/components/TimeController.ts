/**
 * The time the workbench shows, and everything that depends on it: the room in the 3D view,
 * the timeline (span, histogram, playback), the inspector of the selection, the devices and
 * the quarantine. "Live" (at = null) shows the twin the active source feeds; any other time
 * shows the room as the event store says it was then (roomAt: a few queries, not a replay),
 * one query at a time, the newest request winning while the user scrubs.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { BrowserEventStore } from '../analytics/BrowserEventStore';
import { eventHistogram, timeSpan } from '../analytics/history/eventHistogram';
import { recentEvents } from '../analytics/history/recentEvents';
import { roomAt } from '../analytics/history/roomAt';
import { slotHistory } from '../analytics/history/slotHistory';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { slotsSeenBy } from '../layout/slotsSeenBy';
import type { SceneRef } from '../render/SceneRef';
import type { SceneRenderer } from '../render/SceneRenderer';
import { roomViewOfTwin, type RoomView } from '../twin/RoomView';
import type { TwinState } from '../twin/TwinState';
import { LatestOnly } from './LatestOnly';
import type { InspectorSeries } from './inspectorModel';
import { fromLocalInput, roomSummary, toLocalInput } from './roomSummary';
import { selectionFacts, type SelectionFacts } from './selectionFacts';
import { advance, DAY, formatInstant, stepTime, type Histogram, type TimeSpan } from './timelineModel';
import { deviceRows, quarantineCsv, quarantineJsonl, quarantineRows, QUARANTINE_PAGE } from './panelQueries';
import type { DeviceRow } from './tw-devices-panel';
import type { InspectorEvent } from './tw-inspector';
import type { QuarantineRow } from './tw-quarantine-panel';
import type { Ref } from './workbenchUrl';
import './tw-devices-panel';
import './tw-inspector';
import './tw-quarantine-panel';
import './tw-timeline';

/** What the controller needs of the shell. */
export interface TimeHost extends ReactiveControllerHost, HTMLElement {
  readonly selection: Ref | null;
  readonly renderRoot: HTMLElement | DocumentFragment;
  timeChanged(at: number | null): void;
  select(ref: Ref | null): void;
}

const HISTOGRAM_BUCKETS = 240;
/** Least time between two refreshes of the timeline (and the open panels) while data flows. */
const REFRESH_MS = 3000;
const PLAY_TICK_MS = 200;

interface Inspected {
  readonly ref: Ref;
  readonly at: number | null;
  readonly facts: SelectionFacts;
  readonly series: readonly InspectorSeries[];
  readonly events: readonly InspectorEvent[];
  readonly loading: boolean;
}

export class TimeController implements ReactiveController {
  /** The moment shown; null: live. */
  at: number | null = null;
  playing = false;
  /** Simulated ms a wall ms while playing. */
  speed = 600;
  span: TimeSpan | null = null;
  histogram: Histogram | null = null;
  /** The room on show in the 3D view. */
  room: RoomView | undefined;
  private layout: LayoutIndex | undefined;
  private inspected: Inspected | undefined;
  private devices: DeviceRow[] = [];
  private quarantine: { total: number; byReason: { reason: string; count: number }[]; rows: QuarantineRow[]; reason: string | null } = { total: 0, byReason: [], rows: [], reason: null };
  private lastRefresh = -Infinity;
  /** The selection last shown in the view, kind:id. */
  private selectionShown: string | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private playTimer: ReturnType<typeof setInterval> | undefined;
  private lastTick = 0;
  private problem: string | undefined;
  private readonly rooms = new LatestOnly<number, RoomView>(
    (at) => roomAt(this.q, this.layout!, at),
    (room, at) => {
      if (this.at !== at) return;
      this.show(room);
    },
    (e) => this.fail(e),
  );
  private readonly inspections = new LatestOnly<{ ref: Ref; at: number | null }, Inspected>(
    (k) => this.inspect(k.ref, k.at),
    (i) => {
      this.inspected = i;
      this.host.requestUpdate();
    },
    (e) => this.fail(e),
  );

  constructor(
    private readonly host: TimeHost,
    private readonly store: BrowserEventStore,
    private readonly twin: () => TwinState | undefined,
  ) {
    host.addController(this);
  }

  private readonly q = (sql: string) => this.store.query(sql);

  hostConnected(): void {}

  hostUpdated(): void {
    // A new selection: load what the inspector shows of it.
    const sel = this.host.selection;
    const i = this.inspected;
    const key = sel ? `${sel.kind}:${sel.id}` : null;
    const cleared = key === null && this.selectionShown !== null;
    this.selectionShown = key;
    if (!sel) {
      // Cleared now: clear the view's highlight too (once: an incident may highlight its place after).
      this.inspected = undefined;
      if (cleared) this.scene()?.select(null);
      return;
    }
    if (!i || i.ref.kind !== sel.kind || i.ref.id !== sel.id) {
      this.scene()?.select(this.sceneRef(sel));
      this.loadInspector();
    }
  }

  dispose(): void {
    clearInterval(this.playTimer);
    clearTimeout(this.refreshTimer);
    this.rooms.cancel();
    this.inspections.cancel();
  }

  useLayout(layout: LayoutIndex): void {
    this.layout = layout;
    this.at = null;
    this.pause();
    this.span = null;
    this.histogram = null;
    this.room = undefined;
    this.inspected = undefined;
    this.rooms.cancel();
    void this.refresh();
  }

  /** Alerts others pin to the view beside the offline devices (open incidents). */
  extraAlerts: (scene: SceneRenderer) => readonly { id: string; at: [number, number, number]; severity: 'info' | 'warning' | 'critical' }[] = () => [];

  /** Called after each refresh from the event store (the incidents read theirs then). */
  onRefresh: () => void = () => {};

  /** Store-local time for the UI. */
  format(t: number): string {
    return formatInstant(t, this.timeZone());
  }

  /** The active source delivered: at live, the view follows; the timeline catches up now and then. */
  liveChanged(): void {
    if (this.at === null) {
      const twin = this.twin();
      if (twin) this.show(roomViewOfTwin(twin));
    }
    this.scheduleRefresh();
  }

  seek(at: number | null): void {
    if (at !== null && this.span) at = Math.max(this.span.from, Math.min(this.span.to, at));
    if (at === this.at) return;
    this.at = at;
    this.host.timeChanged(at);
    if (at === null) {
      this.pause();
      this.rooms.cancel();
      const twin = this.twin();
      if (twin) this.show(roomViewOfTwin(twin));
    } else if (this.layout) this.rooms.request(at);
    this.loadInspector();
    this.host.requestUpdate();
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    const span = this.span;
    if (!span || this.playing) return;
    // From live (or the end), play from the start of what is stored.
    if (this.at === null || this.at >= span.to) this.seek(span.from);
    this.playing = true;
    this.lastTick = performance.now();
    this.playTimer = setInterval(() => this.tick(), PLAY_TICK_MS);
    this.host.requestUpdate();
  }

  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    clearInterval(this.playTimer);
    this.host.requestUpdate();
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.host.requestUpdate();
  }

  /** One bucket of the timeline back (-1) or forward (1). */
  step(dir: 1 | -1): void {
    const span = this.span;
    const h = this.histogram;
    if (!span || !h) return;
    const next = stepTime(this.at, dir, h.bucketMs, h.from, span);
    this.seek(dir > 0 && this.at !== null && next >= span.to ? null : next);
  }

  private tick(): void {
    const span = this.span;
    if (!span || this.at === null) return this.pause();
    const now = performance.now();
    const { at, ended } = advance(this.at, now - this.lastTick, this.speed, span);
    this.lastTick = now;
    if (ended) {
      this.pause();
      // Played up to now: carry on live.
      this.seek(null);
      return;
    }
    this.seek(at);
  }

  private show(room: RoomView): void {
    const changed = room.offline !== this.room?.offline;
    this.room = room;
    if (changed) this.refreshAlerts();
    this.scene()?.show(room);
    this.host.requestUpdate();
  }

  /**
   * The alerts pinned in the 3D view: each offline device where it stands, and what others
   * add (open incidents). A new one pulses, then holds.
   */
  refreshAlerts(): void {
    const scene = this.scene();
    if (!scene) return;
    const alerts = [];
    for (const id of this.room?.offline ?? []) {
      const at = scene.positionOf(id);
      if (at) alerts.push({ id: `offline:${id}`, at, severity: 'warning' as const });
    }
    scene.setAlerts([...alerts, ...this.extraAlerts(scene)]);
  }

  /** What the 3D view highlights for a selection: a device is the part it is. */
  private sceneRef(ref: Ref): SceneRef | null {
    if (ref.kind !== 'device') return ref as SceneRef;
    const kind = this.layout?.deviceKinds(ref.id)[0];
    return kind ? { kind, id: ref.id } : null;
  }

  private scene(): SceneRenderer | undefined {
    return this.host.renderRoot.querySelector('tw-scene-view')?.scene;
  }

  private timeZone(): string {
    return this.layout?.layout.timezone ?? 'UTC';
  }

  private fail(e: unknown): void {
    this.problem = e instanceof Error ? e.message : String(e);
    this.host.requestUpdate();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    const wait = Math.max(0, this.lastRefresh + REFRESH_MS - performance.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, wait);
  }

  /** The timeline's span and histogram, and the open panels, from the event store. */
  private async refresh(): Promise<void> {
    const layout = this.layout;
    // Nothing stored yet: the store opens with the first data (loading DuckDB costs seconds).
    if (!layout || this.store.status().state === 'closed') return;
    this.lastRefresh = performance.now();
    try {
      await this.store.flushed();
      const span = await timeSpan(this.q, layout.store);
      if (layout !== this.layout) return;
      this.span = span;
      this.histogram = span ? toTimelineHistogram(await eventHistogram(this.q, layout.store, span.from, span.to + 1, HISTOGRAM_BUCKETS)) : null;
      this.devices = await deviceRows(this.q, layout, this.at);
      this.quarantine = { ...this.quarantine, ...(await quarantineRows(this.q, layout.store, this.quarantine.reason)) };
      this.problem = undefined;
      if (this.inspected && this.at === null) this.loadInspector();
      this.onRefresh();
    } catch (e) {
      // No store yet (nothing ingested) is not a problem: the timeline waits for data.
      if (!/not open|no layout/i.test(String(e))) this.fail(e);
    }
    this.host.requestUpdate();
  }

  private loadInspector(): void {
    const ref = this.host.selection;
    if (!ref || !this.layout) return;
    this.inspections.request({ ref, at: this.at });
  }

  private async inspect(ref: Ref, at: number | null): Promise<Inspected> {
    const layout = this.layout!;
    const room = this.room;
    const facts = selectionFacts(ref, layout, room, (t) => this.format(t));
    const span = this.span;
    const end = at ?? span?.to ?? Date.now();
    let series: InspectorSeries[] = [];
    if (ref.kind === 'slot' && span && !facts.unknown) {
      const from = Math.max(span.from, end - 7 * DAY);
      const h = await slotHistory(this.q, layout.store, ref.id, from, Math.max(span.to, end), 400);
      const last = Math.max(span.to, end);
      // A step series holds its last value up to the end: one booking early in the day still draws a line.
      const points = (s: { ts: number[]; value: number[] }, hold = false) => {
        const p = s.ts.map((t, i) => [t, s.value[i]!] as const);
        const tail = p.at(-1);
        return hold && tail && tail[0] < last ? [...p, [last, tail[1]] as const] : p;
      };
      series = [
        { name: 'weight', unit: 'g', points: points(h.grams) },
        { name: 'units', unit: 'units', points: points(h.units, true), step: true },
        { name: 'book', unit: 'units', points: points(h.book, true), step: true },
      ];
    }
    const events = facts.unknown || !span ? [] : (await recentEvents(this.q, layout.store, ref, end + 1, 40)).map((e) => ({ ts: e.ts, kind: e.kind, text: e.text }));
    return { ref, at, facts, series, events, loading: false };
  }

  private related(): SelectionFacts['related'] {
    const i = this.inspected;
    if (!i || !this.layout) return [];
    if (i.ref.kind !== 'camera') return i.facts.related;
    const seen = slotsSeenBy(this.layout, i.ref.id);
    return [...i.facts.related, { label: `Sees (${seen.length} slot faces)`, refs: seen.map((s) => ({ kind: 'slot' as const, id: s.slot })) }];
  }

  renderTimeline() {
    const tz = this.timeZone();
    const shownAt = this.at ?? this.room?.at ?? this.span?.to;
    return html`<div class="goto">
        <label>Go to <input type="datetime-local" name="goto" step="60" .value=${shownAt ? toLocalInput(shownAt, tz) : ''}
          @change=${(e: Event) => {
            const t = fromLocalInput((e.target as HTMLInputElement).value, tz);
            if (t !== undefined) this.seek(t);
          }} /></label>
        <span class="status">${tz} time</span>
      </div>
      <tw-timeline
      .span=${this.span}
      .histogram=${this.histogram}
      .at=${this.at}
      .playing=${this.playing}
      .speed=${this.speed}
      .timeZone=${this.timeZone()}
      .live=${true}
      @tw-seek=${(e: CustomEvent<{ at: number | null }>) => this.seek(e.detail.at)}
      @tw-play=${() => this.play()}
      @tw-pause=${() => this.pause()}
      @tw-speed=${(e: CustomEvent<{ speed: number }>) => this.setSpeed(e.detail.speed)}
    ></tw-timeline>${this.problem ? html`<p class="status" role="alert" style="margin:0 1rem;color:var(--tw-danger)">History: ${this.problem}</p>` : nothing}`;
  }

  /** With nothing selected: the room at the time shown, in words. */
  private renderRoom() {
    if (!this.layout) return nothing;
    const r = roomSummary(this.room, this.layout);
    const when = this.at === null ? 'now' : `at ${this.format(this.at)}`;
    const ref = (kind: 'door' | 'slot' | 'device' | 'badge', id: string) => html`<button class="ref" @click=${() => this.host.select({ kind, id })}>${id}</button>`;
    return html`<section class="room" data-room-summary>
      <h2>The room ${when}</h2>
      <dl>
        <dt>Doors open</dt>
        <dd data-summary="doors">${r.openDoors.length ? r.openDoors.map((d) => html`${ref('door', d.door)} <span class="status">${d.kind}${d.since !== null ? `, since ${this.format(d.since)}` : ''}</span> `) : 'none'}</dd>
        <dt>In the room</dt>
        <dd data-summary="people">${r.present.length ? r.present.map((p) => html`${ref('badge', p.badge)} <span class="status">${p.role}, in since ${this.format(p.since)} through ${p.door}</span> `) : 'nobody'}</dd>
        <dt>Devices offline</dt>
        <dd data-summary="offline">${r.offline.length ? r.offline.map((id) => html`${ref('device', id)} `) : 'none'}</dd>
        <dt>Book ≠ shelf</dt>
        <dd data-summary="mismatched">${r.mismatched.length ? html`${r.mismatched.length} slot${r.mismatched.length === 1 ? '' : 's'}: ${r.mismatched.slice(0, 12).map((id) => html`${ref('slot', id)} `)}${r.mismatched.length > 12 ? '…' : ''}` : 'none'}</dd>
      </dl>
    </section>`;
  }

  renderInspector() {
    const sel = this.host.selection;
    if (!sel) return html`${this.renderRoom()}<tw-inspector .selection=${null} .timeZone=${this.timeZone()}></tw-inspector>`;
    const i = this.inspected && sel && this.inspected.ref.kind === sel.kind && this.inspected.ref.id === sel.id ? this.inspected : undefined;
    // Facts follow the room on show at once; history and events when their queries answer.
    const facts = sel && this.layout ? selectionFacts(sel, this.layout, this.room, (t) => this.format(t)) : undefined;
    return html`<tw-inspector
      .selection=${sel}
      .facts=${facts ? [{ label: 'Shown at', value: this.at === null ? `live${this.room?.at ? ` (newest data ${this.format(this.room.at)})` : ''}` : this.format(this.at) }, ...facts.facts] : []}
      .series=${i?.series ?? []}
      .events=${i?.events ?? []}
      .related=${i ? this.related() : (facts?.related ?? [])}
      .at=${this.at}
      .loading=${!!sel && !i}
      .timeZone=${this.timeZone()}
      @tw-select=${(e: CustomEvent<{ ref: Ref | null }>) => {
        e.stopPropagation();
        this.host.select(e.detail.ref);
      }}
    ></tw-inspector>`;
  }

  renderDevices() {
    const offline = this.room?.offline ?? new Set<string>();
    // The list as stored, with the room on show deciding online or not at the time shown.
    const rows = this.devices.map((d) => (offline.has(d.id) ? { ...d, online: false } : d));
    return html`<tw-devices-panel
      .devices=${rows}
      .at=${this.at}
      .timeZone=${this.timeZone()}
      .selected=${this.host.selection?.kind === 'device' ? this.host.selection.id : null}
      @tw-select=${(e: CustomEvent<{ ref: Ref | null }>) => {
        e.stopPropagation();
        this.host.select(e.detail.ref);
      }}
    ></tw-devices-panel>`;
  }

  renderQuarantine() {
    const qv = this.quarantine;
    return html`<tw-quarantine-panel
      .total=${qv.total}
      .byReason=${qv.byReason}
      .rows=${qv.rows}
      .reason=${qv.reason}
      .timeZone=${this.timeZone()}
      @tw-filter=${(e: CustomEvent<{ reason: string | null }>) => {
        this.quarantine = { ...this.quarantine, reason: e.detail.reason };
        void this.refresh();
      }}
      @tw-export=${(e: CustomEvent<{ format: 'csv' | 'jsonl' }>) => void this.exportQuarantine(e.detail.format)}
    ></tw-quarantine-panel>
    ${qv.total > QUARANTINE_PAGE ? html`<p class="status">Showing the newest ${QUARANTINE_PAGE} of ${qv.total.toLocaleString('en-US')}; the export has them all.</p>` : nothing}`;
  }

  private async exportQuarantine(format: 'csv' | 'jsonl'): Promise<void> {
    const layout = this.layout;
    if (!layout) return;
    try {
      const text = format === 'csv' ? await quarantineCsv(this.store, layout.store) : await quarantineJsonl(this.q, layout.store);
      const blob = new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${layout.store}-quarantine.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      this.fail(e);
    }
  }
}

/** The history's histogram as the timeline draws it. */
function toTimelineHistogram(h: { from: number; width: number; counts: Record<string, number[]> }): Histogram {
  // Not the readings: load cells report every minute whether or not anything happens, a flat
  // band that would dwarf what a person looks for (movements, doors, badges, alerts).
  const series = Object.entries(h.counts).filter(([kind]) => kind !== 'readings');
  return { from: h.from, bucketMs: h.width, series: series.map(([kind, counts]) => ({ kind, counts })) };
}
