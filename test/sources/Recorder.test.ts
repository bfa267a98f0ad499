import { describe, expect, it } from 'vitest';
import type { RawMessage } from '../../src/contract/messages';
import { parseRecordingLine } from '../../src/contract/recording';
import { Recorder, recordingBlob } from '../../src/sources/Recorder';

const T = Date.parse('2026-11-22T21:14:03.180Z');

describe('Recorder', () => {
  it('keeps messages as recording lines only while recording, bytes and properties included', async () => {
    const r = new Recorder();
    const text: RawMessage = { topic: 'backroom/v1/s/door/D1/state', payload: new TextEncoder().encode('{"ts":1,"open":true}'), qos: 1, retain: true, received: T };
    const jpeg: RawMessage = { topic: 'backroom/v1/s/camera/C1/frame', payload: Uint8Array.from([0xff, 0xd8, 0x00, 0xff, 0xd9]), qos: 0, retain: false, props: { ts: '2026-11-22T21:14:03.000Z' }, received: T };
    r.message(text); // not recording yet
    r.start();
    r.message(text);
    r.message(jpeg);
    r.line('{"topic":"x","payload":"as it was"}');
    r.line('   ');
    expect(r.lines).toBe(3);
    const blob = recordingBlob(r.stop());
    expect(r.recording).toBe(false);
    const lines = (await blob.text()).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1)).toEqual([
      '{"topic":"backroom/v1/s/door/D1/state","payload":"{\\"ts\\":1,\\"open\\":true}","qos":1,"retain":true,"received":"2026-11-22T21:14:03.180Z"}',
      '{"topic":"backroom/v1/s/camera/C1/frame","payload_b64":"/9gA/9k=","qos":0,"props":{"ts":"2026-11-22T21:14:03.000Z"},"received":"2026-11-22T21:14:03.180Z"}',
      '{"topic":"x","payload":"as it was"}',
    ]);
    // Read back, each is the message that came in.
    const back = parseRecordingLine(lines[1]!, 2, 0);
    expect(back.ok && back.message).toMatchObject({ topic: jpeg.topic, payload: jpeg.payload, qos: 0, props: jpeg.props, received: T });
  });

  it('joins a long session into chunks, losing no line', async () => {
    const r = new Recorder();
    r.start();
    for (let i = 0; i < 10_000; i++) r.line(`{"n":${i}}`);
    const chunks = r.stop();
    expect(chunks.length).toBeLessThan(5);
    const lines = chunks.join('').trim().split('\n');
    expect(lines).toHaveLength(10_000);
    expect(lines[9999]).toBe('{"n":9999}');
  });

  it('stops keeping at its limit, says so once, and keeps a gapless start; a new recording starts empty', async () => {
    const full: number[] = [];
    const r = new Recorder((kept) => full.push(kept), 100);
    r.start();
    for (let i = 0; i < 10; i++) r.line(`{"topic":"t","payload":"${i}"}`); // 29 characters and a newline each
    expect(full).toEqual([3]);
    expect(r.full).toBe(true);
    expect(r.notKept).toBe(7);
    expect(r.lines).toBe(3);
    expect((await recordingBlob(r.stop()).text()).split('\n').filter(Boolean).map((l) => JSON.parse(l).payload)).toEqual(['0', '1', '2']);
    r.start();
    expect(r.full).toBe(false);
    r.line('{"topic":"t","payload":"again"}');
    expect(r.lines).toBe(1);
  });
});
