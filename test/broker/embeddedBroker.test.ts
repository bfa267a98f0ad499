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
});
