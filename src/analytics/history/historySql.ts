/**
 * What the history queries share: the query function they run on (the page's
 * BrowserEventStore, an EventStore on DuckDB-WASM in Node, or native DuckDB all fit), SQL
 * literals, and the slot-level book as a running level per slot. Pure text, no DOM.
 */

/** Runs SQL and returns plain rows (timestamps as epoch ms, safe integers as numbers): `EventStore.query` and `BrowserEventStore.query` both are one. */
export type Query = (sql: string) => Promise<readonly Record<string, unknown>[]>;

/** A SQL string literal. */
export function lit(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** A SQL timestamp for an epoch-ms time; throws on a time that is not a finite number (bad input, never SQL). */
export function sqlTime(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${ms}`);
  return `epoch_ms(${Math.trunc(ms)}::BIGINT)::TIMESTAMP_MS`;
}

/** A SQL list of string literals, `('a', 'b')`; `(NULL)` when empty, so `x IN (NULL)` keeps nothing. */
export function litList(xs: Iterable<string>): string {
  const items = [...xs].map(lit);
  return `(${items.length ? items.join(', ') : 'NULL'})`;
}

/** A number from a row: DuckDB hands BIGINT as number or bigint, DECIMAL as an object with valueOf. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

/** A number or null. */
export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v);
}

/**
 * CTEs `bo` .. `bt`: the store's slot-level book rows up to `upTo` (inclusive), each with
 * `book`, the slot's book level after it (`ord` its place among the slot's rows). The
 * order is the twin's (folds.ts compareBook): ts, seq, reason, ref, delta. A `count` sets
 * its SKU's level on the slot, anything else adds its delta; the twin keeps one book per
 * SKU, so a slot booked under two SKUs carries the sum of both levels, summed here as
 * each row's change to the slot.
 */
export function bookLevelCtes(store: string, upTo: number, slotFilter = ''): string {
  return `bo AS (
    SELECT slot, sku, epoch_ms(ts) AS t, reason, delta,
      row_number() OVER (PARTITION BY slot ORDER BY ts, coalesce(seq, -1), reason, coalesce(ref, ''), delta, sku) AS ord
    FROM book WHERE store = ${lit(store)} AND slot IS NOT NULL AND ts <= ${sqlTime(upTo)}${slotFilter}),
  bg AS (
    SELECT *, count(*) FILTER (WHERE reason = 'count') OVER (PARTITION BY slot, sku ORDER BY ord ROWS UNBOUNDED PRECEDING) AS grp FROM bo),
  bl AS (
    SELECT *, sum(delta) OVER (PARTITION BY slot, sku, grp ORDER BY ord ROWS UNBOUNDED PRECEDING) AS level FROM bg),
  bc AS (
    SELECT slot, t, ord, level - coalesce(lag(level) OVER (PARTITION BY slot, sku ORDER BY ord), 0) AS chg FROM bl),
  bt AS (
    SELECT slot, t, ord, CAST(sum(chg) OVER (PARTITION BY slot ORDER BY ord ROWS UNBOUNDED PRECEDING) AS DOUBLE) AS book FROM bc)`;
}
