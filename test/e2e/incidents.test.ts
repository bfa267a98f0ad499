/**
 * The Incidents tab in real Chromium: incidents in the event store are listed, the one
 * opened moves the 3D view to its place and the timeline to its time, and acknowledging
 * and resolving it with an outcome and a note survive a reload (the log is in OPFS).
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/rules/Incident';
import { openPage } from './browser';
import { LAYOUT_PATH } from './livePageFixtures';
import { useWorkbench } from './session';

const session = useWorkbench();
let page: Page;
let errors: string[];

const param = (name: string) => new URL(page.url()).searchParams.get(name);
const shownAt = () => page.evaluate(() => window.__twin!.shown().at);

async function open(): Promise<void> {
  await page.goto(`${session.server().url}?layout=/${LAYOUT_PATH}&source=none`);
  await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
}

describe('the Incidents tab', () => {
  beforeAll(async () => {
    ({ page, errors } = await openPage(session.browser()));
    await page.setViewportSize({ width: 1400, height: 900 });
    await open();
  });
  afterAll(() => page?.close().catch(() => {}));

  it('lists incidents, opens one at its place and time, and keeps its workflow across a reload', async () => {
    // Some events so the store has a timeline, then two incidents as the rules would write them.
    const T = Date.parse('2026-11-16T22:10:00Z');
    await page.evaluate(async (t) => {
      const app = document.querySelector('tw-app')!;
      const layout = app.layout!;
      const slot = [...layout.slots.values()][0]!;
      app.eventStore.enqueue(layout, [
        { type: 'weight', ts: t - 3_600_000, received: t - 3_600_000, shelf: slot.shelf, slot: slot.id, grams: 5000 },
        { type: 'weight', ts: t + 3_600_000, received: t + 3_600_000, shelf: slot.shelf, slot: slot.id, grams: 4000 },
      ]);
      const base = { store: layout.store, severity: 'warning', to: t + 60_000, detectedAt: t + 20 * 60_000, badges: ['b-7'], alerts: [], status: 'open' } as const;
      await app.eventStore.saveIncidents([
        { ...base, id: 'inc-1', kind: 'unscanned_move', from: t, place: { slot: slot.id, shelf: slot.shelf }, sku: slot.sku, units: 2, title: `Unscanned move: 2 × ${slot.sku}` },
        { ...base, id: 'inc-2', kind: 'cage_door', severity: 'critical', from: t - 600_000, place: { door: layout.layout.doors[0]!.id }, title: 'Cage door opened with no badge' },
      ] as Incident[]);
    }, T);
    await page.keyboard.press('3'); // the Incidents tab
    expect(param('tab')).toBe('incidents');
    await page.evaluate(() => document.querySelector('tw-app')!.incidents.reload());
    const panel = page.locator('tw-incidents-panel');
    await expect.poll(() => panel.locator('[data-incident]').count(), { timeout: 20_000 }).toBe(2);
    // Critical first.
    expect(await panel.locator('[data-incident]').first().getAttribute('data-incident')).toBe('inc-2');

    await panel.locator('[data-incident=inc-1]').click();
    expect(param('incident')).toBe('inc-1');
    await expect.poll(shownAt, { timeout: 20_000 }).toBe(T);
    expect(await page.evaluate(() => document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scene-view')!.scene!.selectedRef?.kind)).toBe('slot');

    // Its chain of custody: the badge it names, the stock, the cameras that see the slot.
    const who = panel.locator('[data-custody-part=who]');
    await expect.poll(() => who.textContent(), { timeout: 20_000 }).toContain('b-7');
    expect(await panel.locator('[data-custody-part=what]').textContent()).toMatch(/2 × \S+ .*cost [\d.,]+, retail [\d.,]+/);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), panel.locator('[data-export=json]').click()]);
    const caseFile = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(caseFile).toMatchObject({ schema: 'backroom-twin/case-file', version: 1, store: 'store-017', incident: { id: 'inc-1' } });
    expect(download.suggestedFilename()).toBe('store-017-incident-inc-1.json');
    const [printable] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), panel.locator('[data-export=html]').click()]);
    expect(readFileSync((await printable.path())!, 'utf8')).toMatch(/<html[\s\S]*inc-1[\s\S]*<\/html>/i);

    await panel.locator('textarea[name=note]').fill('checked camera C1: put on the next shelf');
    await panel.locator('[data-action=acknowledge]').click();
    await expect.poll(() => panel.locator('[data-incident=inc-1] .status').textContent()).toBe('acknowledged');
    await panel.locator('select[name=outcome]').selectOption('misplacement');
    await panel.locator('[data-action=resolve]').click();
    // Resolved incidents leave the "To do" list.
    await expect.poll(() => panel.locator('[data-incident]').count()).toBe(1);

    await page.reload();
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
    await page.evaluate(() => document.querySelector('tw-app')!.incidents.reload());
    const back = await page.evaluate(() => document.querySelector('tw-app')!.incidents.incidents.find((i) => i.id === 'inc-1'));
    expect(back).toMatchObject({ status: 'resolved', outcome: 'misplacement', note: 'checked camera C1: put on the next shelf' });
    expect(back!.resolvedAt! - back!.acknowledgedAt!).toBeGreaterThanOrEqual(0);
    expect(errors).toEqual([]);
  });

  it('takes a rules file from the Layout tab: a bad one is listed problem by problem, a good one runs with the next source', async () => {
    await page.keyboard.press('6');
    const layoutTab = page.locator('tw-layout-panel');
    await layoutTab.locator('input[name=rules]').setInputFiles({ name: 'bad.rules.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ version: 1, rules: { unscanned_move: { minUnits: 'two' }, no_such_rule: {} } })) });
    const problems = page.locator('tw-app #problems');
    await expect.poll(() => problems.locator('li').count()).toBe(2);
    expect(await problems.textContent()).toMatch(/rules\.unscanned_move\.minUnits/);
    expect(await layoutTab.locator('[data-rules-source]').textContent()).toMatch(/shipped defaults/);

    await layoutTab.locator('input[name=rules]').setInputFiles({ name: 'quiet.rules.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ version: 1, rules: { unscanned_move: { enabled: false } } })) });
    await expect.poll(() => layoutTab.locator('[data-rules-source]').textContent()).toMatch(/from quiet\.rules\.json/);
    expect(await problems.count()).toBe(0);
    expect(await page.evaluate(() => document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scenario-panel')!.rules?.rules.unscanned_move.enabled)).toBe(false);
    expect(errors).toEqual([]);
  });
});
