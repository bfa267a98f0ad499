/**
 * The printable ROI report: one standalone HTML document (no script, no outside file) with
 * the verdict, the figures of a store and of the rollout, the charts as inline SVG, every
 * assumption with its range and source, and how the figures are worked out. Print-friendly
 * CSS: the browser's Print (or "Save as PDF") gives the paper version. Pure text: the panel
 * passes in the charts it drew.
 */
import { ASSUMPTION_KEYS, ASSUMPTION_SPECS } from '../roi/assumptions';
import { money, months, percent, type RoiReport } from '../roi/roiReport';

export interface ReportCharts {
  /** The tornado and the band as SVG text; left out, the report has their tables alone. */
  readonly tornado?: string;
  readonly band?: string;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const num = (x: number): string => (Number.isInteger(x) ? x.toLocaleString('en-US') : Number(x.toPrecision(4)).toString());

export const METHOD_NOTES: readonly string[] = [
  'Costs and benefits are per store per month (src/roi/roiModel.ts). Costs: software; frame storage and bandwidth per camera; RFID tags for the units the store tags itself (only where it reads RFID); maintenance, a share of the devices\' cost a year; the labour of answering incidents.',
  'Benefits: shrink avoided = sales × shrink × share the back room can see × (1 − margin) × cut, with cut = 1 − (1 − caught × recovered)(1 − deterrence), valued at cost; sales recovered = sales × out-of-stock × share from wrong records × share lost × margin × the share of wrong records the devices put right; counting saved = counting hours × (1 − directed share) × coverage × labour cost.',
  'Flow 0 is the upfront spend (devices bought and installed plus the project cost), flows 1..H the months. NPV discounts at the monthly equivalent of the yearly rate, (1 + r)^(1/12) − 1. Payback is the months until the cumulative (undiscounted) flows turn non-negative. IRR is every rate that makes the NPV zero, the one nearest 0 reported, as a yearly rate. TCO is the upfront spend plus the running costs over the horizon.',
  'Rollout: the stores are drawn (seeded) around the assumed store, sales log-normal with the assumed spread, units and incidents in proportion; each store\'s ROI is worked out and their flows added.',
  'Tornado: each uncertain assumption moved alone to its low and its high, the others at their values; the widest swing of the NPV first.',
  'Monte Carlo: every uncertain assumption drawn at once from a triangular distribution on its range, peaking at its value (seeded); the band is the P10 to P90 of the cumulative discounted cash month by month. Choices (discount rate, horizon, spread between stores) are not varied.',
  'Detection shares (how much loss and how many record errors the devices catch) come from a scenario\'s detection value where one is entered, from a pilot\'s measured cut in shrink where a pilot result is opened (it then stands for catching and deterring together), otherwise from a proxy named beside them.',
];

export function roiReportHtml(r: RoiReport, charts: ReportCharts = {}, generated = ''): string {
  const cur = r.currency;
  const s = r.store;
  const ro = r.rollout;
  const n = ro.stores.length;
  const row = (k: string, v: string) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`;
  const sentences = [r.sentences.payback, r.sentences.npv, r.sentences.irr, r.sentences.tco, r.sentences.rollout, r.sentences.drivers, r.sentences.detection];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>ROI report: ${esc(r.basis.store)}</title>
<style>
  body { font: 11pt/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #111; background: #fff; max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem; }
  h1 { font-size: 1.5rem; margin: 0 0 0.2rem; } h2 { font-size: 1.1rem; margin: 1.6rem 0 0.4rem; border-bottom: 1px solid #ccc; padding-bottom: 0.15rem; }
  .meta { color: #555; margin: 0 0 1rem; } .verdict { font-size: 1.2rem; font-weight: 600; margin: 0.5rem 0; }
  ul.headline li { margin: 0.25rem 0; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 0.92em; }
  th, td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
  td.n, th.n { text-align: right; white-space: nowrap; } .source { color: #444; font-size: 0.9em; }
  figure { margin: 0.5rem 0; } figure svg { max-width: 100%; height: auto; } figcaption { color: #555; font-size: 0.9em; }
  ol.notes li { margin: 0.3rem 0; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; } .no-print { display: none; } }
</style></head>
<body>
<h1>Does it pay? ROI of ${esc(r.basis.store)}</h1>
<p class="meta">For ${esc(r.basis.label)}. Horizon ${r.horizonMonths} months, discount rate ${percent(r.assumptions.discountRate.value, 1)} a year, ${n} store${n === 1 ? '' : 's'}.${generated ? ` Generated ${esc(generated)}.` : ''}</p>
<p class="verdict" data-verdict>${esc(r.sentences.verdict)}</p>
<ul class="headline">${sentences.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>

<h2>One store</h2>
<table data-figures>
${row('Upfront (devices and project)', money(s.upfront, cur))}
${row('Running costs a month', `${money(s.costs.total, cur)} (software ${money(s.costs.software, cur)}, frames ${money(s.costs.frames, cur)}, tags ${money(s.costs.tags, cur)}, maintenance ${money(s.costs.maintenance, cur)}, incident labour ${money(s.costs.incidentLabour, cur)})`)}
${row('Benefits a month', `${money(s.benefits.total, cur)} (shrink avoided ${money(s.benefits.shrinkAvoided, cur)}, sales recovered ${money(s.benefits.salesRecovered, cur)}, counting saved ${money(s.benefits.countingSaved, cur)})`)}
${row('Net a month', money(s.monthlyNet, cur, true))}
${row(`TCO over ${r.horizonMonths} months`, `${money(s.tco.total, cur)} (discounted ${money(s.tco.discounted, cur)})`)}
${row('NPV', money(s.npv, cur, true))}
${row('IRR', s.irr ? `${percent(s.irr.annual, 1)} a year` : 'none (the flows never change sign)')}
${row('Payback', s.paybackMonths !== undefined ? months(s.paybackMonths) : `not within ${r.horizonMonths} months`)}
${row('Inventory record accuracy', `${percent(s.ira.before)} → ${percent(s.ira.after)}`)}
</table>

<h2>Rollout to ${n} store${n === 1 ? '' : 's'}</h2>
<table data-rollout>
<tr><th></th><th class="n">Min</th><th class="n">P10</th><th class="n">P50</th><th class="n">P90</th><th class="n">Max</th></tr>
<tr><th>NPV per store</th>${(['min', 'p10', 'p50', 'p90', 'max'] as const).map((k) => `<td class="n">${esc(money(ro.spread.npv[k], cur, true))}</td>`).join('')}</tr>
<tr><th>Payback per store</th>${(['min', 'p10', 'p50', 'p90', 'max'] as const).map((k) => `<td class="n">${esc(months(ro.spread.paybackMonths[k]))}</td>`).join('')}</tr>
</table>
<p>All ${n} together: upfront ${esc(money(ro.upfront, cur))}, NPV ${esc(money(ro.npv, cur, true))}, ${ro.irr ? `IRR ${percent(ro.irr.annual, 1)} a year, ` : ''}payback ${esc(ro.paybackMonths !== undefined ? months(ro.paybackMonths) : `not within ${r.horizonMonths} months`)}; ${ro.neverPayBack} store${ro.neverPayBack === 1 ? '' : 's'} do${ro.neverPayBack === 1 ? 'es' : ''} not pay back within the horizon.</p>

<h2>What moves the answer most</h2>
${charts.tornado ? `<figure>${charts.tornado}<figcaption>NPV of one store with each assumption at its low and its high, the others at their values (base ${esc(money(r.tornado.base, cur, true))}).</figcaption></figure>` : ''}
<table data-tornado>
<tr><th>Assumption</th><th class="n">Low → NPV</th><th class="n">High → NPV</th><th class="n">Swing</th></tr>
${r.tornado.bars.map((b) => `<tr><td>${esc(b.label)}</td><td class="n">${num(b.low)} → ${esc(money(b.npvAtLow, cur, true))}</td><td class="n">${num(b.high)} → ${esc(money(b.npvAtHigh, cur, true))}</td><td class="n">${esc(money(b.swing, cur))}</td></tr>`).join('\n')}
</table>

<h2>How sure: the Monte Carlo band</h2>
${charts.band ? `<figure>${charts.band}<figcaption>Cumulative discounted cash of one store, month by month: P10 to P90 of ${r.band.draws.toLocaleString('en-US')} draws (seed ${r.band.seed}), the median and the assumed values.</figcaption></figure>` : ''}
<table data-band>
<tr><th></th><th class="n">P10</th><th class="n">P50</th><th class="n">P90</th></tr>
<tr><th>NPV</th><td class="n">${esc(money(r.band.npv.p10, cur, true))}</td><td class="n">${esc(money(r.band.npv.p50, cur, true))}</td><td class="n">${esc(money(r.band.npv.p90, cur, true))}</td></tr>
<tr><th>Payback</th><td class="n">${esc(months(r.band.paybackMonths.p10))}</td><td class="n">${esc(months(r.band.paybackMonths.p50))}</td><td class="n">${esc(months(r.band.paybackMonths.p90))}</td></tr>
</table>
<p>NPV positive in ${percent(r.band.chancePositive)} of draws; no payback within the horizon in ${percent(r.band.neverPayBack)}.</p>

<h2>Devices</h2>
<p>${esc(r.basis.label)}. Bought and installed: ${esc(money(r.basis.devices.capex, cur))}. ${esc(r.sentences.detection)}</p>

<h2>Assumptions</h2>
<table data-assumptions>
<tr><th>Assumption</th><th class="n">Value</th><th class="n">Low</th><th class="n">High</th><th>Unit</th><th>Source</th></tr>
${ASSUMPTION_KEYS.map((k) => {
    const a = r.assumptions[k];
    const spec = ASSUMPTION_SPECS[k];
    return `<tr><td>${esc(spec.label)}</td><td class="n">${num(a.value)}</td><td class="n">${num(a.low)}</td><td class="n">${num(a.high)}</td><td>${esc(spec.unit)}</td><td class="source">${esc(a.source)}</td></tr>`;
  }).join('\n')}
</table>

<h2>Method</h2>
<ol class="notes">${METHOD_NOTES.map((x) => `<li>${esc(x)}</li>`).join('')}</ol>
</body></html>
`;
}
