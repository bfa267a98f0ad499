import { describe, expect, it } from 'vitest';
import { resultCsv } from '../../src/analytics/resultCsv';

const T = Date.UTC(2026, 10, 16, 8, 30, 0);

describe('resultCsv', () => {
  it('writes a header of the column names and one CRLF-ended record a row', () => {
    const csv = resultCsv({
      columns: [{ name: 'sku', type: 'Utf8' }, { name: 'units', type: 'Int64' }],
      rows: [{ sku: 'SKU-1', units: 3 }, { sku: 'SKU-2', units: -1.5 }],
    });
    expect(csv).toBe('sku,units\r\nSKU-1,3\r\nSKU-2,-1.5\r\n');
  });

  it('quotes fields with a comma, a quote or a line break, doubling the quotes', () => {
    const csv = resultCsv({
      columns: [{ name: 'a,b', type: 'Utf8' }],
      rows: [{ 'a,b': 'say "hi"' }, { 'a,b': 'two\nlines' }, { 'a,b': 'plain' }],
    });
    expect(csv).toBe('"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\nplain\r\n');
  });

  it('writes timestamps as ISO 8601 UTC and dates as YYYY-MM-DD, by the column type', () => {
    const csv = resultCsv({
      columns: [{ name: 'ts', type: 'Timestamp<MICROSECOND>' }, { name: 'day', type: 'Date32<DAY>' }, { name: 'ms', type: 'Int64' }],
      rows: [{ ts: T, day: Date.UTC(2026, 10, 16), ms: T }, { ts: T + 5, day: null, ms: null }],
    });
    expect(csv.split('\r\n')).toEqual(['ts,day,ms', `2026-11-16T08:30:00Z,2026-11-16,${T}`, `2026-11-16T08:30:00.005Z,,`, '']);
  });

  it('writes booleans, big integers and nested values as text', () => {
    const csv = resultCsv({
      columns: [{ name: 'ok', type: 'Bool' }, { name: 'big', type: 'Int64' }, { name: 'list', type: 'List<Int32>' }],
      rows: [{ ok: true, big: 2n ** 60n, list: [1, 2] }],
    });
    expect(csv).toBe(`ok,big,list\r\ntrue,${2n ** 60n},"[1,2]"\r\n`);
  });

  it('writes bytes (a frame\'s JPEG) as their first bytes in hex and their length, not in full', () => {
    const jpeg = new Uint8Array(12_345).fill(7);
    jpeg.set([0xff, 0xd8, 0xff, 0xe0]);
    const csv = resultCsv({ columns: [{ name: 'jpeg', type: 'Binary' }], rows: [{ jpeg }, { jpeg: new Uint8Array([1]) }, { jpeg: null }] });
    expect(csv).toBe('jpeg\r\nffd8ffe007070707… (12345 bytes)\r\n01 (1 byte)\r\n\r\n');
  });
});
