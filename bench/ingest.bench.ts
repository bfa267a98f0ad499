/**
 * Contract messages parsed, validated and applied to the twin, per second, on one core,
 * over a recorded-like mix of topics on the large example layout.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawMessage } from '../src/contract/messages';
import { Ingest } from '../src/ingest/Ingest';
import { LayoutIndex } from '../src/layout/LayoutIndex';
import { parseLayoutText } from '../src/layout/parseLayout';
import { bestOf, type Benchmark } from './harness';
import { messageMix } from './messageMix';

export function benchLayout(): LayoutIndex {
  const file = join(import.meta.dirname, '../scenarios/layouts/gm-large.layout.json');
  if (!existsSync(file)) throw new Error(`${file} is missing`);
  const r = parseLayoutText(readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(`${file} is not valid`);
  return new LayoutIndex(r.layout);
}

const N = 300_000;

export const ingestBench: Benchmark = {
  id: 'ingest',
  run() {
    const layout = benchLayout();
    const text = messageMix(layout, N, 1);
    const encoder = new TextEncoder();
    const bytes: RawMessage[] = text.map((m) => ({ ...m, payload: encoder.encode(m.payload as string) }));
    const rate = (msgs: RawMessage[]) => {
      const ms = bestOf(3, () => {
        const ingest = new Ingest(layout);
        for (const m of msgs) ingest.push(m);
        void ingest.twin.state;
        if (ingest.totals().accepted !== msgs.length) throw new Error('the mix should be all valid');
      });
      return (msgs.length / ms) * 1000;
    };
    const textRate = rate(text);
    const bytesRate = rate(bytes);
    return [
      { name: `parse+validate+apply, JSON text (${layout.slotCount} slots, ${N.toLocaleString('en-US')} msgs)`, value: textRate, unit: 'msg/s', target: { atLeast: 200_000 } },
      { name: 'parse+validate+apply, MQTT bytes (UTF-8 decode included)', value: bytesRate, unit: 'msg/s', target: { atLeast: 200_000 } },
    ];
  },
};
