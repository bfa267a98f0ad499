import { describe, expect, it } from 'vitest';
import { ContractReader } from '../../src/contract/ContractReader';
import type { RawMessage } from '../../src/contract/messages';
import { miniLayout, P } from '../fixtures/miniLayout';

const NOW = Date.parse('2026-11-22T21:00:00Z');
const TS = '2026-11-22T20:59:00.120Z';
const msg = (topic: string, payload: string | Uint8Array | object, extra: Partial<RawMessage> = {}): RawMessage => ({
  topic,
  payload: typeof payload === 'object' && !(payload instanceof Uint8Array) ? JSON.stringify(payload) : payload,
  qos: 1,
  retain: false,
  received: NOW,
  ...extra,
});
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]);

describe('ContractReader accepts every topic the contract names', () => {
  const cases: [string, RawMessage, Record<string, unknown>][] = [
    ['weight', msg(`${P}shelf/A/slot/A-0-0/weight`, { ts: TS, grams: 4210.5, seq: 881 }), { type: 'weight', shelf: 'A', slot: 'A-0-0', grams: 4210.5, seq: 881 }],
    ['slot event', msg(`${P}shelf/A/slot/A-0-1/event`, { ts: TS, kind: 'pick', units: 2 }), { type: 'slot_event', kind: 'pick', units: 2 }],
    ['rfid, antenna named', msg(`${P}rfid/R1/read`, { ts: TS, epc: 'E200341201', antenna: 2, rssi: -61 }), { type: 'rfid', zone: 'z-rep', antenna: 2, rssi: -61 }],
    ['rfid, one-zone reader', msg(`${P}rfid/R2/read`, { ts: TS, epc: 'E2' }), { type: 'rfid', zone: 'z-cage', antenna: null }],
    ['rfid, one-zone reader, any antenna', msg(`${P}rfid/R2/read`, { ts: TS, epc: 'E2', antenna: 5 }), { zone: 'z-cage', antenna: 5 }],
    ['rfid, several antennas, none named', msg(`${P}rfid/R1/read`, { ts: TS, epc: 'E1' }), { type: 'rfid', zone: null, antenna: null }],
    ['detection score outside 0..1 (the contract sets no range)', msg(`${P}camera/C1/detection`, { ts: TS, label: 'p', score: 1.5, box: [0, 0, 1, 1] }), { score: 1.5 }],
    ['a long string', msg(`${P}door/D1/badge`, { ts: TS, badge: 'x'.repeat(1000), role: 'vendor', granted: true }), { badge: 'x'.repeat(1000) }],
    ['door state', msg(`${P}door/D1/state`, { ts: TS, open: true }), { type: 'door_state', door: 'D1', open: true }],
    ['badge', msg(`${P}door/D2/badge`, { ts: TS, badge: 'b-91f', role: 'manager', granted: false }), { type: 'badge', role: 'manager', granted: false }],
    ['detection', msg(`${P}camera/C1/detection`, { ts: TS, label: 'person', score: 0.91, box: [10, 20, 30, 40] }), { type: 'detection', label: 'person' }],
    ['book with slot', msg(`${P}inventory/book`, { ts: TS, sku: 'SKU1', delta: -3, reason: 'replenish', slot: 'A-0-0', ref: 'R-1' }), { type: 'book', delta: -3, slot: 'A-0-0', ref: 'R-1' }],
    ['book count', msg(`${P}inventory/book`, { ts: TS, sku: 'SKU2', delta: 12, reason: 'count' }), { type: 'book', reason: 'count' }],
    ['status', msg(`${P}status/C1`, { ts: TS, online: false }, { retain: true }), { type: 'status', device: 'C1', online: false }],
    ['status of a slot', msg(`${P}status/A-0-1`, { ts: TS, online: true }), { type: 'status', device: 'A-0-1' }],
    ['epoch ms ts', msg(`${P}door/D3/state`, { ts: NOW - 5000, open: false }), { ts: NOW - 5000 }],
    ['ts with offset', msg(`${P}door/D3/state`, { ts: '2026-11-22T14:59:00-06:00', open: false }), { ts: Date.parse(TS) - 120 }],
    ['extra fields ignored', msg(`${P}door/D3/state`, { ts: TS, open: true, vendor: { x: 1 } }), { open: true }],
    ['frame with ts property', msg(`${P}camera/C1/frame`, JPEG, { qos: 0, props: { ts: TS } }), { type: 'frame', tsSource: 'property', ts: Date.parse(TS) }],
    ['frame without ts property', msg(`${P}camera/C1/frame`, JPEG, { qos: 0 }), { type: 'frame', tsSource: 'arrival', ts: NOW }],
    ['bytes payload', msg(`${P}door/D1/state`, new TextEncoder().encode(JSON.stringify({ ts: TS, open: true }))), { open: true }],
  ];
  it.each(cases)('%s', (_name, m, expected) => {
    const out = new ContractReader(miniLayout()).read(m);
    expect(out.status).toBe('accepted');
    if (out.status === 'accepted') expect(out.event).toMatchObject({ received: NOW, ...expected });
  });
});

