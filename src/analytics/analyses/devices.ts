/**
 * Devices: whether the room's sensors were there to see. Load cells publish at least every
 * heartbeat, so a silence longer than the gap limit is a gap; every device's status topic
 * says when it went offline. Quarantined messages are counted by reason and device.
 */
import type { Analysis } from './Analysis';
import { inRange, lit, type AnalysisParams } from './AnalysisParams';

/** CTEs `gaps` (silences between readings longer than the gap limit) and `span` (the range's start and end in ms). */
const gapCtes = (p: AnalysisParams) => {
  const S = lit(p.store);
  const ms = p.gapMinutes * 60_000;
  return `WITH r AS (
      SELECT slot, epoch_ms(ts) AS t, epoch_ms(ts) - lag(epoch_ms(ts)) OVER (PARTITION BY slot ORDER BY ts) AS since
      FROM readings WHERE store = ${S}${inRange(p)}),
    span AS (
      SELECT ${p.from !== undefined ? p.from : '(SELECT min(t) FROM r)'} AS t0, ${p.to !== undefined ? p.to : '(SELECT max(t) FROM r)'} AS t1),
    per_slot AS (
      SELECT slot, count(*) AS readings, min(t) AS first_t, max(t) AS last_t,
        count(*) FILTER (WHERE since > ${ms}) AS gaps, coalesce(sum(since) FILTER (WHERE since > ${ms}), 0) AS gap_ms
      FROM r GROUP BY slot)`;
};

/** Status reports: offline time from each `online: false` to the device's next report. */
const offlineCte = (p: AnalysisParams) => `off AS (
    SELECT device, count(*) FILTER (WHERE NOT online) AS offline_reports,
      coalesce(sum(next_t - t) FILTER (WHERE NOT online), 0) AS offline_ms
    FROM (SELECT device, online, epoch_ms(ts) AS t,
            coalesce(epoch_ms(lead(ts) OVER (PARTITION BY device ORDER BY ts)), (SELECT t1 FROM span)) AS next_t
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
        u AS (
          SELECT dev.device, dev.kind, coalesce(ps.readings, 0) AS readings, coalesce(ps.gaps, 0) AS gaps,
            CASE WHEN dev.kind <> 'slot' THEN 0
                 WHEN ps.slot IS NULL THEN span.t1 - span.t0
                 ELSE ps.gap_ms + (CASE WHEN ps.first_t - span.t0 > ${ms} THEN ps.first_t - span.t0 ELSE 0 END)
                                + (CASE WHEN span.t1 - ps.last_t > ${ms} THEN span.t1 - ps.last_t ELSE 0 END) END AS silent_ms,
            coalesce(off.offline_reports, 0) AS offline_reports, coalesce(off.offline_ms, 0) AS offline_ms, span.t1 - span.t0 AS span_ms
          FROM dev CROSS JOIN span LEFT JOIN per_slot ps ON ps.slot = dev.device LEFT JOIN off ON off.device = dev.device)
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
        SELECT r.slot, make_timestamp((r.t - r.since) * 1000) AS silent_from, make_timestamp(r.t * 1000) AS silent_to, round(r.since / 60000.0, 1) AS minutes
        FROM r${p.zone ? ` JOIN slots s ON s.store = ${lit(p.store)} AND s.slot = r.slot AND s.zone = ${lit(p.zone)}` : ''}
        WHERE r.since > ${p.gapMinutes * 60_000} ORDER BY r.since DESC, r.slot LIMIT 100`,
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
