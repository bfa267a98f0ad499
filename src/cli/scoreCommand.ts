/**
 * `twin score --scenario FILE [--seed N] [--days N] [--rules FILE] [--format table|json]`
 * runs the scenario in memory and the rules over it; `twin score --recording FILE --truth
 * FILE --layout FILE` scores a recording `twin simulate` wrote. Prints, per scored class
 * (src/rules/score.ts says which incidents and truth records each takes), true positives,
 * false positives, false negatives, blind records, precision, recall and the median time
 * to detect, as a table or JSON.
 */
import { runScenarioRules } from '../rules/runScenarioRules';
import { score, type ClassScore } from '../rules/score';
import { CliError } from './CliError';
import { loadLayout } from './files';
import { formatTable, loadRules, readFormat, recordingIncidents } from './incidentsCommand';
import { loadScenario } from './loadScenario';
import { parseOptions, wholeNumber } from './parseOptions';
import { readTruth } from './readTruth';

export async function scoreCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    scenario: { type: 'string' },
    seed: { type: 'string' },
    days: { type: 'string' },
    recording: { type: 'string' },
    truth: { type: 'string' },
    layout: { type: 'string' },
    rules: { type: 'string' },
    format: { type: 'string', default: 'table' },
  });
  const format = readFormat(values.format);
  const rules = loadRules(values.rules);
  let scores: ClassScore[];
  let events: number | undefined;
  if (values.scenario) {
    if (values.recording || values.truth || values.layout) throw new CliError('give --scenario FILE, or --recording, --truth and --layout, not both');
    const s = loadScenario(values.scenario);
    const days = wholeNumber(values.days, 'days', 1, 60);
    const seed = wholeNumber(values.seed, 'seed', 0, 2 ** 32 - 1);
    const run = runScenarioRules(s.layout, { ...s.run, ...(days === undefined ? {} : { days }), ...(seed === undefined ? {} : { seed }) }, rules);
    scores = score(run.incidents, run.truth);
    events = run.events;
  } else {
    if (!values.recording || !values.truth || !values.layout) throw new CliError('give --scenario FILE, or all of --recording FILE --truth FILE --layout FILE');
    const truth = readTruth(values.truth);
    const incidents = await recordingIncidents(loadLayout(values.layout), values.recording, rules);
    scores = score(incidents, truth);
  }
  if (format === 'json') console.log(JSON.stringify({ events, scores: scores.map(jsonScore) }, null, 2));
  else console.log(scoreTable(scores));
  return 0;
}

/** NaN (nothing to divide by) prints as null in JSON, "-" in the table. */
const num = (x: number) => (Number.isNaN(x) ? null : Math.round(x * 1000) / 1000);
const jsonScore = (s: ClassScore) => ({ ...s, precision: num(s.precision), recall: num(s.recall), medianDetectMinutes: num(s.medianDetectMinutes) });
const cell = (x: number, digits: number) => (Number.isNaN(x) ? '-' : x.toFixed(digits));

export function scoreTable(scores: readonly ClassScore[]): string {
  return formatTable(
    ['kind', 'tp', 'fp', 'fn', 'blind', 'precision', 'recall', 'median detect (min)'],
    scores.map((s) => [s.kind, String(s.tp), String(s.fp), String(s.fn), String(s.blind), cell(s.precision, 2), cell(s.recall, 2), cell(s.medianDetectMinutes, 1)]),
  );
}
