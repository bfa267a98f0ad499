/**
 * The timeline under the 3D view: play, pause, speed, a Live button, and a track to scrub
 * with a stacked histogram of events (alerts on top, in the warning colour) along it.
 *
 * A pure view: it shows `at` and fires commands. The app owns the clock (advancing `at`
 * with `advance` from timelineModel while playing) and answers `tw-seek` by setting `at`.
 * While dragging, the element shows where the pointer is at once, and sends at most one
 * `tw-seek` a frame, since a seek makes the twin replay events and is not free.
 */
import { css, html, LitElement, nothing, svg, type PropertyValues } from 'lit';
import {
  ALERTS,
  bucketAt,
  dragStep,
  formatClock,
  formatInstant,
  histogramPaths,
  HOUR,
  snap,
  SPEEDS,
  stepTime,
  ticks,
  timeToX,
  xToTime,
  type Histogram,
  type TimeSpan,
} from './timelineModel';

/** `tw-seek`: the time to show; null goes back to live. */
export interface TimelineSeek {
  readonly at: number | null;
}

/** `tw-speed`: the playback speed chosen, simulated ms per wall ms. */
export interface TimelineSpeed {
  readonly speed: number;
}

const BARS_H = 40;
const AXIS_H = 16;
/** Dragging this close to the right end of a live span goes back to live. */
const LIVE_SNAP_PX = 6;

export class TwTimeline extends LitElement {
  static override properties = {
    span: { attribute: false },
    histogram: { attribute: false },
    at: { attribute: false },
    playing: { type: Boolean },
    speed: { type: Number },
    timeZone: { attribute: false },
    live: { type: Boolean },
    width: { state: true },
    hover: { state: true },
    dragAt: { state: true },
  };

  static override styles = css`
    :host { display: block; border-top: 1px solid var(--tw-border); background: var(--tw-panel); font-size: 0.85rem; font-variant-numeric: tabular-nums; padding: 0.3rem 0.75rem 0.2rem; }
    .bar { display: flex; align-items: center; gap: 0.5rem; margin-bottom: 0.2rem; }
    button, select { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.1rem 0.55rem; cursor: pointer; }
    select { background: var(--tw-bg); color: var(--tw-fg); padding: 0.1rem 0.3rem; }
    button:disabled, select:disabled { opacity: 0.45; cursor: default; }
    button.play { min-width: 2.2rem; }
    button.live { border-color: var(--tw-accent); color: var(--tw-accent); font-weight: 600; }
    .now { font-weight: 600; min-width: 11rem; }
    .badge { color: var(--tw-accent); font-weight: 600; }
    .badge::before { content: '●'; margin-right: 0.25rem; }
    .legend { margin-left: auto; display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 0 0.8rem; color: var(--tw-muted); }
    .legend > span { white-space: nowrap; }
    .track { position: relative; height: ${BARS_H + AXIS_H}px; cursor: pointer; touch-action: none; outline: none; border-radius: 3px; }
    .track:focus-visible { box-shadow: 0 0 0 2px var(--tw-accent); }
    /* Out of the flow: the drawing follows the track's width and must never push it wider. */
    .track > svg { position: absolute; inset: 0; display: block; width: 100%; height: 100%; overflow: visible; }
    .base { stroke: var(--tw-border); }
    .tick line { stroke: var(--tw-border); }
    .tick.major line { stroke: var(--tw-muted); }
    .tick text { fill: var(--tw-muted); font-size: 10px; }
    .tick.major text { fill: var(--tw-fg); font-weight: 600; }
    .k0 { fill: var(--tw-accent); opacity: 0.8; }
    .k1 { fill: var(--tw-accent); opacity: 0.5; }
    .k2 { fill: var(--tw-muted); opacity: 0.6; }
    .k3 { fill: var(--tw-muted); opacity: 0.35; }
    .alerts { fill: var(--tw-warning, #c98a12); }
    .future { fill: var(--tw-bg); opacity: 0.45; }
    .cursor { stroke: var(--tw-fg); stroke-width: 2; }
    .knob { fill: var(--tw-fg); }
    .hover { stroke: var(--tw-muted); stroke-dasharray: 2 2; }
    .tip { position: absolute; top: -1.5rem; transform: translateX(-50%); white-space: nowrap; pointer-events: none; background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 3px; padding: 0 0.35rem; font-size: 0.8rem; }
    .empty { color: var(--tw-muted); font-style: italic; }
  `;

  /** The time the timeline covers; null before any data. */
  declare span: TimeSpan | null;
  /** Counts per bucket and kind; null draws no bars. */
  declare histogram: Histogram | null;
  /** The time shown; null is live (following the newest data). */
  declare at: number | null;
  declare playing: boolean;
  /** Simulated ms per wall ms: one of SPEEDS. */
  declare speed: number;
  /** The store's IANA time zone: every time is shown in it. */
  declare timeZone: string;
  /** Whether there is a live edge to return to (a live source, not a recording). */
  declare live: boolean;
  declare private width: number;
  /** The time under the pointer, shown as a dashed line and a label. */
  declare private hover: number | undefined;
  /** Where a drag or key press put the cursor, shown until `at` catches up; undefined: none. */
  declare private dragAt: number | null | undefined;
  private dragging = false;
  private frame = 0;
  private observer: ResizeObserver | undefined;
  /** The track being measured: its width (not the host's, whose padding differs) is what the drawing spans. */
  private observed: Element | null = null;

