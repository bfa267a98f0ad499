/**
 * Replays a recording file (`.jsonl` or `.jsonl.gz`, as the live view's Record makes, as
 * `twin simulate` writes) on the open layout: the file is read and ingested in a worker and
 * replayed as fast as the page takes it, through the same pipeline as a live broker.
 */
import { css, html, LitElement } from 'lit';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Rules } from '../rules/Rules';
import type { ActiveSource } from '../sources/ActiveSource';
import { RecordingSource } from '../sources/RecordingSource';

export class TwReplayPanel extends LitElement {
  static override properties = { rules: { attribute: false }, index: { attribute: false }, layoutText: { attribute: false }, feed: { attribute: false } };

  static override styles = css`
    :host { display: block; }
    :host([hidden]) { display: none; }
    h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 0 0 0.5rem; }
    .open { display: inline-block; padding: 0.35rem 0.9rem; border-radius: 6px; border: 1px solid var(--tw-border); font-weight: 600; cursor: pointer; }
    .open:focus-within { outline: 2px solid var(--tw-fg); outline-offset: 2px; }
    .open input { position: absolute; width: 1px; height: 1px; opacity: 0; }
    .hint { color: var(--tw-muted); font-size: 0.85em; margin: 0.3rem 0 0; }
  `;

  declare index: LayoutIndex | undefined;
  declare layoutText: string | undefined;
  /** The rules a source run from here evaluates (the shipped ones when undefined). */
  declare rules: Rules | undefined;
  declare feed: ActiveSource | undefined;

  constructor() {
    super();
    this.index = undefined;
    this.layoutText = undefined;
    this.rules = undefined;
    this.feed = undefined;
  }

  /** Replays `file` on the open layout; resolves when the replay ends. */
  async replay(file: File): Promise<void> {
    if (!this.index || !this.layoutText || !this.feed) return;
    await this.feed.play(new RecordingSource({ layoutText: this.layoutText, ...(this.rules ? { pump: { rules: this.rules } } : {}), file, name: file.name }), this.index);
  }

  private readonly onFile = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so choosing the same file again replays it again.
    input.value = '';
    if (file) void this.replay(file);
  };

  protected override render() {
    return html`
      <h2>Replay a recording</h2>
      <label class="open">Replay recording…<input type="file" name="recording" accept=".jsonl,.gz,application/x-ndjson" @change=${this.onFile} /></label>
      <p class="hint">A .jsonl (or .jsonl.gz) recording, read on the open layout as fast as the page takes it.</p>
    `;
  }
}

customElements.define('tw-replay-panel', TwReplayPanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-replay-panel': TwReplayPanel;
  }
}
