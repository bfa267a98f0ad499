import { describe, expect, it, vi } from 'vitest';
import type { QuarantineEntry, TwinEvent } from '../../src/contract/messages';
import { ActiveSource } from '../../src/sources/ActiveSource';
import type { SourceBatch, SourceEnd, SourceListener, TelemetrySource } from '../../src/sources/TelemetrySource';
import { Twin } from '../../src/twin/Twin';
import { diffTwin } from '../../src/twin/TwinDelta';
import type { TwinState } from '../../src/twin/TwinState';
import { miniLayout } from '../fixtures/miniLayout';

const T0 = Date.parse('2026-11-16T08:00:00Z');

/** A source driven by the test: `push` hands the listener a batch and resolves when the listener does. */
class FakeSource implements TelemetrySource {
  readonly name: string;
  readonly capabilities = ['stop', 'record'] as const;
  listener: SourceListener | undefined;
  private finish: ((end: SourceEnd) => void) | undefined;
  private fail: ((e: Error) => void) | undefined;
  stopped = false;
  recording = false;
  private readonly twin = new Twin(miniLayout());
  private shown: TwinState | undefined;
  private messages = 0;
  constructor(name = 'fake', readonly realtime = true) {
    this.name = name;
  }
  setListener(l: SourceListener) {
    this.listener = l;
  }
  start() {
    return new Promise<SourceEnd>((resolve, reject) => ((this.finish = resolve), (this.fail = reject)));
  }
  async stop() {
    this.stopped = true;
  }
  async startRecording() {
    this.recording = true;
  }
  async stopRecording() {
    this.recording = false;
    return new Blob(['x\n']);
  }
  push(events: TwinEvent[], quarantine: QuarantineEntry[] = [], phase: SourceBatch['status']['phase'] = 'connected'): Promise<void> {
    this.twin.applyAll(events);
    this.messages += events.length + quarantine.length;
    const twin = diffTwin(this.shown, this.twin.state);
    this.shown = this.twin.state;
    const t = { messages: this.messages, accepted: this.messages, duplicates: 0, quarantined: quarantine.length, reasons: {}, byType: {}, late: 0, newestTs: this.twin.state.asOf };
    return this.listener!({ events, quarantine, alerts: [], twin, totals: t, status: { phase, problems: [] }, backlog: 0 });
  }
  end(phase: SourceEnd['phase'] = 'ended') {
    this.finish!({ phase, messages: this.messages });
  }
  reject(e: Error) {
    this.fail!(e);
  }
}

const weight = (slot: string, shelf: string, grams: number, t: number): TwinEvent => ({ type: 'weight', slot, shelf, grams, ts: T0 + t, received: T0 + t });

function setup(now = { t: T0 + 60_000 }) {
  const enqueued: { events: number; layout: unknown }[] = [];
  const fills: Map<string, number>[] = [];
  let changes = 0;
  const feed = new ActiveSource(
    { enqueue: (layout, events) => enqueued.push({ layout, events: events.length }), fills: (f) => fills.push(f), changed: () => changes++ },
    { nextFrame: async () => {}, now: () => now.t, fillsEveryMs: 250 },
  );
  return { feed, enqueued, fills, now, changes: () => changes };
}

