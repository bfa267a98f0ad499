/**
 * The live source over MQTT 5, against a real Mosquitto with a WebSocket listener: camera
 * frames take their time from the `ts` user property, a device's retained `status` shows it
 * online as soon as the page subscribes, and its Last Will, published by the broker when the
 * device's connection drops, shows it offline. Also: a broker that is not there is an inline
 * problem in the form, not an exception. Real Chromium, real worker, real Mosquitto.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './browser';
import { freePort, LAYOUT_PATH, sourceView, STORE } from './livePageFixtures';
import { startMosquitto, type TestMosquitto } from './mosquitto';
import { useWorkbench } from './session';

const session = useWorkbench();
let mosquitto: TestMosquitto;
let wsUrl: string;
let page: Page;
let errors: string[];
let form: Locator;

const CAMERA = 'cam-front';
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x80, 0xfe, 0xff, 0xd9]);
const topic = (rest: string) => `backroom/v1/${STORE}/${rest}`;

beforeAll(async () => {
  const wsPort = await freePort();
  mosquitto = await startMosquitto({ config: [`listener ${wsPort} 127.0.0.1`, 'protocol websockets'] });
  wsUrl = `ws://127.0.0.1:${wsPort}`;
});
afterAll(() => mosquitto?.stop());

/** A camera as a device would connect: MQTT 5, its status topic as its Last Will. */
async function camera(willTs: number): Promise<MqttClient> {
  return mqtt.connectAsync(mosquitto.url, {
    protocolVersion: 5,
    clientId: 'camera-front',
    reconnectPeriod: 0,
    will: { topic: topic(`status/${CAMERA}`), payload: Buffer.from(JSON.stringify({ ts: new Date(willTs).toISOString(), online: false })), qos: 1, retain: true },
  });
}

async function connectForm(url: string, protocol: '3.1.1' | '5'): Promise<void> {
  await form.locator('input[name=url]').fill(url);
  await form.locator('input[name=store]').fill(STORE);
  await form.locator('select[name=protocol]').selectOption(protocol);
  await form.getByRole('button', { name: 'Connect' }).click();
}

describe('the live source over MQTT 5 (Mosquitto)', () => {
  beforeAll(async () => {
    ({ page, errors } = await openPage(session.browser()));
    await page.goto(`${session.server().url}?layout=/${LAYOUT_PATH}`);
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
    form = page.locator('tw-connect-panel');
    // No broker offered: the page starts on the scenario source; the picker shows the form.
    await page.locator('tw-app [data-source-kind=live]').click();
    // No broker offered at /api/config: the form starts empty but for the layout's store.
    expect(await form.locator('input[name=url]').inputValue()).toBe('');
    expect(await form.locator('input[name=store]').inputValue()).toBe(STORE);
  });

  it('says inline when the address is not a WebSocket one, or nothing answers there', async () => {
    await connectForm(mosquitto.url, '5');
    await expect.poll(() => form.locator('[data-problem=broker-url]').textContent()).toContain('must start with ws:// or wss://');
    const dead = `ws://127.0.0.1:${await freePort()}`;
    await connectForm(dead, '5');
    await expect.poll(() => form.locator('[data-problem=broker-connection]').textContent(), { timeout: 20_000 }).toContain(`Cannot reach ${dead} yet`);
    await form.getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(async () => (await sourceView(page))?.status.phase).toBe('stopped');
  });

  it('takes presence from the retained status and the Last Will, and a frame\'s time from its ts property', async () => {
    const t0 = Date.now() - 60_000;
    // The device comes up before the page subscribes: its retained status is what the page gets.
    const device = await camera(t0 + 30_000);
    await device.publishAsync(topic(`status/${CAMERA}`), JSON.stringify({ ts: new Date(t0).toISOString(), online: true }), { qos: 1, retain: true });

    await connectForm(wsUrl, '5');
    await expect.poll(async () => (await sourceView(page))?.status.phase, { timeout: 20_000 }).toBe('connected');
    await page.waitForFunction((cam) => window.__twin!.twin()?.devices.get(cam)?.online === true, CAMERA, { timeout: 20_000 });

    const frameTs = [t0 + 1000, t0 + 2000, t0 + 3000];
    for (const ts of frameTs) await device.publishAsync(topic(`camera/${CAMERA}/frame`), Buffer.from(JPEG), { qos: 0, properties: { userProperties: { ts: new Date(ts).toISOString() } } });
    await page.waitForFunction((cam) => window.__twin!.twin()?.cameras.get(cam)?.frames === 3, CAMERA, { timeout: 20_000 });
    const cam = await page.evaluate((c) => window.__twin!.twin()!.cameras.get(c), CAMERA);
    // Arrival would be now; the property said a minute ago.
    expect(cam!.lastFrameTs).toBe(frameTs.at(-1));

    // The device drops off the network without a goodbye: the broker publishes its Last Will.
    device.stream.destroy();
    await page.waitForFunction((c) => window.__twin!.twin()?.devices.get(c)?.online === false, CAMERA, { timeout: 30_000 });
    expect(await page.locator('tw-status-bar [data-stat=devices]').textContent()).toBe('0 / 1');
    const view = (await sourceView(page))!;
    expect(view.totals).toMatchObject({ messages: 5, accepted: 5, quarantined: 0 });
    expect(view.totals!.byType).toEqual({ status: 2, frame: 3 });
    device.end(true);
    await form.getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(async () => (await sourceView(page))?.status.phase).toBe('stopped');
    expect(errors).toEqual([]);
  });
});
