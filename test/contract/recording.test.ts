import { describe, expect, it } from 'vitest';
import { formatTs, parseTs } from '../../src/contract/parseTs';
import { fromBase64, LineSplitter, parseRecordingLine, recordingLine, toBase64 } from '../../src/contract/recording';

const NOW = Date.parse('2026-11-22T21:00:00Z');

describe('parseTs', () => {
  it.each([
    ['2026-11-22T21:14:03.120Z', Date.UTC(2026, 10, 22, 21, 14, 3, 120)],
    ['2026-11-22t21:14:03z', Date.UTC(2026, 10, 22, 21, 14, 3)],
    ['2026-11-22T15:14:03.5-06:00', Date.UTC(2026, 10, 22, 21, 14, 3, 500)],
    ['2024-02-29T00:00:00+00:00', Date.UTC(2024, 1, 29)],
    [1763846043120, 1763846043120],
  ])('reads %s', (v, ms) => expect(parseTs(v)).toBe(ms));
  it.each(['2026-11-22T21:14:03', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-22', 'now', -5, Infinity, null, '1763846043120'])(
    'refuses %s',
    (v) => expect(parseTs(v)).toBeNaN(),
  );
  it('round-trips through formatTs', () => expect(parseTs(formatTs(NOW))).toBe(NOW));
});

describe('recording lines', () => {
  it('reads text and base64 payloads, props, qos, retain and received', () => {
    const line = '{"topic":"backroom/v1/s/camera/C1/frame","payload_b64":"/9j/4AA=","qos":0,"props":{"ts":"2026-11-22T21:14:03.000Z"},"received":"2026-11-22T21:14:03.180Z"}';
    const r = parseRecordingLine(line, 3, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Array.from(r.message.payload as Uint8Array)).toEqual([0xff, 0xd8, 0xff, 0xe0, 0x00]);
    expect(r.message).toMatchObject({ qos: 0, retain: false, line: 3, props: { ts: '2026-11-22T21:14:03.000Z' }, received: Date.parse('2026-11-22T21:14:03.180Z') });
  });

  it('uses the reader clock when a hand-written line has no received', () => {
    const r = parseRecordingLine('{"topic":"t","payload":"x","retain":true,"qos":1}', 1, NOW);
    expect(r.ok && r.message).toMatchObject({ received: NOW, retain: true, qos: 1, payload: 'x' });
  });

  it.each([
    ['not JSON', '{"topic":'],
    ['an array', '[1]'],
    ['no topic', '{"payload":"x"}'],
    ['no payload', '{"topic":"t"}'],
    ['bad base64', '{"topic":"t","payload_b64":"***"}'],
  ])('quarantines a line that is %s, with its line number', (_n, line) => {
    const r = parseRecordingLine(line, 17, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.entry.reason).toBe('bad_line');
      expect(r.entry.detail).toMatch(/^line 17: /);
      expect(r.entry.message.payload).toBe(line);
    }
  });

  it('writes text payloads byte for byte and binary ones as base64', () => {
    const text = '{"ts":"2026-11-22T21:14:03.120Z","grams":4210.5}';
    const back = parseRecordingLine(recordingLine({ topic: 't', payload: text, qos: 1, retain: false, received: NOW }), 1, 0);
    expect(back.ok && back.message.payload).toBe(text);
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x01, 0x80]);
    const line = recordingLine({ topic: 't', payload: jpeg, qos: 0, retain: false, received: NOW });
    expect(JSON.parse(line).payload_b64).toBe(toBase64(jpeg));
    expect(Array.from(fromBase64(toBase64(jpeg))!)).toEqual(Array.from(jpeg));
  });
});

describe('LineSplitter', () => {
  it('splits lines across chunk boundaries and CRLF', () => {
    const lines: string[] = [];
    const s = new LineSplitter();
    for (const chunk of ['a\r', '\nbb', 'b\n\nc', 'cc']) s.push(chunk, (l) => lines.push(l));
    s.end((l) => lines.push(l));
    expect(lines).toEqual(['a', 'bbb', '', 'ccc']);
  });
});

describe('parseTs fast path agrees with the general reader', () => {
  it('on random UTC times with 0 to 6 fraction digits', () => {
    for (let i = 0; i < 2000; i++) {
      const ms = Date.UTC(2020, 0, 1) + Math.floor(((i * 7919) % 100_000) * 1e6 + i * 13.7);
      const iso = new Date(ms).toISOString();
      const digits = i % 7;
      const text = digits === 0 ? iso.slice(0, 19) + 'Z' : iso.slice(0, 20) + (iso.slice(20, 23) + '000').slice(0, digits) + 'Z';
      expect(parseTs(text)).toBe(Date.parse(iso.slice(0, 19) + 'Z') + (digits === 0 ? 0 : Number('0.' + text.slice(20, -1)) * 1000));
    }
  });
  it.each(['2026-11-22T24:00:00Z', '2026-11-22T21:60:00Z', '2026-11-22T21:14:03.Z', '2026-11-22T21:14:0xZ', '2026-11-31T00:00:00Z'])('still refuses %s', (s) => expect(parseTs(s)).toBeNaN());
});

describe('SeqWindow', () => {
  it('finds repeats inside the window and accepts what lies behind it', async () => {
    const { SeqWindow } = await import('../../src/contract/SeqWindow');
    const w = new SeqWindow(64);
    expect([1, 2, 3, 2, 3, 10].map((s) => w.add(s))).toEqual([true, true, true, false, false, true]);
    expect(w.add(5)).toBe(true); // late, inside the window, new
    expect(w.add(5)).toBe(false);
    expect(w.add(200)).toBe(true); // a jump clears the window
    expect(w.add(10)).toBe(true); // far behind: cannot tell, accepted
    expect(w.add(199)).toBe(true);
    expect(w.add(199)).toBe(false);
  });
});
