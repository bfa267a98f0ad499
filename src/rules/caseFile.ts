/**
 * An incident's case file, for handing to loss prevention or the police: the incident, its
 * alerts and its chain of custody (custody.ts) as a stable JSON object (schema version 1),
 * and as a printable page, a self-contained HTML string with inline CSS and nothing loaded
 * from elsewhere. Every text that came from data (badge ids, titles, notes) is escaped.
 * The nearest stored camera frame of each camera (custody's `nearestFrame`) is in both: its
 * JPEG as base64 in the JSON, and inline as a data: URL in the page.
 * Pure: no DOM.
 */
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { Alert, Incident, Place } from './Incident';
import { localTime, type Custody, type CustodyCamera, type CustodyFrame, type CustodyPerson } from './custody';

export const CASE_FILE_SCHEMA = 'backroom-twin/case-file';
export const CASE_FILE_VERSION = 1;

export interface CaseFileOptions {
  /** When the file was made (epoch ms); left out (null) by default so the same incident gives the same file. */
  exportedAt?: number;
}

/** A place with every part present: null where unknown. */
export interface CaseFilePlace {
  readonly slot: string | null;
  readonly shelf: string | null;
  readonly zone: string | null;
  readonly door: string | null;
  readonly device: string | null;
}

export interface CaseFileAlert {
  readonly id: string;
  readonly rule: string;
  readonly severity: string;
  readonly from: number;
  readonly to: number;
  readonly detectedAt: number;
  readonly fromLocal: string;
  readonly place: CaseFilePlace;
  readonly sku: string | null;
  readonly units: number | null;
  readonly badges: readonly string[];
  readonly text: string;
  readonly ref: string | null;
}

/** The case file as JSON: plain data, no undefined (absent is null), keys in a fixed order. */
export interface CaseFile {
  readonly schema: typeof CASE_FILE_SCHEMA;
  readonly version: typeof CASE_FILE_VERSION;
  readonly store: string;
  readonly storeName: string;
  readonly timezone: string;
  readonly exportedAt: number | null;
  readonly incident: {
    readonly id: string;
    readonly kind: string;
    readonly severity: string;
    readonly status: string;
    readonly title: string;
    readonly from: number;
    readonly to: number;
    readonly detectedAt: number;
    readonly place: CaseFilePlace;
    readonly sku: string | null;
    readonly units: number | null;
    readonly badges: readonly string[];
    readonly acknowledgedAt: number | null;
    readonly resolvedAt: number | null;
    readonly outcome: string | null;
    readonly note: string | null;
    readonly alerts: readonly CaseFileAlert[];
  };
  readonly custody: Custody;
}

const place = (p: Place): CaseFilePlace => ({
  slot: p.slot ?? null,
  shelf: p.shelf ?? null,
  zone: p.zone ?? null,
  door: p.door ?? null,
  device: p.device ?? null,
});

function alertJson(a: Alert, tz: string): CaseFileAlert {
  return {
    id: a.id,
    rule: a.rule,
    severity: a.severity,
    from: a.from,
    to: a.to,
    detectedAt: a.detectedAt,
    fromLocal: localTime(a.from, tz),
    place: place(a.place),
    sku: a.sku ?? null,
    units: a.units ?? null,
    badges: [...(a.badges ?? [])],
    text: a.text,
    ref: a.ref ?? null,
  };
}

