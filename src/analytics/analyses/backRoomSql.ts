/**
 * The SQL that reconciles the back room's book with its shelves, shared by the shrink and
 * variance analyses.
 *
 * Physical: the units each slot's load cell shows (the `movements` table, derived with the
 * twin's hysteresis). Book: the slot-level book movements (`book` rows with a `slot`):
 * putaway, replenish, transfers and adjustments change it, a `count` sets it.
 *
 * Unexplained change: per slot and local day, what the book moved minus what the shelf
 * moved. Positive is stock that left with nothing booked (theft, unscanned moves to the
 * floor); negative is stock that appeared with nothing booked. Days are cut at local
 * midnight, when a back room is quiet, so a booking posted minutes after its pick lands on
 * the same day.
 *
 * Misplaced is not lost: a put booked on one slot that did not arrive there, and a put
 * nobody booked on another slot of the same shelf in the same hour, are the same stock on
 * the wrong slot. They are matched by weight (the shelf's grams are what moved) and taken
 * out of both slots' unexplained change before what is left counts as loss or gain. The
 * matching looks at every slot of the shelf; the zone, SKU and shift filters apply after it.
 *
 * A load cell that went offline (its status, or its shelf's) or stuck (cell_faults) cannot
 * see what leaves its slot: from the local day it failed, the slot is left out of the
 * reconciliation for the rest of the range (`blind`), and the summary says how many.
 */
import { clockCte, inRange, lit, quarterOf, shiftFilter, slotsCte, upTo, type AnalysisParams } from './AnalysisParams';

/**
 * CTEs `clk`, `sl` (filtered slots), `sq` (slot-quarter: `u` unexplained units after
 * misplacement, `misplaced` units of a booked put that landed elsewhere), `sdm` (slot-day:
 * `net` unexplained units) and `loss` (slot-quarter rows after the filters, with `lost` >= 0
 * and `found` >= 0: the slot-day's net spread over the quarters where book and shelf
 * disagreed).
 */
export function unexplainedCtes(p: AnalysisParams): string {
  const S = lit(p.store);
  return `WITH ${clockCte(p)}, ${slotsCte(p)}, ${slotsCte(p, false, 'sl_all')},
  phys AS (
    SELECT slot, ${quarterOf()} AS q, sum(delta) AS moved, sum(greatest(delta, 0)) AS put FROM movements
    WHERE store = ${S} AND delta IS NOT NULL${inRange(p)} GROUP BY ALL),
  booked AS (
    SELECT slot, ${quarterOf()} AS q, sum(delta) AS moved, sum(greatest(delta, 0)) AS put FROM book
    WHERE store = ${S} AND slot IS NOT NULL AND reason <> 'count'${inRange(p)} GROUP BY ALL),
  blind AS (
    SELECT slot, min(q) AS q FROM (
      SELECT s.slot, ${quarterOf('d.ts')} AS q FROM device_status d JOIN sl_all s ON d.device IN (s.slot, s.shelf)
      WHERE d.store = ${S} AND NOT d.online${upTo(p, 'd.ts')}
      UNION ALL
      SELECT slot, ${quarterOf()} FROM cell_faults WHERE store = ${S}${upTo(p)})
    GROUP BY slot),
  blind_day AS (SELECT b.slot, clk.day FROM blind b JOIN clk ON clk.q = b.q),
  sq0 AS (
    SELECT sl_all.slot, sl_all.shelf, sl_all.unit_grams AS g, clk.q, clk.day, clk.hour, clk.shift, clk.after_hours,
      coalesce(b.moved, 0) - coalesce(ph.moved, 0) AS u0,
      greatest(coalesce(b.put, 0) - coalesce(ph.put, 0), 0) AS put_missing,
      greatest(coalesce(ph.put, 0) - coalesce(b.put, 0), 0) AS put_unbooked
    FROM phys ph FULL JOIN booked b ON b.slot = ph.slot AND b.q = ph.q
    JOIN sl_all ON sl_all.slot = coalesce(ph.slot, b.slot)
    JOIN clk ON clk.q = coalesce(ph.q, b.q)
    LEFT JOIN blind_day bd ON bd.slot = sl_all.slot
    WHERE bd.day IS NULL OR clk.day < bd.day),
  shelf_hour AS (
    SELECT shelf, q // 4 AS h, sum(put_missing * g) AS missing_g, sum(put_unbooked * g) AS unbooked_g
    FROM sq0 GROUP BY shelf, q // 4),
  sq AS (
    SELECT sq0.slot, sq0.q, sq0.day, sq0.hour, sq0.shift, sq0.after_hours,
      sq0.put_missing * coalesce(least(h.missing_g, h.unbooked_g) / nullif(h.missing_g, 0), 0) AS misplaced,
      sq0.u0 - sq0.put_missing * coalesce(least(h.missing_g, h.unbooked_g) / nullif(h.missing_g, 0), 0)
             + sq0.put_unbooked * coalesce(least(h.missing_g, h.unbooked_g) / nullif(h.unbooked_g, 0), 0) AS u
    FROM sq0 JOIN shelf_hour h ON h.shelf = sq0.shelf AND h.h = sq0.q // 4),
  sdm AS (
    SELECT slot, day, sum(u) AS net, sum(misplaced) AS misplaced,
      sum(greatest(u, 0)) AS pos, sum(greatest(-u, 0)) AS neg FROM sq GROUP BY slot, day),
  loss AS (
    SELECT sq.*, sl.shelf, sl.zone, sl.sku, sl.sku_name, sl.unit_grams, sl.unit_cost, sl.unit_price, sl.restricted,
      CASE WHEN sdm.net > 0 THEN sdm.net * greatest(sq.u, 0) / sdm.pos ELSE 0 END AS lost,
      CASE WHEN sdm.net < 0 THEN -sdm.net * greatest(-sq.u, 0) / sdm.neg ELSE 0 END AS found
    FROM sq JOIN sdm ON sdm.slot = sq.slot AND sdm.day = sq.day JOIN sl ON sl.slot = sq.slot
    WHERE true${shiftFilter(p, 'sq')})`;
}

