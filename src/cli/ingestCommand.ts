/**
 * `twin ingest --layout FILE --recording FILE [--out DIR]`: the recording goes through the
 * same pipeline the browser uses; totals go to stdout as one JSON object.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { Ingest } from '../ingest/Ingest';
import { stateToJson } from '../twin/stateToJson';
import { CliError } from './CliError';
import { loadLayout, recordingLines } from './files';
import { parseOptions } from './parseOptions';

export async function ingestCommand(args: string[], now: () => number = Date.now): Promise<number> {
  const { values } = parseOptions(args, {
    layout: { type: 'string' },
    recording: { type: 'string' },
    out: { type: 'string' },
  });
  if (!values.layout) throw new CliError('--layout FILE is required');
  if (!values.recording) throw new CliError('--recording FILE is required');
  const ingest = new Ingest(loadLayout(values.layout));
  let lineNo = 0;
  for await (const line of recordingLines(values.recording)) ingest.pushLine(line, ++lineNo, now());
  const totals = ingest.totals();
  if (values.out) {
    try {
      mkdirSync(values.out, { recursive: true });
    } catch (e) {
      throw new CliError(`cannot create ${values.out}: ${(e as Error).message}`);
    }
    const q = createWriteStream(join(values.out, 'quarantine.jsonl'));
    for (const line of ingest.quarantine.lines()) if (!q.write(line + '\n')) await once(q, 'drain');
    q.end();
    await once(q, 'finish');
    writeFileSync(join(values.out, 'state.json'), JSON.stringify(stateToJson(ingest.twin.state), null, 1) + '\n');
  }
  console.log(JSON.stringify({ store: ingest.layout.store, ...totals }));
  return 0;
}
