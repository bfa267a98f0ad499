/**
 * The chain of custody of an incident as the Incidents tab shows it (who, what, when, where,
 * the cameras with their bookmarks and a thumbnail of each one's nearest stored frame), and
 * its case file, JSON or a printable page, from src/rules/custody.ts and caseFile.ts over
 * the page's event store.
 */
import { html } from 'lit';
import type { BrowserEventStore } from '../analytics/BrowserEventStore';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { caseFileHtml, caseFileJson, frameDataUrl } from '../rules/caseFile';
import { custodyOf, type Custody, type CustodyCamera } from '../rules/custody';
import type { Incident } from '../rules/Incident';
import type { CustodyView } from './IncidentsController';

/** A camera's nearest stored frame as a thumbnail with its time; nothing when none is stored. */
function frameThumb(cam: CustodyCamera) {
  const f = cam.nearestFrame;
  if (!f) return html` · <span class="muted">no frame stored</span>`;
  const offset = Math.round(f.offsetMs / 1000);
  return html`<figure class="custody-frame" data-custody-frame=${cam.camera} style="margin:4px 0">
    <img src=${frameDataUrl(f)} alt=${`Camera ${cam.camera} at ${f.local}`} width="160" style="display:block;max-width:100%;height:auto" loading="lazy" />
    <figcaption class="muted">${cam.camera} at ${f.local.slice(11, 19)} (${offset >= 0 ? '+' : '−'}${Math.abs(offset)} s${f.tsSource === 'arrival' ? ', arrival time' : ''})</figcaption>
  </figure>`;
}

const money = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

export function custodyView(store: BrowserEventStore, layout: LayoutIndex): CustodyView {
  const q = (sql: string) => store.query(sql);
  const cache = new Map<string, Promise<Custody>>();
  const custody = (i: Incident) => {
    const key = `${i.id}|${i.to}|${i.status}`;
    let c = cache.get(key);
    if (!c) cache.set(key, (c = custodyOf(q, layout, i)));
    return c;
  };
  return {
    async render(i) {
      const c = await custody(i);
      return html`<section class="custody" data-custody=${i.id}>
        <h2>Chain of custody</h2>
        <dl>
          <dt>Who</dt>
          <dd data-custody-part="who">${c.who.length
            ? c.who.map(
                (p) => html`<div>${p.own ? html`<b>${p.badge}</b>` : p.badge} <span class="muted">${p.role}</span>${p.presentAtFrom ? html` · in since ${p.presentAtFrom.sinceLocal} (${p.presentAtFrom.door})` : ''}${p.swipes.length ? html` · ${p.swipes.length} swipe${p.swipes.length === 1 ? '' : 's'}: ${p.swipes.map((s) => `${s.local.slice(11, 16)} ${s.door}${s.granted ? '' : ' refused'}`).join(', ')}` : ''}</div>`,
              )
            : 'nobody badged in the room or at a door then'}</dd>
          <dt>What</dt>
          <dd data-custody-part="what">${c.what.sku ? html`${c.what.units ?? '?'} × ${c.what.sku}${c.what.name ? ` (${c.what.name})` : ''}${c.what.highValue ? ' · high value' : ''} · cost ${money(c.what.valueAtCost)}, retail ${money(c.what.valueAtPrice)}` : 'no SKU'}</dd>
          <dt>When</dt>
          <dd data-custody-part="when">${c.when.fromLocal}${c.when.to !== c.when.from ? ` to ${c.when.toLocal}` : ''}</dd>
          <dt>Where</dt>
          <dd data-custody-part="where">${[c.where.slot ? `slot ${c.where.slot.id}` : '', c.where.shelf ? `shelf ${c.where.shelf.id}` : '', c.where.zone ? `zone ${c.where.zone.id} (${c.where.zone.kind}${c.where.zone.restricted ? ', restricted' : ''})` : '', c.where.door ? `door ${c.where.door.id}` : ''].filter(Boolean).join(', ') || '—'}</dd>
          <dt>Cameras</dt>
          <dd data-custody-part="cameras">${c.cameras.length
            ? c.cameras.map(
                (cam) => html`<div>${cam.camera}${cam.occluded ? html` <span class="muted">(view blocked by ${cam.occluder ?? 'something'})</span>` : html` · ${Math.round(cam.pixelsPerMetre)} px/m`} · bookmark ${cam.bookmarkLocal.slice(11, 19)}${cam.nearestDetection ? html` · nearest detection ${cam.nearestDetection.label} at ${cam.nearestDetection.local.slice(11, 19)}` : ''}${frameThumb(cam)}</div>`,
              )
            : 'no camera sees this place'}</dd>
        </dl>
      </section>`;
    },
    async caseFile(i, format) {
      const c = await custody(i);
      const base = `${layout.store}-incident-${i.id.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 80)}`;
      return format === 'json'
        ? { name: `${base}.json`, type: 'application/json', text: `${JSON.stringify(caseFileJson(i, c, layout, { exportedAt: Date.now() }), null, 2)}\n` }
        : { name: `${base}.html`, type: 'text/html', text: caseFileHtml(i, c, layout, { exportedAt: Date.now() }) };
    },
  };
}