/** The case file of an incident and its custody, as a JSON-ready object (JSON.parse(JSON.stringify(x)) equals x). */
export function caseFileJson(incident: Incident, custody: Custody, layout: LayoutIndex, opts: CaseFileOptions = {}): CaseFile {
  const tz = layout.layout.timezone;
  return {
    schema: CASE_FILE_SCHEMA,
    version: CASE_FILE_VERSION,
    store: layout.store,
    storeName: layout.layout.name,
    timezone: tz,
    exportedAt: opts.exportedAt ?? null,
    incident: {
      id: incident.id,
      kind: incident.kind,
      severity: incident.severity,
      status: incident.status,
      title: incident.title,
      from: incident.from,
      to: incident.to,
      detectedAt: incident.detectedAt,
      place: place(incident.place),
      sku: incident.sku ?? null,
      units: incident.units ?? null,
      badges: [...incident.badges],
      acknowledgedAt: incident.acknowledgedAt ?? null,
      resolvedAt: incident.resolvedAt ?? null,
      outcome: incident.outcome ?? null,
      note: incident.note ?? null,
      alerts: incident.alerts.map((a) => alertJson(a, tz)),
    },
    // Custody is plain data built in a fixed order; the round trip drops its absent optional keys.
    custody: JSON.parse(JSON.stringify(custody)) as Custody,
  };
}

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const e = escapeHtml;
const money = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const orDash = (x: unknown) => (x === null || x === undefined || x === '' ? '—' : e(x));

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function offset(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  return `${sign}${duration(Math.abs(ms))}`;
}

