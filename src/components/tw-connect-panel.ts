/**
 * Connects the workbench to a store's broker: address (ws:// or wss://), store id (the open
 * layout's by default), MQTT 3.1.1 or 5, optional username and password, and "remember".
 * The first values are what this browser remembered, else what `npm start` serves at
 * /api/config, else an empty form. The address, store and protocol are remembered on
 * connect; the credentials only when "remember" is ticked (otherwise any kept before are
 * forgotten). What keeps a connection from being tried (a bad address, a store the layout
 * is not for) and what goes wrong with it (refused, unreachable, lost) is shown inline.
 */
import { css, html, LitElement, nothing } from 'lit';
import type { Problem } from '../core/Problem';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Rules } from '../rules/Rules';
import type { ActiveSource, SourceView } from '../sources/ActiveSource';
import { LiveSource } from '../sources/LiveSource';
import { autoConnectSettings, checkSettings, clientIdFor, fetchBrokerConfig, initialSettings, loadSettings, pageStorage, saveSettings, type BrokerSettings, type Protocol, type SettingsStorage } from './brokerSettings';

export class TwConnectPanel extends LitElement {
  static override properties = {
    rules: { attribute: false },
    index: { attribute: false },
    layoutText: { attribute: false },
    feed: { attribute: false },
    view: { attribute: false },
    settings: { state: true },
    problems: { state: true },
  };

  static override styles = css`
    :host { display: block; }
    :host([hidden]) { display: none; }
    h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--tw-muted); margin: 0 0 0.5rem; }
    form { display: grid; gap: 0.35rem; }
    label { display: grid; gap: 0.1rem; color: var(--tw-muted); font-size: 0.9em; }
    label.check { display: flex; align-items: center; gap: 0.4rem; }
    input, select { font: inherit; color: var(--tw-fg); background: var(--tw-bg); border: 1px solid var(--tw-border); border-radius: 4px; padding: 0.2rem 0.35rem; min-width: 0; }
    .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.4rem; }
    .row { display: flex; gap: 0.5rem; align-items: center; margin-top: 0.25rem; }
    button { font: inherit; font-weight: 600; padding: 0.35rem 0.9rem; border-radius: 6px; border: 1px solid var(--tw-border); cursor: pointer; background: var(--tw-accent); color: var(--tw-on-accent); }
    button.secondary { background: none; color: var(--tw-fg); }
    ul.problems { list-style: none; margin: 0.4rem 0 0; padding: 0; display: grid; gap: 0.25rem; }
    .problem { color: var(--tw-danger); font-size: 0.9em; }
    .problem[data-severity='warning'] { color: #c98a12; }
    .tip { display: block; color: var(--tw-muted); }
    .hint { color: var(--tw-muted); font-size: 0.85em; margin: 0.3rem 0 0; }
  `;

  declare index: LayoutIndex | undefined;
  declare layoutText: string | undefined;
  /** The rules a source run from here evaluates (the shipped ones when undefined). */
  declare rules: Rules | undefined;
  declare feed: ActiveSource | undefined;
  /** The active source's view, passed down so this re-renders as it changes. */
  declare view: SourceView | undefined;
  declare private settings: BrokerSettings | undefined;
  /** What stopped the last Connect before it was tried. */
  declare private problems: readonly Problem[];
  /** The live source this panel started last. */
  private source: LiveSource | undefined;
  /** Where settings are kept (localStorage; tests may pass another). */
  storage: SettingsStorage = pageStorage();
  private defaultsRequested = false;
  /** The last connection was made by autoConnect (the hint says so). */
  private autoConnected = false;

