/**
 * Shrink: stock the book says the back room has and the shelves do not, and when and where
 * it went. Loss is stock that left a slot with nothing booked, after stock moved to another
 * slot of the same shelf is set aside as misplaced (backRoomSql.ts); valued at the SKU's
 * unit cost and unit price.
 */
import type { Analysis } from './Analysis';
import { clockCte, inRange, lit, skusCte, slotsCte, type AnalysisParams } from './AnalysisParams';
import { levelCtes, unexplainedCtes } from './backRoomSql';

const money = (units: string, per: string) => `round(sum(${units} * ${per}), 2)`;
const units = (col: string) => `round(sum(${col}), 2)`;
const LOSS_COLUMNS = `${units('lost')} AS lost_units, ${money('lost', 'unit_cost')} AS lost_at_cost, ${money('lost', 'unit_price')} AS lost_at_retail`;

/**
 * CTE `rc`: per SKU, units booked into the store that go through the back room (receipts,
 * returns, transfers in: booked without a slot) and units booked onto slots by putaway.
 * What was booked in and never put away is either still waiting in staging or never came
 * (a receipt for stock that did not arrive, or a vendor short-dropping a line).
 */
function receiptsCte(p: AnalysisParams): string {
  return `${skusCte(p)}, rc AS (
    SELECT b.sku,
      coalesce(sum(b.delta) FILTER (WHERE b.reason IN ('receipt', 'return', 'transfer_in') AND b.slot IS NULL), 0) AS booked_in,
      coalesce(sum(b.delta) FILTER (WHERE b.reason = 'putaway'), 0) AS put_away
    FROM book b WHERE b.store = ${lit(p.store)}${inRange(p, 'b.ts')} AND b.sku IN (SELECT sku FROM skus_f) GROUP BY b.sku)`;
}

function grouped(p: AnalysisParams, key: string, order: string): string {
  return `${unexplainedCtes(p)}
  SELECT ${key}, ${LOSS_COLUMNS}, ${units('found')} AS found_units
  FROM loss GROUP BY ${key.replace(/ AS \w+/g, '')} HAVING sum(lost) > 0.005 OR sum(found) > 0.005 ORDER BY ${order}`;
}

