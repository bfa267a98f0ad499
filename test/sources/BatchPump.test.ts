import { describe, expect, it } from 'vitest';
import type { RawMessage } from '../../src/contract/messages';
import { BatchPump } from '../../src/sources/BatchPump';
import type { SourceBatch } from '../../src/sources/TelemetrySource';
import { miniLayout, P } from '../fixtures/miniLayout';

const T0 = Date.parse('2026-11-16T08:00:00Z');
let seq = 0;
const weight = (slot = 'A-0-0', grams = 1000): RawMessage => ({
  topic: `${P}shelf/${slot.slice(0, 1)}/slot/${slot}/weight`,
  payload: JSON.stringify({ ts: T0 + ++seq * 1000, grams, seq }),
  qos: 1,
  retain: false,
  received: T0 + seq * 1000,
});
const bad = (): RawMessage => ({ topic: `${P}shelf/A/slot/A-0-0/weight`, payload: '{', qos: 1, retain: false, received: T0 });

/** A listener that holds each batch until released. */
function gated() {
  const batches: SourceBatch[] = [];
  let release: (() => void) | undefined;
  const listener = (b: SourceBatch) => {
    batches.push(b);
    return new Promise<void>((r) => (release = r));
  };
  const open = async () => {
    const r = release;
    release = undefined;
    r?.();
    await new Promise((res) => setTimeout(res, 0));
  };
  return { batches, listener, open };
}

describe('BatchPump', () => {
  it('sends the first message at once, and what arrives while the listener is busy as one batch', async () => {
    const pump = new BatchPump(miniLayout());
    const g = gated();
    pump.setStatus({ phase: 'connected' });
    pump.push(weight());
    pump.setListener(g.listener);
    expect(g.batches).toHaveLength(1); // status and first message went out together, synchronously
    expect(g.batches[0]!).toMatchObject({ status: { phase: 'connected' }, events: [expect.objectContaining({ type: 'weight' })] });
    for (let i = 0; i < 50; i++) pump.push(weight());
    pump.push(bad());
    expect(g.batches).toHaveLength(1); // nothing more until the listener's promise settles
    await g.open();
    expect(g.batches).toHaveLength(2);
    expect(g.batches[1]!.events).toHaveLength(50);
    expect(g.batches[1]!.quarantine).toHaveLength(1);
    expect(g.batches[1]!.totals).toMatchObject({ messages: 52, accepted: 51, quarantined: 1 });
    await g.open();
    expect(g.batches).toHaveLength(2); // nothing left: no empty batch
    await pump.drained();
  });

  it('caps a batch at maxEvents, quarantine first, and reports the backlog', async () => {
    const pump = new BatchPump(miniLayout(), { maxEvents: 10 });
    for (let i = 0; i < 3; i++) pump.push(bad());
    for (let i = 0; i < 22; i++) pump.push(weight());
    const g = gated();
    pump.setListener(g.listener);
    expect(g.batches[0]!.quarantine).toHaveLength(3);
    expect(g.batches[0]!.events).toHaveLength(7);
    expect(g.batches[0]!.backlog).toBe(15);
    await g.open();
    await g.open();
    expect(g.batches.map((b) => b.events.length)).toEqual([7, 10, 5]);
    expect(g.batches.at(-1)!.backlog).toBe(0);
  });

  it('room() holds a producer back while the backlog is over highWater', async () => {
    const pump = new BatchPump(miniLayout(), { maxEvents: 10, highWater: 15 });
    const g = gated();
    for (let i = 0; i < 40; i++) pump.push(weight());
    pump.setListener(g.listener);
    let roomy = false;
    const waiting = pump.room().then(() => (roomy = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(roomy).toBe(false); // 30 waiting behind the batch in hand
    await g.open();
    expect(roomy).toBe(false); // 20
    await g.open();
    await waiting;
    expect(pump.backlog).toBe(10);
  });

  it('sends a status change on its own when nothing else is waiting', async () => {
    const pump = new BatchPump(miniLayout(), {}, () => ({ recorded: 7 }));
    const batches: SourceBatch[] = [];
    pump.setListener(async (b) => void batches.push(b));
    await pump.drained();
    pump.setStatus({ phase: 'offline', detail: 'gone' });
    pump.setProblem({ id: 'x', severity: 'warning', message: 'm' });
    pump.setProblem({ id: 'x', severity: 'error', message: 'm2' });
    await pump.drained();
    const last = batches.at(-1)!;
    expect(last.events).toHaveLength(0);
    expect(last.status).toEqual({ phase: 'offline', detail: 'gone', recorded: 7, problems: [{ id: 'x', severity: 'error', message: 'm2' }] });
    pump.clearProblem('x');
    await pump.drained();
    expect(batches.at(-1)!.status.problems).toEqual([]);
  });

  it('hands over the whole twin first, then only what changed', async () => {
    const pump = new BatchPump(miniLayout());
    const batches: SourceBatch[] = [];
    pump.setListener(async (b) => void batches.push(b));
    pump.push(weight('A-0-0', 2000));
    await pump.drained();
    expect(batches[0]!.twin.slots.map((s) => s.slot).sort()).toEqual(['A-0-0', 'A-0-1', 'A-1-0', 'B-0-0']);
    pump.push(weight('B-0-0', 1000));
    await pump.drained();
    expect(batches.at(-1)!.twin.slots.map((s) => s.slot)).toEqual(['B-0-0']);
    expect(batches.at(-1)!.twin.slots[0]!.units).toBe(10);
    expect(batches.at(-1)!.twin.doors).toEqual([]);
  });

  it('stops delivering and rejects waiters once the listener fails', async () => {
    const pump = new BatchPump(miniLayout(), { maxEvents: 2, highWater: 2 });
    pump.setListener(async () => {
      throw new Error('page gone');
    });
    for (let i = 0; i < 10; i++) pump.push(weight());
    await expect(pump.room()).rejects.toThrow('page gone');
    await expect(pump.drained()).rejects.toThrow('page gone');
  });
});
