/**
 * A TCP proxy on loopback for tests: put it between a client and a broker, then cut the
 * client's connection and turn new ones away for a while, as a flaky store network would.
 * The broker sees the connection end too (both sides are destroyed), so it queues for the
 * client's session in the meantime.
 */
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

export interface TcpProxy {
  /** `mqtt://127.0.0.1:PORT` of the proxy. */
  readonly url: string;
  /** Connections accepted and forwarded so far. */
  readonly forwarded: number;
  /** Destroys every open connection, both sides; new ones are still forwarded. */
  cut(): void;
  /** Cuts, then accepts and drops at once every new connection for `ms`; resolves when it forwards again. */
  down(ms: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  let refusing = false;
  let forwarded = 0;
  const server = createServer((client) => {
    client.on('error', () => {});
    if (refusing) {
      client.destroy();
      return;
    }
    forwarded++;
    const upstream = createConnection(Number(port), hostname);
    upstream.on('error', () => {});
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const cut = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get forwarded() {
      return forwarded;
    },
    cut,
    async down(ms) {
      refusing = true;
      cut();
      await new Promise((r) => setTimeout(r, ms));
      refusing = false;
    },
    close() {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
