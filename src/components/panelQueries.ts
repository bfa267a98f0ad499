/**
 * What the Devices and Quarantine tabs show, read from the event store: every device of the
 * layout with its latest status and when it was last heard of at the time shown, and the
 * quarantine by reason with its newest rows. The quarantine exports as CSV, or as JSON Lines
 * in the recording format (../shared/contract/recording.md) with `reason` and `detail`
 * added, so that a fixed file can be replayed.
 */
import { lit, num, numOrNull, sqlTime, type Query } from '../analytics/history/historySql';
import { resultCsv } from '../analytics/resultCsv';
import type { QueryResult } from '../analytics/BrowserEventStore';
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { DeviceRow } from './tw-devices-panel';
import type { QuarantineRow } from './tw-quarantine-panel';

/** Quarantined rows a tab shows; the export takes them all. */
export const QUARANTINE_PAGE = 200;

/** The SQL of each device's latest status and last sign of life up to `at` (null: all). */
export function deviceStatusSql(store: string, at: number | null): string {
  const S = lit(store);
  const upTo = at === null ? '' : ` AND ts <= ${sqlTime(at)}`;
  return `WITH heard AS (
      SELECT device, ts FROM device_status WHERE store = ${S}${upTo}
      UNION ALL SELECT slot, max(ts) FROM readings WHERE store = ${S}${upTo} GROUP BY slot
      UNION ALL SELECT shelf, max(ts) FROM readings WHERE store = ${S}${upTo} GROUP BY shelf
      UNION ALL SELECT door, max(ts) FROM door_states WHERE store = ${S}${upTo} GROUP BY door
      UNION ALL SELECT reader, max(ts) FROM rfid_reads WHERE store = ${S}${upTo} GROUP BY reader
      UNION ALL SELECT camera, max(ts) FROM detections WHERE store = ${S}${upTo} GROUP BY camera),
    seen AS (SELECT device, epoch_ms(max(ts)) AS last_seen FROM heard GROUP BY device),
    -- At one ts offline wins, as in the twin (a Last Will repeats its connect's ts).
    status AS (
      SELECT device, arg_max(online, epoch_ms(ts) * 2 + CASE WHEN online THEN 0 ELSE 1 END) AS online, epoch_ms(max(ts)) AS status_ts
      FROM device_status WHERE store = ${S}${upTo} GROUP BY device)
    SELECT coalesce(s.device, st.device) AS device, s.last_seen, st.online, st.status_ts
    FROM seen s FULL JOIN status st ON st.device = s.device`;
}

export async function deviceRows(q: Query, layout: LayoutIndex, at: number | null): Promise<DeviceRow[]> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const r of await q(deviceStatusSql(layout.store, at))) byId.set(String(r.device), r);
  return layout.deviceIds().map((id) => {
    const r = byId.get(id);
    const online = r?.online === null || r?.online === undefined ? null : Boolean(r.online);
    return {
      id,
      kind: layout.deviceKinds(id).join('/'),
      online,
      since: numOrNull(r?.status_ts),
      lastSeen: numOrNull(r?.last_seen),
      ...(online === false ? { problem: 'reported offline (its status or Last Will)' } : {}),
    };
  });
}

export async function quarantineRows(q: Query, store: string, reason: string | null): Promise<{ total: number; byReason: { reason: string; count: number }[]; rows: QuarantineRow[] }> {
  const S = lit(store);
  const byReason = (await q(`SELECT reason, count(*) AS n FROM quarantine WHERE store = ${S} GROUP BY reason ORDER BY n DESC, reason`)).map((r) => ({ reason: String(r.reason), count: num(r.n) }));
  const rows = await q(
    `SELECT epoch_ms(received) AS received, reason, detail, topic, coalesce(payload, payload_b64) AS payload FROM quarantine
     WHERE store = ${S}${reason ? ` AND reason = ${lit(reason)}` : ''} ORDER BY received DESC LIMIT ${QUARANTINE_PAGE}`,
  );
  return {
    total: byReason.reduce((a, r) => a + r.count, 0),
    byReason,
    rows: rows.map((r) => ({ ts: payloadTs(r.payload), received: numOrNull(r.received), topic: String(r.topic ?? ''), reason: String(r.reason), detail: String(r.detail ?? ''), payload: String(r.payload ?? '') })),
  };
}

const ALL_QUARANTINE = (store: string) => `SELECT * FROM quarantine WHERE store = ${lit(store)} ORDER BY received, line`;

/** The whole quarantine as CSV, every column (the store's included). */
export async function quarantineCsv(store: { select(sql: string, o?: { limit?: number }): Promise<QueryResult> }, storeId: string): Promise<string> {
  return resultCsv(await store.select(ALL_QUARANTINE(storeId), { limit: Number.MAX_SAFE_INTEGER }));
}

/** The whole quarantine as a recording file: each message as it came, with why it was refused. */
export async function quarantineJsonl(q: Query, storeId: string): Promise<string> {
  const rows = await q(`SELECT store, epoch_ms(received) AS received, reason, detail, topic, payload, payload_b64, line FROM quarantine WHERE store = ${lit(storeId)} ORDER BY received, line`);
  return rows
    .map((r) =>
      JSON.stringify({
        topic: r.topic ?? '',
        ...(r.payload !== null && r.payload !== undefined ? { payload: r.payload } : { payload_b64: r.payload_b64 ?? '' }),
        ...(r.received !== null && r.received !== undefined ? { received: new Date(num(r.received)).toISOString() } : {}),
        store: r.store,
        reason: r.reason,
        detail: r.detail,
        ...(r.line !== null && r.line !== undefined ? { line: num(r.line) } : {}),
      }),
    )
    .map((l) => `${l}\n`)
    .join('');
}

/** The `ts` a quarantined payload carries, if it is JSON with a readable one. */
function payloadTs(payload: unknown): number | null {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return null;
  try {
    const ts = (JSON.parse(payload) as { ts?: unknown }).ts;
    const t = typeof ts === 'number' ? ts : typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
    return Number.isFinite(t) ? t : null;
  } catch {
    return null;
  }
}
