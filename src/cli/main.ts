/**
 * The `twin` command line. Each command is a function of its arguments returning an exit
 * code; mistakes on the command line are one clear line on stderr and exit 2.
 */
import { analyzeCommand } from './analyzeCommand';
import { CliError } from './CliError';
import { coverageCommand } from './coverageCommand';
import { pilotCommand } from './pilotCommand';
import { placeCommand } from './placeCommand';
import { planCommand } from './planCommand';
import { exportCommand } from './exportCommand';
import { incidentsCommand } from './incidentsCommand';
import { ingestCommand } from './ingestCommand';
import { layoutCheckCommand } from './layoutCheckCommand';
import { simulateCommand } from './simulateCommand';
import { publishCommand } from './publishCommand';
import { recordCommand } from './recordCommand';
import { roiCommand } from './roiCommand';
import { scoreCommand } from './scoreCommand';

const USAGE = `twin: the Backroom Twin command line

  twin layout check FILE                 validate a layout file; every problem, one a line
  twin ingest --layout FILE --recording FILE [--out DIR]
                                         read a recording through the contract pipeline;
                                         prints totals as JSON, writes DIR/quarantine.jsonl
                                         and DIR/state.json
  twin publish --recording FILE --broker mqtt://HOST:PORT [--speed X|max] [--protocol 3.1.1|5]
               [--username U --password P] [--will-device ID] [--layout FILE] [--connect-timeout S]
                                         replay a recording onto a broker, paced by --speed
                                         (default 1 = real time); prints totals as JSON
  twin record --broker mqtt://HOST:PORT --layout FILE --out FILE.jsonl [--protocol 3.1.1|5]
              [--username U --password P] [--client-id ID] [--for DURATION] [--connect-timeout S] [--fsync]
                                         record the layout's store from a broker (persistent
                                         session, each message acked once written) until
                                         Ctrl-C or --for (30s, 10m, 2h); prints totals as JSON
  twin analyze --layout FILE --recording FILE (--analysis NAME | --sql "SELECT ...")
               [--from T] [--to T] [--zone Z] [--sku S] [--shift NAME] [--shifts SPEC]
               [--tolerance N] [--gap-minutes N] [--long-open-minutes N] [--format table|json|csv]
                                         load a recording into the event store (DuckDB) and
                                         print a named analysis (shrink, variance, activity,
                                         devices, or a section like shrink.by_sku) or the
                                         query's result
  twin export --layout FILE --recording FILE --out DIR
                                         load a recording into the event store and write
                                         every table as DIR/<table>.parquet
  twin simulate --scenario FILE [--days N] [--seed N] --out DIR
                                         run a scenario: DIR/recording.jsonl, truth.jsonl,
                                         summary.json
  twin simulate --scenario FILE --pilot TESTS+CONTROLS --pre DAYS --post DAYS [--theft-cut SHARE]
                [--error-cut SHARE] [--volume-spread S] [--seed N] --out DIR
                                         a simulated pilot: the layout at several volumes,
                                         test stores' thefts (and record errors) cut in the
                                         post-period;
                                         DIR/<store>/ each and DIR/pilot.json
  twin pilot DIR | --test DIR [--test DIR ...] --control DIR [...] --pre FROM..TO --post FROM..TO
             [--layout FILE] [--metric shrink|shrink-units|record-accuracy|phantom-skus]
             [--resample days|stores] [--block-days N] [--seed N] [--format table|json]
                                         did the pilot work: the metric per store and day
                                         from its recording, difference-in-differences against
                                         matched controls, a confidence interval, a verdict
  twin incidents --layout FILE --recording FILE [--rules FILE] [--vision auto|on|off]
                [--model DIR] [--format table|json]
                                         run the rules (default: scenarios/rules/
                                         default.rules.json's values) over a recording and
                                         list the incidents; frames in it go through the
                                         shelf CNN (auto) and fusion's findings join them
  twin score --scenario FILE [--seed N] [--days N] [--rules FILE] [--format table|json]
  twin score --recording FILE --truth FILE --layout FILE [--rules FILE] [--format table|json]
                                         score the rules against a simulation's truth: per
                                         kind TP, FP, FN, precision, recall, median time
                                         to detect
  twin coverage --layout FILE [--standard 2015|2025] [--format table|json]
                                         what the cameras really see: per slot face, door
                                         and zone, the cameras, fraction in clear view,
                                         angle, px/m and IEC 62676-4 grade
  twin place --layout FILE --budget AMOUNT [--prices FILE] [--weights FILE] [--out FILE]
             [--existing keep|replace] [--kinds camera,smart_shelf,rfid] [--exclude ZONE,...]
             [--lock ID,...] [--standard 2015|2025] [--wall-spacing M] [--ceiling-spacing M]
             [--candidates FILE] [--recording FILE] [--exact] [--format json|table]
                                         plan where new cameras, smart shelves and RFID
                                         readers pay most within a budget, each choice
                                         explained; --out writes the layout with them
  twin plan compare A B [--scenario FILE [--seed N] [--days N] | --truth FILE] [--prices FILE]
                    [--standard 2015|2025] [--format table|json]
                                         two layouts (today's, a planned one from place
                                         --out) or plan files side by side: devices, cost,
                                         coverage and, with a scenario or truth, what each
                                         catches per incident kind and its value at cost
  twin roi (--plan FILE | --layout FILE) [--assumptions FILE] [--stores N] [--prices FILE]
           [--scenario FILE [--seed N] [--days N]] [--lost-caught S] [--records-covered S]
           [--draws N] [--format table|json]
                                         the pilot's business case: TCO, NPV, IRR, payback
                                         per store and for N stores with their spread, the
                                         tornado's widest bars and the Monte Carlo band
  twin vision --layout FILE --recording FILE [--model DIR] [--format table|json]
                                         the shelf CNN over every camera frame of a
                                         recording, fused with the load cells: per slot and
                                         camera what it saw, and the findings (misplaced
                                         product, stuck or drifting load cell, hidden stock)
  twin vision eval --scenario FILE [--seed N] [--days N] [--interval S] [--width N] [--model DIR]
                   [--save FILE] [--format table|json]
                                         score the CNN (fill accuracy, confusion, misplaced
                                         recall and precision) and the fusion on a simulated
                                         run with camera frames (default 1 day); --save
                                         keeps what fusion and the scoring read
  twin vision eval --replay FILE [--format table|json]
                                         fusion as it is now over a saved run's CNN calls,
                                         scored again: no simulation, no CNN (seconds)
Exit codes: 0 ok, 1 the input is not valid, 2 a mistake on the command line.`;

export type Command = (args: string[]) => Promise<number> | number;

const COMMANDS: Record<string, Command> = {
  layout: (args) => {
    const [sub, ...rest] = args;
    if (sub === 'check') return layoutCheckCommand(rest);
    throw new CliError(sub ? `unknown layout command "${sub}" (try: twin layout check FILE)` : 'twin layout needs a command: check');
  },
  ingest: ingestCommand,
  analyze: analyzeCommand,
  export: exportCommand,
  simulate: simulateCommand,
  publish: publishCommand,
  record: recordCommand,
  incidents: incidentsCommand,
  score: scoreCommand,
  coverage: coverageCommand,
  place: placeCommand,
  plan: planCommand,
  pilot: pilotCommand,
  roi: roiCommand,
  // Loaded when used: it brings tf.js, which every other command can do without.
  vision: async (args) => (await import('./visionCommand')).visionCommand(args),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new CliError(`unknown command "${name}"; run twin --help for the list`);
    return await command(args);
  } catch (e) {
    if (e instanceof CliError) {
      console.error(`twin ${name}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}