  constructor() {
    super();
    this.index = undefined;
    this.layoutText = undefined;
    this.rules = undefined;
    this.feed = undefined;
    this.view = undefined;
    this.settings = undefined;
    this.problems = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.defaultsRequested) {
      this.defaultsRequested = true;
      void this.loadDefaults();
    }
  }

  /** Whether the active source is this panel's live connection and still going. */
  get live(): boolean {
    return !!this.source && this.feed?.source === this.source && !!this.feed.view?.running;
  }

  private async loadDefaults(): Promise<void> {
    const remembered = loadSettings(this.storage);
    const served = remembered?.url ? undefined : await fetchBrokerConfig();
    // The user may have typed meanwhile: only an untouched form takes the defaults.
    if (!this.settings) this.settings = initialSettings(remembered, served, this.index?.store);
  }

  /**
   * Connects to the broker the server offers (`npm start`'s embedded one) with no click, as
   * a newcomer expects: returns false, leaving the form as it is, when none is offered or it
   * is for another store than the open layout's, or when this panel is already live.
   */
  async autoConnect(): Promise<boolean> {
    if (this.live) return false;
    const settings = autoConnectSettings(loadSettings(this.storage), await fetchBrokerConfig(), this.index?.store);
    if (!settings || this.live) return false;
    this.autoConnected = true;
    return this.connect(settings);
  }

  /** Connects with the given settings (the form's Connect does this with what is in the form). */
  connect(settings: BrokerSettings): boolean {
    this.settings = settings;
    const index = this.index;
    this.problems = checkSettings(settings, index?.store);
    if (this.problems.length || !index || !this.layoutText || !this.feed) return false;
    saveSettings(this.storage, settings);
    this.source = new LiveSource({
      layoutText: this.layoutText,
      ...(this.rules ? { pump: { rules: this.rules } } : {}),
      connection: {
        url: settings.url,
        store: settings.store,
        protocol: settings.protocol,
        clientId: clientIdFor(this.storage, settings.store),
        ...(settings.username ? { username: settings.username } : {}),
        ...(settings.password ? { password: settings.password } : {}),
        connectTimeoutMs: 10_000,
        reconnect: { minMs: 500, maxMs: 15_000 },
      },
    });
    void this.feed.play(this.source, index);
    return true;
  }

  async disconnect(): Promise<void> {
    if (this.live) await this.feed!.stop();
  }

  private readonly onSubmit = (e: SubmitEvent): void => {
    e.preventDefault();
    if (this.live) {
      void this.disconnect();
      return;
    }
    this.autoConnected = false;
    const form = e.target as HTMLFormElement;
    const v = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value.trim();
    this.connect({
      url: v('url'),
      store: v('store'),
      protocol: v('protocol') as Protocol,
      username: v('username'),
      password: (form.elements.namedItem('password') as HTMLInputElement).value,
      remember: (form.elements.namedItem('remember') as HTMLInputElement).checked,
    });
  };

  protected override render() {
    const s = this.settings ?? initialSettings(undefined, undefined, this.index?.store);
    const live = this.live;
    const ours = !!this.source && this.feed?.source === this.source;
    const shown = [...this.problems, ...(ours ? (this.view?.status.problems ?? []) : []), ...(ours && this.view?.error ? [{ id: 'live-source', severity: 'error' as const, message: this.view.error }] : [])];
    return html`
      <h2>Live broker</h2>
      <form @submit=${this.onSubmit}>
        <label>Broker address <input name="url" placeholder="ws://127.0.0.1:8080" .value=${s.url} ?disabled=${live} autocomplete="url" /></label>
        <div class="pair">
          <label>Store <input name="store" .value=${s.store} ?disabled=${live} /></label>
          <label>Protocol
            <select name="protocol" ?disabled=${live}>
              <option value="3.1.1" ?selected=${s.protocol === '3.1.1'}>MQTT 3.1.1</option>
              <option value="5" ?selected=${s.protocol === '5'}>MQTT 5</option>
            </select>
          </label>
        </div>
        <div class="pair">
          <label>Username <input name="username" .value=${s.username} ?disabled=${live} autocomplete="off" /></label>
          <label>Password <input name="password" type="password" .value=${s.password} ?disabled=${live} autocomplete="off" /></label>
        </div>
        <label class="check"><input type="checkbox" name="remember" .checked=${s.remember} ?disabled=${live} /> Remember the username and password in this browser</label>
        <div class="row">
          ${live
            ? html`<button type="submit" class="secondary">Disconnect</button>`
            : html`<button type="submit" ?disabled=${!this.index}>Connect</button>`}
        </div>
      </form>
      ${shown.length
        ? html`<ul class="problems">
            ${shown.map((p) => html`<li class="problem" role="alert" data-problem=${p.id} data-severity=${p.severity}>${p.message}${p.tip ? html`<span class="tip">${p.tip}</span>` : nothing}</li>`)}
          </ul>`
        : nothing}
      ${live && this.autoConnected ? html`<p class="hint" data-auto-connected>Connected by itself to the broker this server runs (npm start). Disconnect to use another.</p>` : nothing}
      <p class="hint">The broker keeps what is published while you are away (a persistent session for this browser).</p>
    `;
  }
}

customElements.define('tw-connect-panel', TwConnectPanel);

declare global {
  interface HTMLElementTagNameMap {
    'tw-connect-panel': TwConnectPanel;
  }
}
