/**
 * One workbench server and one browser for a test file: registers the hooks that start and
 * stop them, and hands back getters (the values exist only once beforeAll has run).
 */
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type BrowserSession } from './browser';
import type { WorkbenchConfig } from '../../src/sources/WorkbenchConfig';
import { startTestServer, type TestServer } from './server';

/** `config` is what the server answers at /api/config (no broker unless given). */
export function useWorkbench(config?: () => WorkbenchConfig): { server: () => TestServer; browser: () => BrowserSession } {
  let server: TestServer | undefined;
  let browser: BrowserSession | undefined;
  beforeAll(async () => {
    server = await startTestServer(config);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return { server: () => server!, browser: () => browser! };
}
