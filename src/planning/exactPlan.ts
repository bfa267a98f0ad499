/**
 * The exact answer on a small room, to show how close greedy gets: weighted coverage under a
 * budget as an integer program solved by HiGHS (compiled to WebAssembly, the `highs` package):
 *   maximise   sum over t, j of w_t (q_tj - b_t) z_tj        (b: what is installed gives)
 *   subject to sum over j of z_tj <= 1 for every target t     (each target credited once)
 *              z_tj <= x_j                                    (only by a chosen device)
 *              sum over j of c_j x_j <= budget,  x binary, 0 <= z <= 1.
 * Only pairs where a device improves on what is installed get a z. Fine for tens of
 * candidates and a few thousand targets; the planner's rooms use greedy.
 */
import highsLoader from 'highs';
import type { Device, Objective } from './objective';

export interface ExactResult {
  /** Objective gained over the base by the best plan. */
  readonly gain: number;
  readonly chosen: readonly string[];
  readonly status: string;
  readonly variables: number;
}

type Highs = Awaited<ReturnType<typeof highsLoader>>;
let loaded: Promise<Highs> | undefined;

export async function exactPlan(obj: Objective, candidates: readonly Device[], budget: number, base: Float32Array, loader: () => Promise<Highs> = () => highsLoader()): Promise<ExactResult> {
  const highs = await (loaded ??= loader());
  const terms: string[] = [];
  const rows: string[] = [];
  const perTarget = new Map<number, string[]>();
  let variables = candidates.length;
  candidates.forEach((d, j) => {
    for (let k = 0; k < d.idx.length; k++) {
      const t = d.idx[k]!;
      const gain = obj.weights[t]! * (d.q[k]! - base[t]!);
      if (gain <= 1e-9) continue;
      const z = `z${t}_${j}`;
      variables++;
      terms.push(`${gain.toFixed(9)} ${z}`);
      rows.push(` r${t}_${j}: ${z} - x${j} <= 0`);
      const list = perTarget.get(t) ?? [];
      list.push(z);
      perTarget.set(t, list);
    }
  });
  if (!terms.length) return { gain: 0, chosen: [], status: 'Optimal', variables };
  for (const [t, zs] of perTarget) if (zs.length > 1) rows.push(` t${t}: ${zs.join(' + ')} <= 1`);
  rows.push(` budget: ${candidates.map((d, j) => `${d.cost} x${j}`).join(' + ')} <= ${budget}`);
  const lp = ['Maximize', ` obj: ${terms.join(' + ')}`, 'Subject To', ...rows, 'Bounds', ...[...perTarget.values()].flat().map((z) => ` 0 <= ${z} <= 1`), 'Binary', ` ${candidates.map((_, j) => `x${j}`).join(' ')}`, 'End'].join('\n');
  const r = highs.solve(lp, { output_flag: false, mip_rel_gap: 0 });
  if (r.Status !== 'Optimal') return { gain: NaN, chosen: [], status: r.Status, variables };
  const chosen = candidates.filter((_, j) => (r.Columns[`x${j}`]?.Primal ?? 0) > 0.5).map((d) => d.id);
  return { gain: r.ObjectiveValue, chosen, status: r.Status, variables };
}
