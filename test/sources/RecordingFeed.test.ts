import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RecordingFeed } from '../../src/sources/RecordingFeed';
import { collector, LAYOUT_TEXT, referenceIngest, scenarioLines } from './sourceFixtures';

const NOW = Date.parse('2026-11-20T00:00:00Z');

describe('RecordingFeed', () => {
  it('reads a .jsonl.gz like the .jsonl inside it, with progress rising to 1', async () => {
    const lines = (await scenarioLines()).slice(0, 2000);
    const file = new Blob([gzipSync(lines.join('\n') + '\n')]);
    const { taken, listener } = collector();
    const end = await new RecordingFeed(() => NOW).run({ layoutText: LAYOUT_TEXT, file, name: 'day.jsonl.gz', pump: { maxEvents: 300 } }, listener);
    expect(end).toEqual({ phase: 'ended', messages: 2000 });
    const last = taken.batches.at(-1)!;
    expect(last.totals).toMatchObject(referenceIngest(lines).totals());
    expect(last.status.progress).toBe(1);
    const progress = taken.batches.map((b) => b.status.progress ?? 0);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1]!)).toBe(true);
  });

  it('keeps what it read from a truncated .gz and reports the fault as a problem', async () => {
    const lines = (await scenarioLines()).slice(0, 4000);
    const gz = gzipSync(lines.join('\n') + '\n');
    const file = new Blob([gz.subarray(0, Math.floor(gz.length / 2))]);
    const { taken, listener } = collector();
    const end = await new RecordingFeed(() => NOW).run({ layoutText: LAYOUT_TEXT, file, name: 'cut.jsonl.gz' }, listener);
    expect(end.phase).toBe('failed');
    const last = taken.batches.at(-1)!;
    expect(last.status.problems).toEqual([expect.objectContaining({ id: 'recording-read', severity: 'error', message: expect.stringContaining('cut.jsonl.gz could not be read to the end') })]);
    expect(last.totals.messages).toBe(end.messages);
    expect(taken.events + taken.quarantined).toBe(last.totals.accepted + last.totals.quarantined);
  });

  it('gives lines without a received time the time it read them', async () => {
    const { taken, listener } = collector();
    const line = JSON.stringify({ topic: 'backroom/v1/store-t1/door/D1/state', payload: JSON.stringify({ ts: NOW - 1000, open: true }) });
    await new RecordingFeed(() => NOW).run({ layoutText: LAYOUT_TEXT, file: new Blob([line]), name: 'hand.jsonl' }, listener);
    expect(taken.batches.flatMap((b) => b.events)).toEqual([expect.objectContaining({ type: 'door_state', received: NOW, ts: NOW - 1000 })]);
  });
});
