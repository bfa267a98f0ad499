/**
 * The live benchmark's traffic: the recorded-like mix on the large example layout (mostly
 * load-cell readings, with RFID, doors, badges, book, status, detections), re-timed to end
 * an hour ago so that nothing is "from the future" whatever the machine's clock says.
 */
import type { RawMessage } from '../src/contract/messages';
import { benchLayout } from './ingest.bench';
import { messageMix } from './messageMix';

export function liveMix(count: number): RawMessage[] {
  const mix = messageMix(benchLayout(), count, 7);
  const t0 = Date.now() - 3600_000 - count * 20;
  return mix.map((m, i) => {
    const body = JSON.parse(m.payload as string) as Record<string, unknown>;
    const ts = t0 + i * 20;
    body.ts = new Date(ts).toISOString();
    return { ...m, payload: JSON.stringify(body), received: ts };
  });
}
