/**
 * `twin roi (--plan FILE | --layout FILE) [--assumptions FILE] [--stores N] [--prices FILE]
 * [--scenario FILE [--seed N] [--days N]] [--lost-caught S] [--records-covered S] [--draws N]
 * [--format table|json]`: the business case of a plan from `twin place` (the devices it adds,
 * at its prices) or of a layout's devices bought new. Benefits come from the assumptions
 * (scenarios/roi/default.assumptions.json shows every one) and the shares of loss and record
 * errors the devices catch: a proxy from the plan's coverage, or with --scenario the detection
 * value on the scenario's simulated truth (with --plan, --layout is then the planned layout
 * from `twin place --out`, and in keep mode only what it catches beyond the scenario's own
 * layout counts). A bad assumptions file gets every problem listed (exit 2).
 */
import { Simulator } from '../../sim/Simulator';
import { LayoutIndex } from '../layout/LayoutIndex';
import { detectionValueOf } from '../planning/detectionValue';
import { DEFAULT_ASSUMPTIONS, parseAssumptions, type Assumption, type Assumptions } from '../roi/assumptions';
import { basisOfLayout, basisOfPlan, measuredCut, readPlanFile, withDetection, type RoiBasis } from '../roi/roiBasis';
import { detectionOf, type Detection } from '../roi/roiModel';
import { MAX_STORES, roiReport, type RoiReport } from '../roi/roiReport';
import { CliError } from './CliError';
import { loadLayout, readJson } from './files';
import { formatTable } from './incidentsCommand';
import { loadScenario } from './loadScenario';
import { parseOptions, wholeNumber } from './parseOptions';
import { runPilot } from './pilotCommand';
import { loadPrices } from './placeCommand';

/** Tornado bars printed: past these the swings are small. */
const TORNADO_BARS = 5;

const USAGE = 'usage: twin roi (--plan FILE | --layout FILE) [--assumptions FILE] [--stores N] [--prices FILE] [--scenario FILE [--seed N] [--days N] | --pilot DIR] [--lost-caught S] [--records-covered S] [--draws N] [--format table|json]';

/** The assumptions in a file (every problem listed in the error), or the defaults with no file. */
export function loadAssumptions(path: string | undefined): Assumptions {
  if (!path) return DEFAULT_ASSUMPTIONS;
  const r = parseAssumptions(readJson(path, 'assumptions file'));
  if (!r.ok) throw new CliError(`assumptions file ${path} is not valid:\n${r.problems.map((p) => `  ${p.path || '(file)'}: ${p.reason}`).join('\n')}`);
  return r.assumptions;
}

export async function roiCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    plan: { type: 'string' },
    layout: { type: 'string' },
    assumptions: { type: 'string' },
    stores: { type: 'string' },
    prices: { type: 'string' },
    scenario: { type: 'string' },
    seed: { type: 'string' },
    days: { type: 'string' },
    pilot: { type: 'string' },
    'lost-caught': { type: 'string' },
    'records-covered': { type: 'string' },
    draws: { type: 'string' },
    format: { type: 'string', default: 'table' },
  });
  if (!values.plan && !values.layout) throw new CliError(USAGE);
  if (values.format !== 'table' && values.format !== 'json') throw new CliError(`--format must be table or json, not "${values.format}"`);
  if (!values.scenario && (values.seed !== undefined || values.days !== undefined)) throw new CliError('--seed and --days go with --scenario FILE');
  if (values.plan && values.layout && !values.scenario) throw new CliError('--layout with --plan is the planned layout for --scenario: give --scenario FILE too, or drop --layout');
  const stores = wholeNumber(values.stores, 'stores', 1, MAX_STORES) ?? 10;
  const draws = wholeNumber(values.draws, 'draws', 1, 100_000) ?? 2000;
  const share = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > 1) throw new CliError(`--${name} must be a share from 0 to 1, not "${v}"`);
    return n;
  };
  let assumptions = loadAssumptions(values.assumptions);
  if (values.pilot && (values.scenario || values['lost-caught'] !== undefined)) throw new CliError('--pilot measures the cut in loss: it goes without --scenario and --lost-caught');

  let basis: RoiBasis;
  let plan: ReturnType<typeof readPlanFile> | undefined;
  if (values.plan) {
    plan = readPlanFile(readJson(values.plan, 'plan file'));
    if (!plan.ok) throw new CliError(`plan file ${values.plan} is not valid:\n${plan.problems.map((p) => `  ${p.path || '(file)'}: ${p.reason}`).join('\n')}`);
    basis = basisOfPlan(plan.plan, values.plan);
  } else {
    basis = basisOfLayout(loadLayout(values.layout!).layout, loadPrices(values.prices));
  }

  if (values.scenario) {
    const s = loadScenario(values.scenario);
    const days = wholeNumber(values.days, 'days', 1, 60) ?? s.run.days;
    const seed = wholeNumber(values.seed, 'seed', 0, 2 ** 32 - 1) ?? s.run.seed;
    const truth = new Simulator(s.layout, { ...s.run, days, seed }, { recording: () => {} }).run().truth;
    const devicesLayout: LayoutIndex = values.layout ? loadLayout(values.layout) : s.layout;
    let detection: Detection = detectionOf(detectionValueOf(devicesLayout, truth));
    let how = `detection value of ${values.layout ?? 'the scenario\'s layout'} on ${values.scenario} (seed ${seed}, ${days} days, ${truth.length} truth records)`;
    // A plan that keeps today's devices is paid for what it adds to them.
    if (plan?.ok && plan.plan.existing === 'keep' && values.layout) {
      const today = detectionOf(detectionValueOf(s.layout, truth));
      detection = { lossCaught: Math.max(0, detection.lossCaught - today.lossCaught), recordsCovered: Math.max(0, detection.recordsCovered - today.recordsCovered) };
      how += ', less what the scenario\'s own layout catches';
    }
    basis = { ...basis, detection, detectionSource: how };
  }
  if (values.pilot) {
    const measured = await pilotCut(values.pilot);
    assumptions = { ...assumptions, deterrence: measured.deterrence };
    basis = { ...basis, detection: { ...basis.detection, lossCaught: 0 }, detectionSource: measured.how };
  }
  basis = withDetection(basis, { lossCaught: share(values['lost-caught'], 'lost-caught'), recordsCovered: share(values['records-covered'], 'records-covered') });

  const report = roiReport({ basis, assumptions, stores, draws });
  // Infinity (a payback never reached) has no JSON: written as null.
  if (values.format === 'json') console.log(JSON.stringify({ ...report, tornado: { ...report.tornado, bars: report.tornado.bars.slice(0, TORNADO_BARS) } }, (_k, v) => (v === Number.POSITIVE_INFINITY ? null : v), 2));
  else console.log(roiTable(report, `${values.assumptions ?? 'defaults'}${values.pilot ? `, the loss taken away measured by the pilot in ${values.pilot}` : ''}`));
  return 0;
}

