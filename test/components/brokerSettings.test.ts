import { describe, expect, it } from 'vitest';
import { autoConnectSettings, BROWSER_ID_KEY, checkSettings, clientIdFor, EMPTY_SETTINGS, fetchBrokerConfig, initialSettings, loadSettings, saveSettings, SETTINGS_KEY, type BrokerSettings } from '../../src/components/brokerSettings';

function memoryStorage() {
  const m = new Map<string, string>();
  return { map: m, getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

const S: BrokerSettings = { url: 'ws://127.0.0.1:8080', store: 'store-017', protocol: '5', username: 'ops', password: 'hunter2', remember: false };

describe('broker settings', () => {
  it('remembers the address, store and protocol, but the credentials only when asked', () => {
    const storage = memoryStorage();
    saveSettings(storage, S);
    expect(storage.map.get(SETTINGS_KEY)).not.toContain('hunter2');
    expect(storage.map.get(SETTINGS_KEY)).not.toContain('ops');
    expect(loadSettings(storage)).toEqual({ url: S.url, store: S.store, protocol: '5', remember: false });
    saveSettings(storage, { ...S, remember: true });
    expect(loadSettings(storage)).toEqual({ ...S, remember: true });
    // Unticking forgets them again.
    saveSettings(storage, { ...S, remember: false });
    expect(storage.map.get(SETTINGS_KEY)).not.toContain('hunter2');
  });

  it('ignores what it cannot read', () => {
    const storage = memoryStorage();
    expect(loadSettings(storage)).toBeUndefined();
    storage.setItem(SETTINGS_KEY, '{nope');
    expect(loadSettings(storage)).toBeUndefined();
    storage.setItem(SETTINGS_KEY, JSON.stringify({ url: 3, protocol: '4', store: 'x' }));
    expect(loadSettings(storage)).toEqual({ store: 'x' });
  });

  it('starts from what was remembered, else what the server offers, else empty with the layout\'s store', () => {
    expect(initialSettings(undefined, undefined, 'store-9')).toEqual({ ...EMPTY_SETTINGS, store: 'store-9' });
    expect(initialSettings(undefined, { url: 'ws://h:1', store: 'store-1', protocol: '3.1.1' }, 'store-9')).toMatchObject({ url: 'ws://h:1', store: 'store-1' });
    expect(initialSettings({ url: 'wss://b', store: 's', protocol: '5', remember: true, username: 'u' }, { url: 'ws://h:1' }, 'x')).toEqual({ url: 'wss://b', store: 's', protocol: '5', remember: true, username: 'u', password: '' });
  });

  it('reads /api/config, and takes a missing or foreign answer as none', async () => {
    const answer = (body: string, type = 'application/json', status = 200) => async () => new Response(body, { status, headers: { 'content-type': type } });
    const cfg = { broker: { url: 'ws://127.0.0.1:9001', store: 'store-042', protocol: '3.1.1' }, scenario: 'x', speed: 60, layout: null };
    expect(await fetchBrokerConfig(answer(JSON.stringify(cfg)) as typeof fetch)).toEqual(cfg.broker);
    expect(await fetchBrokerConfig(answer(JSON.stringify({ ...cfg, broker: null })) as typeof fetch)).toBeUndefined();
    expect(await fetchBrokerConfig(answer('<html>', 'text/html') as typeof fetch)).toBeUndefined();
    expect(await fetchBrokerConfig(answer('', 'text/plain', 404) as typeof fetch)).toBeUndefined();
    expect(await fetchBrokerConfig((async () => { throw new TypeError('offline'); }) as typeof fetch)).toBeUndefined();
  });

  it('gives this browser one client id per store, kept across loads', () => {
    const storage = memoryStorage();
    const a = clientIdFor(storage, 'store-017', () => 0.5);
    expect(a).toBe('twin-store-017-888888888888');
    expect(clientIdFor(storage, 'store-017')).toBe(a);
    expect(clientIdFor(storage, 'store-042')).toBe('twin-store-042-888888888888');
    storage.setItem(BROWSER_ID_KEY, 'garbage');
    expect(clientIdFor(storage, 'store-017', () => 0.1)).toBe('twin-store-017-111111111111');
  });

  it('refuses a non-WebSocket address, a bad store id and a store the layout is not for', () => {
    expect(checkSettings(S, 'store-017')).toEqual([]);
    expect(checkSettings({ ...S, url: 'mqtt://h:1883' }, 'store-017').map((p) => p.id)).toEqual(['broker-url']);
    expect(checkSettings({ ...S, url: '' }, 'store-017')[0]!.message).toBe('The broker address must start with ws:// or wss://.');
    expect(checkSettings({ ...S, url: 'wss://ops:secret@broker:443' }, 'store-017')[0]!.message).toMatch(/own fields/);
    expect(checkSettings({ ...S, store: 'bad store' }, 'store-017').map((p) => p.id)).toEqual(['broker-store']);
    const mismatch = checkSettings({ ...S, store: 'store-042' }, 'store-017');
    expect(mismatch.map((p) => p.id)).toEqual(['broker-layout']);
    expect(mismatch[0]!.message).toContain('The open layout is for store store-017, not store-042');
    expect(checkSettings({ ...S, username: '' }, 'store-017').map((p) => p.id)).toEqual(['broker-username']);
  });
});

describe('connecting by itself to the broker npm start serves', () => {
  const served = { url: 'ws://127.0.0.1:9001', store: 'store-042', protocol: '3.1.1' as const };
  it('uses the served broker for the open layout, with credentials remembered for that same broker', () => {
    expect(autoConnectSettings(undefined, served, 'store-042')).toEqual({ ...EMPTY_SETTINGS, ...served });
    const remembered = { ...served, username: 'sup', password: 'pw', remember: true };
    expect(autoConnectSettings(remembered, served, 'store-042')).toMatchObject({ username: 'sup', password: 'pw', remember: true });
    // Credentials remembered for another broker are not sent to this one.
    expect(autoConnectSettings({ ...remembered, url: 'wss://other:443' }, served, 'store-042')).toMatchObject({ url: served.url, username: '', password: '' });
  });

  it('does nothing when no broker is served or it is for another store than the open layout', () => {
    expect(autoConnectSettings(undefined, undefined, 'store-042')).toBeUndefined();
    expect(autoConnectSettings(undefined, served, 'store-007')).toBeUndefined();
  });
});
