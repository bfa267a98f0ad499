/**
 * "Where the analytics say movements and losses happen", as the planner's weights: each slot's
 * unexplained loss (the shrink analysis's reconciliation of book against load cell, valued at
 * cost) and its movements (picks and puts the load cell saw) over a recording become a
 * multiplier on that slot: 1 + 2 x its loss / the largest slot loss + 0.5 x its movements / the
 * most any slot moved. The slot that lost most weighs up to 3.5 times one where nothing
 * happened; a slot with neither keeps 1. Multiplied into any weights a store already set.
 * Pure: the SQL and the arithmetic; the CLI runs the SQL on the event store.
 */
import { unexplainedCtes } from '../analytics/analyses/backRoomSql';
import type { AnalysisParams } from '../analytics/analyses/AnalysisParams';
import type { Weights } from './weights';

export interface SlotActivity {
  readonly slot: string;
  /** Unexplained loss at cost over the range. */
  readonly lostAtCost: number;
  /** Movements the load cell saw (picks and puts). */
  readonly moves: number;
}

/** Per slot with any loss or movement: its loss at cost and its movements. Columns: slot, lost_at_cost, moves. */
export function slotActivitySql(p: AnalysisParams): string {
  const S = `'${p.store.replaceAll("'", "''")}'`;
  return `${unexplainedCtes(p)},
  lost AS (SELECT slot, sum(lost * unit_cost) AS lost_at_cost FROM loss GROUP BY slot),
  moved AS (SELECT slot, count(*) AS moves FROM movements WHERE store = ${S} AND delta IS NOT NULL AND delta <> 0 GROUP BY slot)
  SELECT coalesce(l.slot, m.slot) AS slot, coalesce(l.lost_at_cost, 0) AS lost_at_cost, coalesce(m.moves, 0) AS moves
  FROM lost l FULL JOIN moved m ON m.slot = l.slot
  WHERE coalesce(l.lost_at_cost, 0) > 0.005 OR coalesce(m.moves, 0) > 0
  ORDER BY lost_at_cost DESC, moves DESC, slot`;
}

export const LOSS_WEIGHT = 2;
export const MOVES_WEIGHT = 0.5;

/** The weights with each active slot's multiplier (times any the weights already give it). */
export function weightsFromActivity(base: Weights, rows: readonly SlotActivity[]): { weights: Weights; multipliers: Record<string, number> } {
  const maxLoss = Math.max(0, ...rows.map((r) => r.lostAtCost));
  const maxMoves = Math.max(0, ...rows.map((r) => r.moves));
  const multipliers: Record<string, number> = {};
  for (const r of rows) {
    const m = 1 + (maxLoss > 0 ? (LOSS_WEIGHT * r.lostAtCost) / maxLoss : 0) + (maxMoves > 0 ? (MOVES_WEIGHT * r.moves) / maxMoves : 0);
    if (m > 1) multipliers[r.slot] = Math.round(m * 1000) / 1000;
  }
  const slots: Record<string, number> = { ...base.slots };
  for (const [slot, m] of Object.entries(multipliers)) slots[slot] = Math.round((slots[slot] ?? 1) * m * 1000) / 1000;
  return { weights: { ...base, slots }, multipliers };
}
