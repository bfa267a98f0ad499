/**
 * The ROI tab in real Chromium, as a new analyst would use it: key 8 opens it on today's
 * layout, it says whether the devices pay and how sure that is, a changed assumption moves
 * the NPV at once, a bad assumptions file is refused with every problem listed, and the
 * printable report downloads with the figures, the charts and the assumptions' sources; a
 * plan made in the Plan tab becomes the devices the ROI is for.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage } from './browser';
import { useWorkbench } from './session';

const LAYOUT = 'scenarios/layouts/apparel-compact.layout.json';
const session = useWorkbench();
let page: Page;
let errors: string[];

const panel = () => page.locator('tw-roi-panel');
const npvText = () => panel().locator('[data-roi-npv]').innerText();

describe('the ROI tab', () => {
  beforeAll(async () => {
    ({ page, errors } = await openPage(session.browser()));
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${session.server().url}?layout=/${LAYOUT}&source=none&tab=layout`);
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
  });
  afterAll(() => page?.close().catch(() => {}));

  it('says whether today\'s devices pay and how sure that is', async () => {
    await page.keyboard.press('8');
    expect(new URL(page.url()).searchParams.get('tab')).toBe('roi');
    await expect.poll(() => panel().locator('[data-roi-verdict]').count(), { timeout: 20_000 }).toBe(1);
    expect(await panel().locator('[data-roi-verdict]').innerText()).toMatch(/of simulated cases have a positive NPV\.$/);
    expect(await npvText()).toMatch(/^NPV over 36 months USD [+−]?[\d,]+ at 8\.0 % a year; positive in \d+ % of 2,000 simulated cases/);
    expect(await panel().locator('[data-roi-payback]').innerText()).toMatch(/^(Pays back in|Does not pay back within)/);
    expect(await panel().locator('[data-roi-basis]').innerText()).toContain("today's layout");
    // The charts are drawn: a bar per end of each of the widest assumptions, and the band.
    await expect.poll(() => panel().locator('[data-roi-tornado] svg').count(), { timeout: 20_000 }).toBe(1);
    expect(await panel().locator('[data-roi-band] svg').count()).toBe(1);
    expect(await panel().locator('[data-roi-spread]').innerText()).toContain('P90');
  });

  it('moves the NPV when an assumption changes', async () => {
    const before = await npvText();
    const shrink = panel().locator('input[name="shrinkRate.value"]');
    expect(await shrink.inputValue()).toBe('0.016');
    expect(await panel().locator('[data-assumption=shrinkRate] .src').innerText()).toContain('NRF, National Retail Security Survey');
    await shrink.fill('0.03');
    await expect.poll(npvText).not.toBe(before);
    const npv = (s: string) => Number(/NPV over 36 months USD ([+−]?[\d,]+)/.exec(s)![1]!.replace('−', '-').replace(/[+,]/g, ''));
    // More shrink, more of it avoided: the NPV goes up.
    expect(npv(await npvText())).toBeGreaterThan(npv(before));
    expect(await panel().locator('[data-assumption=shrinkRate] .src').innerText()).toContain('entered in the ROI panel');
    // A value the assumptions file would refuse is refused with its reason and not used.
    const after = await npvText();
    await shrink.fill('3');
    await expect.poll(() => panel().locator('[data-assumption=shrinkRate] .problem').innerText()).toContain('must be at most 1');
    expect(await npvText()).toBe(after);
    await shrink.fill('0.03');
    await expect.poll(() => panel().locator('[data-assumption=shrinkRate] .problem').count()).toBe(0);
  });

  it('lists every problem of a bad assumptions file and keeps the assumptions in use', async () => {
    const before = await npvText();
    await panel().locator('input[name=assumptions]').setInputFiles({
      name: 'bad.assumptions.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ version: 1, shrinkRate: 2, grossMargin: { value: 0.3, low: 0.35 }, nonsense: 1 })),
    });
    const refusal = panel().locator('[data-roi-refusal]');
    await expect.poll(() => refusal.count()).toBe(1);
    const text = await refusal.innerText();
    expect(text).toContain('The assumptions file bad.assumptions.json was not used: 3 problems.');
    expect(text).toContain('shrinkRate');
    expect(text).toContain('grossMargin.low');
    expect(text).toContain('nonsense');
    expect(await npvText()).toBe(before);
  });

  it('prices the cut in shrink a pilot measured, from twin pilot\'s JSON, and refuses a result of another metric', async () => {
    const before = await npvText();
    const pilot = (o: object) => ({ name: 'pilot.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(o)) });
    const result = { ok: true, relative: { estimate: -0.3, low: -0.5, high: -0.1 }, verdict: 'Shrink at cost fell by 30 % (95 % CI 10 % to 50 %) in the pilot stores against matched controls: the pilot works.' };
    await panel().locator('input[name=pilot]').setInputFiles(pilot({ metric: 'record-accuracy', result }));
    await expect.poll(() => panel().locator('[data-roi-refusal]').innerText()).toContain('the ROI takes a pilot\'s shrink at cost');
    await panel().locator('input[name=pilot]').setInputFiles(pilot({ metric: 'shrink', result }));
    await expect.poll(() => panel().locator('[data-roi-pilot]').count()).toBe(1);
    expect(await panel().locator('[data-roi-refusal]').count()).toBe(0);
    // Deterrence is now the measured 30 % (10 % to 50 %), its source the pilot.
    expect(await panel().locator('input[name="deterrence.value"]').inputValue()).toBe('0.3');
    expect(await panel().locator('[data-assumption=deterrence] .src').innerText()).toContain('measured: pilot pilot.json');
    await expect.poll(npvText).not.toBe(before);
    await panel().getByRole('button', { name: 'Use the assumptions instead' }).click();
    await expect.poll(() => panel().locator('input[name="deterrence.value"]').inputValue()).toBe('0.1');
    await expect.poll(npvText).toBe(before);
  });

  it('takes minutes per incident from the store\'s resolved incidents once there are five', async () => {
    const minutes = panel().locator('input[name="minutesPerIncident.value"]');
    expect(await minutes.inputValue()).toBe('10');
    const before = await npvText();
    const set = (ms: number[]) => page.evaluate((m) => { (document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-roi-panel') as unknown as { resolutionMs: number[] }).resolutionMs = m; }, ms);
    await set([4, 6, 8, 30].map((m) => m * 60_000));
    // Four are too few to stand for the store.
    await page.waitForTimeout(300);
    expect(await minutes.inputValue()).toBe('10');
    await set([4, 6, 8, 30, 40].map((m) => m * 60_000));
    await expect.poll(() => minutes.inputValue()).toBe('8');
    expect(await panel().locator('[data-assumption=minutesPerIncident] .src').innerText()).toContain('measured: median and quartiles of 5 resolved incidents');
    // Less labour a month than the 10 minutes assumed: the NPV goes up.
    await expect.poll(npvText).not.toBe(before);
  });

  it('downloads the printable report with the figures, the charts and the sources', async () => {
    const npv = await npvText();
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), panel().locator('[data-action=download-report]').click()]);
    expect(file.suggestedFilename()).toMatch(/-roi-report\.html$/);
    const html = readFileSync((await file.path())!, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(npv.replace(/&/g, '&#38;'));
    expect(html).toContain('NRF, National Retail Security Survey');
    expect(html).toContain('Gruen, Corsten &#38; Bharadwaj');
    expect(html).toContain('@media print');
    expect(html.match(/<svg/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(html).not.toContain('<script');
    // It opens as a page of its own.
    const report = await session.browser().context.newPage();
    await report.setContent(html);
    expect(await report.locator('[data-verdict]').innerText()).toMatch(/positive NPV/);
    expect(await report.locator('[data-assumptions] tr').count()).toBe(27);
    await report.close();
    expect(errors).toEqual([]);
  });

  it('works out the latest plan made in the Plan tab, and lists a bad plan file\'s problems', async () => {
    await page.keyboard.press('7');
    const form = page.locator('tw-placement-panel [data-placement-form]');
    await form.locator('input[name=budget]').fill('1400');
    await form.locator('input[name=kind-rfid]').uncheck();
    await form.locator('[data-action=plan]').click();
    await expect.poll(() => page.locator('tw-placement-panel [data-placement-plan]').count(), { timeout: 90_000 }).toBe(1);
    await page.locator('tw-placement-panel [data-placement-form] input[name=budget]').blur();
    await page.keyboard.press('8');
    const basis = panel().locator('[data-roi-basis]');
    await expect.poll(() => basis.innerText(), { timeout: 20_000 }).toMatch(/^Plan 1: USD 1,400: \d+ cameras? for USD [\d,]+ \(added to what the store has\)/);
    expect(await panel().locator('input[name=roi-basis][value=latest]').isChecked()).toBe(true);
    expect(await panel().locator('[data-detection] .src').innerText()).toMatch(/^proxy: the mean coverage the plan adds/);

    await panel().locator('input[name=plan]').setInputFiles({ name: 'not-a-plan.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 1, "store": "x"}') });
    const refusal = panel().locator('[data-roi-refusal]');
    await expect.poll(() => refusal.innerText()).toContain('The plan file not-a-plan.json was not used');
    expect(await refusal.innerText()).toContain('devices');
    // The plan in use stays.
    expect(await basis.innerText()).toMatch(/^Plan 1/);
    expect(errors).toEqual([]);
  });
});