export const shrink: Analysis = {
  name: 'shrink',
  title: 'Shrink',
  description: 'Stock that left the back room with nothing booked, valued at cost and retail, by SKU, zone, shift and day.',
  sections: [
    {
      id: 'shrink.summary',
      title: 'Summary',
      description:
        'Units lost from the slots (left with nothing booked), found (appeared with nothing booked), misplaced (booked onto one slot, put on another of the same shelf), booked into the store but never put away on a slot, and the slots left out because their load cell went offline or stuck.',
      filters: ['range', 'zone', 'sku', 'shift'],
      sql: (p) => `${unexplainedCtes(p)}, ${receiptsCte(p)}
        SELECT ${LOSS_COLUMNS}, ${units('found')} AS found_units,
          round(sum(misplaced), 2) AS misplaced_units,
          (SELECT coalesce(sum(booked_in - put_away), 0) FROM rc) AS booked_not_shelved_units,
          (SELECT count(*) FROM blind JOIN sl ON sl.slot = blind.slot${p.from !== undefined ? ` WHERE blind.q >= ${Math.floor(p.from / 900_000)}` : ''}) AS blind_slots
        FROM loss`,
    },
    {
      id: 'shrink.by_sku',
      title: 'Loss by SKU',
      description: 'Each SKU with unexplained loss or gain on its slots, most costly first, with what was booked in and never put away.',
      filters: ['range', 'zone', 'sku', 'shift'],
      chart: { mark: 'barX', x: 'lost_at_cost', y: 'sku' },
      sql: (p) => `${unexplainedCtes(p)}, ${receiptsCte(p)},
        by_sku AS (SELECT sku, any_value(sku_name) AS name, ${LOSS_COLUMNS}, ${units('found')} AS found_units FROM loss GROUP BY sku)
        SELECT coalesce(s.sku, r.sku) AS sku, coalesce(s.name, (SELECT sku_name FROM skus_f WHERE skus_f.sku = r.sku)) AS name,
          coalesce(s.lost_units, 0) AS lost_units, coalesce(s.lost_at_cost, 0) AS lost_at_cost, coalesce(s.lost_at_retail, 0) AS lost_at_retail,
          coalesce(s.found_units, 0) AS found_units, coalesce(r.booked_in - r.put_away, 0) AS booked_not_shelved_units
        FROM by_sku s FULL JOIN rc r ON r.sku = s.sku
        WHERE coalesce(s.lost_units, 0) > 0 OR coalesce(s.found_units, 0) > 0 OR coalesce(r.booked_in - r.put_away, 0) <> 0
        ORDER BY lost_at_cost DESC, lost_units DESC, sku`,
    },
    {
      id: 'shrink.by_zone',
      title: 'Loss by zone',
      description: 'Unexplained loss by the zone of the slot it left.',
      filters: ['range', 'zone', 'sku', 'shift'],
      chart: { mark: 'barY', x: 'zone', y: 'lost_at_cost' },
      sql: (p) => grouped(p, 'zone', 'lost_at_cost DESC, zone'),
    },
    {
      id: 'shrink.by_shift',
      title: 'Loss by shift',
      description: 'Unexplained loss by the shift (store local time) in which book and shelf parted.',
      filters: ['range', 'zone', 'sku', 'shift'],
      chart: { mark: 'barY', x: 'shift', y: 'lost_units' },
      sql: (p) => grouped(p, 'shift', 'lost_at_cost DESC, shift'),
    },
    {
      id: 'shrink.by_day',
      title: 'Loss by day',
      description: 'Unexplained loss by local day.',
      filters: ['range', 'zone', 'sku', 'shift'],
      chart: { mark: 'barY', x: 'day', y: 'lost_at_cost' },
      sql: (p) => grouped(p, 'day', 'day'),
    },
    {
      id: 'shrink.after_hours_restricted',
      title: 'Loss after hours or in restricted zones',
      description: 'Each quarter hour in which stock left a slot unexplained while the store was closed, or from a restricted zone (such as a cage).',
      filters: ['range', 'zone', 'sku', 'shift'],
      chart: { mark: 'dot', x: 'at', y: 'lost_at_cost', fill: 'zone' },
      sql: (p) => `${unexplainedCtes(p)}
        SELECT make_timestamp(q * 900000000) AS at, day, zone, slot, sku, after_hours, restricted,
          round(lost, 2) AS lost_units, round(lost * unit_cost, 2) AS lost_at_cost
        FROM loss WHERE lost > 0.005 AND (after_hours OR restricted) ORDER BY q, slot`,
    },
    {
      id: 'shrink.book_vs_physical',
      title: 'Book versus physical by SKU and day',
      description: 'At the end of each local day: the back-room book (slot-level bookings, counts setting them) and the units on the shelves, per SKU.',
      filters: ['range', 'zone', 'sku'],
      chart: { mark: 'line', x: 'day', y: 'difference', fill: 'sku' },
      sql: (p) => `WITH ${clockCte(p)}, ${slotsCte(p)}, ${levelCtes(p)},
        bl_last AS (SELECT slot, ts, arg_max(level, ord) AS level FROM bl GROUP BY slot, ts),
        days AS (
          SELECT day, epoch_ms(max(q) * 900000 + 900000) AS t FROM clk
          WHERE true${p.from !== undefined ? ` AND q >= ${Math.floor(p.from / 900000)}` : ''}${p.to !== undefined ? ` AND q < ${Math.ceil(p.to / 900000)}` : ''}
          GROUP BY day),
        grid AS (SELECT sl.slot, sl.sku, d.day, d.t FROM sl CROSS JOIN days d),
        gb AS (SELECT g.slot, g.sku, g.day, b.level FROM grid g ASOF LEFT JOIN bl_last b ON b.slot = g.slot AND g.t > b.ts),
        gp AS (SELECT g.slot, g.day, m.units_after FROM grid g ASOF LEFT JOIN mv m ON m.slot = g.slot AND g.t > m.ts)
        SELECT gb.day, gb.sku, sum(coalesce(gb.level, 0)) AS book, sum(coalesce(gp.units_after, 0)) AS physical,
          sum(coalesce(gb.level, 0)) - sum(coalesce(gp.units_after, 0)) AS difference
        FROM gb JOIN gp ON gp.slot = gb.slot AND gp.day = gb.day
        GROUP BY gb.day, gb.sku ORDER BY gb.sku, gb.day`,
    },
  ],
};
