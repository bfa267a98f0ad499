/**
 * Budgeted greedy selection with lazy evaluation (CELF, Leskovec et al. 2007): a device's
 * marginal gain only shrinks as others are chosen (the objective is submodular), so a stale
 * gain is an upper bound and most candidates are never re-evaluated. Run twice, by gain per
 * unit cost and by gain alone, and the better of the two kept: that pair is what carries
 * greedy's constant-factor guarantee under a budget.
 */
import { EventQueue } from '../../sim/engine/EventQueue';
import { addInto, gainOf, type Device, type Objective } from './objective';

export interface GreedyPick {
  readonly device: Device;
  /** Marginal gain when it was chosen. */
  readonly gain: number;
}

export interface GreedyResult {
  readonly picks: readonly GreedyPick[];
  readonly spent: number;
  /** Objective value gained over the base. */
  readonly gain: number;
  /** Gains computed (the laziness saves most of the candidates x rounds). */
  readonly evaluations: number;
  readonly rule: 'gain per cost' | 'gain';
}

interface Entry {
  readonly device: Device;
  gain: number;
  round: number;
}

function run(obj: Objective, candidates: readonly Device[], budget: number, base: Float32Array, byCost: boolean): GreedyResult {
  const cur = Float32Array.from(base);
  const key = (gain: number, cost: number) => (byCost ? gain / Math.max(cost, 1e-9) : gain);
  // The simulator's agenda is a min-heap with ties in push order: keyed by minus the gain, it
  // pops the best candidate, and equal gains in candidate order (the same plan every run).
  const heap = new EventQueue<Entry>();
  let evaluations = 0;
  for (const d of candidates) {
    if (d.cost > budget) continue;
    const gain = gainOf(obj, cur, d);
    evaluations++;
    if (gain > 0) heap.push(-key(gain, d.cost), { device: d, gain, round: 0 });
  }
  const picks: GreedyPick[] = [];
  const taken = new Set<string>();
  let spent = 0;
  let total = 0;
  let round = 0;
  while (heap.size) {
    const e = heap.pop()!.item;
    if (spent + e.device.cost > budget + 1e-9 || taken.has(e.device.id)) continue;
    if (e.round !== round) {
      e.gain = gainOf(obj, cur, e.device);
      evaluations++;
      e.round = round;
      if (e.gain > 1e-9) heap.push(-key(e.gain, e.device.cost), e);
      continue;
    }
    addInto(cur, e.device);
    picks.push({ device: e.device, gain: e.gain });
    taken.add(e.device.id);
    spent += e.device.cost;
    total += e.gain;
    round++;
  }
  return { picks, spent, gain: total, evaluations, rule: byCost ? 'gain per cost' : 'gain' };
}

/** The better of greedy by gain per cost and greedy by gain, under the budget, on top of `base` (what is already installed). */
export function lazyGreedy(obj: Objective, candidates: readonly Device[], budget: number, base: Float32Array): GreedyResult {
  const a = run(obj, candidates, budget, base, true);
  // With one price for everything the two rules pick the same devices.
  const uniform = candidates.every((d) => d.cost === candidates[0]?.cost);
  if (uniform) return a;
  const b = run(obj, candidates, budget, base, false);
  const best = b.gain > a.gain + 1e-9 ? b : a;
  return { ...best, evaluations: a.evaluations + b.evaluations };
}