/** A pilot folder's measured cut in shrink (twin pilot DIR), as the ROI's (roiBasis.ts measuredCut). */
async function pilotCut(dir: string): Promise<{ deterrence: Assumption; how: string }> {
  const run = await runPilot({ dir, metric: 'shrink' });
  if (!run.result.ok) throw new CliError(`the pilot in ${dir} gives no estimate: ${run.result.problems.map((p) => p.message).join(' ')}`);
  return measuredCut({ ...run.result.relative, verdict: run.result.verdict }, dir);
}

/** Three significant figures: a measured range is not shown to 16 digits. */
const round3 = (x: number) => Number(x.toPrecision(3));

function roiTable(r: RoiReport, assumptionsFrom: string): string {
  const c = r.basis.currency;
  const money = (x: number) => `${c} ${Math.round(x).toLocaleString('en-US')}`;
  const months = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? 'never' : `${x.toFixed(1)} months`);
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const s = r.store;
  const h = r.assumptions.horizonMonths.value;
  const out: string[] = [];
  out.push(r.basis.label);
  out.push(r.sentences.detection);
  out.push(`Assumptions: ${assumptionsFrom}; horizon ${h} months, discount rate ${pct(r.assumptions.discountRate.value)} a year.`);
  out.push('');
  out.push('One store at the assumed figures');
  out.push(formatTable(['', ''], [
    ['upfront (devices + project)', money(s.upfront)],
    ['running costs a month', money(s.costs.total)],
    ['benefits a month', `${money(s.benefits.total)} (shrink ${money(s.benefits.shrinkAvoided)}, sales ${money(s.benefits.salesRecovered)}, counting ${money(s.benefits.countingSaved)})`],
    [`TCO over ${h} months`, `${money(s.tco.total)} (discounted ${money(s.tco.discounted)})`],
    ['NPV', money(s.npv)],
    ['IRR', s.irr ? `${pct(s.irr.annual)} a year${s.irr.note ? ` (${s.irr.note})` : ''}` : 'none (the flows never change sign)'],
    ['payback', months(s.paybackMonths)],
  ]));
  const ro = r.rollout;
  out.push('');
  out.push(`Rollout to ${ro.stores.length} stores (sales spread ${pct(r.assumptions.storeSpread.value)} between stores)`);
  out.push(formatTable(['', 'total', 'per store P10', 'P50', 'P90'], [
    ['NPV', money(ro.npv), money(ro.spread.npv.p10), money(ro.spread.npv.p50), money(ro.spread.npv.p90)],
    ['payback', months(ro.paybackMonths), months(ro.spread.paybackMonths.p10), months(ro.spread.paybackMonths.p50), months(ro.spread.paybackMonths.p90)],
  ]));
  out.push(`upfront ${money(ro.upfront)}; IRR ${ro.irr ? `${pct(ro.irr.annual)} a year` : 'none'}; ${ro.neverPayBack} of ${ro.stores.length} stores do not pay back within ${h} months`);
  out.push('');
  out.push(`What moves one store's NPV most (base ${money(r.tornado.base)})`);
  out.push(formatTable(['assumption', 'low..high', 'NPV at low', 'NPV at high'], r.tornado.bars.slice(0, TORNADO_BARS).map((b) => [b.label, `${round3(b.low)}..${round3(b.high)}`, money(b.npvAtLow), money(b.npvAtHigh)])));
  const mc = r.band;
  out.push('');
  out.push(`Monte Carlo over the ranges (${mc.draws} draws, seed ${mc.seed}): NPV P10 ${money(mc.npv.p10)}, P50 ${money(mc.npv.p50)}, P90 ${money(mc.npv.p90)}; payback P10 ${months(mc.paybackMonths.p10)}, P50 ${months(mc.paybackMonths.p50)}, P90 ${months(mc.paybackMonths.p90)}; NPV above 0 in ${pct(mc.chancePositive)} of draws.`);
  out.push('', r.sentences.verdict);
  return out.join('\n');
}