  constructor() {
    super();
    this.span = null;
    this.histogram = null;
    this.at = null;
    this.playing = false;
    this.speed = 1;
    this.timeZone = 'UTC';
    this.live = false;
    this.width = 600;
    this.hover = undefined;
    this.dragAt = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Ticks and the live snap are in pixels, so the element needs its width.
    this.observer = new ResizeObserver(([entry]) => {
      if (entry) this.width = Math.max(1, entry.contentRect.width);
    });
    this.observed = null;
    this.observeTrack();
  }

  protected override updated(): void {
    this.observeTrack();
  }

  /** The track comes and goes with `span`, so it is (re)observed after each render. */
  private observeTrack(): void {
    const track = this.renderRoot.querySelector('.track');
    if (track === this.observed || !this.observer) return;
    if (this.observed) this.observer.unobserve(this.observed);
    if (track) this.observer.observe(track);
    this.observed = track;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    cancelAnimationFrame(this.frame);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('at') && !this.dragging) this.dragAt = undefined;
  }

  /** The time the cursor shows: the drag's if any, else `at`. */
  private shown(): number | null {
    return this.dragAt !== undefined ? this.dragAt : this.at;
  }

  private fire<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private seek(at: number | null, now: boolean): void {
    this.dragAt = at;
    if (now) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.fire<TimelineSeek>('tw-seek', { at });
    } else if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        if (this.dragAt !== undefined) this.fire<TimelineSeek>('tw-seek', { at: this.dragAt });
      });
    }
  }

  private timeAtPointer(e: PointerEvent): number | null {
    const span = this.span!;
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const x = e.clientX - box.left;
    if (this.live && x >= box.width - LIVE_SNAP_PX) return null;
    return snap(xToTime(x, span, box.width), dragStep(span, box.width), span.from);
  }

  private readonly onDown = (e: PointerEvent): void => {
    if (!this.span || e.button !== 0) return;
    const track = e.currentTarget as HTMLElement;
    track.focus();
    track.setPointerCapture(e.pointerId);
    this.dragging = true;
    this.seek(this.timeAtPointer(e), false);
  };

  private readonly onMove = (e: PointerEvent): void => {
    if (!this.span) return;
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    this.hover = xToTime(e.clientX - box.left, this.span, box.width);
    if (this.dragging) this.seek(this.timeAtPointer(e), false);
  };

  private readonly onUp = (e: PointerEvent): void => {
    if (!this.dragging || !this.span) return;
    this.dragging = false;
    this.seek(this.timeAtPointer(e), true);
  };

  private readonly onKey = (e: KeyboardEvent): void => {
    const span = this.span;
    if (!span) return;
    const at = this.shown();
    const step = e.shiftKey ? HOUR : (this.histogram?.bucketMs ?? HOUR);
    const origin = e.shiftKey ? span.from - (span.from % HOUR) : (this.histogram?.from ?? span.from);
    let next: number | null;
    switch (e.key) {
      case 'ArrowLeft':
        next = stepTime(at, -1, step, origin, span);
        break;
      case 'ArrowRight':
        next = stepTime(at, 1, step, origin, span);
        break;
      case 'Home':
        next = span.from;
        break;
      case 'End':
        next = this.live ? null : span.to;
        break;
      case ' ':
        e.preventDefault();
        this.togglePlay();
        return;
      default:
        return;
    }
    e.preventDefault();
    // Stepping onto the newest data of a live span is going back to live.
    this.seek(this.live && next !== null && next >= span.to ? null : next, true);
  };

  /** Playing from the live edge has nowhere to go: play starts from a time in the past. */
  private canPlay(): boolean {
    return this.span !== null && !(this.live && this.shown() === null);
  }

  private togglePlay(): void {
    if (this.playing) this.fire('tw-pause', {});
    else if (this.canPlay()) this.fire('tw-play', {});
  }

  protected override render() {
    const span = this.span;
    if (!span) return html`<span class="empty">No data yet: the timeline fills in as events arrive.</span>`;
    const at = this.shown();
    const cursor = at ?? span.to;
    const seconds = span.to - span.from < HOUR;
    const label = formatInstant(cursor, this.timeZone, seconds);
    return html`
      <div class="bar">
        <button class="play" aria-label=${this.playing ? 'Pause' : 'Play'} title=${this.playing ? 'Pause (Space)' : 'Play from the time shown (Space)'} ?disabled=${!this.playing && !this.canPlay()} @click=${() => this.togglePlay()}>
          ${this.playing ? '❚❚' : '▶'}
        </button>
        <select aria-label="Speed" title="Playback speed" @change=${(e: Event) => this.fire<TimelineSpeed>('tw-speed', { speed: Number((e.target as HTMLSelectElement).value) })}>
          ${SPEEDS.map((s) => html`<option value=${s.speed} ?selected=${s.speed === this.speed}>${s.label}</option>`)}
        </select>
        <span class="now" data-at=${at ?? 'live'}>${label}</span>
        ${at === null && this.live ? html`<span class="badge">Live</span>` : nothing}
        ${at !== null && this.live ? html`<button class="live" title="Back to the newest data (End)" @click=${() => this.seek(null, true)}>Live</button>` : nothing}
        ${this.renderLegend()}
      </div>
      <div
        class="track"
        role="slider"
        tabindex="0"
        aria-label="Time"
        aria-valuemin=${span.from}
        aria-valuemax=${span.to}
        aria-valuenow=${cursor}
        aria-valuetext=${at === null && this.live ? `live, ${label}` : label}
        @pointerdown=${this.onDown}
        @pointermove=${this.onMove}
        @pointerup=${this.onUp}
        @pointercancel=${this.onUp}
        @lostpointercapture=${this.onUp}
        @pointerleave=${() => (this.hover = undefined)}
        @keydown=${this.onKey}
      >
        ${this.renderSvg(span, cursor)}
        ${this.renderTip(span)}
      </div>
    `;
  }

  private renderLegend() {
    const h = this.histogram;
    if (!h || h.series.length === 0) return nothing;
    let k = 0;
    return html`<span class="legend">
      ${h.series.map((s) => {
        const total = s.counts.reduce((a, b) => a + b, 0);
        const cls = s.kind === ALERTS ? 'alerts' : `k${Math.min(3, k++)}`;
        return html`<span><svg width="10" height="10" style="margin-right:0.3rem"><rect class=${cls} width="10" height="10" rx="2"></rect></svg>${s.kind} ${total.toLocaleString('en-US')}</span>`;
      })}
    </span>`;
  }

  private renderSvg(span: TimeSpan, cursor: number) {
    const w = this.width;
    const x = timeToX(cursor, span, w);
    const paths = this.histogram ? histogramPaths(this.histogram, span, w, BARS_H) : [];
    let k = 0;
    return html`<svg viewBox="0 0 ${w} ${BARS_H + AXIS_H}" preserveAspectRatio="none" aria-hidden="true">
      ${paths.map((p) => svg`<path class=${p.kind === ALERTS ? 'alerts' : `k${Math.min(3, k++)}`} d=${p.d}></path>`)}
      ${svg`<rect class="future" x=${x} y="0" width=${Math.max(0, w - x)} height=${BARS_H}></rect>`}
      ${svg`<line class="base" x1="0" x2=${w} y1=${BARS_H + 0.5} y2=${BARS_H + 0.5}></line>`}
      ${ticks(span, w, this.timeZone).map((t) => {
        const tx = timeToX(t.t, span, w);
        // Labels at the ends lean inwards instead of being cut off.
        const anchor = tx < 24 ? 'start' : tx > w - 24 ? 'end' : 'middle';
        return svg`<g class="tick ${t.major ? 'major' : ''}" transform="translate(${tx},0)">
          <line y1=${BARS_H} y2=${BARS_H + 4}></line>
          <text y=${BARS_H + 14} text-anchor=${anchor}>${t.label}</text>
        </g>`;
      })}
      ${this.hover !== undefined ? svg`<line class="hover" x1=${timeToX(this.hover, span, w)} x2=${timeToX(this.hover, span, w)} y1="0" y2=${BARS_H}></line>` : nothing}
      ${svg`<line class="cursor" x1=${x} x2=${x} y1="0" y2=${BARS_H}></line><circle class="knob" cx=${x} cy=${BARS_H} r="4"></circle>`}
    </svg>`;
  }

  /** The time under the pointer and what its bucket holds. */
  private renderTip(span: TimeSpan) {
    if (this.hover === undefined) return nothing;
    const bucket = this.histogram ? bucketAt(this.histogram, this.hover) : undefined;
    const counts = bucket?.counts.filter((c) => c.count > 0).map((c) => `${c.kind} ${c.count.toLocaleString('en-US')}`).join(' · ');
    const left = Math.min(92, Math.max(8, (timeToX(this.hover, span, this.width) / this.width) * 100));
    const day = span.to - span.from > 20 * HOUR;
    const seconds = span.to - span.from < HOUR;
    const when = day ? formatInstant(this.hover, this.timeZone, seconds) : formatClock(this.hover, this.timeZone, seconds);
    return html`<span class="tip" style="left:${left}%">${when}${counts ? ` — ${counts}` : ''}</span>`;
  }
}

customElements.define('tw-timeline', TwTimeline);

declare global {
  interface HTMLElementTagNameMap {
    'tw-timeline': TwTimeline;
  }
  interface HTMLElementEventMap {
    'tw-seek': CustomEvent<TimelineSeek>;
    'tw-play': CustomEvent<Record<string, never>>;
    'tw-pause': CustomEvent<Record<string, never>>;
    'tw-speed': CustomEvent<TimelineSpeed>;
  }
}
