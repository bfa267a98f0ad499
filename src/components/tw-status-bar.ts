/**
 * One line for whatever source is active: what it is, its state (connected, offline,
 * playing…), messages a second, totals, the quarantine, the lag behind real time (for a live
 * source: now minus the newest `ts`), devices online, and its problems. Offers only the
 * controls the source declares: Stop for `stop`, Record and Download for `record`.
 *
 * One line of fixed height whatever it shows: a bar that grew a line as figures came and went
 * would resize the 3D view above it, and a resize reallocates the view's buffers (a long
 * frame in the middle of a burst).
 */
import { css, html, LitElement, nothing } from 'lit';
import type { ActiveSource, SourceView } from '../sources/ActiveSource';
import type { SourcePhase } from '../sources/TelemetrySource';

const PHASE_WORDS: Record<SourcePhase, string> = {
  starting: 'starting',
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  offline: 'offline',
  playing: 'playing',
  ended: 'ended',
  stopped: 'stopped',
  failed: 'failed',
};

export class TwStatusBar extends LitElement {
  static override properties = { feed: { attribute: false }, view: { attribute: false }, store: { attribute: false }, busy: { state: true } };

  static override styles = css`
    :host { display: flex; flex-wrap: nowrap; align-items: center; gap: 1.1rem; padding: 0 1rem; height: 2rem; box-sizing: border-box; overflow: hidden; white-space: nowrap; border-top: 1px solid var(--tw-border); background: var(--tw-panel); font-size: 0.85rem; font-variant-numeric: tabular-nums; }
    :host > * { flex: none; }
    .name { font-weight: 600; flex: 0 1 auto; max-width: 24rem; min-width: 10rem; overflow: hidden; text-overflow: ellipsis; }
    .phase { padding: 0.05rem 0.45rem; border-radius: 999px; border: 1px solid var(--tw-border); }
    .phase[data-phase='connected'], .phase[data-phase='playing'] { border-color: #2e9d5b; color: #2e9d5b; }
    .phase[data-phase='offline'], .phase[data-phase='reconnecting'], .phase[data-phase='connecting'] { border-color: #c98a12; color: #c98a12; }
    .phase[data-phase='failed'] { border-color: var(--tw-danger); color: var(--tw-danger); }
    .stat { color: var(--tw-muted); }
    .stat b { color: var(--tw-fg); font-weight: 600; }
    .quarantined b { color: var(--tw-danger); }
    .problem { color: var(--tw-danger); flex: 0 1 auto; min-width: 4rem; overflow: hidden; text-overflow: ellipsis; }
    .problem[data-severity='warning'] { color: #c98a12; }
    .idle { color: var(--tw-muted); overflow: hidden; text-overflow: ellipsis; }
    button { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.1rem 0.55rem; cursor: pointer; }
    button.rec { border-color: var(--tw-danger); color: var(--tw-danger); }
  `;

