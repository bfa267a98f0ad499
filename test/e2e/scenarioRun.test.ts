/**
 * A scenario run in the page with no broker: the simulator works in a web worker, its
 * messages flow through the page's pipeline, the slots take their fill colours, and the
 * run can be stopped. Real Chromium, real worker.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../src/components/tw-scenario-panel';
import { openPage } from './browser';
import { useWorkbench } from './session';

const session = useWorkbench();

const runStatus = (page: Page) =>
  page.evaluate(() => document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scenario-panel')!.runStatus()) as Promise<RunStatus>;
const slotsWithReadings = (page: Page) =>
  page.evaluate(() => {
    const twin = document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scenario-panel')!.twin();
    return twin ? [...twin.slots.values()].filter((s) => s.units !== null).length : 0;
  });

describe('running a scenario in the browser', () => {
  it('streams a simulated day through the pipeline into the 3D twin, and stops on request', async () => {
    const { page, errors } = await openPage(session.browser());
    await page.goto(`${session.server().url}?layout=/scenarios/layouts/apparel-compact.layout.json`);
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
    const frames = async () => (await page.evaluate(() => window.__twin!.stats()))?.frames ?? 0;
    const framesBefore = await frames();

    const panel = page.locator('tw-scenario-panel');
    await panel.locator('select').selectOption('baseline-apparel');
    await panel.locator('input[type=number]').fill('2');
    await panel.getByRole('button', { name: 'Run' }).click();

    // Every slot of the layout (107) has a reading once the first simulated minutes are in.
    await page.waitForFunction(
      () => {
        const p = document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scenario-panel')!;
        const t = p.twin();
        return !!t && [...t.slots.values()].every((s) => s.units !== null) && p.runStatus().messages > 20_000;
      },
      undefined,
      { timeout: 90_000 },
    );
    const during = await runStatus(page);
    expect(during.running).toBe(true);
    expect(during.quarantined).toBe(0);
    expect(during.progress).toBeGreaterThan(0);
    expect(await slotsWithReadings(page)).toBe(107);
    // The view re-rendered as fills changed (render on demand: frames only when something changed).
    expect(await frames()).toBeGreaterThan(framesBefore);
    await expect.poll(() => panel.locator('[data-run=messages]').textContent()).not.toBe('0');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/scenario-run.png' });

    await panel.getByRole('button', { name: 'Stop' }).click();
    await page.waitForFunction(() => !document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scenario-panel')!.runStatus().running, undefined, { timeout: 30_000 });
    const after = await runStatus(page);
    expect(after.progress).toBeLessThan(1);
    expect(after.error).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