/**
 * CTEs `bl` (every slot-level book row with the slot's book `level` after it and its order
 * `ord`) and `mv` (movements), both up to the end of the range. A count and a movement at
 * the same instant: the count first (it says what was there), as the twin folds them.
 */
export function levelCtes(p: AnalysisParams): string {
  const S = lit(p.store);
  return `bo AS (
    SELECT slot, ts, reason, delta,
      row_number() OVER (PARTITION BY slot ORDER BY ts, reason <> 'count', seq NULLS LAST, delta) AS ord
    FROM book WHERE store = ${S} AND slot IS NOT NULL${upTo(p)}),
  bg AS (
    SELECT *, count(*) FILTER (WHERE reason = 'count') OVER (PARTITION BY slot ORDER BY ord ROWS UNBOUNDED PRECEDING) AS grp FROM bo),
  bl AS (
    SELECT *, lag(level) OVER (PARTITION BY slot ORDER BY ord) AS level_before FROM (
      SELECT slot, ts, ord, reason, delta, sum(delta) OVER (PARTITION BY slot, grp ORDER BY ord ROWS UNBOUNDED PRECEDING) AS level FROM bg)),
  mv AS (
    SELECT slot, ts, units_after FROM movements WHERE store = ${S}${upTo(p)})`;
}

/**
 * CTE `state` (needs \`sl\` and levelCtes): per slot, the book and the shelf at the end of
 * the range, and when the slot was last counted.
 */
export const STATE_CTE = `state AS (
    SELECT sl.*, coalesce(b.book, 0) AS book, coalesce(m.physical, 0) AS physical, m.slot IS NOT NULL AS observed, b.last_count
    FROM sl
    LEFT JOIN (SELECT slot, arg_max(level, ord) AS book, max(ts) FILTER (WHERE reason = 'count') AS last_count FROM bl GROUP BY slot) b ON b.slot = sl.slot
    LEFT JOIN (SELECT slot, arg_max(units_after, ts) AS physical FROM mv GROUP BY slot) m ON m.slot = sl.slot)`;
