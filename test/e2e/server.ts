/**
 * The workbench's dev server for browser tests: the same `startWorkbench` that `npm start`
 * runs, on a free port so tests never collide with a server the developer has open, and with
 * the same /api/config answer: no broker by default (as `npm start --no-broker`), or the
 * one a test gives (read at each request, so a broker started later can be named).
 */
import { configEndpoint } from '../../src/cli/configEndpoint';
import { startWorkbench } from '../../src/cli/start';
import type { WorkbenchConfig } from '../../src/sources/WorkbenchConfig';

export interface TestServer {
  /** Base URL ending in '/'. */
  readonly url: string;
  close(): Promise<void>;
}

export const NO_BROKER: WorkbenchConfig = { broker: null, scenario: null, speed: null, layout: null };

export async function startTestServer(config: () => WorkbenchConfig = () => NO_BROKER): Promise<TestServer> {
  const service = await startWorkbench(0, undefined, [configEndpoint({ config: () => config() })]);
  return { url: service.url, close: () => service.stop() };
}
