/**
 * The analytics panel in the page: named sections as a Plot chart and their rows, refused
 * filters and bad SQL as problems, the SQL box beside the schema, and exports as CSV and
 * Parquet downloads. The tests share one page and run in order: the empty store first,
 * then one simulated day of the baseline scenario. Real Chromium, real DuckDB-WASM worker,
 * real OPFS.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openNativeDuckDB } from '../../src/analytics/openNativeDuckDB';
import { openPage } from './browser';
import { useWorkbench } from './session';

const session = useWorkbench();

let page: Page;
let errors: string[];
let panel: Locator;
const result = () => panel.locator('tw-result-view');
const rows = () => result().locator('table.result tbody tr');

const scenarioRunning = () => page.evaluate(() => document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scenario-panel')!.runStatus().running);

/** Waits until the panel has no query running. */
async function settled(): Promise<void> {
  await expect.poll(() => panel.locator('.busy').textContent(), { timeout: 60_000 }).toBe('');
}

async function pick(analysis: string, section: string): Promise<void> {
  await panel.locator('select[name=analysis]').selectOption(analysis);
  await panel.locator(`[data-section="${section}"]`).click();
  await settled();
}

/** Clicks an export button and returns the download's name and bytes. */
async function download(format: 'csv' | 'parquet'): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), result().locator(`[data-export=${format}]`).click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

