/**
 * A recorded-like mix of contract messages for a layout, seeded: mostly load-cell readings
 * (as a real store's traffic is), with RFID reads, doors, badges, book movements, status
 * and edge detections. Payloads are JSON text, as read from a recording.
 */
import { Random } from '../src/core/random';
import type { RawMessage } from '../src/contract/messages';
import { topics } from '../src/contract/parseTopic';
import type { LayoutIndex } from '../src/layout/LayoutIndex';

export function messageMix(layout: LayoutIndex, count: number, seed = 1): RawMessage[] {
  const rnd = new Random(seed);
  const store = layout.store;
  const slots = [...layout.slots.values()];
  const doors = [...layout.doors.keys()];
  const readers = [...layout.readers.values()];
  const cameras = [...layout.cameras.keys()];
  const skus = [...layout.skus.values()];
  const devices = layout.deviceIds();
  const units = new Map(slots.map((s) => [s.id, rnd.int(0, s.capacity)]));
  const seqs = new Map<string, number>();
  const t0 = Date.parse('2026-11-22T08:00:00Z');
  const out: RawMessage[] = [];
  for (let i = 0; i < count; i++) {
    const ts = t0 + i * 20; // 50 messages a second of event time
    const iso = new Date(ts).toISOString();
    const r = rnd.next();
    let topic: string;
    let body: Record<string, unknown>;
    if (r < 0.72 || doors.length === 0) {
      const s = rnd.pick(slots);
      const unitGrams = layout.skus.get(s.sku)!.unitGrams;
      let u = units.get(s.id)!;
      if (rnd.chance(0.05)) units.set(s.id, (u = Math.max(0, Math.min(s.capacity, u + rnd.int(-2, 2)))));
      topic = topics.weight(store, s.shelf, s.id);
      body = { ts: iso, grams: Math.round((u * unitGrams + rnd.normal(0, 3)) * 10) / 10 };
    } else if (r < 0.75) {
      const s = rnd.pick(slots);
      topic = topics.slotEvent(store, s.shelf, s.id);
      body = { ts: iso, kind: rnd.chance(0.5) ? 'pick' : 'put', units: rnd.int(1, 3) };
    } else if (r < 0.85 && readers.length) {
      const rd = rnd.pick(readers);
      topic = topics.rfid(store, rd.id);
      body = { ts: iso, epc: `E280${rnd.int(0, 4999).toString(16).padStart(8, '0')}`, antenna: Number(rnd.pick(Object.keys(rd.antennas))), rssi: -rnd.int(40, 80) };
    } else if (r < 0.88) {
      topic = topics.doorState(store, rnd.pick(doors));
      body = { ts: iso, open: rnd.chance(0.5) };
    } else if (r < 0.9) {
      topic = topics.badge(store, rnd.pick(doors));
      body = { ts: iso, badge: `b-${rnd.int(1, 60)}`, role: rnd.pick(['associate', 'supervisor', 'manager', 'vendor']), granted: rnd.chance(0.95) };
    } else if (r < 0.96) {
      const sku = rnd.pick(skus);
      topic = topics.book(store);
      body = { ts: iso, sku: sku.id, delta: -rnd.int(1, 3), reason: 'sale', ref: `POS-${i}` };
    } else if (r < 0.98 || cameras.length === 0) {
      topic = topics.status(store, rnd.pick(devices));
      body = { ts: iso, online: rnd.chance(0.98) };
    } else {
      topic = topics.detection(store, rnd.pick(cameras));
      body = { ts: iso, label: 'person', score: Math.round(rnd.next() * 100) / 100, box: [rnd.int(0, 1800), rnd.int(0, 1000), 80, 200] };
    }
    const seq = (seqs.get(topic) ?? 0) + 1;
    seqs.set(topic, seq);
    out.push({ topic, payload: JSON.stringify({ ...body, seq }), qos: 1, retain: false, received: ts + 40 });
  }
  return out;
}
