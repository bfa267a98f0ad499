/**
 * What the cameras saw, in the workbench: a selected camera's latest stored frame at the time
 * shown (the slots the shelf CNN judges on it outlined), a selected slot's latest verdict of
 * the CNN with its crop beside what the load cell says, and, when asked, the frame as a
 * picture in a corner of the 3D view.
 *
 * A controller of the shell: when the selection or the time shown changes it asks the event
 * store (src/analytics/history/visionAt.ts: one query for the frame, which reads the bytes of
 * that frame only; one for the verdict), the newest request winning while the user scrubs,
 * and renders what the inspector and the view show. Nothing here is queried while the store
 * is closed (nothing ingested yet).
 */
import { css, html, nothing, svg, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { fillClass } from '../../sim/render/frameTruth';
import type { BrowserEventStore } from '../analytics/BrowserEventStore';
import { latestFrame, latestSighting, type StoredFrame, type StoredSighting } from '../analytics/history/visionAt';
import { slotsInView, type JudgedSlot } from '../inference/slotsInView';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { LatestOnly } from './LatestOnly';
import type { Ref } from './workbenchUrl';

/** What the controller needs of the shell. */
export interface VisionHost extends ReactiveControllerHost {
  readonly selection: Ref | null;
  readonly layout: LayoutIndex | undefined;
  select(ref: Ref | null): void;
}

/** What it needs of the time shown (TimeController has it). */
export interface VisionTime {
  /** The moment shown; null: live. */
  readonly at: number | null;
  /** The stored history's span; its end moves as data comes in. */
  readonly span: { readonly from: number; readonly to: number } | null;
  format(t: number): string;
}

/** What a selection shows: a camera's frame or a slot's verdict, as of `at`. */
type Shown =
  | { readonly kind: 'camera'; readonly id: string; readonly at: number | null; readonly frame: StoredFrame | null; readonly url?: string; readonly size?: { w: number; h: number } }
  | { readonly kind: 'slot'; readonly id: string; readonly at: number | null; readonly sighting: StoredSighting | null; readonly cropUrl?: string };

interface Request {
  readonly kind: 'camera' | 'slot';
  readonly id: string;
  readonly at: number | null;
  readonly layout: LayoutIndex;
}

export class VisionController implements ReactiveController {
  /** Whether the selected camera's frame is also drawn in a corner of the 3D view. */
  showInView = false;
  /** Whether the slots the CNN judges are outlined on the frame. */
  outline = true;
  private shown: Shown | undefined;
  /** What was last asked for: kind:id@time (the span's end when live). */
  private asked: string | null = null;
  private askedLayout: LayoutIndex | undefined;
  /** The template last made, and for what; remade when either changes. */
  private made: { shown: Shown | undefined; key: string; outline: boolean; showInView: boolean; template: TemplateResult | typeof nothing } | undefined;
  private readonly judged = new Map<string, readonly JudgedSlot[]>();
  private judgedLayout: LayoutIndex | undefined;
  private readonly loads = new LatestOnly<Request, Shown>(
    (r) => this.load(r),
    (shown) => {
      this.shown = shown;
      this.host.requestUpdate();
    },
    () => {
      // A failed query shows as nothing stored; the timeline reports the store's faults.
      this.shown = undefined;
      this.host.requestUpdate();
    },
  );

  constructor(
    private readonly host: VisionHost,
    private readonly store: BrowserEventStore,
    private readonly time: VisionTime,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.loads.cancel();
  }

  hostUpdated(): void {
    const target = this.target();
    const layout = this.host.layout;
    const at = this.time.at;
    const key = target && layout ? `${target.kind}:${target.id}@${at ?? `live:${this.time.span?.to ?? ''}`}` : null;
    if (key === this.asked && layout === this.askedLayout) return;
    this.asked = key;
    this.askedLayout = layout;
    if (!target || !layout) {
      this.loads.cancel();
      this.shown = undefined;
      return;
    }
    // Nothing stored yet: opening DuckDB only to find nothing costs seconds.
    if (this.store.status().state === 'closed') {
      this.shown = target.kind === 'camera' ? { kind: 'camera', id: target.id, at, frame: null } : { kind: 'slot', id: target.id, at, sighting: null };
      this.host.requestUpdate();
      return;
    }
    this.loads.request({ ...target, at, layout });
  }

  /** New verdicts were stored: a slot on show asks again (the pool may finish after the data's last change). */
  sightingsAdded(): void {
    if (this.target()?.kind !== 'slot') return;
    this.asked = null;
    this.host.requestUpdate();
  }

  /** The camera or slot selected, if it is one (a camera picked in the Devices tab counts). */
  private target(): { kind: 'camera' | 'slot'; id: string } | undefined {
    const sel = this.host.selection;
    if (!sel) return undefined;
    if (sel.kind === 'camera' || sel.kind === 'slot') return { kind: sel.kind, id: sel.id };
    if (sel.kind === 'device' && this.host.layout?.cameras.has(sel.id)) return { kind: 'camera', id: sel.id };
    return undefined;
  }

  private async load(r: Request): Promise<Shown> {
    const q = (sql: string) => this.store.query(sql);
    if (r.kind === 'camera') {
      const frame = await latestFrame(q, r.layout.store, r.id, r.at);
      if (!frame) return { kind: 'camera', id: r.id, at: r.at, frame };
      const size = jpegSize(frame.jpeg);
      return { kind: 'camera', id: r.id, at: r.at, frame, url: `data:image/jpeg;base64,${base64(frame.jpeg)}`, ...(size ? { size } : {}) };
    }
    const sighting = await latestSighting(q, r.layout.store, r.id, r.at);
    const cropUrl = sighting ? cropDataUrl(sighting.crop, sighting.cropWidth) : undefined;
    return { kind: 'slot', id: r.id, at: r.at, sighting, ...(cropUrl ? { cropUrl } : {}) };
  }

  /** The shown state if it is the current selection's. */
  private current(): Shown | undefined {
    const t = this.target();
    const s = this.shown;
    return t && s && s.kind === t.kind && s.id === t.id ? s : undefined;
  }

  /** The inspector's section for the selection (the same object until something it shows changes). */
  renderInspector(): TemplateResult | typeof nothing {
    const shown = this.current();
    const key = `${this.host.selection?.kind}:${this.host.selection?.id}`;
    const m = this.made;
    if (m && m.shown === shown && m.key === key && m.outline === this.outline && m.showInView === this.showInView) return m.template;
    const template = !shown ? nothing : shown.kind === 'camera' ? this.cameraSection(shown) : this.slotSection(shown);
    this.made = { shown, key, outline: this.outline, showInView: this.showInView, template };
    return template;
  }

  private cameraSection(s: Extract<Shown, { kind: 'camera' }>): TemplateResult {
    const f = s.frame;
    if (!f || !s.url) {
      return html`<section class="vision" data-vision="camera"><h3>Latest frame</h3><p class="empty" data-vision-none>No frame stored yet${s.at !== null ? ' at the time shown' : ''}.</p></section>`;
    }
    const slots = this.outline && s.size ? this.judgedSlots(s.id, s.size) : [];
    return html`<section class="vision" data-vision="camera">
      <h3>Latest frame</h3>
      <figure class="frame" data-vision-frame=${s.id}>
        <div class="frame-box">
          <img src=${s.url} alt=${`Camera ${s.id} at ${this.time.format(f.ts)}`} />
          ${slots.length && s.size
            ? html`<svg viewBox="0 0 ${s.size.w} ${s.size.h}" preserveAspectRatio="none" aria-label="Slots the shelf CNN judges on this frame">
                ${slots.map(
                  (j) => svg`<polygon points=${j.quad.map((p) => `${p[0]},${p[1]}`).join(' ')} data-vision-slot=${j.slot}
                    @click=${() => this.host.select({ kind: 'slot', id: j.slot })}><title>${j.slot} (${j.plannedSku}): select it</title></polygon>`,
                )}
              </svg>`
            : nothing}
        </div>
        <figcaption data-vision-when>${this.when(f.ts, s.at)}${f.tsSource === 'arrival' ? ' (time of arrival: the camera sent none)' : ''}</figcaption>
      </figure>
      <div class="vision-options">
        <label><input type="checkbox" data-vision-show-in-view .checked=${this.showInView} @change=${(e: Event) => this.setShowInView((e.target as HTMLInputElement).checked)} /> Show in the 3D view</label>
        ${s.size ? html`<label><input type="checkbox" data-vision-outline .checked=${this.outline} @change=${(e: Event) => this.setOutline((e.target as HTMLInputElement).checked)} /> Outline the slots it judges${this.outline ? ` (${slots.length})` : ''}</label>` : nothing}
      </div>
    </section>`;
  }

  private slotSection(s: Extract<Shown, { kind: 'slot' }>): TemplateResult {
    const v = s.sighting;
    if (!v) {
      return html`<section class="vision" data-vision="slot"><h3>What the cameras saw</h3><p class="empty" data-vision-none>No camera verdict stored yet${s.at !== null ? ' at the time shown' : ''}.</p></section>`;
    }
    const slot = this.host.layout?.slots.get(s.id);
    const cell = v.units === null || !slot ? null : fillClass(v.units, slot.capacity);
    const pct = (p: number) => `${Math.round(p * 100)} %`;
    return html`<section class="vision" data-vision="slot">
      <h3>What the cameras saw</h3>
      <div class="sighting" data-vision-sighting=${s.id}>
        ${s.cropUrl ? html`<img class="crop" src=${s.cropUrl} width=${cropBox(v).width} height=${cropBox(v).height} alt=${`What ${v.camera} saw of ${s.id} (its front face straightened, as the CNN took it)`} />` : nothing}
        <div>
          <div data-vision-verdict><b>${v.fill}</b> (${pct(v.fillProb)}) · ${v.match ? html`matches ${v.plannedSku} (${pct(v.matchProb)})` : html`<b>another product?</b> (${pct(v.matchProb)} that it is ${v.plannedSku})`}</div>
          <div class="seen">by <button class="ref" title="Select camera ${v.camera}" @click=${() => this.host.select({ kind: 'camera', id: v.camera })}>${v.camera}</button> ${this.when(v.ts, s.at)}</div>
        </div>
      </div>
      <dl>
        <dt>Load cell then</dt>
        <dd data-vision-cell>${v.units === null || !slot ? 'no reading yet' : html`${v.units} of ${slot.capacity} → ${cell}${cell === v.fill ? ' (agrees)' : html` <b>(differs)</b>`}`}</dd>
      </dl>
    </section>`;
  }

  /** "Mon 16 Nov 14:20, 5 min before the time shown". */
  private when(ts: number, at: number | null): string {
    const ref = at ?? this.time.span?.to ?? null;
    const age = ref === null ? '' : `, ${ageText(ref - ts)} before ${at === null ? 'the newest data' : 'the time shown'}`;
    return `${this.time.format(ts)}${ref !== null && ref - ts < 1000 ? `, at ${at === null ? 'the newest data' : 'the time shown'}` : age}`;
  }

  /** The 3D view's picture of the selected camera's frame, in the bottom-left corner (the rendered inset has the right). */
  renderInView(): TemplateResult | typeof nothing {
    const s = this.current();
    if (!this.showInView || s?.kind !== 'camera' || !s.frame || !s.url) return nothing;
    return html`<figure class="vision-in-view" data-vision-in-view=${s.id}>
      <figcaption>${s.id}: latest frame, ${this.time.format(s.frame.ts)}<button title="Hide the frame" aria-label="Hide the frame" @click=${() => this.setShowInView(false)}>×</button></figcaption>
      <img src=${s.url} alt=${`Camera ${s.id}'s latest frame`} />
    </figure>`;
  }

  private setShowInView(on: boolean): void {
    this.showInView = on;
    this.host.requestUpdate();
  }

  private setOutline(on: boolean): void {
    this.outline = on;
    this.host.requestUpdate();
  }

  /** The slots the CNN judges on this camera's frames of this size (the layout's geometry; cached). */
  private judgedSlots(camera: string, size: { w: number; h: number }): readonly JudgedSlot[] {
    const layout = this.host.layout;
    if (!layout) return [];
    if (layout !== this.judgedLayout) {
      this.judged.clear();
      this.judgedLayout = layout;
    }
    const key = `${camera}@${size.w}x${size.h}`;
    let j = this.judged.get(key);
    if (!j) {
      try {
        j = slotsInView(layout, camera, size.w, size.h);
      } catch {
        j = []; // a camera the layout no longer has
      }
      this.judged.set(key, j);
    }
    return j;
  }
}

/** The 3D view's picture (the shell's styles). */
export const visionInViewStyles = css`
  .vision-in-view { position: absolute; left: 12px; bottom: 12px; margin: 0; width: min(38%, 480px); max-height: 45%; display: flex; flex-direction: column; gap: 4px; pointer-events: none; }
  .vision-in-view img { display: block; width: 100%; height: auto; min-height: 0; object-fit: contain; object-position: left bottom; border: 2px solid #fff; box-sizing: border-box; }
  .vision-in-view figcaption { align-self: flex-start; padding: 1px 6px; border-radius: 3px; font: 12px/1.4 system-ui, sans-serif; color: #f4f6f8; background: rgb(20 24 30 / 0.8); pointer-events: auto; }
  .vision-in-view button { border: none; padding: 0 0 0 6px; color: inherit; font: inherit; cursor: pointer; background: none; }
`;

/** "40 s", "5 min", "2 h 10 min", "3 days". */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

/** A JPEG's size from its start-of-frame marker; undefined when the bytes have none. */
export function jpegSize(b: Uint8Array): { w: number; h: number } | undefined {
  if (b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 8 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const h = (b[i + 5]! << 8) | b[i + 6]!;
      const w = (b[i + 7]! << 8) | b[i + 8]!;
      return w > 0 && h > 0 ? { w, h } : undefined;
    }
    i += 2 + len;
  }
  return undefined;
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The crop drawn as large as fits 128 x 64 px, its pixels square (64 x 16: 128 x 32). */
function cropBox(v: { readonly crop: Uint8Array; readonly cropWidth: number }): { width: number; height: number } {
  const h = v.crop.length / 4 / v.cropWidth;
  const scale = Math.min(128 / v.cropWidth, 64 / h);
  return { width: Math.round(v.cropWidth * scale), height: Math.round(h * scale) };
}

/** An RGBA crop `width` pixels wide as a PNG data URL; undefined when the bytes are not one. */
function cropDataUrl(crop: Uint8Array, width: number): string | undefined {
  const height = width > 0 ? crop.length / 4 / width : 0;
  if (!Number.isInteger(height) || height === 0) return undefined;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  ctx.putImageData(new ImageData(Uint8ClampedArray.from(crop), width, height), 0, 0);
  return canvas.toDataURL('image/png');
}