describe('the analytics panel', () => {
  beforeAll(async () => {
    ({ page, errors } = await openPage(session.browser()));
    await page.goto(`${session.server().url}?layout=/scenarios/layouts/apparel-compact.layout.json`);
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
    panel = page.locator('tw-analytics-panel');
    await panel.getByRole('button', { name: 'Analytics' }).click();
  });

  it('says to run a scenario first while the store holds nothing', async () => {
    await pick('shrink', 'shrink.by_sku');
    await expect.poll(() => result().locator('[data-empty]').textContent()).toContain('No rows: run a scenario first');
  });

  it('charts a section with Plot and lists its rows once a scenario has run', async () => {
    // One simulated day (about 150k messages, seconds here): deliveries, putaway and picks.
    const scenario = page.locator('tw-scenario-panel');
    await scenario.locator('select').selectOption('baseline-apparel');
    await scenario.locator('input[type=number]').fill('1');
    await scenario.getByRole('button', { name: 'Run' }).click();
    await expect.poll(scenarioRunning, { timeout: 90_000, interval: 250 }).toBe(false);
    await page.evaluate(() => window.__twin!.analytics.flushed());

    await panel.getByRole('button', { name: 'Refresh' }).click();
    await settled();
    expect(await rows().count()).toBeGreaterThan(0);
    await expect.poll(() => result().locator('.chart svg').count()).toBeGreaterThan(0);
    // Plot's bars, one per SKU row at most.
    expect(await result().locator('.chart svg rect').count()).toBeGreaterThan(0);
  });

  it('shows a section without a chart as its table alone', async () => {
    await pick('shrink', 'shrink.summary');
    expect(await rows().count()).toBe(1);
    expect(await result().locator('.chart svg').count()).toBe(0);
    expect(await result().locator('th').allTextContents()).toContain('lost_units');
  });

  it('shows a refused filter\'s message inline and runs again once it is fixed', async () => {
    await panel.locator('input[name=from]').fill('2026-11-18');
    await panel.locator('input[name=to]').fill('2026-11-16');
    await expect.poll(() => panel.locator('[data-problem]').textContent()).toBe('from must be before to');
    await panel.locator('input[name=from]').fill('');
    await panel.locator('input[name=to]').fill('');
    await settled();
    expect(await panel.locator('[data-problem]').count()).toBe(0);
    expect(await rows().count()).toBe(1);
  });

  it('draws the activity heat map as Plot cells', async () => {
    await pick('activity', 'activity.heat');
    expect(await rows().count()).toBeGreaterThan(1);
    await expect.poll(() => result().locator('.chart svg').count()).toBeGreaterThan(0);
    await result().locator('.chart').scrollIntoViewIfNeeded();
    await panel.screenshot({ path: '/tmp/panel.png' });
  });

  it('exports the section as CSV, times in ISO 8601 UTC, named by store and section', async () => {
    const { name, bytes } = await download('csv');
    expect(name).toBe('store-017-activity.heat.csv');
    const lines = bytes.toString('utf8').split('\r\n');
    expect(lines[0]).toBe('zone,hour,picks,puts,units_moved');
    expect(lines.length - 2).toBe(Number(await result().locator('[data-rows]').getAttribute('data-rows')));
  });

  it('exports the section as Parquet: every row, the columns and their types kept', async () => {
    const { name, bytes } = await download('parquet');
    expect(name).toBe('store-017-activity.heat.parquet');
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
    // Read back outside the browser, with native DuckDB.
    const file = join(mkdtempSync(join(tmpdir(), 'panel-pq-')), name);
    writeFileSync(file, bytes);
    const native = await openNativeDuckDB();
    try {
      const q = async (sql: string) => (await native.connection.query(sql)).toArray().map((r) => r.toJSON());
      const [{ n }] = (await q(`SELECT count(*) AS n FROM '${file}'`)) as [{ n: bigint }];
      expect(Number(n)).toBe(Number(await result().locator('[data-rows]').getAttribute('data-rows')));
      expect((await q(`DESCRIBE SELECT * FROM '${file}'`)).map((r) => r.column_name)).toEqual(['zone', 'hour', 'picks', 'puts', 'units_moved']);
    } finally {
      native.close();
    }
  });

  it('runs SQL from the box on Ctrl+Enter, beside the schema', async () => {
    await panel.getByRole('button', { name: 'SQL' }).click();
    await expect.poll(() => panel.locator('details[data-table=readings] dt').allTextContents()).toContain('grams');
    await panel.locator('textarea[name=sql]').fill('SELECT count(*) AS n FROM readings');
    await panel.locator('textarea[name=sql]').press('Control+Enter');
    await settled();
    const expected = await page.evaluate(() => window.__twin!.analytics.count('readings'));
    expect(expected).toBeGreaterThan(0);
    expect(Number(await rows().first().locator('td').textContent())).toBe(expected);
  });

  it('shows a DuckDB error inline as a problem', async () => {
    await panel.locator('textarea[name=sql]').fill('SELECT no_such_column FROM readings');
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => panel.locator('[data-problem=analytics-query]').textContent()).toContain('no_such_column');
    expect(await rows().count()).toBe(0);
  });

  it('refuses SQL that would change the event store, and changes nothing', async () => {
    const before = await page.evaluate(() => window.__twin!.analytics.count('readings'));
    await panel.locator('textarea[name=sql]').fill('DROP TABLE readings');
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => panel.locator('[data-problem=analytics-query]').textContent()).toContain('only reads');
    expect(await page.evaluate(() => window.__twin!.analytics.count('readings'))).toBe(before);
  });

  it('cancels a heavy query on request, and the store answers the next one', async () => {
    await panel.locator('textarea[name=sql]').fill('SELECT count(*) AS n FROM range(2000000000) a, range(1000) b WHERE a.range % 7 = b.range');
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => panel.locator('[data-action=cancel-query]').count()).toBe(1);
    await page.waitForTimeout(500);
    const t0 = Date.now();
    await panel.locator('[data-action=cancel-query]').click();
    await expect.poll(() => panel.locator('[data-problem=analytics-cancelled]').textContent(), { timeout: 20_000 }).toContain('Cancelled');
    console.info(`heavy query cancelled in ${Date.now() - t0} ms`);
    expect(await panel.locator('[data-action=cancel-query]').count()).toBe(0);
    await panel.locator('textarea[name=sql]').fill('SELECT count(*) AS n FROM readings');
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await settled();
    expect(Number(await rows().first().locator('td').textContent())).toBe(await page.evaluate(() => window.__twin!.analytics.count('readings')));
  });

  it('exports a SQL result, timestamps as ISO 8601 UTC', async () => {
    await panel.locator('textarea[name=sql]').fill("SELECT slot, ts FROM readings ORDER BY ts, slot LIMIT 3;");
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await settled();
    const { name, bytes } = await download('csv');
    expect(name).toBe('store-017-sql.csv');
    const lines = bytes.toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('slot,ts');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(expect.arrayContaining([expect.stringMatching(/^2026-11-1\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/)]));
    expect(errors).toEqual([]);
  });
});
