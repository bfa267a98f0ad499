/** The small readers behind the inspector's frame: a JPEG's size from its header, and an age in words. */
import { describe, expect, it } from 'vitest';
import { encodeJpeg } from '../../sim/render/encodeJpeg';
import { ageText, jpegSize } from '../../src/components/visionView';

describe('jpegSize', () => {
  it('reads the size from the start-of-frame marker', () => {
    expect(jpegSize(encodeJpeg(new Uint8Array(320 * 180 * 4), 320, 180))).toEqual({ w: 320, h: 180 });
    expect(jpegSize(encodeJpeg(new Uint8Array(17 * 5 * 4), 17, 5))).toEqual({ w: 17, h: 5 });
  });
  it('answers undefined for bytes that are not a JPEG or stop short', () => {
    expect(jpegSize(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeUndefined();
    expect(jpegSize(encodeJpeg(new Uint8Array(8 * 8 * 4), 8, 8).subarray(0, 20))).toBeUndefined();
  });
});

describe('ageText', () => {
  it('says an age in the largest sensible unit', () => {
    expect(ageText(0)).toBe('0 s');
    expect(ageText(40_000)).toBe('40 s');
    expect(ageText(5 * 60_000)).toBe('5 min');
    expect(ageText(130 * 60_000)).toBe('2 h 10 min');
    expect(ageText(3 * 3_600_000)).toBe('3 h');
    expect(ageText(3 * 86_400_000)).toBe('3 days');
  });
});
