import { describe, expect, it } from 'vitest';
import { CHART_COLOR, chartSpec } from '../../src/components/chartSpec';

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 10, 16);

describe('chartSpec', () => {
  it('has nothing to draw without a spec, without rows, or without a column the spec names', () => {
    const columns = [{ name: 'sku', type: 'Utf8' }, { name: 'lost', type: 'Float64' }];
    expect(chartSpec(undefined, { columns, rows: [{ sku: 'a', lost: 1 }] })).toBeUndefined();
    expect(chartSpec({ mark: 'barX', x: 'lost', y: 'sku' }, { columns, rows: [] })).toBeUndefined();
    expect(chartSpec({ mark: 'barX', x: 'lost', y: 'zone' }, { columns, rows: [{ sku: 'a', lost: 1 }] })).toBeUndefined();
  });

  it('draws barX with the categories as a band on y in the order the query sorted them', () => {
    const plan = chartSpec(
      { mark: 'barX', x: 'lost_at_cost', y: 'sku' },
      { columns: [{ name: 'sku', type: 'Utf8' }, { name: 'lost_at_cost', type: 'Float64' }], rows: [{ sku: 'B', lost_at_cost: 9 }, { sku: 'A', lost_at_cost: 2 }] },
      500,
    )!;
    expect(plan.mark).toBe('barX');
    expect(plan.options).toMatchObject({ x: 'lost_at_cost', y: 'sku', fill: CHART_COLOR });
    expect(plan.plot).toMatchObject({ width: 500, y: { type: 'band', domain: ['B', 'A'], label: 'sku' }, x: { label: 'lost at cost' } });
    expect(plan.zero).toBe('x');
  });

  it('turns timestamp and date columns into Date objects, with days on a band as YYYY-MM-DD', () => {
    const plan = chartSpec(
      { mark: 'barY', x: 'day', y: 'lost' },
      { columns: [{ name: 'day', type: 'Date32<DAY>' }, { name: 'lost', type: 'Int64' }], rows: [{ day: D0, lost: 3 }, { day: D0 + DAY, lost: 1 }] },
    )!;
    expect(plan.data.map((r) => r.day)).toEqual([new Date(D0), new Date(D0 + DAY)]);
    const x = plan.plot.x as { type: string; tickFormat: (d: Date) => string };
    expect(x.type).toBe('band');
    expect(x.tickFormat(new Date(D0))).toBe('2026-11-16');
    expect(plan.zero).toBe('y');
  });

  it('puts instants on a UTC time scale for dots, colouring by a category with a legend', () => {
    const plan = chartSpec(
      { mark: 'dot', x: 'at', y: 'lost_at_cost', fill: 'zone' },
      {
        columns: [{ name: 'at', type: 'Timestamp<MICROSECOND>' }, { name: 'lost_at_cost', type: 'Float64' }, { name: 'zone', type: 'Utf8' }],
        rows: [{ at: D0 + 3_600_000, lost_at_cost: 12.5, zone: 'cage' }],
      },
    )!;
    expect(plan.data[0]).toEqual({ at: new Date(D0 + 3_600_000), lost_at_cost: 12.5, zone: 'cage' });
    expect(plan.options).toMatchObject({ x: 'at', y: 'lost_at_cost', fill: 'zone' });
    expect(plan.plot).toMatchObject({ x: { type: 'utc' }, color: { type: 'categorical', legend: true } });
  });

  it('draws a line per series, the fill column naming the series and its stroke', () => {
    const plan = chartSpec(
      { mark: 'line', x: 'day', y: 'difference', fill: 'sku' },
      { columns: [{ name: 'day', type: 'Date32<DAY>' }, { name: 'sku', type: 'Utf8' }, { name: 'difference', type: 'Float64' }], rows: [{ day: D0, sku: 'A', difference: 1 }] },
    )!;
    expect(plan.options).toMatchObject({ x: 'day', y: 'difference', stroke: 'sku', z: 'sku' });
    expect(plan.options).not.toHaveProperty('fill');
  });

  it('draws a heat map of cells, hours as a run of whole numbers and the quantity on a sequential colour scale', () => {
    const plan = chartSpec(
      { mark: 'cell', x: 'hour', y: 'zone', fill: 'units_moved' },
      {
        columns: [{ name: 'zone', type: 'Utf8' }, { name: 'hour', type: 'Int32' }, { name: 'units_moved', type: 'Float64' }],
        rows: [{ zone: 'Z2', hour: 9, units_moved: 4 }, { zone: 'Z1', hour: 6, units_moved: 10 }, { zone: 'Z1', hour: 8, units_moved: 1 }],
      },
    )!;
    expect(plan.options).toMatchObject({ x: 'hour', y: 'zone', fill: 'units_moved' });
    expect(plan.plot).toMatchObject({ x: { type: 'band', domain: [6, 7, 8, 9] }, y: { type: 'band', domain: ['Z2', 'Z1'] }, color: { type: 'linear', legend: true } });
  });
});
