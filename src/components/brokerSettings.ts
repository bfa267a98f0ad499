/**
 * The connect form's settings: where they come from (what this browser remembered, else what
 * `npm start` serves at /api/config, else the open layout's store id), what is kept in
 * localStorage (address, store and protocol always; the username and password only when the
 * user ticks "remember"), the client id that makes the broker keep our session, and the
 * checks made before connecting. No DOM: storage and fetch are passed in.
 */
import type { Problem } from '../core/Problem';
import { ID_PATTERN } from '../core/patterns';
import { fetchWorkbenchConfig } from './fetchWorkbenchConfig';

export type Protocol = '3.1.1' | '5';

export interface BrokerSettings {
  /** ws:// or wss:// (a page can only speak MQTT over WebSocket). */
  readonly url: string;
  readonly store: string;
  readonly protocol: Protocol;
  readonly username: string;
  readonly password: string;
  /** Keep the username and password in this browser too. */
  readonly remember: boolean;
}

/** The slice of Web Storage used (localStorage in the page, a Map in tests). */
export type SettingsStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const SETTINGS_KEY = 'backroom-twin.broker';
export const BROWSER_ID_KEY = 'backroom-twin.browser-id';

export const EMPTY_SETTINGS: BrokerSettings = { url: '', store: '', protocol: '3.1.1', username: '', password: '', remember: false };

/** The page's localStorage, or a store that forgets on reload where the browser refuses one (storage blocked). */
export function pageStorage(): SettingsStorage {
  try {
    const s = globalThis.localStorage;
    s.getItem(SETTINGS_KEY);
    return s;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
  }
}

/** What this browser remembered, if anything. */
export function loadSettings(storage: SettingsStorage): Partial<BrokerSettings> | undefined {
  let o: unknown;
  try {
    o = JSON.parse(storage.getItem(SETTINGS_KEY) ?? 'null');
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null) return undefined;
  const r = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ['url', 'store', 'username', 'password'] as const) if (typeof r[k] === 'string') out[k] = r[k];
  if (r.protocol === '3.1.1' || r.protocol === '5') out.protocol = r.protocol;
  if (typeof r.remember === 'boolean') out.remember = r.remember;
  return out as Partial<BrokerSettings>;
}

/** Remembers the address, store and protocol; the credentials only with `remember`, and forgets them otherwise. */
export function saveSettings(storage: SettingsStorage, s: BrokerSettings): void {
  const kept: Record<string, unknown> = { url: s.url, store: s.store, protocol: s.protocol, remember: s.remember };
  if (s.remember) {
    kept.username = s.username;
    kept.password = s.password;
  }
  storage.setItem(SETTINGS_KEY, JSON.stringify(kept));
}

/**
 * The broker `npm start` offers at /api/config, or undefined: a server without that answer
 * (a static host), one with `broker: null` (`npm start --no-broker`) or one that fails gives
 * nothing, and the form starts empty.
 */
export async function fetchBrokerConfig(fetcher?: typeof fetch): Promise<Partial<BrokerSettings> | undefined> {
  const broker = (await fetchWorkbenchConfig(fetcher))?.broker;
  return broker ? { ...broker } : undefined;
}

/** The form's first values: remembered, else the server's, else empty with the layout's store. */
export function initialSettings(remembered: Partial<BrokerSettings> | undefined, served: Partial<BrokerSettings> | undefined, layoutStore: string | undefined): BrokerSettings {
  const base = remembered?.url ? remembered : (served ?? {});
  return { ...EMPTY_SETTINGS, store: layoutStore ?? '', ...base, ...(remembered?.remember !== undefined ? { remember: remembered.remember } : {}) };
}

/**
 * What the page connects with by itself when the server offers a broker (`npm start`): the
 * served address, store and protocol, with the credentials this browser remembered for that
 * same address. Undefined when nothing is served or the served store is not the open
 * layout's (connecting would quarantine every message).
 */
export function autoConnectSettings(remembered: Partial<BrokerSettings> | undefined, served: Partial<BrokerSettings> | undefined, layoutStore: string | undefined): BrokerSettings | undefined {
  if (!served?.url || !served.store || (layoutStore !== undefined && served.store !== layoutStore)) return undefined;
  const sameBroker = remembered?.url === served.url && remembered.store === served.store;
  return {
    ...EMPTY_SETTINGS,
    ...served,
    ...(sameBroker && remembered.remember ? { username: remembered.username ?? '', password: remembered.password ?? '', remember: true } : {}),
  } as BrokerSettings;
}

/**
 * The client id for a store: the same every time in this browser, so the broker resumes our
 * persistent session (and what it queued while we were away). Per store, because a session
 * keeps its subscriptions. A random id, not a credential.
 */
export function clientIdFor(storage: SettingsStorage, store: string, random: () => number = Math.random): string {
  let id = storage.getItem(BROWSER_ID_KEY);
  if (!id || !/^[0-9a-f]{12}$/.test(id)) {
    id = Array.from({ length: 12 }, () => Math.floor(random() * 16).toString(16)).join('');
    storage.setItem(BROWSER_ID_KEY, id);
  }
  return `twin-${store}-${id}`;
}

/** What stops a connection before it is tried, as problems to show beside the form. */
export function checkSettings(s: BrokerSettings, layoutStore: string | undefined): Problem[] {
  const problems: Problem[] = [];
  let url: URL | undefined;
  try {
    url = new URL(s.url);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) {
    problems.push({ id: 'broker-url', severity: 'error', message: `The broker address must start with ws:// or wss://${s.url ? `, not ${JSON.stringify(s.url)}` : ''}.`, tip: 'A page can only reach MQTT over WebSocket, e.g. ws://127.0.0.1:8080.' });
  } else if (url.username || url.password) {
    // The address is remembered and shown; credentials in it would be too.
    problems.push({ id: 'broker-url', severity: 'error', message: 'Put the username and password in their own fields, not in the broker address.' });
  }
  if (!ID_PATTERN.test(s.store)) problems.push({ id: 'broker-store', severity: 'error', message: 'The store id must be 1 to 64 letters, digits, - or _.' });
  else if (layoutStore !== undefined && s.store !== layoutStore) {
    problems.push({
      id: 'broker-layout',
      severity: 'error',
      message: `The open layout is for store ${layoutStore}, not ${s.store}: every message would be quarantined as wrong_store.`,
      tip: `Open the layout of ${s.store}, or connect to ${layoutStore}.`,
    });
  }
  if (s.password && !s.username) problems.push({ id: 'broker-username', severity: 'error', message: 'A password needs a username.' });
  return problems;
}