const row = (cells: readonly string[], tag = 'td') => `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
const table = (head: readonly string[], rows: readonly (readonly string[])[], empty: string) =>
  rows.length
    ? `<table><thead>${row(head.map(e), 'th')}</thead><tbody>${rows.map((r) => row(r)).join('')}</tbody></table>`
    : `<p class="empty">${e(empty)}</p>`;
const pairs = (xs: readonly [string, string][]) => `<table class="pairs"><tbody>${xs.map(([k, v]) => `<tr><th>${e(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;

function whoRows(who: readonly CustodyPerson[]): string[][] {
  return who.map((p) => [
    `<span class="mono">${e(p.badge)}</span>${p.own ? ' <span class="tag">named</span>' : ''}`,
    e(p.role),
    p.presentAtFrom ? `since ${e(p.presentAtFrom.sinceLocal)} via ${e(p.presentAtFrom.door)}` : 'no',
    p.swipes.length
      ? p.swipes
          .map((s) => `${e(s.local)} ${e(s.door)}${s.doorKind ? ` (${e(s.doorKind)})` : ''} ${s.granted ? 'granted' : '<strong>refused</strong>'}${s.inWindow ? '' : ' <span class="dim">(margin)</span>'}`)
          .join('<br>')
      : '—',
  ]);
}

/** A frame's time as the camera or the twin stamped it. */
const frameClock = (f: CustodyFrame) => (f.tsSource === 'property' ? "camera's clock" : 'arrival time');

/** The frame inline as a data: URL; a JPEG's base64 holds only [A-Za-z0-9+/=], escaped all the same. */
export function frameDataUrl(f: CustodyFrame): string {
  return `data:image/jpeg;base64,${f.jpegBase64}`;
}

function frameFigures(cams: readonly CustodyCamera[]): string {
  const shown = cams.filter((c) => c.nearestFrame);
  if (!shown.length) return '<p class="empty">No camera frame is stored for this span: open each camera at its bookmark.</p>';
  return shown
    .map((c) => {
      const f = c.nearestFrame!;
      const caption = `${e(c.camera)} · ${e(f.local)} (${e(offset(f.offsetMs))} from the bookmark, ${e(frameClock(f))}) · ${Math.max(1, Math.round(f.bytes / 1024))} KB`;
      return `<figure class="frame"><img src="${e(frameDataUrl(f))}" alt="${e(`Camera ${c.camera} at ${f.local}`)}"><figcaption><span class="mono">${caption}</span></figcaption></figure>`;
    })
    .join('');
}

function cameraRows(cams: readonly CustodyCamera[]): string[][] {
  return cams.map((c) => {
    const d = c.nearestDetection;
    const f = c.nearestFrame;
    return [
      `<span class="mono">${e(c.camera)}</span>`,
      `${Math.round(c.u)}, ${Math.round(c.v)}`,
      `${c.distance.toFixed(1)} m`,
      `${Math.round(c.pixelsPerMetre)}`,
      c.occluded ? `<strong>blocked</strong> by ${e(c.occluder ?? '?')}` : 'clear',
      e(c.bookmarkLocal),
      d
        ? `${e(d.label)} ${d.score.toFixed(2)} at ${e(d.local)} (${e(offset(d.offsetMs))})${d.atTarget ? ', on the place' : ''}; ${c.detections} in span`
        : 'none in span',
      f ? `${e(f.local)} (${e(offset(f.offsetMs))}), shown below; ${c.frames} in span` : 'none stored',
    ];
  });
}

const CSS = `
*{box-sizing:border-box}
body{font:11pt/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;margin:24px auto;max-width:960px;padding:0 16px}
h1{font-size:18pt;margin:0 0 4px}
h2{font-size:13pt;margin:20px 0 6px;border-bottom:1px solid #999;padding-bottom:2px}
h3{font-size:11pt;margin:10px 0 4px}
.meta{color:#444;margin:0 0 12px}
table{border-collapse:collapse;width:100%;margin:4px 0}
th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eee}
.pairs th{width:28%}
.mono{font-family:ui-monospace,Menlo,Consolas,monospace}
.tag{border:1px solid #555;border-radius:3px;padding:0 3px;font-size:9pt}
.dim,.empty{color:#666}
.sev-critical{color:#a00}.sev-warning{color:#a60}
ol{padding-left:20px}
footer{margin-top:24px;color:#666;font-size:9pt}
.frame{display:inline-block;margin:6px 10px 6px 0;vertical-align:top;max-width:100%}
.frame img{display:block;width:400px;max-width:100%;height:auto;border:1px solid #bbb}
.frame figcaption{font-size:9pt;color:#444;margin-top:2px}
@media print{
  @page{margin:15mm}
  body{margin:0;max-width:none;padding:0;font-size:10pt}
  section{break-inside:avoid}
  .frame{break-inside:avoid}
  thead{display:table-header-group}
  tr{break-inside:avoid}
  th{background:#eee!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
}`;

/** The case file as a printable, self-contained HTML page. */
export function caseFileHtml(incident: Incident, custody: Custody, layout: LayoutIndex, opts: CaseFileOptions = {}): string {
  const f = caseFileJson(incident, custody, layout, opts);
  const tz = f.timezone;
  const { who, what, when, where, cameras } = f.custody;
  const i = f.incident;
  const placeText = [
    where.slot && `slot ${where.slot.id}`,
    where.shelf && `shelf ${where.shelf.id}`,
    where.zone && `zone ${where.zone.id} (${where.zone.kind})`,
    where.door && `door ${where.door.id} (${where.door.kind})`,
    !where.slot && !where.door && where.device && `device ${where.device.id}`,
  ].filter(Boolean).join(', ') || 'unknown';
  const stock = what.sku ? `${what.units ?? '?'} × ${what.name ?? what.sku}${what.valueAtPrice !== null ? ` (${money(what.valueAtPrice)} at price)` : ''}` : '—';
  const clear = cameras.filter((c) => !c.occluded).length;

  const summary = pairs([
    ['What happened', e(i.title)],
    ['Rule', e(i.kind)],
    ['Severity', `<span class="sev-${e(i.severity)}">${e(i.severity)}</span>`],
    ['Status', `${e(i.status)}${i.outcome ? ` — ${e(i.outcome)}` : ''}`],
    ['When', `${e(when.fromLocal)} to ${e(when.toLocal)} (${e(duration(when.durationMs))})`],
    ['Where', e(placeText)],
    ['Stock', e(stock)],
    ['People', `${who.length} badge${who.length === 1 ? '' : 's'}${who.some((p) => p.own) ? `, named: ${who.filter((p) => p.own).map((p) => `<span class="mono">${e(p.badge)}</span>`).join(', ')}` : ''}`],
    ['Cameras', `${cameras.length} camera${cameras.length === 1 ? ' sees' : 's see'} the place, ${clear} with a clear view`],
    ...(i.note !== null ? ([['Note', e(i.note)]] as [string, string][]) : []),
  ]);

  const whatTable = pairs([
    ['SKU', `${orDash(what.sku)}${what.planned ? ' <span class="dim">(planned for the slot)</span>' : ''}`],
    ['Name', orDash(what.name)],
    ['High value', what.highValue ? 'yes' : 'no'],
    ['Units', orDash(what.units)],
    ['Unit cost', money(what.unitCost)],
    ['Unit price', money(what.unitPrice)],
    ['Value at cost', money(what.valueAtCost)],
    ['Value at price', money(what.valueAtPrice)],
  ]);

  const whenTable = pairs([
    ['From', `${e(when.fromLocal)} <span class="dim">${e(when.fromUtc)}</span>`],
    ['To', `${e(when.toLocal)} <span class="dim">${e(when.toUtc)}</span>`],
    ['Duration', e(duration(when.durationMs))],
    ['Detected', e(when.detectedLocal)],
    ['Time zone', e(when.timezone)],
    ['Searched', `${e(localTime(when.searchedFrom, tz))} to ${e(localTime(when.searchedTo, tz))}`],
  ]);

  const whereTable = pairs([
    ['Slot', where.slot ? `${e(where.slot.id)} (level ${where.slot.level}, position ${where.slot.index}, planned ${e(where.slot.plannedSku)})` : '—'],
    ['Shelf', where.shelf ? e(where.shelf.id) : '—'],
    ['Zone', where.zone ? `${e(where.zone.id)} (${e(where.zone.kind)}${where.zone.restricted ? `, restricted to ${e(where.zone.roles.join(', ') || 'nobody')}` : ''})` : '—'],
    ['Door', where.door ? `${e(where.door.id)} (${e(where.door.kind)})` : '—'],
    ['Device', where.device ? `${e(where.device.id)}${where.device.kinds.length ? ` (${e(where.device.kinds.join(', '))})` : ''}` : '—'],
    ['Watched point', where.point ? `${e(where.watched)} at ${where.point.map((x) => x.toFixed(2)).join(', ')} m` : '—'],
  ]);

  const alerts = i.alerts.length
    ? `<ol>${i.alerts.map((a) => `<li>${e(a.fromLocal)} — <span class="sev-${e(a.severity)}">${e(a.severity)}</span> ${e(a.rule)}: ${e(a.text)}${a.ref ? ` <span class="dim">(ref ${e(a.ref)})</span>` : ''}</li>`).join('')}</ol>`
    : '<p class="empty">No alerts.</p>';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Case file ${e(i.id)}: ${e(i.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Case file: ${e(i.title)}</h1>
<p class="meta">${e(f.storeName)} (<span class="mono">${e(f.store)}</span>) · incident <span class="mono">${e(i.id)}</span>${f.exportedAt !== null ? ` · exported ${e(localTime(f.exportedAt, tz))}` : ''}</p>
</header>
<section><h2>Summary</h2>${summary}</section>
<section><h2>Who</h2>${table(['Badge', 'Role', 'In the room at the start', 'Swipes around the window'], whoRows(who), 'No badges in the room or at the doors.')}</section>
<section><h2>What</h2>${whatTable}</section>
<section><h2>When</h2>${whenTable}</section>
<section><h2>Where</h2>${whereTable}</section>
<section><h2>Cameras</h2>${table(['Camera', 'Pixel', 'Distance', 'Px/m', 'View', 'Bookmark', 'Nearest detection', 'Nearest frame'], cameraRows(cameras), 'No camera sees this place.')}${cameras.length ? `<h3>Nearest frames</h3>${frameFigures(cameras)}` : ''}</section>
<section><h2>Alerts</h2>${alerts}</section>
<footer>Backroom Twin case file, schema ${e(f.schema)} version ${f.version}. Times are ${e(tz)} wall-clock with their UTC offset. Beyond the nearest stored frame of each camera, camera footage is not part of this file: open each camera at its bookmark.</footer>
</body>
</html>
`;
}
