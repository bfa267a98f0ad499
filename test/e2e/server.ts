/**
 * The workbench's dev server for browser tests: the same `startWorkbench` that `npm start`
 * runs, on a free port so tests never collide with a server the developer has open.
 */
import { startWorkbench } from '../../src/cli/start';

export interface TestServer {
  /** Base URL ending in '/'. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const service = await startWorkbench(0);
  return { url: service.url, close: () => service.stop() };
}