describe('ActiveSource', () => {
  it('feeds the event store, the twin, the fills and the view from each batch', async () => {
    const { feed, enqueued, fills, now } = setup();
    const layout = miniLayout();
    const src = new FakeSource();
    const playing = feed.play(src, layout);
    expect(feed.view).toMatchObject({ name: 'fake', running: true, realtime: true, status: { phase: 'starting' } });
    await src.push([weight('A-0-0', 'A', 5000, 0)]);
    expect(enqueued).toEqual([{ layout, events: 1 }]);
    expect(feed.twin!.slots.get('A-0-0')!.units).toBe(10);
    // The first batch carries the whole twin: every slot's fill, A-0-0 full, the others unknown.
    expect(fills).toHaveLength(1);
    expect(fills[0]!.get('A-0-0')).toBe(0.5);
    expect(Number.isNaN(fills[0]!.get('B-0-0'))).toBe(true);
    expect(feed.lag()).toBe(60_000);
    expect(feed.view!.status.phase).toBe('connected');
    src.end('stopped');
    expect(await playing).toEqual({ phase: 'stopped', messages: 1 });
    expect(feed.view).toMatchObject({ running: false, status: { phase: 'stopped' } });
  });

  it('merges fills that change faster than fillsEveryMs, and hands the rest over when the source ends', async () => {
    vi.useFakeTimers();
    try {
      const { feed, fills, now } = setup();
      const src = new FakeSource();
      const playing = feed.play(src, miniLayout());
      await src.push([weight('A-0-0', 'A', 1000, 0)]);
      expect(fills).toHaveLength(1);
      now.t += 50;
      await src.push([weight('A-0-1', 'A', 250, 1)]);
      now.t += 100;
      await src.push([weight('A-0-1', 'A', 500, 2), weight('B-0-0', 'B', 400, 2)]);
      expect(fills).toHaveLength(1); // held back until 250 ms after the first
      now.t += 100;
      vi.advanceTimersByTime(200); // the timer was set at the second batch, 50 ms in
      expect(fills).toHaveLength(2);
      expect([...fills[1]!.keys()].sort()).toEqual(['A-0-1', 'B-0-0']);
      expect(fills[1]!.get('A-0-1')).toBeCloseTo(2 / 30);
      now.t += 10;
      await src.push([weight('A-1-0', 'A', 500, 3)]);
      expect(fills).toHaveLength(2);
      src.end();
      await playing;
      expect(fills).toHaveLength(3);
      expect([...fills[2]!.keys()]).toEqual(['A-1-0']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('measures messages a second over the last second, falling to 0 when nothing comes', async () => {
    const { feed, now } = setup();
    const src = new FakeSource();
    void feed.play(src, miniLayout());
    for (let i = 0; i < 10; i++) {
      await src.push(Array.from({ length: 50 }, (_, k) => weight('A-0-0', 'A', 1000 + k, i * 100 + k)));
      now.t += 100;
    }
    // 500 a second while they came; the window's last 100 ms were quiet.
    expect(feed.rate()).toBeGreaterThan(440);
    expect(feed.rate()).toBeLessThanOrEqual(500);
    now.t += 5000;
    expect(feed.rate()).toBe(0);
    expect(feed.lag()).toBe(now.t - (T0 + 949));
  });

  it('stops the source it replaces; what that one still hands over goes to the store only', async () => {
    const { feed, enqueued } = setup();
    const a = new FakeSource('a');
    const b = new FakeSource('b', false);
    const layoutA = miniLayout();
    const layoutB = miniLayout();
    void feed.play(a, layoutA);
    await a.push([weight('A-0-0', 'A', 1000, 0)]);
    void feed.play(b, layoutB);
    expect(a.stopped).toBe(true);
    expect(feed.source).toBe(b);
    expect(feed.twin).toBeUndefined();
    await a.push([weight('A-0-0', 'A', 2000, 1)]);
    expect(enqueued.at(-1)).toEqual({ layout: layoutA, events: 1 });
    expect(feed.view!.name).toBe('b');
    expect(feed.twin).toBeUndefined();
    expect(feed.lag()).toBeNull(); // b is not realtime
  });

  it('shows a source that could not start as an error, not an exception', async () => {
    const { feed } = setup();
    const src = new FakeSource();
    const playing = feed.play(src, miniLayout());
    src.reject(new Error('the layout is not valid: x'));
    expect(await playing).toBeUndefined();
    expect(feed.view).toMatchObject({ running: false, error: 'the layout is not valid: x', status: { phase: 'failed' } });
  });

  it('starts and stops a recording of a source that can record', async () => {
    const { feed } = setup();
    const src = new FakeSource();
    void feed.play(src, miniLayout());
    await feed.startRecording();
    expect(src.recording).toBe(true);
    expect(feed.view!.recording).toBe(true);
    expect(await (await feed.stopRecording()).text()).toBe('x\n');
    expect(feed.view!.recording).toBe(false);
  });
});
