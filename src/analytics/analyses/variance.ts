/**
 * Inventory variance: how far the back-room book is from the shelves at the end of the
 * range (record accuracy, phantom stock), how often the book had to be corrected, and which
 * slots a counter should visit first.
 */
import type { Analysis } from './Analysis';
import { inRange, lit, slotsCte, type AnalysisParams } from './AnalysisParams';
import { levelCtes, STATE_CTE } from './backRoomSql';

const stateCtes = (p: AnalysisParams) => `WITH ${slotsCte(p)}, ${levelCtes(p)}, ${STATE_CTE},
  per_sku AS (
    SELECT sku, any_value(sku_name) AS name, any_value(unit_cost) AS unit_cost, sum(book) AS book, sum(physical) AS physical,
      max(last_count) AS last_count
    FROM state GROUP BY sku)`;

/** The time "now" is for the range: its end, or the newest movement or booking. */
const nowOf = (p: AnalysisParams) =>
  p.to !== undefined ? `epoch_ms(${p.to})` : `(SELECT greatest(max(ts), (SELECT max(ts) FROM book WHERE store = ${lit(p.store)})) FROM movements WHERE store = ${lit(p.store)})`;

export const variance: Analysis = {
  name: 'variance',
  title: 'Inventory variance',
  description: 'Record accuracy, phantom stock, book corrections and where a cycle count pays most, as of the end of the range.',
  sections: [
    {
      id: 'variance.accuracy',
      title: 'Record accuracy',
      description: 'Share of SKUs (with any stock booked or on the shelves) whose back-room book is within the tolerance of the units on their slots.',
      filters: ['range', 'zone', 'sku'],
      sql: (p) => `${stateCtes(p)}
        SELECT count(*) AS skus, count(*) FILTER (WHERE abs(book - physical) <= ${p.tolerance}) AS accurate_skus,
          round(100.0 * count(*) FILTER (WHERE abs(book - physical) <= ${p.tolerance}) / nullif(count(*), 0), 1) AS accuracy_pct,
          count(*) FILTER (WHERE book > 0 AND physical = 0) AS phantom_skus,
          sum(abs(book - physical)) AS units_off, round(sum(abs(book - physical) * unit_cost), 2) AS value_off
        FROM per_sku WHERE book <> 0 OR physical <> 0`,
    },
    {
      id: 'variance.by_sku',
      title: 'Book versus shelves by SKU',
      description: 'Each SKU whose book and shelves differ, largest value first: book minus physical, in units and at cost.',
      filters: ['range', 'zone', 'sku'],
      chart: { mark: 'barX', x: 'value_off', y: 'sku' },
      sql: (p) => `${stateCtes(p)}
        SELECT sku, name, book, physical, book - physical AS difference, round((book - physical) * unit_cost, 2) AS value_off, last_count
        FROM per_sku WHERE abs(book - physical) > ${p.tolerance} ORDER BY abs(book - physical) * unit_cost DESC, sku`,
    },
    {
      id: 'variance.phantom',
      title: 'Phantom stock',
      description: 'SKUs the book says are in the back room while none of their slots holds any: a picker sent for them finds nothing, and replenishment never orders them.',
      filters: ['range', 'zone', 'sku'],
      chart: { mark: 'barX', x: 'booked_value', y: 'sku' },
      sql: (p) => `${stateCtes(p)}
        SELECT s.sku, s.name, s.book AS booked_units, round(s.book * s.unit_cost, 2) AS booked_value,
          (SELECT max(mv.ts) FROM mv JOIN sl ON sl.slot = mv.slot WHERE sl.sku = s.sku AND mv.units_after > 0) AS shelves_last_had_stock,
          s.last_count
        FROM per_sku s WHERE s.book > 0 AND s.physical = 0 ORDER BY booked_value DESC, s.sku`,
    },
    {
      id: 'variance.adjustments',
      title: 'Adjustments and count corrections',
      description: 'Per SKU in the range: booked adjustments (damage, write-offs), slot counts taken, and the counts that found the book wrong, with the units they corrected (counted minus booked).',
      filters: ['range', 'zone', 'sku'],
      chart: { mark: 'barX', x: 'count_corrections', y: 'sku' },
      sql: (p) => `WITH ${slotsCte(p)}, ${levelCtes(p)},
        adj AS (
          SELECT sku, count(*) AS adjustments, sum(delta) AS adjusted_units FROM book
          WHERE store = ${lit(p.store)} AND reason = 'adjustment'${inRange(p)} AND sku IN (SELECT sku FROM sl) GROUP BY sku),
        cnt AS (
          SELECT sl.sku, count(*) AS counts,
            count(*) FILTER (WHERE bl.level_before IS NOT NULL AND bl.delta <> bl.level_before) AS count_corrections,
            coalesce(sum(bl.delta - bl.level_before) FILTER (WHERE bl.level_before IS NOT NULL), 0) AS corrected_units
          FROM bl JOIN sl ON sl.slot = bl.slot WHERE bl.reason = 'count'${inRange(p, 'bl.ts')} GROUP BY sl.sku)
        SELECT coalesce(a.sku, c.sku) AS sku, coalesce(a.adjustments, 0) AS adjustments, coalesce(a.adjusted_units, 0) AS adjusted_units,
          coalesce(c.counts, 0) AS counts, coalesce(c.count_corrections, 0) AS count_corrections, coalesce(c.corrected_units, 0) AS corrected_units
        FROM adj a FULL JOIN cnt c ON c.sku = a.sku
        WHERE coalesce(a.adjustments, 0) > 0 OR coalesce(c.count_corrections, 0) > 0
        ORDER BY count_corrections DESC, adjustments DESC, sku`,
    },
    {
      id: 'variance.cycle_counts',
      title: 'Directed cycle counts',
      description:
        'Slots to count first: where book and shelf disagree, the value a count would correct (units off at cost), then the longest since the slot was last counted. At most 50.',
      filters: ['range', 'zone', 'sku'],
      chart: { mark: 'barX', x: 'value_at_risk', y: 'slot' },
      sql: (p) => `${stateCtes(p)}
        SELECT slot, zone, sku, book, physical, book - physical AS difference, round(abs(book - physical) * unit_cost, 2) AS value_at_risk,
          round(date_diff('minute', last_count, ${nowOf(p)}) / 1440.0, 1) AS days_since_count,
          CASE WHEN book > physical THEN 'book above shelf' WHEN book < physical THEN 'shelf above book'
               WHEN last_count IS NULL THEN 'never counted' ELSE 'not counted lately' END AS why
        FROM state
        WHERE book <> physical OR last_count IS NULL OR last_count < ${nowOf(p)} - INTERVAL 7 DAY
        ORDER BY value_at_risk DESC, days_since_count DESC NULLS FIRST, slot LIMIT 50`,
    },
  ],
};
