/**
 * Devices: whether the room's sensors were there to see. Load cells publish at least every
 * heartbeat, so a silence longer than the gap limit is a gap; every device's status topic
 * says when it went offline. Quarantined messages are counted by reason and device.
 */
import type { Analysis } from './Analysis';
import { inRange, lit, type AnalysisParams } from './AnalysisParams';

/**
 * CTEs `span` (the range's start and end, ms), `per_slot` (readings, first and last in the
 * range) and `g` (the cells' silences longer than the gap limit, from `reading_gaps`, which
 * the store keeps as readings arrive: no scan of every reading), clipped to the range.
 */
const gapCtes = (p: AnalysisParams) => {
  const S = lit(p.store);
  const ms = p.gapMinutes * 60_000;
  return `WITH span AS (
      SELECT ${p.from ?? `(SELECT epoch_ms(min(ts)) FROM readings WHERE store = ${S})`} AS t0,
             ${p.to ?? `(SELECT epoch_ms(max(ts)) FROM readings WHERE store = ${S})`} AS t1),
    per_slot AS (
      SELECT slot, count(*) AS readings, epoch_ms(min(ts)) AS first_t, epoch_ms(max(ts)) AS last_t
      FROM readings WHERE store = ${S}${inRange(p)} GROUP BY slot),
    g AS (
      SELECT r.slot, epoch_ms(r.from_ts) AS raw_from, epoch_ms(r.to_ts) AS raw_to,
        greatest(epoch_ms(r.from_ts), span.t0) AS a, least(epoch_ms(r.to_ts), span.t1) AS b
      FROM reading_gaps r, span
      WHERE r.store = ${S} AND epoch_ms(r.to_ts) - epoch_ms(r.from_ts) > ${ms}
        AND epoch_ms(r.to_ts) > span.t0 AND epoch_ms(r.from_ts) < span.t1)`;
};

/** Status reports: offline time from each `online: false` to the device's next report (at the same ts, online comes first: a Last Will repeats its connect's ts). */
const offlineCte = (p: AnalysisParams) => `off AS (
    SELECT device, count(*) FILTER (WHERE NOT online) AS offline_reports,
      coalesce(sum(next_t - t) FILTER (WHERE NOT online), 0) AS offline_ms
    FROM (SELECT device, online, epoch_ms(ts) AS t,
            coalesce(epoch_ms(lead(ts) OVER (PARTITION BY device ORDER BY ts, online DESC)), (SELECT t1 FROM span)) AS next_t
          FROM device_status WHERE store = ${lit(p.store)}${inRange(p)})
    GROUP BY device)`;

export const devices: Analysis = {
  name: 'devices',
  title: 'Devices',
  description: 'Uptime and gaps of every device, and the quarantined messages by reason and device.',
  sections: [
    {
      id: 'devices.uptime',
      title: 'Uptime',
      description:
        'Per device: readings (load cells), gaps longer than the gap limit, silent minutes (those gaps, and a silence longer than the limit at the start or end of the range), offline minutes from status reports, and uptime over the range.',
      filters: ['range', 'zone'],
      chart: { mark: 'barX', x: 'uptime_pct', y: 'device' },
      sql: (p) => {
        const ms = p.gapMinutes * 60_000;
        return `${gapCtes(p)}, ${offlineCte(p)},
        dev AS (
          SELECT d.device, d.kind FROM devices d
          LEFT JOIN slots s ON d.kind = 'slot' AND s.store = d.store AND s.slot = d.device
          WHERE d.store = ${lit(p.store)}${p.zone ? ` AND (d.kind <> 'slot' OR s.zone = ${lit(p.zone)})` : ''}),
        gap_sum AS (
          SELECT slot, count(*) AS gaps, sum(b - a) AS gap_ms, bool_or(raw_from <= (SELECT t0 FROM span)) AS covers_start,
            bool_or(raw_to >= (SELECT t1 FROM span)) AS covers_end
          FROM g GROUP BY slot),
        u AS (
          SELECT dev.device, dev.kind, coalesce(ps.readings, 0) AS readings, coalesce(gs.gaps, 0) AS gaps,
            CASE WHEN dev.kind <> 'slot' THEN 0
                 WHEN ps.slot IS NULL THEN coalesce(gs.gap_ms, span.t1 - span.t0)
                 ELSE coalesce(gs.gap_ms, 0)
                   + (CASE WHEN ps.first_t - span.t0 > ${ms} AND NOT coalesce(gs.covers_start, false) THEN ps.first_t - span.t0 ELSE 0 END)
                   + (CASE WHEN span.t1 - ps.last_t > ${ms} AND NOT coalesce(gs.covers_end, false) THEN span.t1 - ps.last_t ELSE 0 END) END AS silent_ms,
            coalesce(off.offline_reports, 0) AS offline_reports, coalesce(off.offline_ms, 0) AS offline_ms, span.t1 - span.t0 AS span_ms
          FROM dev CROSS JOIN span LEFT JOIN per_slot ps ON ps.slot = dev.device LEFT JOIN gap_sum gs ON gs.slot = dev.device
          LEFT JOIN off ON off.device = dev.device)
        SELECT device, kind, readings, gaps, round(silent_ms / 60000.0, 1) AS silent_minutes, offline_reports,
          round(offline_ms / 60000.0, 1) AS offline_minutes,
          round(100.0 * (1 - least(greatest(silent_ms, offline_ms), span_ms) / nullif(span_ms, 0)), 2) AS uptime_pct
        FROM u ORDER BY uptime_pct ASC NULLS FIRST, device`;
      },
    },
    {
      id: 'devices.gaps',
      title: 'Longest gaps',
      description: 'The 100 longest silences of a load cell longer than the gap limit.',
      filters: ['range', 'zone'],
      chart: { mark: 'barX', x: 'minutes', y: 'slot' },
      sql: (p) => `${gapCtes(p)}
        SELECT g.slot, make_timestamp(g.raw_from * 1000) AS silent_from, make_timestamp(g.raw_to * 1000) AS silent_to,
          round((g.raw_to - g.raw_from) / 60000.0, 1) AS minutes
        FROM g${p.zone ? ` JOIN slots s ON s.store = ${lit(p.store)} AND s.slot = g.slot AND s.zone = ${lit(p.zone)}` : ''}
        ORDER BY g.raw_to - g.raw_from DESC, g.slot LIMIT 100`,
    },
    {
      id: 'devices.quarantine',
      title: 'Quarantined messages',
      description: 'Messages the contract refused, by reason and by the device their topic names, with the first detail seen.',
      filters: ['range'],
      chart: { mark: 'barX', x: 'messages', y: 'reason', fill: 'device' },
      sql: (p) => `SELECT reason,
          CASE WHEN split_part(topic, '/', 4) = 'shelf' AND split_part(topic, '/', 6) = 'slot' THEN split_part(topic, '/', 7)
               WHEN split_part(topic, '/', 4) = 'inventory' THEN 'inventory'
               ELSE nullif(split_part(topic, '/', 5), '') END AS device,
          count(*) AS messages, min(received) AS first_received, max(received) AS last_received, any_value(detail) AS example
        FROM quarantine WHERE store = ${lit(p.store)}${inRange(p, 'received')}
        GROUP BY ALL ORDER BY messages DESC, reason, device`,
    },
  ],
};
