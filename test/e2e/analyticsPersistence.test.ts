/**
 * The event store in the page: a scenario run's events are appended to DuckDB-WASM (in its
 * worker) as they stream in, saved in the browser's OPFS, and still there after a reload;
 * a second run appends to them. Real Chromium, real worker, real OPFS in the test's profile.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/components/tw-scenario-panel';
import { openPage } from './browser';
import { useWorkbench } from './session';

const session = useWorkbench();

/** Every table a scenario's messages land in (movements are derived from readings). */
const TABLES = ['readings', 'slot_events', 'rfid_reads', 'door_states', 'badges', 'detections', 'book', 'device_status', 'quarantine', 'movements'] as const;
type Counts = Record<(typeof TABLES)[number], number>;

const runStatus = (page: Page) =>
  page.evaluate(() => document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scenario-panel')!.runStatus()) as Promise<RunStatus>;

async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(`${url}?layout=/scenarios/layouts/apparel-compact.layout.json`);
  await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
}

/** Runs the baseline scenario until the page has ingested more than `messages`, then stops it. */
async function runFor(page: Page, messages: number): Promise<RunStatus> {
  const panel = page.locator('tw-scenario-panel');
  await panel.locator('select').selectOption('baseline-apparel');
  await panel.getByRole('button', { name: 'Run' }).click();
  await page.waitForFunction(
    (n) => document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scenario-panel')!.runStatus().messages > n,
    messages,
    { timeout: 60_000 },
  );
  await panel.getByRole('button', { name: 'Stop' }).click();
  await page.waitForFunction(() => !document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scenario-panel')!.runStatus().running, undefined, { timeout: 30_000 });
  return runStatus(page);
}

/** Waits for the store to take in everything queued, then counts every table. */
function storedCounts(page: Page): Promise<Counts> {
  return page.evaluate(async (tables) => {
    const a = window.__twin!.analytics;
    await a.flushed();
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = await a.count(t);
    return out as Counts;
  }, TABLES);
}

const storeNote = (page: Page) => page.locator('tw-app .event-store').textContent();

describe('the event store in the browser', () => {
  it('keeps a run\'s events in OPFS across a reload, and appends to them on the next run', async () => {
    const { page, errors } = await openPage(session.browser());
    await openWorkbench(page, session.server().url);
    // A fresh profile holds no saved store: DuckDB is not started until something needs it.
    expect(await page.evaluate(() => window.__twin!.analytics.persistence())).toBeUndefined();
    expect(await storeNote(page)).toContain('opens with the first run');

    const first = await runFor(page, 4000);
    const before = await storedCounts(page);
    expect(await page.evaluate(() => window.__twin!.analytics.persistence())).toBe('opfs');
    await expect.poll(() => storeNote(page)).toContain('saved in this browser (OPFS)');
    expect(before.readings).toBeGreaterThan(0);
    expect(before.book).toBeGreaterThan(0);
    expect(before.movements).toBeGreaterThan(0);
    // Nothing the page ingested was left out: one row per message (this scenario sends no camera frames).
    const { movements: _derived, ...messageTables } = before;
    expect(Object.values(messageTables).reduce((a, b) => a + b, 0)).toBe(first.messages);
    expect(before.quarantine).toBe(first.quarantined);

    await page.reload();
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
    expect(await storedCounts(page)).toEqual(before);
    expect(await page.evaluate(() => window.__twin!.analytics.persistence())).toBe('opfs');
    await expect.poll(() => storeNote(page)).toContain('saved in this browser (OPFS)');

    // A second tab cannot have the file while this one does: it works in memory and says why.
    const other = await openPage(session.browser());
    await openWorkbench(other.page, session.server().url);
    expect(await other.page.evaluate(() => window.__twin!.analytics.count('readings'))).toBe(0);
    expect(await other.page.evaluate(() => window.__twin!.analytics.persistence())).toBe('memory');
    await expect.poll(() => storeNote(other.page)).toContain('in memory only — the saved event store is open in another tab');
    await other.page.close();
    expect(other.errors).toEqual([]);

    // The run starts again from the scenario's beginning: its rows are added to the saved ones.
    const second = await runFor(page, 2000);
    const after = await storedCounts(page);
    expect(after.readings).toBeGreaterThan(before.readings);
    expect(after.book).toBeGreaterThan(before.book);
    // Readings older than a slot's newest stored one make no movement, so a replay of the same hours may add none.
    expect(after.movements).toBeGreaterThanOrEqual(before.movements);
    // The devices' status reports (retained, no seq) repeat the first run's exactly: the same
    // facts, stored once. Every other message is a row of its own.
    expect(after.device_status).toBe(before.device_status);
    const { movements: _m, ...afterTables } = after;
    expect(Object.values(afterTables).reduce((a, b) => a + b, 0)).toBe(first.messages + second.messages - before.device_status);

    // And those survive a reload too: a store reopened after a reload saves like a new one.
    await page.reload();
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
    expect(await storedCounts(page)).toEqual(after);
    expect(errors).toEqual([]);
  });
});
