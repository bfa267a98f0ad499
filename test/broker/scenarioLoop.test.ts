/**
 * A scenario played in a loop is one continuous history to the twin: later loops have later
 * times and higher seqs on every topic, nothing is a duplicate or late, and no message goes
 * out ahead of the wall clock.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario/parseScenario';
import type { Scenario } from '../../sim/scenario/Scenario';
import { CATCH_UP_MS, firstLoopStart, MAX_BACK_MS, scenarioLoop, type LoopInfo, type WallClock } from '../../src/broker/scenarioLoop';
import { scenarioMessages } from '../../src/broker/scenarioMessages';
import type { RawMessage } from '../../src/contract/messages';
import { localToUtc } from '../../src/core/zonedTime';
import { Ingest } from '../../src/ingest/Ingest';
import { miniLayout } from '../fixtures/miniLayout';

const layout = miniLayout();
const TZ = layout.layout.timezone;
const DAY = 86_400_000;

function scenario(over: Record<string, unknown> = {}): Scenario {
  const r = parseScenario({ version: 1, name: 'Mini day', layout: 'mini.layout.json', start: '2026-11-16', days: 1, seed: 3, workload: { unitsSoldPerDay: 40 }, ...over });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** A wall clock far in the future of the runs (nothing waits), or one that counts its sleeps. */
function clockAt(now: number): WallClock & { slept: number } {
  const c = { slept: 0, now: () => now, sleep: async (ms: number) => void ((now += ms), (c.slept += ms)) };
  return c;
}

async function take(it: AsyncIterable<RawMessage>, n = Infinity): Promise<RawMessage[]> {
  const out: RawMessage[] = [];
  for await (const m of it) {
    out.push(m);
    if (out.length >= n) break;
  }
  return out;
}

const seqOf = (m: RawMessage) => (JSON.parse(m.payload as string) as { seq?: number }).seq;
const tsOf = (m: RawMessage) => Date.parse((JSON.parse(m.payload as string) as { ts: string }).ts);

describe('firstLoopStart', () => {
  const s = { start: '2026-11-16' };
  const now = Date.parse('2026-11-23T14:00:00Z');

  it('moves the scenario by whole weeks so the run reaches the present after about CATCH_UP_MS at the speed', () => {
    const start = firstLoopStart(s, TZ, 60, now);
    const back = now - localToUtc(start, 0, TZ);
    expect(back).toBeGreaterThanOrEqual(59 * CATCH_UP_MS);
    expect(back).toBeLessThan(59 * CATCH_UP_MS + 7 * DAY);
    // Same weekday as the scenario's own start.
    expect(new Date(`${start}T12:00:00Z`).getUTCDay()).toBe(new Date('2026-11-16T12:00:00Z').getUTCDay());
  });

  it('starts no more than a year back at a high speed, and in the past at real time', () => {
    const fast = now - localToUtc(firstLoopStart(s, TZ, 1e6, now), 0, TZ);
    expect(fast).toBeGreaterThanOrEqual(MAX_BACK_MS);
    expect(fast).toBeLessThan(MAX_BACK_MS + 7 * DAY);
    const real = now - localToUtc(firstLoopStart(s, TZ, 1, now), 0, TZ);
    expect(real).toBeGreaterThanOrEqual(0);
    expect(real).toBeLessThan(7 * DAY);
    // A scenario dated in the future is brought back too.
    const future = firstLoopStart({ start: '2027-06-07' }, TZ, 60, now);
    expect(localToUtc(future, 0, TZ)).toBeLessThan(now);
  });
});

