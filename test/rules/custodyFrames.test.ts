/**
 * The nearest stored camera frame in an incident's chain of custody and its case file, on
 * DuckDB-WASM's Node build and on native DuckDB: the fixture layout plus camera C2, which
 * sees the cage door D2 but not slot A-0-0. For each camera that sees the place, the frame
 * nearest the bookmark (the incident's start) within the searched span, its JPEG exactly;
 * no frame from a camera that does not see the place; and a plain "none" where none is kept.
 */
import { describe, expect, it } from 'vitest';
import type { Query } from '../../src/analytics/history/historySql';
import type { FrameEvent, TwinEvent } from '../../src/contract/messages';
import { camerasSeeing } from '../../src/layout/cameraCoverage';
import { LayoutIndex } from '../../src/layout/LayoutIndex';
import { parseLayout } from '../../src/layout/parseLayout';
import { caseFileHtml, caseFileJson } from '../../src/rules/caseFile';
import { custodyOf } from '../../src/rules/custody';
import type { Incident } from '../../src/rules/Incident';
import { STORE_ENGINES, useFilledStore } from '../fixtures/filledStore';
import { MINI_LAYOUT } from '../fixtures/miniLayout';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 16, 14); // 08:00 in Chicago
const at = (m: number) => T0 + m * MIN;

function layoutWithC2(): LayoutIndex {
  const l = structuredClone(MINI_LAYOUT) as typeof MINI_LAYOUT & { cameras: object[] };
  l.cameras.push({ id: 'C2', position: [9.8, 5.8, 2.5], yaw: 240, pitch: -30, hfov: 90, resolution: [1280, 720] });
  const r = parseLayout(l);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return new LayoutIndex(r.layout);
}
const layout = layoutWithC2();

/** Distinct JPEG-looking bytes per frame (the store does not decode them). */
function jpeg(seed: number, size = 700): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 13 + seed * 101) & 0xff;
  b.set([0xff, 0xd8, 0xff, 0xe0]);
  b.set([0xff, 0xd9], size - 2);
  return b;
}
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const frame = (camera: string, m: number, seed: number, tsSource: FrameEvent['tsSource'] = 'property'): FrameEvent =>
  ({ type: 'frame', ts: at(m), received: at(m) + 80, camera, jpeg: jpeg(seed), tsSource });

const FRAMES = {
  early: frame('C1', 3, 1), // before the searched span
  before: frame('C1', 9.5, 2), // 30 s before the bookmark
  after: frame('C1', 10.5, 3, 'arrival'), // 30 s after: the tie goes to the earlier
  later: frame('C1', 11, 4),
  c2: frame('C2', 10, 5), // on the bookmark, but C2 does not see A-0-0
  c9: frame('C9', 10, 6), // a camera the layout does not know
};
const EVENTS: TwinEvent[] = [
  ...Object.values(FRAMES),
  { type: 'detection', ts: at(10), received: at(10), camera: 'C1', label: 'person', score: 0.9, box: [0, 0, 1920, 1080] },
];

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-f', store: 'store-t1', kind: 'unscanned_move', severity: 'warning', from: at(10), to: at(12), detectedAt: at(12),
    place: { slot: 'A-0-0' }, sku: 'SKU1', units: 3, badges: [], alerts: [], title: '3 units of SKU1 left A-0-0', status: 'open', ...over,
  };
}

describe('the fixture', () => {
  it('has C2 see the cage door but not slot A-0-0', () => {
    expect(camerasSeeing(layout, { slot: 'A-0-0' }).map((c) => c.camera)).toEqual(['C1']);
    expect(camerasSeeing(layout, { door: 'D2' }).map((c) => c.camera).sort()).toEqual(['C1', 'C2']);
  });
});

