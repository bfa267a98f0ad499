/**
 * The case file of a hand-made incident in the fixture store (custody asked of DuckDB-WASM's
 * Node build): its JSON survives a round trip and says its store and schema version; its
 * printable page is self-contained and escapes hostile text from the data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TwinEvent } from '../../src/contract/messages';
import { EventStore } from '../../src/analytics/EventStore';
import { openDuckDB } from '../../src/analytics/openDuckDB';
import { caseFileHtml, caseFileJson, escapeHtml } from '../../src/rules/caseFile';
import { custodyOf, type Custody } from '../../src/rules/custody';
import type { Incident } from '../../src/rules/Incident';
import { miniLayout } from '../fixtures/miniLayout';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 16, 14);
const at = (m: number) => T0 + m * MIN;
const EVIL = '<script>alert("x")</script>';

const layout = miniLayout();
const EVENTS: TwinEvent[] = [
  { type: 'badge', ts: at(-5), received: at(-5), door: 'D1', badge: EVIL, role: 'associate', granted: true },
  { type: 'badge', ts: at(11), received: at(11), door: 'D2', badge: 'alice', role: 'manager', granted: false },
  { type: 'detection', ts: at(10), received: at(10), camera: 'C1', label: '<img src=x onerror=alert(1)>', score: 0.7, box: [0, 0, 1920, 1080] },
  // A frame of C1 (which sees A-0-0) 5 s after the start: shown inline in the page.
  { type: 'frame', ts: at(10) + 5000, received: at(10) + 5100, camera: 'C1', jpeg: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0xff, 0xd9]), tsSource: 'property' },
];

const incident: Incident = {
  id: 'inc-7',
  store: 'store-t1',
  kind: 'unscanned_move',
  severity: 'critical',
  from: at(10),
  to: at(12),
  detectedAt: at(13),
  place: { slot: 'A-0-0' },
  sku: 'SKU1',
  units: 2,
  badges: [EVIL],
  alerts: [
    {
      id: 'al-1', store: 'store-t1', rule: 'unscanned_move', severity: 'critical', from: at(10), to: at(12), detectedAt: at(13),
      place: { slot: 'A-0-0' }, sku: 'SKU1', units: 2, badges: [EVIL], text: `2 units left A-0-0 & nobody booked them ${EVIL}`,
    },
    { id: 'al-2', store: 'store-t1', rule: 'cage_door', severity: 'warning', from: at(11), to: at(11), detectedAt: at(11), place: { door: 'D2' }, text: 'refused at "D2"', ref: "PO-'9'" },
  ],
  title: `Stock left A-0-0 ${EVIL}`,
  status: 'resolved',
  resolvedAt: at(60),
  outcome: 'theft',
  note: 'Seen on C1 </td></tr></table><h1>pwned</h1>',
};

let custody: Custody;
let close: () => void;
beforeAll(async () => {
  const db = await openDuckDB();
  close = () => db.close();
  const store = await EventStore.open(db.connection, layout);
  await store.append(EVENTS);
  custody = await custodyOf((sql) => store.query(sql), layout, incident);
});
afterAll(() => close());

describe('caseFileJson', () => {
  it('is stable plain data that survives a JSON round trip', () => {
    const f = caseFileJson(incident, custody, layout);
    expect(f).toMatchObject({ schema: 'backroom-twin/case-file', version: 1, store: 'store-t1', storeName: 'Test back room', timezone: 'America/Chicago', exportedAt: null });
    const text = JSON.stringify(f);
    expect(JSON.parse(text)).toStrictEqual(f);
    // The same inputs give the same text, byte for byte.
    expect(JSON.stringify(caseFileJson(incident, custody, layout))).toBe(text);
    expect(caseFileJson(incident, custody, layout, { exportedAt: at(100) }).exportedAt).toBe(at(100));

    expect(f.incident).toMatchObject({ id: 'inc-7', place: { slot: 'A-0-0', shelf: null, zone: null, door: null, device: null }, outcome: 'theft', acknowledgedAt: null, resolvedAt: at(60) });
    expect(f.incident.alerts.map((a) => [a.id, a.fromLocal, a.sku, a.ref])).toEqual([
      ['al-1', '2026-11-16 08:10:00 -06:00', 'SKU1', null],
      ['al-2', '2026-11-16 08:11:00 -06:00', null, "PO-'9'"],
    ]);
    expect(f.custody.who.map((p) => [p.badge, p.own])).toEqual([[EVIL, true], ['alice', false]]);
    expect(f.custody.what).toMatchObject({ valueAtCost: 8, valueAtPrice: 18 });
    expect(f.custody.cameras.map((c) => [c.camera, c.nearestDetection?.atTarget, c.nearestFrame?.jpegBase64])).toEqual([['C1', true, '/9j/4AAQ/9k=']]);
  });
});

describe('caseFileHtml', () => {
  const page = () => caseFileHtml(incident, custody, layout, { exportedAt: at(100) });

  it('escapes hostile text from the data', () => {
    const html = page();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<h1>pwned');
    expect(html).toContain(escapeHtml(EVIL));
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('PO-&#39;9&#39;');
    expect(html).toContain('&amp; nobody booked');
    expect(escapeHtml(`a&b<c>"d"'e'`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
  });

  it('is a self-contained printable page with the summary, the tables, the cameras and the alerts', () => {
    const html = page();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).toContain('@media print');
    // Nothing fetched from elsewhere: the one image is the frame, inline.
    expect(html).not.toMatch(/<(link|script|iframe)\b/i);
    expect(html.match(/<img\b[^>]*>/g)).toEqual(['<img src="data:image/jpeg;base64,/9j/4AAQ/9k=" alt="Camera C1 at 2026-11-16 08:10:05 -06:00">']);
    expect(html).not.toMatch(/\s(src|href)\s*=\s*["'](?!data:image\/jpeg;base64,)/i);
    expect(html).not.toMatch(/url\(|@import/i);
    for (const h of ['Summary', 'Who', 'What', 'When', 'Where', 'Cameras', 'Alerts']) expect(html).toContain(`<h2>${h}</h2>`);
    expect(html).toContain('C1 · 2026-11-16 08:10:05 -06:00 (+5 s from the bookmark, camera&#39;s clock)');
    expect(html).toContain('Test back room');
    expect(html).toContain('2026-11-16 08:10:00 -06:00'); // the window and the bookmark, local
    expect(html).toContain('exported 2026-11-16 09:40:00 -06:00');
    expect(html).toContain('Detergent 2L');
    expect(html).toContain('18.00'); // value at price
    expect(html).toContain('<strong>refused</strong>');
    expect(html).toContain('slot A-0-0, shelf A, zone z-rep (replenishment)');
    expect(html).toMatch(/<span class="mono">C1<\/span>/);
    expect(html).toContain('theft');
    expect((html.match(/<li>/g) ?? []).length).toBe(2);
    // Tags balance: every section and table opened is closed.
    for (const tag of ['section', 'table', 'tr', 'td', 'th', 'ol', 'li']) {
      expect((html.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length, tag).toBe((html.match(new RegExp(`</${tag}>`, 'g')) ?? []).length);
    }
  });
});
