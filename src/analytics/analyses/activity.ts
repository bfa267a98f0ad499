/**
 * Activity: where and when stock moves (the heat that placement planning and staffing
 * need), how deliveries compared with their purchase orders, and how long doors stood open.
 */
import type { Analysis } from './Analysis';
import { clockCte, inRange, lit, quarterOf, shiftFilter, skusCte, slotsCte, type AnalysisParams } from './AnalysisParams';

/** CTE `mq`: movements in the range and filters, with their local day, hour and shift. */
const movementCtes = (p: AnalysisParams) => `WITH ${clockCte(p)}, ${slotsCte(p)},
  mq AS (
    SELECT m.slot, m.shelf, m.zone, m.sku, m.delta, clk.day, clk.hour, clk.shift
    FROM movements m JOIN sl ON sl.slot = m.slot JOIN clk ON clk.q = ${quarterOf('m.ts')}
    WHERE m.store = ${lit(p.store)} AND m.delta IS NOT NULL${inRange(p, 'm.ts')}${shiftFilter(p)})`;

const COUNTS = `count(*) FILTER (WHERE delta < 0) AS picks, count(*) FILTER (WHERE delta > 0) AS puts, sum(abs(delta)) AS units_moved`;

export const activity: Analysis = {
  name: 'activity',
  title: 'Activity',
  description: 'Movements by zone, hour and slot; receiving against purchase orders; how long doors stood open.',
  sections: [
    {
      id: 'activity.heat',
      title: 'Movements by zone and hour of day',
      description: 'Picks and puts the load cells saw, by zone and local hour of day.',
      filters: ['range', 'zone', 'sku', 'shift'],
      chart: { mark: 'cell', x: 'hour', y: 'zone', fill: 'units_moved' },
      sql: (p) => `${movementCtes(p)} SELECT zone, hour, ${COUNTS} FROM mq GROUP BY zone, hour ORDER BY zone, hour`,
    },
    {
      id: 'activity.by_slot',
      title: 'Busiest slots',
      description: 'The 50 slots with the most units moved.',
      filters: ['range', 'zone', 'sku', 'shift'],
      chart: { mark: 'barX', x: 'units_moved', y: 'slot' },
      sql: (p) => `${movementCtes(p)} SELECT slot, zone, sku, ${COUNTS} FROM mq GROUP BY slot, zone, sku ORDER BY units_moved DESC, slot LIMIT 50`,
    },
    {
      id: 'activity.receiving',
      title: 'Receiving against purchase orders',
      description: 'Each purchase order received: the units ordered (when the inventory system sends them), the units booked as received, and the lines that came short or over.',
      filters: ['range', 'zone', 'sku'],
      chart: { mark: 'barY', x: 'po', y: 'fill_pct' },
      sql: (p) => `WITH ${skusCte(p)}
        SELECT ref AS po, min(ts) AS received_at, count(*) AS lines, sum(ordered) AS ordered, sum(delta) AS received,
          count(*) FILTER (WHERE delta = ordered) AS lines_exact, count(*) FILTER (WHERE delta < ordered) AS lines_short,
          count(*) FILTER (WHERE delta > ordered) AS lines_over, round(100.0 * sum(delta) / nullif(sum(ordered), 0), 1) AS fill_pct
        FROM book WHERE store = ${lit(p.store)} AND reason = 'receipt'${inRange(p)} AND sku IN (SELECT sku FROM skus_f)
        GROUP BY ref ORDER BY received_at, po`,
    },
    {
      id: 'activity.doors',
      title: 'Door dwell',
      description: 'Per door: how often it opened, how long it stood open in all, on average and at most, and the openings longer than the long-open limit.',
      filters: ['range', 'zone'],
      chart: { mark: 'barY', x: 'door', y: 'open_minutes' },
      sql: (p) => `WITH ds AS (
          SELECT d.door, d.ts, d.open, lead(d.ts) OVER (PARTITION BY d.door ORDER BY d.ts, d.open) AS next_ts,
            lag(d.open) OVER (PARTITION BY d.door ORDER BY d.ts, d.open) AS was_open
          FROM door_states d JOIN doors dr ON dr.store = d.store AND dr.door = d.door
          WHERE d.store = ${lit(p.store)}${inRange(p, 'd.ts')}${p.zone ? ` AND dr.zone = ${lit(p.zone)}` : ''}),
        openings AS (SELECT door, ts, date_diff('millisecond', ts, next_ts) / 60000.0 AS minutes FROM ds WHERE open AND was_open IS DISTINCT FROM true)
        SELECT door, count(*) AS opens, round(sum(minutes), 1) AS open_minutes, round(avg(minutes) * 60, 1) AS avg_open_seconds,
          round(max(minutes), 1) AS max_open_minutes, count(*) FILTER (WHERE minutes > ${p.longOpenMinutes}) AS long_opens,
          count(*) FILTER (WHERE minutes IS NULL) AS still_open
        FROM openings GROUP BY door ORDER BY open_minutes DESC NULLS LAST, door`,
    },
  ],
};
