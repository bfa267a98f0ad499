import { describe, expect, it } from 'vitest';
import { formatValue, inspectorChart, SERIES_COLORS, valueAt } from '../../src/components/inspectorModel';

const T0 = Date.UTC(2026, 10, 16, 8);
const M = 60_000;

const weight = { name: 'weight', unit: 'g', points: [[T0, 900], [T0 + 10 * M, 600], [T0 + 20 * M, 300]] as [number, number][] };
const units = { name: 'units', unit: 'units', step: true, points: [[T0, 3], [T0 + 10 * M, 2], [T0 + 20 * M, 1]] as [number, number][] };
const book = { name: 'book', unit: 'units', step: true, points: [[T0 - 5 * M, 3]] as [number, number][] };

describe('valueAt', () => {
  it('is the last value at or before the time', () => {
    expect(valueAt(weight.points, T0 - 1)).toBeNull();
    expect(valueAt(weight.points, T0)).toBe(900);
    expect(valueAt(weight.points, T0 + 15 * M)).toBe(600);
    expect(valueAt(weight.points, T0 + 99 * M)).toBe(300);
    expect(valueAt([], T0)).toBeNull();
  });
});

describe('inspectorChart', () => {
  it('has nothing to draw without points', () => {
    expect(inspectorChart([], null)).toBeUndefined();
    expect(inspectorChart([{ name: 'weight', unit: 'g', points: [] }], T0)).toBeUndefined();
  });

  it('groups series by unit on one shared time axis', () => {
    const chart = inspectorChart([weight, units, book], null)!;
    expect(chart.domain).toEqual([T0 - 5 * M, T0 + 20 * M]);
    expect(chart.panels.map((p) => [p.unit, p.lines.map((l) => l.name)])).toEqual([
      ['g', ['weight']],
      ['units', ['units', 'book']],
    ]);
    expect(chart.panels[1]!.lines.every((l) => l.step)).toBe(true);
    expect(chart.panels[0]!.lines[0]!.step).toBe(false);
  });

  it('gives the twin series fixed colours and others the rest of the palette', () => {
    const chart = inspectorChart([{ name: 'temperature', unit: '°C', points: [[T0, 4]] }, weight, book], null)!;
    const colors = Object.fromEntries(chart.legend.map((l) => [l.name, l.color]));
    expect(colors.weight).toBe(SERIES_COLORS[0]);
    expect(colors.book).toBe(SERIES_COLORS[2]);
    expect([SERIES_COLORS[0], SERIES_COLORS[1], SERIES_COLORS[2]]).not.toContain(colors.temperature);
  });

  it('shows the values at the time shown, or the newest when live', () => {
    expect(inspectorChart([weight, units], T0 + 12 * M)!.legend.map((l) => l.value)).toEqual([600, 2]);
    expect(inspectorChart([weight, units], null)!.legend.map((l) => l.value)).toEqual([300, 1]);
  });

  it('stretches the axis to the time shown, and a single instant to a minute', () => {
    expect(inspectorChart([weight], T0 + 60 * M)!.domain).toEqual([T0, T0 + 60 * M]);
    expect(inspectorChart([book], null)!.domain).toEqual([T0 - 5 * M, T0 - 4 * M]);
  });
});

describe('formatValue', () => {
  it('groups thousands and keeps a sensible number of decimals', () => {
    expect(formatValue(1234, 'g')).toBe('1,234 g');
    expect(formatValue(3.14159, 'kg')).toBe('3.14 kg');
    expect(formatValue(123.456, 'g')).toBe('123.5 g');
    expect(formatValue(null, 'g')).toBe('—');
  });
});
