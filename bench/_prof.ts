import { benchLayout } from './ingest.bench';
import { messageMix } from './messageMix';
import { Ingest } from '../src/ingest/Ingest';
const L = benchLayout(); const msgs = messageMix(L, 300000, 1);
const enc = new TextEncoder(); const bytes = msgs.map((m) => ({ ...m, payload: enc.encode(m.payload as string) }));
for (const set of [msgs, bytes, msgs, bytes]) { const t = performance.now(); const i = new Ingest(L); for (const m of set) i.push(m); const t1 = performance.now(); void i.twin.state; console.log(Math.round(set.length / (performance.now() - t) * 1000), 'msg/s; snapshot ms', Math.round(performance.now() - t1)); }
