/**
 * What a user does in the workbench, in real Chromium: run the default scenario, scrub the
 * timeline back and see the room as it was, play, go back to live, click a slot and read the
 * inspector, hide and show panels from the keyboard, switch the theme, share the view by its
 * address, and open a recording file. Screenshots are checked not to be blank; the page logs
 * no errors.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLine } from '../../src/contract/recording';
import { openPage, screenshotPixels } from './browser';
import { imageVariety } from './imageVariety';
import { LAYOUT_PATH, simulatedMessages } from './livePageFixtures';
import { useWorkbench } from './session';

const session = useWorkbench();
let page: Page;
let errors: string[];

const app = () => page.locator('tw-app');
const shown = () => page.evaluate(() => ({ at: window.__twin!.shown().at, roomAt: window.__twin!.shown().room?.at ?? null, slots: window.__twin!.shown().room?.slots.size ?? 0 }));
const query = (sql: string) => page.evaluate((q) => window.__twin!.analytics.query(q), sql);
/** The text an element shows, its shadow root's included. */
const shownText = (selector: string, on: Page = page) => on.locator(selector).evaluate((el) => el.shadowRoot?.textContent ?? el.textContent ?? '');
/** Takes the focus out of any field, as a click on the page's background would. */
const blur = () =>
  page.evaluate(() => {
    let el = document.activeElement as HTMLElement | null;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement as HTMLElement;
    el?.blur();
  });
const param = (name: string) => new URL(page.url()).searchParams.get(name);

async function expectNotBlank(name: string): Promise<void> {
  mkdirSync('test-results', { recursive: true });
  const png = await page.screenshot();
  writeFileSync(`test-results/${name}.png`, png);
  const v = imageVariety(await screenshotPixels(page, png));
  expect(v.colours, name).toBeGreaterThan(64);
  expect(v.dominantShare, name).toBeLessThan(0.85);
}

/** A slot whose stock changed during the day, with its units early on and at the end. */
async function changedSlot(): Promise<{ slot: string; t: number }> {
  const rows = await query(`SELECT slot, epoch_ms(min(ts)) AS first, epoch_ms(max(ts)) AS last, count(*) AS n FROM movements GROUP BY slot HAVING count(*) > 2 ORDER BY n DESC LIMIT 1`);
  const r = rows[0]!;
  return { slot: String(r.slot), t: (Number(r.first) + Number(r.last)) / 2 };
}

