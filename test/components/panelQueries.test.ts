/**
 * What the Devices and Quarantine tabs read from the event store, on DuckDB-WASM's Node
 * build: each device's status at the time shown (offline winning a tie, as in the twin) and
 * when it was last heard of; the quarantine by reason; and its export as a recording file
 * that reads back, line for line, to the same messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/analytics/EventStore';
import { openDuckDB } from '../../src/analytics/openDuckDB';
import { deviceRows, quarantineJsonl, quarantineRows } from '../../src/components/panelQueries';
import type { QuarantineEntry, TwinEvent } from '../../src/contract/messages';
import { parseRecordingLine } from '../../src/contract/recording';
import { miniLayout } from '../fixtures/miniLayout';

const T0 = Date.UTC(2026, 10, 16, 14);
const MIN = 60_000;
let duck: Awaited<ReturnType<typeof openDuckDB>>;
let store: EventStore;
const q = (sql: string) => store.query(sql);

const events: TwinEvent[] = [
  { type: 'status', ts: T0, received: T0, device: 'C1', online: true },
  { type: 'status', ts: T0, received: T0 + 30 * MIN, device: 'C1', online: false }, // its Last Will
  { type: 'status', ts: T0, received: T0, device: 'R1', online: true },
  { type: 'weight', ts: T0 + 5 * MIN, received: T0 + 5 * MIN, shelf: 'A', slot: 'A-0-0', grams: 5000 },
  { type: 'door_state', ts: T0 + 9 * MIN, received: T0 + 9 * MIN, door: 'D1', open: true },
];
const quarantined: QuarantineEntry[] = [
  { reason: 'bad_json', detail: 'Unexpected end of JSON input', message: { topic: 'backroom/v1/store-t1/door/D1/state', payload: '{"ts":', qos: 1, retain: false, received: T0 + MIN } },
  { reason: 'unknown_id', detail: 'no slot ghost on shelf A', message: { topic: 'backroom/v1/store-t1/shelf/A/slot/ghost/weight', payload: `{"ts":${T0},"grams":1}`, qos: 1, retain: false, received: T0 + 2 * MIN } },
  { reason: 'bad_frame', detail: 'not a JPEG', message: { topic: 'backroom/v1/store-t1/camera/C1/frame', payload: Uint8Array.from([0xff, 0xfe, 0x00]), qos: 0, retain: false, received: T0 + 3 * MIN } },
] as QuarantineEntry[];

beforeAll(async () => {
  duck = await openDuckDB({ build: 'mvp' });
  store = await EventStore.open(duck.connection, miniLayout());
  await store.append(events);
  await store.appendQuarantine(quarantined);
});
afterAll(() => duck?.close());

describe('the Devices tab', () => {
  it('lists every device of the layout with its status at the time shown and when it was last heard of', async () => {
    const rows = await deviceRows(q, miniLayout(), null);
    expect(rows.map((r) => r.id).sort()).toEqual(miniLayout().deviceIds().sort());
    const byId = new Map(rows.map((r) => [r.id, r]));
    // The Last Will repeats its connect's ts: offline wins.
    expect(byId.get('C1')).toMatchObject({ kind: 'camera', online: false, since: T0, problem: expect.stringMatching(/offline/) });
    expect(byId.get('R1')).toMatchObject({ online: true, lastSeen: T0 });
    expect(byId.get('A-0-0')).toMatchObject({ kind: 'slot', online: null, lastSeen: T0 + 5 * MIN });
    expect(byId.get('A')).toMatchObject({ kind: 'shelf', lastSeen: T0 + 5 * MIN });
    expect(byId.get('D1')).toMatchObject({ lastSeen: T0 + 9 * MIN });
    // Before the door's state and the reading, they had not been heard of.
    const earlier = new Map((await deviceRows(q, miniLayout(), T0 + MIN)).map((r) => [r.id, r]));
    expect(earlier.get('D1')!.lastSeen).toBeNull();
    expect(earlier.get('A-0-0')!.lastSeen).toBeNull();
  });
});

describe('the Quarantine tab', () => {
  it('counts by reason and lists the newest first, filtered by reason on request', async () => {
    const all = await quarantineRows(q, 'store-t1', null);
    expect(all.total).toBe(3);
    expect(all.byReason.map((r) => r.reason).sort()).toEqual(['bad_frame', 'bad_json', 'unknown_id']);
    expect(all.rows.map((r) => r.reason)).toEqual(['bad_frame', 'unknown_id', 'bad_json']);
    expect(all.rows[1]).toMatchObject({ ts: T0, received: T0 + 2 * MIN, topic: 'backroom/v1/store-t1/shelf/A/slot/ghost/weight' });
    const one = await quarantineRows(q, 'store-t1', 'bad_json');
    expect(one.rows).toHaveLength(1);
    expect(one.total).toBe(3);
  });

  it('exports a recording file that reads back to the same messages, with why each was refused', async () => {
    const lines = (await quarantineJsonl(q, 'store-t1')).trim().split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => {
      const parsed = parseRecordingLine(line, i + 1, 0);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      const want = quarantined[i]!.message;
      expect(parsed.message.topic).toBe(want.topic);
      expect(parsed.message.payload).toEqual(want.payload);
      expect(parsed.message.received).toBe(want.received);
      expect(JSON.parse(line)).toMatchObject({ store: 'store-t1', reason: quarantined[i]!.reason, detail: quarantined[i]!.detail });
    });
  });
});
