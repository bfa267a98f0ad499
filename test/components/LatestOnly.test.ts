import { describe, expect, it } from 'vitest';
import { LatestOnly } from '../../src/components/LatestOnly';

describe('LatestOnly', () => {
  it('runs one load at a time and, after it, only the newest request', async () => {
    const started: number[] = [];
    const shown: number[] = [];
    const gates: (() => void)[] = [];
    const l = new LatestOnly<number, number>(
      (k) => {
        started.push(k);
        return new Promise((r) => gates.push(() => r(k * 10)));
      },
      (v) => shown.push(v),
    );
    l.request(1);
    l.request(2);
    l.request(3);
    expect(started).toEqual([1]);
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    // 1's answer came after 3 was asked for: not shown. 2 was overtaken: never run.
    expect(shown).toEqual([]);
    expect(started).toEqual([1, 3]);
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(shown).toEqual([30]);
    expect(l.busy).toBe(false);
  });

  it('reports a failed load and goes on with the next request', async () => {
    const errors: string[] = [];
    const shown: number[] = [];
    const l = new LatestOnly<number, number>(
      async (k) => {
        if (k === 1) throw new Error('no table');
        return k;
      },
      (v) => shown.push(v),
      (e) => errors.push((e as Error).message),
    );
    l.request(1);
    await new Promise((r) => setTimeout(r, 0));
    l.request(2);
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toEqual(['no table']);
    expect(shown).toEqual([2]);
  });
});
