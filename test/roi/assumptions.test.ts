/**
 * The assumptions: defaults cited, ranges around their values, a file that overrides some
 * of them, a bad file with every problem listed, minutes per incident from measured times.
 */
import { describe, expect, it } from 'vitest';
import { ASSUMPTION_KEYS, ASSUMPTION_SPECS, DEFAULT_ASSUMPTIONS, parseAssumptions, valuesOf, withMeasuredResolution } from '../../src/roi/assumptions';

describe('default assumptions', () => {
  it('use the published figures, with their sources', () => {
    const a = DEFAULT_ASSUMPTIONS;
    expect(a.shrinkRate.value).toBe(0.016);
    expect(a.shrinkRate.source).toMatch(/NRF.*1\.6 %.*FY2022/);
    expect(a.iraWithout.value).toBe(0.65);
    expect(a.iraWith.low).toBe(0.93);
    expect(a.iraWith.high).toBe(0.99);
    expect(a.iraWith.source).toMatch(/Auburn/);
    expect(a.oosRate.value).toBe(0.08);
    expect(a.oosRate.source).toMatch(/Gruen/);
  });

  it('give every assumption a label, a unit, a source and a range around its value', () => {
    for (const k of ASSUMPTION_KEYS) {
      const s = ASSUMPTION_SPECS[k];
      expect(s.label.length, k).toBeGreaterThan(0);
      expect(s.unit.length, k).toBeGreaterThan(0);
      expect(s.source.length, k).toBeGreaterThan(0);
      expect(s.low, k).toBeLessThanOrEqual(s.value);
      expect(s.value, k).toBeLessThanOrEqual(s.high);
      expect(s.low, k).toBeGreaterThanOrEqual(s.min);
      expect(s.high, k).toBeLessThanOrEqual(s.max);
    }
  });

  it('say "planning assumption" where no study is cited', () => {
    const unsourced = ASSUMPTION_KEYS.filter((k) => !/NRF|Gruen|Auburn/.test(ASSUMPTION_SPECS[k].source));
    for (const k of unsourced) expect(ASSUMPTION_SPECS[k].source, k).toMatch(/planning assumption/);
  });
});

describe('parseAssumptions', () => {
  it('overrides what the file gives and keeps the rest', () => {
    const r = parseAssumptions({ version: 1, labourCostPerHour: { value: 25, low: 20, high: 31, source: 'payroll 2026' }, horizonMonths: 48 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.assumptions.labourCostPerHour).toEqual({ value: 25, low: 20, high: 31, source: 'payroll 2026' });
    expect(r.assumptions.horizonMonths.value).toBe(48);
    expect(r.assumptions.shrinkRate).toEqual(DEFAULT_ASSUMPTIONS.shrinkRate);
    expect(valuesOf(r.assumptions).labourCostPerHour).toBe(25);
  });

  it('keeps the default range\'s spread around a value given alone', () => {
    // Default 1.6 % in 1.4 %..2 %; 2 % alone gets 2 x 1.4/1.6 = 1.75 % .. 2 x 2/1.6 = 2.5 %.
    const r = parseAssumptions({ shrinkRate: 0.02 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.assumptions.shrinkRate.value).toBe(0.02);
    expect(r.assumptions.shrinkRate.low).toBeCloseTo(0.0175, 12);
    expect(r.assumptions.shrinkRate.high).toBeCloseTo(0.025, 12);
    expect(r.assumptions.shrinkRate.source).toBe('assumptions file');
  });

  it('lists every problem of a bad file', () => {
    const r = parseAssumptions({
      version: 2,
      shrink: 0.02,
      shrinkRate: 1.6,
      oosRate: 'eight percent',
      labourCostPerHour: { value: 25, low: 30, colour: 'red' },
      horizonMonths: 36.5,
      iraWith: 0.6,
      discountRate: { source: '' },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.path}: ${p.reason}`)).toEqual([
      'version: must be 1, not number 2',
      expect.stringMatching(/^shrink: is not an assumption; known: salesPerMonth, /),
      'shrinkRate: must be at most 1, not 1.6',
      'oosRate: must be a number or an object {value, low, high, source}, not the string "eight percent"',
      'labourCostPerHour.colour: is not a field of an assumption; known: value, low, high, source',
      'labourCostPerHour.low: must be at most the value 25, not 30',
      'horizonMonths: must be an integer, not 36.5',
      'discountRate.source: must not be empty',
      'iraWith: must be above iraWithout (0.65), not 0.6: the devices are meant to make records more accurate',
    ]);
  });

  it('says when a range leaves out its value', () => {
    const r = parseAssumptions({ labourCostPerHour: { value: 25, low: 30 }, deterrence: { value: 0.1, high: 0.05 } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      { path: 'labourCostPerHour.low', reason: 'must be at most the value 25, not 30' },
      { path: 'deterrence.high', reason: 'must be at least the value 0.1, not 0.05' },
    ]);
  });

  it('refuses what is not an object', () => {
    expect(parseAssumptions([1])).toEqual({ ok: false, problems: [{ path: '', reason: 'must be an object, not an array' }] });
  });
});

describe('withMeasuredResolution', () => {
  it('takes the median and quartiles of measured resolution times', () => {
    // 2, 4, 6, 8, 30 minutes: median 6, quartiles 4 and 8 (R-7: positions 1 and 3 of 0..4).
    const a = withMeasuredResolution(DEFAULT_ASSUMPTIONS, [2, 4, 6, 8, 30].map((m) => m * 60_000));
    expect(a.minutesPerIncident).toEqual({ value: 6, low: 4, high: 8, source: 'measured: median and quartiles of 5 resolved incidents' });
  });

  it('keeps the default when nothing was measured', () => {
    expect(withMeasuredResolution(DEFAULT_ASSUMPTIONS, [])).toBe(DEFAULT_ASSUMPTIONS);
  });
});