describe('ContractReader quarantines bad input with its reason', () => {
  const cases: [string, RawMessage, string][] = [
    ['wrong prefix', msg('backroom/v2/store-t1/door/D1/state', { ts: TS, open: true }), 'unknown_topic'],
    ['unknown shape', msg(`${P}shelf/A/weight`, { ts: TS, grams: 1 }), 'unknown_topic'],
    ['unknown leaf', msg(`${P}door/D1/lock`, { ts: TS, open: true }), 'unknown_topic'],
    ['bad id in topic', msg(`${P}door/D 1/state`, { ts: TS, open: true }), 'unknown_topic'],
    ['other store', msg('backroom/v1/store-99/door/D1/state', { ts: TS, open: true }), 'wrong_store'],
    ['not JSON', msg(`${P}door/D1/state`, '{"ts": oops'), 'bad_json'],
    ['JSON array', msg(`${P}door/D1/state`, '[1,2]'), 'bad_json'],
    ['not UTF-8', msg(`${P}door/D1/state`, new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 'bad_json'],
    ['missing ts', msg(`${P}door/D1/state`, { open: true }), 'missing_field'],
    ['missing grams', msg(`${P}shelf/A/slot/A-0-0/weight`, { ts: TS }), 'missing_field'],
    ['grams as string', msg(`${P}shelf/A/slot/A-0-0/weight`, { ts: TS, grams: '12' }), 'bad_field'],
    ['open as string', msg(`${P}door/D1/state`, { ts: TS, open: 'yes' }), 'bad_field'],
    ['bad event kind', msg(`${P}shelf/A/slot/A-0-0/event`, { ts: TS, kind: 'grab', units: 1 }), 'bad_field'],
    ['zero units', msg(`${P}shelf/A/slot/A-0-0/event`, { ts: TS, kind: 'pick', units: 0 }), 'bad_field'],
    ['fractional delta', msg(`${P}inventory/book`, { ts: TS, sku: 'SKU1', delta: 1.5, reason: 'sale' }), 'bad_field'],
    ['bad reason', msg(`${P}inventory/book`, { ts: TS, sku: 'SKU1', delta: 1, reason: 'gift' }), 'bad_field'],
    ['negative count', msg(`${P}inventory/book`, { ts: TS, sku: 'SKU1', delta: -1, reason: 'count' }), 'bad_field'],
    ['bad role', msg(`${P}door/D1/badge`, { ts: TS, badge: 'b1', role: 'ceo', granted: true }), 'bad_field'],
    ['seq beyond 2^53', msg(`${P}door/D1/state`, { ts: TS, open: true, seq: 2 ** 53 + 4 }), 'bad_field'],
    ['a BOM before the JSON', msg(`${P}door/D1/state`, new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON.stringify({ ts: TS, open: true }))])), 'bad_json'],
    ['a BOM before the JSON, as text', msg(`${P}door/D1/state`, '\uFEFF' + JSON.stringify({ ts: TS, open: true })), 'bad_json'],
    ['short box', msg(`${P}camera/C1/detection`, { ts: TS, label: 'p', score: 0.5, box: [0, 0, 1] }), 'bad_field'],
    ['negative seq', msg(`${P}door/D1/state`, { ts: TS, open: true, seq: -1 }), 'bad_field'],
    ['local time without zone', msg(`${P}door/D1/state`, { ts: '2026-11-22T20:59:00', open: true }), 'bad_ts'],
    ['impossible date', msg(`${P}door/D1/state`, { ts: '2026-02-30T20:59:00Z', open: true }), 'bad_ts'],
    ['ts as digits string', msg(`${P}door/D1/state`, { ts: '1763845140000', open: true }), 'bad_ts'],
    ['25 h in the future', msg(`${P}door/D1/state`, { ts: NOW + 25 * 3600_000, open: true }), 'future_ts'],
    ['unknown shelf', msg(`${P}shelf/Z/slot/A-0-0/weight`, { ts: TS, grams: 1 }), 'unknown_id'],
    ['unknown slot', msg(`${P}shelf/A/slot/A-9-9/weight`, { ts: TS, grams: 1 }), 'unknown_id'],
    ['slot on another shelf', msg(`${P}shelf/A/slot/B-0-0/weight`, { ts: TS, grams: 1 }), 'slot_shelf_mismatch'],
    ['unknown reader', msg(`${P}rfid/R9/read`, { ts: TS, epc: 'E1', antenna: 1 }), 'unknown_id'],
    ['unknown antenna', msg(`${P}rfid/R1/read`, { ts: TS, epc: 'E1', antenna: 7 }), 'unknown_id'],
    ['unknown door', msg(`${P}door/D9/state`, { ts: TS, open: true }), 'unknown_id'],
    ['unknown camera', msg(`${P}camera/C9/detection`, { ts: TS, label: 'p', score: 0.5, box: [0, 0, 1, 1] }), 'unknown_id'],
    ['unknown SKU', msg(`${P}inventory/book`, { ts: TS, sku: 'NOPE', delta: 1, reason: 'sale' }), 'unknown_id'],
    ['unknown book slot', msg(`${P}inventory/book`, { ts: TS, sku: 'SKU1', delta: 1, reason: 'putaway', slot: 'X' }), 'unknown_id'],
    ['unknown device', msg(`${P}status/ghost`, { ts: TS, online: true }), 'unknown_id'],
    ['frame not JPEG', msg(`${P}camera/C1/frame`, new Uint8Array([0x89, 0x50, 0x4e, 0x47])), 'bad_frame'],
    ['frame bad ts property', msg(`${P}camera/C1/frame`, JPEG, { props: { ts: 'yesterday' } }), 'bad_ts'],
  ];
  it.each(cases)('%s -> %s', (_name, m, reason) => {
    const out = new ContractReader(miniLayout()).read(m);
    expect(out.status).toBe('quarantined');
    if (out.status === 'quarantined') {
      expect(out.entry.reason).toBe(reason);
      expect(out.entry.detail.length).toBeGreaterThan(0);
      expect(out.entry.message).toBe(m);
    }
  });
});

describe('duplicates', () => {
  it('stores a repeated seq once, per topic', () => {
    const r = new ContractReader(miniLayout());
    const a = msg(`${P}shelf/A/slot/A-0-0/weight`, { ts: TS, grams: 10, seq: 5 });
    const otherTopic = msg(`${P}shelf/A/slot/A-0-1/weight`, { ts: TS, grams: 10, seq: 5 });
    expect(r.read(a).status).toBe('accepted');
    expect(r.read(a).status).toBe('duplicate');
    expect(r.read(otherTopic).status).toBe('accepted');
  });
  it('never treats messages without seq as duplicates', () => {
    const r = new ContractReader(miniLayout());
    const a = msg(`${P}door/D1/state`, { ts: TS, open: true });
    expect(r.read(a).status).toBe('accepted');
    expect(r.read(a).status).toBe('accepted');
  });
});
