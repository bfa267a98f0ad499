/**
 * The Incidents tab in real Chromium: incidents in the event store are listed, the one
 * opened moves the 3D view to its place and the timeline to its time, and acknowledging
 * and resolving it with an outcome and a note survive a reload (the log is in OPFS); an alert
 * raised after a reload joins the stored incident it belongs to, and a source's alerts merge
 * under the rules file it started with.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Incident } from '../../src/rules/Incident';
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
      const base = { store: layout.store, severity: 'warning', to: t + 60_000, detectedAt: t + 20 * 60_000, badges: ['b-7'], status: 'open' } as const;
      // Each with the alert it was made of (an incident with none was absorbed by another and is not listed).
      const withAlert = (i: Omit<Incident, 'alerts'>) => ({ ...i, alerts: [{ id: i.id, store: i.store, rule: i.kind, severity: i.severity, from: i.from, to: i.to, detectedAt: i.detectedAt, place: i.place, text: i.title }] });
      await app.eventStore.saveIncidents([
        withAlert({ ...base, id: 'inc-1', kind: 'unscanned_move', from: t, place: { slot: slot.id, shelf: slot.shelf }, sku: slot.sku, units: 2, title: `Unscanned move: 2 × ${slot.sku}` } as Omit<Incident, 'alerts'>),
        withAlert({ ...base, id: 'inc-2', kind: 'cage_door', severity: 'critical', from: t - 600_000, place: { door: layout.layout.doors[0]!.id }, title: 'Cage door opened with no badge' } as Omit<Incident, 'alerts'>),
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

  it('merges an alert raised after a reload into the stored incident at the same slot', async () => {
    const T = Date.parse('2026-11-17T21:00:00Z');
    const raise = (rule: string, from: number) =>
      page.evaluate(
        ({ rule, from }) => {
          const app = document.querySelector('tw-app')!;
          const layout = app.layout!;
          const slot = [...layout.slots.values()][1]!;
          const alert = { id: `e2e:${rule}:${from}`, store: layout.store, rule, severity: 'warning', from, to: from, detectedAt: from + 60_000, place: { slot: slot.id, shelf: slot.shelf }, sku: slot.sku, text: `${rule} at ${slot.id}` };
          app.incidents.addAlerts(layout, [alert as Alert]);
        },
        { rule, from },
      );
    const alertsOf = (id: string) => page.evaluate((id) => document.querySelector('tw-app')!.incidents.incidents.find((i) => i.id === id)?.alerts.map((a) => a.id) ?? null, id);
    const first = `e2e:unscanned_move:${T}`;
    await raise('unscanned_move', T);
    await expect.poll(() => alertsOf(first), { timeout: 20_000 }).toEqual([first]);

    // A reload, and an alert at once, before the page has read the stored incidents.
    await page.reload();
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
    await raise('count_mismatch', T + 5 * 60_000);
    await expect.poll(() => alertsOf(first), { timeout: 20_000 }).toEqual([first, `e2e:count_mismatch:${T + 5 * 60_000}`]);
    expect(await alertsOf(`e2e:count_mismatch:${T + 5 * 60_000}`)).toBeNull();
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

  it("merges a source's alerts under the rules it started with", async () => {
    const layoutTab = page.locator('tw-layout-panel');
    await layoutTab.locator('input[name=rules]').setInputFiles({ name: 'narrow.rules.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ version: 1, mergeMinutes: 10 })) });
    await expect.poll(() => layoutTab.locator('[data-rules-source]').textContent()).toMatch(/from narrow\.rules\.json/);
    // A source that raises two alerts 20 minutes apart at one slot: one incident under the
    // shipped 30 minutes, two under this file's 10.
    const T = Date.parse('2026-11-18T21:00:00Z');
    const ids = await page.evaluate(async (t) => {
      const app = document.querySelector('tw-app')!;
      const layout = app.layout!;
      const slot = [...layout.slots.values()][2]!;
      const alert = (rule: string, from: number) => ({ id: `e2e-rules:${rule}:${from}`, store: layout.store, rule, severity: 'warning', from, to: from, detectedAt: from, place: { slot: slot.id, shelf: slot.shelf }, text: rule }) as Alert;
      const alerts = [alert('unscanned_move', t), alert('count_mismatch', t + 20 * 60_000)];
      let listener: ((batch: never) => Promise<void>) | undefined;
      const source = {
        name: 'two alerts',
        capabilities: [],
        realtime: false,
        setListener: (l: typeof listener) => (listener = l),
        start: async () => {
          const twin = { store: layout.store, asOf: t, version: 1, late: 0, slots: [], skus: [], doors: [], tags: [], badges: [], devices: [], cameras: [] };
          const totals = { messages: 0, accepted: 0, duplicates: 0, quarantined: 0, reasons: {}, byType: {}, late: 0, newestTs: t };
          await listener!({ events: [], quarantine: [], alerts, twin, totals, status: { phase: 'running', problems: [] }, backlog: 0 } as never);
          return { phase: 'ended' as const, messages: 0 };
        },
        stop: async () => {},
      };
      await app.feed.play(source as never, layout);
      return alerts.map((a) => a.id);
    }, T);
    const incidentOf = (id: string) => page.evaluate((id) => document.querySelector('tw-app')!.incidents.incidents.find((i) => i.alerts.some((a) => a.id === id))?.id ?? null, id);
    await expect.poll(() => incidentOf(ids[1]!), { timeout: 20_000 }).toBe(ids[1]);
    expect(await incidentOf(ids[0]!)).toBe(ids[0]);
    expect(errors).toEqual([]);
  });
});