  declare feed: ActiveSource | undefined;
  declare view: SourceView | undefined;
  /** The open layout's store id, for the recording's file name. */
  declare store: string | undefined;
  declare private busy: boolean;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.feed = undefined;
    this.view = undefined;
    this.store = undefined;
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Rate and lag move with the clock, not only when a batch comes.
    this.timer = setInterval(() => {
      if (this.view?.running) this.requestUpdate();
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  protected override render() {
    const v = this.view;
    if (!v) return html`<span class="idle" data-phase="none">No source: connect to a broker, replay a recording or run a scenario.</span>`;
    const t = v.totals;
    const can = (c: string) => v.capabilities.includes(c as never);
    const lag = this.feed?.lag() ?? null;
    const devices = this.devices();
    return html`
      <span class="name" title=${v.name}>${v.name}</span>
      <span class="phase" data-phase=${v.status.phase} title=${v.status.detail ?? ''}>${PHASE_WORDS[v.status.phase]}</span>
      ${can('stop') && v.running ? html`<button data-action="stop" @click=${() => void this.feed?.stop()}>Stop</button>` : nothing}
      ${can('record') && (v.running || v.recording) ? this.renderRecord(v) : nothing}
      <span class="stat">msgs/s <b data-stat="rate">${Math.round(this.feed?.rate() ?? v.rate).toLocaleString('en-US')}</b></span>
      <span class="stat">messages <b data-stat="messages">${(t?.messages ?? 0).toLocaleString('en-US')}</b></span>
      <span class="stat">accepted <b data-stat="accepted">${(t?.accepted ?? 0).toLocaleString('en-US')}</b></span>
      ${t?.duplicates ? html`<span class="stat">duplicates <b data-stat="duplicates">${t.duplicates.toLocaleString('en-US')}</b></span>` : nothing}
      <span class="stat ${t?.quarantined ? 'quarantined' : ''}">quarantined <b data-stat="quarantined">${(t?.quarantined ?? 0).toLocaleString('en-US')}</b></span>
      ${v.realtime ? html`<span class="stat">lag <b data-stat="lag">${lag === null ? '—' : formatLag(lag)}</b></span>` : nothing}
      ${v.status.clock !== undefined ? html`<span class="stat">at <b data-stat="clock">${new Date(v.status.clock).toISOString().slice(0, 16).replace('T', ' ')} UTC</b></span>` : nothing}
      ${v.status.progress !== undefined && v.running ? html`<span class="stat"><b data-stat="progress">${Math.floor(v.status.progress * 100)} %</b></span>` : nothing}
      ${devices ? html`<span class="stat">devices online <b data-stat="devices">${devices.online} / ${devices.known}</b></span>` : nothing}
      ${v.backlog > 0 ? html`<span class="stat">behind <b data-stat="backlog">${v.backlog.toLocaleString('en-US')}</b></span>` : nothing}
      ${v.status.recorded !== undefined ? html`<span class="stat">recording <b data-stat="recorded">${v.status.recorded.toLocaleString('en-US')}</b></span>` : nothing}
      ${v.error ? html`<span class="problem" role="alert">${v.error}</span>` : nothing}
      ${v.status.problems.map((p) => html`<span class="problem" role="alert" data-problem=${p.id} data-severity=${p.severity} title=${p.tip ?? ''}>${p.message}</span>`)}
    `;
  }

  private renderRecord(v: SourceView) {
    return v.recording
      ? html`<button class="rec" data-action="download" title="Stops recording and downloads what was recorded as a .jsonl file" ?disabled=${this.busy} @click=${this.download}>Download recording</button>`
      : html`<button data-action="record" ?disabled=${this.busy || !v.running} @click=${this.record}>Record</button>`;
  }

  private devices(): { online: number; known: number } | undefined {
    const devices = this.feed?.twin?.devices;
    if (!devices || devices.size === 0) return undefined;
    let online = 0;
    for (const d of devices.values()) if (d.online) online++;
    return { online, known: devices.size };
  }

  private readonly record = async (): Promise<void> => {
    this.busy = true;
    try {
      await this.feed?.startRecording();
    } finally {
      this.busy = false;
    }
  };

  private readonly download = async (): Promise<void> => {
    if (!this.feed) return;
    this.busy = true;
    try {
      const blob = await this.feed.stopRecording();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${this.store ?? 'backroom'}-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}.jsonl`;
      this.renderRoot.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
    } finally {
      this.busy = false;
    }
  };
}

/** 850 ms, 12 s, 4 min, 3 h, 2 d. */
export function formatLag(ms: number): string {
  const a = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (a < 1000) return `${sign}${Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 1 : 0)} s`;
  if (a < 3600_000) return `${sign}${Math.round(a / 60_000)} min`;
  if (a < 86_400_000) return `${sign}${Math.round(a / 3600_000)} h`;
  return `${sign}${Math.round(a / 86_400_000)} d`;
}

customElements.define('tw-status-bar', TwStatusBar);

declare global {
  interface HTMLElementTagNameMap {
    'tw-status-bar': TwStatusBar;
  }
}
