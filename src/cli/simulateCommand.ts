/**
 * `twin simulate --scenario FILE [--days N] [--seed N] --out DIR`: runs a scenario and
 * writes DIR/recording.jsonl, DIR/truth.jsonl and DIR/summary.json, with a progress bar
 * on a terminal. With --pilot TESTS+CONTROLS --pre DAYS --post DAYS [--theft-cut SHARE] [--error-cut SHARE], a
 * simulated pilot instead: a folder a store and DIR/pilot.json (simulatePilot.ts).
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseScenarioText } from '../../sim/scenario/parseScenario';
import type { PilotSpec } from '../../sim/pilot/pilotStores';
import { Simulator } from '../../sim/Simulator';
import { CliError } from './CliError';
import { loadLayout, readTextFile } from './files';
import { parseOptions, wholeNumber } from './parseOptions';
import { simulatePilot } from './simulatePilot';

/** --pilot 3+3 --pre 14 --post 14 [--theft-cut 0.33] [--error-cut 0.5] [--volume-spread 0.2]. */
function pilotSpec(v: { pilot?: string; pre?: string; post?: string; 'theft-cut'?: string; 'error-cut'?: string; 'volume-spread'?: string }): PilotSpec {
  const m = /^(\d+)\+(\d+)$/.exec(v.pilot ?? '');
  if (!m) throw new CliError(`--pilot must be TESTS+CONTROLS, such as 3+3, not "${v.pilot}"`);
  const pre = wholeNumber(v.pre, 'pre', 1, 59), post = wholeNumber(v.post, 'post', 1, 59);
  if (pre === undefined || post === undefined) throw new CliError('--pilot needs --pre DAYS and --post DAYS');
  const share = (x: string | undefined, name: string, fallback: number) => {
    if (x === undefined) return fallback;
    const n = Number(x);
    if (!Number.isFinite(n) || n < 0 || n > 1) throw new CliError(`--${name} must be a share from 0 to 1, not "${x}"`);
    return n;
  };
  return {
    tests: Number(m[1]), controls: Number(m[2]), preDays: pre, postDays: post,
    theftCut: share(v['theft-cut'], 'theft-cut', 0), errorCut: share(v['error-cut'], 'error-cut', 0), volumeSpread: share(v['volume-spread'], 'volume-spread', 0.2),
  };
}

export async function simulateCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    scenario: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
    pilot: { type: 'string' }, pre: { type: 'string' }, post: { type: 'string' }, 'theft-cut': { type: 'string' }, 'error-cut': { type: 'string' }, 'volume-spread': { type: 'string' },
  });
  if (!values.scenario) throw new CliError('--scenario FILE is required');
  if (!values.out) throw new CliError('--out DIR is required');
  const parsed = parseScenarioText(readTextFile(values.scenario, 'scenario'));
  if (!parsed.ok) {
    for (const p of parsed.problems) console.log(`${p.path || '(file)'}: ${p.reason}`);
    console.error(`${values.scenario}: ${parsed.problems.length} problem${parsed.problems.length === 1 ? '' : 's'}; nothing was simulated`);
    return 1;
  }
  const int = (v: string | undefined, name: string, min: number, max: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`--${name} must be a whole number from ${min} to ${max}, not ${v}`);
    return n;
  };
  const days = int(values.days, 'days', 1, 60);
  const seed = int(values.seed, 'seed', 0, 2 ** 32 - 1);
  const scenario = { ...parsed.scenario, ...(days === undefined ? {} : { days }), ...(seed === undefined ? {} : { seed }) };
  const layout = loadLayout(resolve(dirname(values.scenario), scenario.layout));
  if (values.pilot !== undefined) {
    if (days !== undefined) throw new CliError('--days goes without --pilot: a pilot runs --pre + --post days');
    return simulatePilot(layout, scenario, pilotSpec(values), values.out);
  }
  if ([values.pre, values.post, values['theft-cut'], values['error-cut'], values['volume-spread']].some((v) => v !== undefined)) {
    throw new CliError('--pre, --post, --theft-cut, --error-cut and --volume-spread go with --pilot TESTS+CONTROLS');
  }
  mkdirSync(values.out, { recursive: true });

  const fd = openSync(join(values.out, 'recording.jsonl'), 'w');
  // The simulation runs synchronously, so a stream could not drain while it runs: lines are
  // batched and written synchronously, keeping memory flat however long the scenario.
  let buf: string[] = [];
  let pending = 0;
  const flush = () => {
    if (buf.length === 0) return;
    writeSync(fd, buf.join('\n') + '\n');
    buf = [];
    pending = 0;
  };
  const tty = process.stderr.isTTY;
  let shown = -1;
  const started = performance.now();
  // Frames on: what each frame shows (slot boxes, fill, the SKU really there), a line each, for training the shelf CNN.
  let framesFd: number | undefined;
  const result = new Simulator(layout, scenario, {
    frameTruth: (t) => {
      framesFd ??= openSync(join(values.out!, 'frames.truth.jsonl'), 'w');
      writeSync(framesFd, JSON.stringify(t) + '\n');
    },
    recording: (line) => {
      buf.push(line);
      if (++pending >= 4096) flush();
    },
    progress: (f) => {
      const pct = Math.floor(f * 100);
      if (!tty || pct === shown) return;
      shown = pct;
      const bar = '#'.repeat(Math.round(f * 30)).padEnd(30, '.');
      process.stderr.write(`\rsimulating ${scenario.name} [${bar}] ${pct}%`);
    },
  }).run();
  flush();
  closeSync(fd);
  if (framesFd !== undefined) closeSync(framesFd);
  if (tty) process.stderr.write('\n');
  const seconds = (performance.now() - started) / 1000;

  writeFileSync(join(values.out, 'truth.jsonl'), result.truth.map((t) => JSON.stringify(t)).join('\n') + (result.truth.length ? '\n' : ''));
  const incidents: Record<string, number> = {};
  for (const t of result.truth) incidents[t.kind] = (incidents[t.kind] ?? 0) + 1;
  const messages = Object.values(result.messagesByKind).reduce((a, b) => a + b, 0);
  const summary = {
    store: layout.store,
    scenario: scenario.name,
    seed: scenario.seed,
    days: scenario.days,
    start: new Date(result.start).toISOString(),
    end: new Date(result.end).toISOString(),
    messages,
    byTopic: result.messagesByKind,
    incidents,
  };
  writeFileSync(join(values.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(JSON.stringify({ ...summary, seconds: Math.round(seconds * 100) / 100 }));
  return 0;
}