describe('the workbench, as a user works in it', () => {
  beforeAll(async () => {
    ({ page, errors } = await openPage(session.browser()));
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${session.server().url}?layout=/${LAYOUT_PATH}`);
    await page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
  });
  afterAll(() => page?.close().catch(() => {}));

  it('runs the default scenario from the source picker and fills the timeline', async () => {
    // No broker served: the page opens on the scenario source.
    expect(await app().locator('[data-source-kind=scenario]').getAttribute('aria-pressed')).toBe('true');
    const panel = page.locator('tw-scenario-panel');
    await panel.locator('select').selectOption('baseline-apparel');
    await panel.getByRole('button', { name: 'Run' }).click();
    // A long task shows its progress over the view, with a Cancel.
    await expect.poll(() => shownText('tw-task-progress'), { timeout: 10_000, interval: 50 }).toMatch(/Scenario:/);
    expect(await page.locator('tw-task-progress').getByRole('button', { name: /Cancel/ }).count()).toBe(1);
    await page.waitForFunction(() => window.__twin!.source()?.running === false, undefined, { timeout: 90_000 });
    expect(await page.locator('tw-task-progress').getByRole('button', { name: /Cancel/ }).count()).toBe(0);
    await page.evaluate(() => window.__twin!.analytics.flushed());
    // The timeline shows the stored day and is at live.
    await expect.poll(() => page.locator('tw-timeline .track').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('tw-timeline [data-at]').getAttribute('data-at')).toBe('live');
    const s = await shown();
    expect(s.at).toBeNull();
    expect(s.slots).toBe(107);
    // The rules ran in the worker beside the ingest: what they found is in the store and the Incidents tab.
    await expect.poll(async () => Number((await query('SELECT count(DISTINCT id) AS n FROM incidents'))[0]!.n), { timeout: 20_000 }).toBeGreaterThan(0);
    await expectNotBlank('shell-live');
  });

  it('scrubs back: the room is the one the event store had then, and the address keeps the time', async () => {
    const { slot, t } = await changedSlot();
    const track = page.locator('tw-timeline .track');
    await track.focus();
    // Home: the start of the day; then step forward until past t, by buckets.
    await page.keyboard.press('Home');
    await expect.poll(async () => (await shown()).at).not.toBeNull();
    await page.evaluate((at) => document.querySelector('tw-app')!.time.seek(at), t);
    await expect.poll(async () => (await shown()).roomAt, { timeout: 20_000 }).toBe(t);
    expect(await app().locator('[data-time-badge]').count()).toBe(1);
    expect(Date.parse(param('at')!)).toBe(t);
    // The slot's units then are what its movements say up to t.
    const [want] = await query(`SELECT arg_max(units_after, ts) AS u FROM movements WHERE slot = '${slot}' AND ts <= epoch_ms(${t}::BIGINT)`);
    const units = await page.evaluate((id) => window.__twin!.shown().room!.slots.get(id)?.units ?? null, slot);
    expect(units).toBe(Number(want!.u));
    await expectNotBlank('shell-past');
  });

  it('plays forward from the time shown, and G goes back to live', async () => {
    const before = (await shown()).at!;
    await page.locator('tw-timeline select[aria-label=Speed]').selectOption('3600');
    await page.locator('tw-timeline button.play').click();
    await expect.poll(async () => (await shown()).at ?? Infinity, { timeout: 10_000 }).toBeGreaterThan(before + 3_600_000);
    await blur();
    await page.keyboard.press('g');
    await expect.poll(async () => (await shown()).at).toBeNull();
    expect(param('at')).toBeNull();
    expect(await app().locator('[data-time-badge]').count()).toBe(0);
  });

  it('clicking a slot in the 3D view opens it in the inspector, with its history', async () => {
    // The middle of a slot that the renderer can point at on screen.
    const target = await page.evaluate(() => {
      const view = document.querySelector('tw-app')!.shadowRoot!.querySelector('tw-scene-view')!;
      const scene = view.scene!;
      for (const id of scene.layoutIndex!.slots.keys()) {
        const p = scene.screenPointOf({ kind: 'slot', id });
        if (p && scene.pick(p.x, p.y)?.id === id) return { id, x: p.x, y: p.y };
      }
      return undefined;
    });
    expect(target).toBeDefined();
    await page.mouse.click(target!.x, target!.y);
    await expect.poll(() => param('select')).toBe(`slot:${target!.id}`);
    expect(param('tab')).toBe('inspector');
    const inspector = page.locator('tw-inspector');
    await expect.poll(() => shownText('tw-inspector'), { timeout: 20_000 }).toContain(target!.id);
    expect(await shownText('tw-inspector')).toMatch(/On the shelf \(load cell\)/);
    // The history chart and the recent events come from the event store.
    await expect.poll(() => inspector.locator('svg').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => param('select')).toBeNull();
  });

  it("answers a newcomer's questions: what is on slot X, and at a given time which doors were open and who was in", async () => {
    // What is on slot X now: find it by its id.
    const [slotRow] = await query(`SELECT slot, arg_max(units_after, ts) AS u FROM movements GROUP BY slot ORDER BY slot LIMIT 1`);
    const slot = String(slotRow!.slot);
    await blur();
    await page.keyboard.press('/');
    await page.keyboard.type(slot);
    await page.keyboard.press('Enter');
    await expect.poll(() => param('select')).toBe(`slot:${slot}`);
    await expect.poll(() => shownText('tw-inspector'), { timeout: 20_000 }).toContain(`${Number(slotRow!.u)} of`);

    // Someone came in through a door: a minute later, the room says so, and which doors were open.
    const [swipe] = await query(`SELECT badge, door, epoch_ms(ts) AS t FROM badges WHERE granted ORDER BY ts LIMIT 1`);
    const t = Math.ceil(Number(swipe!.t) / 60_000) * 60_000 + 60_000;
    const tz = await page.evaluate(() => document.querySelector('tw-app')!.layout!.layout.timezone);
    const local = await page.evaluate(
      ([ms, zone]) => {
        const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: zone as string, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(ms as number)).map((x) => [x.type, x.value]));
        return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
      },
      [t, tz],
    );
    await page.keyboard.press('Escape'); // leaves the find box
    await page.keyboard.press('Escape'); // clears the selection: the Inspector tab tells about the room
    await expect.poll(() => param('select')).toBeNull();
    await page.locator('input[name=goto]').fill(local);
    await page.locator('input[name=goto]').dispatchEvent('change');
    await expect.poll(async () => (await shown()).roomAt, { timeout: 20_000 }).toBe(t);
    const open = await query(`SELECT door FROM (SELECT door, arg_max(open, ts) AS open FROM door_states WHERE ts <= epoch_ms(${t}::BIGINT) GROUP BY door) WHERE open ORDER BY door`);
    const summary = page.locator('[data-room-summary]');
    const doorsText = await summary.locator('[data-summary=doors]').textContent();
    if (open.length === 0) expect(doorsText).toContain('none');
    for (const d of open) expect(doorsText).toContain(String(d.door));
    expect(await summary.locator('[data-summary=people]').textContent()).toContain(String(swipe!.badge));
    await blur();
    await page.keyboard.press('g');
    await expect.poll(async () => (await shown()).at).toBeNull();
  });

  it('hides and shows the panels from the keyboard, and switches the theme', async () => {
    await blur();
    await page.keyboard.press('[');
    await expect.poll(() => page.locator('tw-app aside').isVisible()).toBe(false);
    expect(param('hide')).toBe('side');
    await page.keyboard.press(']');
    await expect.poll(() => page.locator('tw-timeline').isVisible()).toBe(false);
    await page.keyboard.press('[');
    await page.keyboard.press(']');
    await expect.poll(() => page.locator('tw-app aside').isVisible()).toBe(true);
    expect(param('hide')).toBeNull();

    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const before = await theme();
    await app().locator('[data-action=theme]').click();
    expect(await theme()).not.toBe(before);
    expect(param('theme')).toBe(await theme());
    await expectNotBlank(`shell-${await theme()}`);
    await page.keyboard.press('t');
    expect(await theme()).toBe(before);
  });

  it('opens a recording file from the source picker and replays it', async () => {
    const messages = await simulatedMessages(3000);
    await app().locator('[data-source-kind=recording]').click();
    await page.locator('tw-replay-panel input[type=file]').setInputFiles({
      name: 'pilot.jsonl',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(messages.map((m) => `${recordingLine(m)}\n`).join('')),
    });
    await page.waitForFunction(() => window.__twin!.source()?.name === 'Recording: pilot.jsonl' && window.__twin!.source()?.running === false, undefined, { timeout: 60_000 });
    expect((await page.evaluate(() => window.__twin!.source()!.totals!.messages))).toBe(3000);
    expect(await app().locator('[data-source-kind=recording] .dot').count()).toBe(0);
    expect(errors).toEqual([]);
  });
  it('a shared address opens the same view: time, selection and tab', async () => {
    const { slot, t } = await changedSlot();
    const url = `${session.server().url}?layout=/${LAYOUT_PATH}&source=none&at=${new Date(t).toISOString()}&select=slot:${slot}&theme=light`;
    // This page lets go of the event store (one tab at a time holds it) before the other opens it.
    await page.close();
    const other = await openPage(session.browser());
    try {
      await other.page.goto(url);
      await other.page.waitForFunction(() => window.__twin?.ready === true, undefined, { timeout: 60_000 });
      // The event store is saved in this browser (OPFS), so the past is there to show.
      await other.page.waitForFunction((want) => window.__twin!.shown().room?.at === want, t, { timeout: 30_000 });
      expect(await other.page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      await expect.poll(() => shownText('tw-inspector', other.page), { timeout: 20_000 }).toContain(slot);
      expect(other.errors).toEqual([]);
    } finally {
      await other.page.close();
    }
  });

});
