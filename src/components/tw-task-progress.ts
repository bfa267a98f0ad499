/**
 * Long tasks under way (an import, an export, a replay seek): a bar each, with Cancel where
 * the task can be cancelled (`tw-cancel` {id}). Shows nothing when there is no task.
 */
import { css, html, LitElement, nothing } from 'lit';

export interface TaskView {
  readonly id: string;
  readonly label: string;
  /** Done so far, 0…1; null when unknown (the bar sweeps instead). */
  readonly progress: number | null;
  readonly cancellable: boolean;
}

/** `tw-cancel`: the user asks to cancel this task. */
export interface TaskCancel {
  readonly id: string;
}

export class TwTaskProgress extends LitElement {
  static override properties = { tasks: { attribute: false } };

  static override styles = css`
    /* One grid for all tasks, so labels, bars and percentages line up from task to task. */
    :host { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr 3rem auto; align-items: center; gap: 0.3rem 0.6rem; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
    :host([hidden]) { display: none; }
    .task { display: contents; }
    .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 18rem; }
    .track { position: relative; height: 0.4rem; border-radius: 999px; background: var(--tw-border); overflow: hidden; }
    .fill { position: absolute; inset: 0 auto 0 0; background: var(--tw-accent); border-radius: inherit; transition: width 0.2s ease-out; }
    .fill.sweep { width: 30%; animation: sweep 1.2s ease-in-out infinite; }
    @keyframes sweep { from { left: -30%; } to { left: 100%; } }
    @media (prefers-reduced-motion: reduce) { .fill.sweep { animation: none; width: 100%; opacity: 0.5; } .fill { transition: none; } }
    .pct { color: var(--tw-muted); text-align: right; }
    button { font: inherit; color: inherit; background: none; border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.05rem 0.5rem; cursor: pointer; }
    button:hover { border-color: var(--tw-danger); color: var(--tw-danger); }
  `;

  declare tasks: readonly TaskView[];

  constructor() {
    super();
    this.tasks = [];
  }

  private cancel(id: string): void {
    this.dispatchEvent(new CustomEvent<TaskCancel>('tw-cancel', { detail: { id }, bubbles: true, composed: true }));
  }

  protected override render() {
    return this.tasks.map((t) => {
      const p = t.progress === null ? null : Math.min(1, Math.max(0, t.progress));
      return html`<div class="task" data-task=${t.id}>
        <span class="label" title=${t.label}>${t.label}</span>
        <div
          class="track"
          role="progressbar"
          aria-label=${t.label}
          aria-valuemin="0"
          aria-valuemax="100"
          aria-valuenow=${p === null ? nothing : Math.round(p * 100)}
        >
          <div class="fill ${p === null ? 'sweep' : ''}" style=${p === null ? '' : `width:${p * 100}%`}></div>
        </div>
        <span class="pct">${p === null ? '' : `${Math.floor(p * 100)} %`}</span>
        ${t.cancellable ? html`<button aria-label="Cancel ${t.label}" @click=${() => this.cancel(t.id)}>Cancel</button>` : html`<span></span>`}
      </div>`;
    });
  }
}

customElements.define('tw-task-progress', TwTaskProgress);

declare global {
  interface HTMLElementTagNameMap {
    'tw-task-progress': TwTaskProgress;
  }
  interface HTMLElementEventMap {
    'tw-cancel': CustomEvent<TaskCancel>;
  }
}