describe.each(STORE_ENGINES)('the nearest frame in custody on %s', (_name, open) => {
  const query = useFilledStore(open, layout, () => EVENTS);
  const q: Query = (sql) => query()(sql);

  it('gives each camera that sees the place its stored frame nearest the bookmark, the JPEG exactly', async () => {
    const c = await custodyOf(q, layout, incident());
    expect(c.cameras.map((x) => x.camera)).toEqual(['C1']);
    const cam = c.cameras[0]!;
    expect(cam.nearestFrame).toEqual({
      camera: 'C1', ts: at(9.5), local: '2026-11-16 08:09:30 -06:00', offsetMs: -MIN / 2, tsSource: 'property', bytes: 700, jpegBase64: b64(FRAMES.before.jpeg),
    });
    expect(Buffer.from(cam.nearestFrame!.jpegBase64, 'base64').equals(Buffer.from(FRAMES.before.jpeg))).toBe(true);
    // 9.5, 10.5 and 11 are in [5, 17]; 3 is not.
    expect(cam.frames).toBe(3);
    // The detection is found as before.
    expect(cam.nearestDetection).toMatchObject({ ts: at(10) });
    // Nothing of C2's or C9's frames.
    const text = JSON.stringify(c);
    for (const f of [FRAMES.c2, FRAMES.c9, FRAMES.after, FRAMES.early]) expect(text).not.toContain(b64(f.jpeg));
  });

  it('searches only the span: a zero margin finds the one after the start; its time source is kept', async () => {
    const c = await custodyOf(q, layout, incident(), { marginMs: 0 });
    expect(c.cameras[0]!.nearestFrame).toMatchObject({ ts: at(10.5), offsetMs: MIN / 2, tsSource: 'arrival', jpegBase64: b64(FRAMES.after.jpeg) });
    expect(c.cameras[0]!.frames).toBe(2);
  });

  it('gives a camera that sees the door its own frame there', async () => {
    const c = await custodyOf(q, layout, incident({ kind: 'cage_door', place: { door: 'D2' }, sku: undefined, units: undefined }));
    const byCamera = Object.fromEntries(c.cameras.map((x) => [x.camera, x.nearestFrame?.jpegBase64]));
    expect(byCamera).toEqual({ C1: b64(FRAMES.before.jpeg), C2: b64(FRAMES.c2.jpeg) });
  });

  it('says plainly when no frame is stored for the span', async () => {
    const later = incident({ from: at(100), to: at(101), detectedAt: at(101) });
    const c = await custodyOf(q, layout, later);
    expect(c.cameras.map((x) => [x.camera, x.nearestFrame, x.frames])).toEqual([['C1', null, 0]]);
    const html = caseFileHtml(later, c, layout);
    expect(html).not.toMatch(/<img\b/);
    expect(html).toContain('No camera frame is stored for this span');
    expect(html).toContain('none stored');
    expect(caseFileJson(later, c, layout).custody.cameras[0]!.nearestFrame).toBeNull();
  });

  it('puts the frame in the case file: base64 in the JSON, inline in the printable page', async () => {
    const i = incident();
    const c = await custodyOf(q, layout, i);
    const f = caseFileJson(i, c, layout);
    expect(f.version).toBe(1);
    const json = JSON.parse(JSON.stringify(f)) as typeof f;
    expect(json.custody.cameras[0]!.nearestFrame).toMatchObject({ camera: 'C1', ts: at(9.5), local: '2026-11-16 08:09:30 -06:00', jpegBase64: b64(FRAMES.before.jpeg) });

    const html = caseFileHtml(i, c, layout);
    const imgs = [...html.matchAll(/<img src="([^"]*)" alt="([^"]*)">/g)];
    expect(imgs.map((m) => m[2])).toEqual(['Camera C1 at 2026-11-16 08:09:30 -06:00']);
    expect(imgs[0]![1]).toBe(`data:image/jpeg;base64,${b64(FRAMES.before.jpeg)}`);
    expect(html).toContain('<h3>Nearest frames</h3>');
    expect(html).toMatch(/<figcaption><span class="mono">C1 · 2026-11-16 08:09:30 -06:00 \(−30 s from the bookmark, camera&#39;s clock\) · 1 KB<\/span><\/figcaption>/);
    expect(html).toContain("2026-11-16 08:09:30 -06:00 (−30 s), shown below; 3 in span");
    expect(html).not.toContain(b64(FRAMES.c2.jpeg));
    // Still self-contained: the only source is the inline frame.
    expect([...html.matchAll(/\s(src|href)\s*=\s*["']([^"']*)/gi)].map((m) => m[2]!.slice(0, 23))).toEqual(['data:image/jpeg;base64,']);
    for (const tag of ['section', 'table', 'figure', 'figcaption']) {
      expect((html.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length, tag).toBe((html.match(new RegExp(`</${tag}>`, 'g')) ?? []).length);
    }
  });
});