describe('scenarioLoop', () => {
  it('plays the first loop exactly as the simulator makes it', async () => {
    const run = scenario();
    const looped = await take(scenarioLoop(layout, run, { firstStart: run.start, loops: 1, clock: clockAt(Date.parse('2030-01-01')) }));
    expect(looped).toEqual([...scenarioMessages(layout, run)]);
  });

  it('runs each loop a scenario length later with every topic counting on, and the twin sees one history', async () => {
    const run = scenario();
    const loops: LoopInfo[] = [];
    const msgs = await take(scenarioLoop(layout, run, { firstStart: '2026-11-16', loops: 3, clock: clockAt(Date.parse('2030-01-01')), onLoop: (l) => loops.push(l) }));
    expect(loops.map((l) => [l.loop, l.startDate, l.endDate])).toEqual([
      [1, '2026-11-16', '2026-11-17'],
      [2, '2026-11-17', '2026-11-18'],
      [3, '2026-11-18', '2026-11-19'],
    ]);
    expect(loops[1]!.start).toBe(loops[0]!.end);

    const loopOf = (m: RawMessage) => loops.findIndex((l) => tsOf(m) >= l.start && tsOf(m) < l.end);
    const byTopic = new Map<string, { loop: number; seq: number; ts: number }[]>();
    for (const m of msgs) {
      const list = byTopic.get(m.topic) ?? [];
      list.push({ loop: loopOf(m), seq: seqOf(m)!, ts: tsOf(m) });
      byTopic.set(m.topic, list);
    }
    // Checked in plain code and reported together: an expect per message is slow.
    const wrong: string[] = [];
    if (msgs.some((m) => loopOf(m) < 0)) wrong.push('a message outside every loop');
    // `received` never goes back, across loops too.
    for (let i = 1; i < msgs.length; i++) if (msgs[i]!.received < msgs[i - 1]!.received) wrong.push(`received goes back at ${i}`);
    let crossings = 0;
    for (const [topic, list] of byTopic) {
      for (let i = 1; i < list.length; i++) {
        const [a, b] = [list[i - 1]!, list[i]!];
        if (b.seq <= a.seq) wrong.push(`${topic}: seq ${a.seq} then ${b.seq}`);
        if (b.loop === a.loop) continue;
        crossings++;
        if (b.loop < a.loop || b.ts <= a.ts) wrong.push(`${topic}: loop ${a.loop + 1} at ${a.ts}, then loop ${b.loop + 1} at ${b.ts}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(crossings).toBeGreaterThan(10);

    // The twin, with each message arriving now: nothing quarantined, duplicated or late.
    const ingest = new Ingest(layout);
    for (const m of msgs) ingest.push({ ...m, received: Date.parse('2030-01-01') });
    const t = ingest.totals();
    expect(t).toMatchObject({ quarantined: 0, duplicates: 0, late: 0 });
    expect(t.accepted).toBe(msgs.length);
  });

  it('holds each message until the wall clock reaches its time, once it has caught up', async () => {
    const run = scenario();
    const start = localToUtc(run.start, 0, TZ);
    const clock = clockAt(start + 6 * 3_600_000); // six simulated hours in
    let caughtUp = 0;
    const msgs = await take(scenarioLoop(layout, run, { firstStart: run.start, loops: 1, clock, onCaughtUp: () => caughtUp++ }));
    expect(caughtUp).toBe(1);
    // It waited through the rest of the day, and nothing went out before its time.
    expect(clock.slept).toBeGreaterThan(17 * 3_600_000);
    expect(clock.now()).toBeGreaterThanOrEqual(msgs.at(-1)!.received);
  });

  it('ends when its signal aborts, also while it waits for the clock', async () => {
    const run = scenario();
    const abort = new AbortController();
    const start = localToUtc(run.start, 0, TZ);
    const clock: WallClock = { now: () => start + 60_000, sleep: (_ms, signal) => new Promise((resolve) => signal?.addEventListener('abort', () => resolve())) };
    const it = scenarioLoop(layout, run, { firstStart: run.start, clock, signal: abort.signal });
    const got: RawMessage[] = [];
    const done = (async () => {
      for await (const m of it) got.push(m);
    })();
    await new Promise((r) => setTimeout(r, 50));
    expect(got.length).toBeGreaterThan(0); // the opening, up to a minute in
    abort.abort();
    await done;
    expect(got.every((m) => m.received <= start + 60_000)).toBe(true);
  });
});
