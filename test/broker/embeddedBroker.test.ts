import { createConnection } from 'node:net';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../src/broker/embeddedBroker';

describe('startEmbeddedBroker', () => {
  it('carries messages between a TCP client and a WebSocket client, on loopback', async () => {
    const broker = await startEmbeddedBroker({ wsPort: 0 });
    try {
      expect(broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
      expect(broker.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      const browserLike = await mqtt.connectAsync(broker.wsUrl!, { reconnectPeriod: 0 });
      const tool = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
      const got = new Promise<string>((resolve) => browserLike.on('message', (_t, p) => resolve(p.toString())));
      await browserLike.subscribeAsync('backroom/v1/s/#', { qos: 1 });
      await tool.publishAsync('backroom/v1/s/inventory/book', 'hello', { qos: 1 });
      expect(await got).toBe('hello');
      await tool.endAsync();
      await browserLike.endAsync();
    } finally {
      await broker.close();
    }
  });

  it('close() ends connected clients and frees the port, and may be called twice', async () => {
    const broker = await startEmbeddedBroker({ wsPort: 0 });
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    client.on('error', () => {});
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    // A raw socket that never sends CONNECT must not hold close() open either.
    const port = Number(new URL(broker.url).port);
    const idle = createConnection(port, '127.0.0.1');
    idle.on('error', () => {});
    await new Promise((resolve) => idle.once('connect', resolve));
    await Promise.all([broker.close(), broker.close()]);
    await closed;
    const refused = await new Promise<boolean>((resolve) => {
      const s = createConnection(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    client.end(true);
  });

  it('drops the session of a client away longer than the session expiry, and keeps one that came back in time', async () => {
    const expired: [string, number][] = [];
    const broker = await startEmbeddedBroker({ sessionExpiryMs: 400, onSessionExpired: (id, n) => expired.push([id, n]) });
    const publisher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const away = async (clientId: string) => {
      const c = await mqtt.connectAsync(broker.url, { clientId, clean: false, reconnectPeriod: 0 });
      await c.subscribeAsync('t/#', { qos: 1 });
      await c.endAsync();
    };
    const back = async (clientId: string) => {
      const got: string[] = [];
      const c = mqtt.connect(broker.url, { clientId, clean: false, reconnectPeriod: 0 });
      c.on('message', (_t, p) => got.push(p.toString()));
      const connack = await new Promise<{ sessionPresent: boolean }>((resolve) => c.once('connect', resolve));
      await new Promise((r) => setTimeout(r, 200));
      await c.endAsync();
      return { sessionPresent: connack.sessionPresent, got };
    };
    try {
      await away('gone-long');
      await away('back-soon');
      for (let i = 0; i < 5; i++) await publisher.publishAsync('t/x', `m${i}`, { qos: 1 });
      // Back within the expiry: the session and its queue are there.
      expect(await back('back-soon')).toEqual({ sessionPresent: true, got: ['m0', 'm1', 'm2', 'm3', 'm4'] });
      await new Promise((r) => setTimeout(r, 700));
      expect(expired).toEqual([['gone-long', 5], ['back-soon', 0]]);
      // Nothing more is queued for an expired session, and what was queued is gone.
      for (let i = 5; i < 8; i++) await publisher.publishAsync('t/x', `m${i}`, { qos: 1 });
      expect(await back('gone-long')).toEqual({ sessionPresent: false, got: [] });
    } finally {
      await publisher.endAsync();
      await broker.close();
    }
  });
});
