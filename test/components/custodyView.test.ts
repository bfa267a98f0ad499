/**
 * The custody section the Incidents tab shows, over a real event store (DuckDB-WASM in
 * Node): each camera that sees the place with a thumbnail of its nearest stored frame, or
 * "no frame stored". Node has no DOM, so the Lit template is read as its text and values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemplateResult } from 'lit';
import type { BrowserEventStore } from '../../src/analytics/BrowserEventStore';
import { EventStore } from '../../src/analytics/EventStore';
import { openDuckDB, type NodeDuckDB } from '../../src/analytics/openDuckDB';
import { custodyView } from '../../src/components/custodyView';
import type { TwinEvent } from '../../src/contract/messages';
import type { Incident } from '../../src/rules/Incident';
import { miniLayout } from '../fixtures/miniLayout';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 16, 14);
const at = (m: number) => T0 + m * MIN;
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x01, 0x02, 0xff, 0xd9]);
const layout = miniLayout();

/** A template as text: its static parts with every value written in place (nested templates and lists too). */
function text(v: unknown): string {
  if (Array.isArray(v)) return v.map(text).join('');
  const t = v as TemplateResult;
  if (t && typeof t === 'object' && Array.isArray(t.strings)) return t.strings.map((s, i) => s + (i < t.values.length ? text(t.values[i]) : '')).join('');
  return v === null || v === undefined ? '' : String(v);
}

const incident = (m: number): Incident => ({
  id: `inc-${m}`, store: 'store-t1', kind: 'unscanned_move', severity: 'warning', from: at(m), to: at(m + 2), detectedAt: at(m + 2),
  place: { slot: 'A-0-0' }, badges: [], alerts: [], title: 't', status: 'open',
});

let duck: NodeDuckDB;
let store: EventStore;
beforeAll(async () => {
  duck = await openDuckDB();
  store = await EventStore.open(duck.connection, layout);
  const frame: TwinEvent = { type: 'frame', ts: at(10) - 2000, received: at(10), camera: 'C1', jpeg: JPEG, tsSource: 'property' };
  await store.append([frame]);
});
afterAll(() => duck.close());

describe('custodyView', () => {
  const view = () => custodyView({ query: (sql: string) => store.query(sql) } as unknown as BrowserEventStore, layout);

  it('shows a thumbnail of the nearest stored frame under its camera', async () => {
    const page = text(await view().render(incident(10)));
    expect(page).toContain(`<img src=data:image/jpeg;base64,${Buffer.from(JPEG).toString('base64')} alt=Camera C1 at 2026-11-16 08:09:58 -06:00`);
    expect(page).toContain('C1 at 08:09:58 (−2 s)');
    expect(page).not.toContain('no frame stored');
  });

  it('says so where no frame is stored, and puts the frame in the case file', async () => {
    const page = text(await view().render(incident(100)));
    expect(page).not.toContain('<img');
    expect(page).toContain('no frame stored');
    const json = JSON.parse((await view().caseFile(incident(10), 'json')).text);
    expect(json.custody.cameras[0].nearestFrame).toMatchObject({ camera: 'C1', ts: at(10) - 2000, jpegBase64: Buffer.from(JPEG).toString('base64') });
    expect((await view().caseFile(incident(10), 'html')).text).toContain(`<img src="data:image/jpeg;base64,${Buffer.from(JPEG).toString('base64')}"`);
  });
});
