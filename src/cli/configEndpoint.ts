/**
 * The dev server's two answers for `npm start`: `GET /api/config` (src/sources/WorkbenchConfig.ts:
 * the broker the page connects to by default) and, when a scenario names one, `GET /api/layout`
 * (its layout file, so the page can open the room the messages are about). A Vite plugin that
 * start.ts adds; vite.config.ts knows nothing of it.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { WORKBENCH_CONFIG_PATH, type WorkbenchConfig } from '../sources/WorkbenchConfig';

export const LAYOUT_PATH = '/api/layout';

export interface ConfigEndpointOptions {
  /**
   * The config for one request. Given the host the page was loaded from (the Host header's
   * name), so a server bound to every interface can name the broker by the address the
   * browser already reaches this machine at.
   */
  readonly config: (pageHost: string | undefined) => WorkbenchConfig;
  /** The layout file served at /api/layout; none when absent. */
  readonly layoutFile?: string;
}

export function configEndpoint(options: ConfigEndpointOptions): Plugin {
  return {
    name: 'backroom-twin-config',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0];
        if (path === WORKBENCH_CONFIG_PATH) return answer(req, res, () => JSON.stringify(options.config(pageHost(req)), null, 2));
        if (path === LAYOUT_PATH) {
          // Without a layout this must not fall through to the page's index.html (Vite's fallback).
          if (!options.layoutFile) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('npm start knows no layout for this store\n');
          return answer(req, res, () => readFileSync(options.layoutFile!, 'utf8'));
        }
        next();
      });
    },
  };
}

function answer(req: IncomingMessage, res: ServerResponse, body: () => string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('GET only\n');
    return;
  }
  let text: string;
  try {
    text = body();
  } catch (err) {
    // The layout file went away while the server ran: say so rather than hang up.
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`);
    return;
  }
  // The page asks again on every load, so a changed setup is never served stale.
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** The host name (no port) of the Host header: `[::1]:5173` -> `::1`, `pc.lan:5173` -> `pc.lan`. */
export function pageHost(req: Pick<IncomingMessage, 'headers'>): string | undefined {
  const host = req.headers.host;
  if (!host) return undefined;
  try {
    const name = new URL(`http://${host}`).hostname;
    return name.startsWith('[') ? name.slice(1, -1) : name;
  } catch {
    return undefined;
  }
}
