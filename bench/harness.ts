/**
 * The benchmark harness: each benchmark returns measured figures; the harness prints them
 * as a table and writes bench/results.json with the machine they ran on. Comparisons are
 * quoted as ratios measured in the same run (these machines are shared and noisy).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Figure {
  /** What was measured, e.g. "parse+validate+apply, JSON text". */
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The target from the issue, when there is one, for the table's verdict column. */
  readonly target?: { readonly atLeast?: number; readonly atMost?: number };
  readonly note?: string;
}

export interface Benchmark {
  readonly id: string;
  readonly run: () => Promise<Figure[]> | Figure[];
}

/** Best-of-n wall time of fn in ms, after one warm-up run. */
export function bestOf(n: number, fn: () => void): number {
  fn();
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export async function runBenchmarks(all: Benchmark[], filter: string[]): Promise<void> {
  const chosen = filter.length ? all.filter((b) => filter.some((f) => b.id.includes(f))) : all;
  if (chosen.length === 0) throw new Error(`no benchmark matches ${filter.join(', ')}; have ${all.map((b) => b.id).join(', ')}`);
  const rows: (Figure & { id: string })[] = [];
  for (const b of chosen) {
    process.stderr.write(`running ${b.id}...\n`);
    for (const f of await b.run()) rows.push({ id: b.id, ...f });
  }
  const fmt = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3));
  const verdict = (f: Figure) =>
    !f.target ? '' : (f.target.atLeast === undefined || f.value >= f.target.atLeast) && (f.target.atMost === undefined || f.value <= f.target.atMost) ? 'meets target' : 'BELOW TARGET';
  const table = rows.map((r) => [r.id, r.name, fmt(r.value), r.unit, r.target ? (r.target.atLeast !== undefined ? `>= ${fmt(r.target.atLeast)}` : `<= ${fmt(r.target.atMost!)}`) : '', verdict(r)]);
  const head = ['benchmark', 'figure', 'value', 'unit', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) console.log(line(r));
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
  const out = join(import.meta.dirname, 'results.json');
  // A run of some benchmarks replaces their rows and keeps the others' (each row says when it ran).
  const date = new Date().toISOString();
  const ran = new Set(chosen.map((b) => b.id));
  type Row = Figure & { id: string; date?: string; machine?: unknown };
  const before = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as { date?: string; machine?: unknown; results?: Row[] }) : {};
  const kept = (before.results ?? []).filter((r) => !ran.has(r.id)).map((r) => ({ ...r, date: r.date ?? before.date, machine: r.machine ?? before.machine }));
  writeFileSync(out, JSON.stringify({ date, machine, results: [...kept, ...rows.map((r) => ({ ...r, date, machine }))] }, null, 2) + '\n');
  console.log(`\nmachine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; written to bench/results.json`);
}
