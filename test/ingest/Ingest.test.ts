import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ingest } from '../../src/ingest/Ingest';
import { recordingLine } from '../../src/contract/recording';
import { stateToJson } from '../../src/twin/stateToJson';
import { miniLayout, P } from '../fixtures/miniLayout';

const NOW = Date.parse('2026-11-22T21:00:00Z');
const good = (i: number) =>
  recordingLine({ topic: `${P}shelf/A/slot/A-0-0/weight`, payload: JSON.stringify({ ts: NOW - 3600_000 + i * 1000, grams: 5000 - 500 * (i % 3), seq: i }), qos: 1, retain: false, received: NOW });
const BAD = [
  'not json at all',
  JSON.stringify({ topic: `${P}door/D1/state`, payload: '{"ts":1,', received: '2026-11-22T21:00:00Z' }),
  JSON.stringify({ topic: `${P}door/D9/state`, payload: '{"ts":1,"open":true}', received: '2026-11-22T21:00:00Z' }),
  JSON.stringify({ topic: `${P}nope`, payload: '{}', received: '2026-11-22T21:00:00Z' }),
  JSON.stringify({ topic: `${P}door/D1/state`, payload: JSON.stringify({ ts: NOW + 90_000_000, open: true }), received: '2026-11-22T21:00:00Z' }),
];

function ingestLines(lines: string[]) {
  const ing = new Ingest(miniLayout());
  lines.forEach((l, i) => ing.pushLine(l, i + 1, NOW));
  return ing;
}

describe('Ingest', () => {
  it('keeps every valid message when bad ones are mixed in, whatever the mix', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 49 }).map(good), fc.constantFrom(...BAD)), { maxLength: 120 }), (lines) => {
        const ing = ingestLines(lines);
        const t = ing.totals();
        const goodSeqs = new Set(lines.filter((l) => !BAD.includes(l)).map((l) => JSON.parse(JSON.parse(l).payload).seq));
        expect(t.accepted).toBe(goodSeqs.size);
        expect(t.quarantined).toBe(lines.filter((l) => BAD.includes(l)).length);
        expect(t.messages).toBe(lines.length);
        expect(t.accepted + t.duplicates + t.quarantined).toBe(t.messages);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('counts the quarantine by reason', () => {
    const t = ingestLines([good(1), ...BAD, '', good(1)]).totals();
    expect(t).toMatchObject({ messages: 7, accepted: 1, duplicates: 1, quarantined: 5 });
    expect(t.reasons).toEqual({ bad_line: 1, unknown_topic: 1, bad_json: 1, future_ts: 1, unknown_id: 1 });
  });

  it('exports the quarantine as a recording that replays to the same quarantine', () => {
    const first = ingestLines([good(1), ...BAD, good(2)]);
    const exported = [...first.quarantine.lines()];
    expect(exported).toHaveLength(5);
    for (const l of exported) expect(JSON.parse(l).quarantine.reason).toBeTypeOf('string');
    const replay = ingestLines(exported);
    expect(replay.totals().reasons).toEqual(first.totals().reasons);
    expect(replay.totals().accepted).toBe(0);
  });

  it('gives the same twin from a recording replayed in reverse order', () => {
    const lines = Array.from({ length: 40 }, (_, i) => good(i));
    const a = stateToJson(ingestLines(lines).twin.state);
    const b = stateToJson(ingestLines([...lines].reverse()).twin.state);
    expect(b).toEqual(a);
    expect((a.slots as Record<string, { units: number }>)['A-0-0']!.units).toBe(10); // the newest reading, seq 39, is 5000 g
  });
});
