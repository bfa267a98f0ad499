/**
 * The workbench's state in its address, so that a view can be shared: the layout, the
 * source to start, the time shown, the selection, the open tab, hidden panels and the theme.
 * Reading a hand-edited or old address never fails: what cannot be read is left at its
 * default and named in `ignored`, so the page can say so.
 *
 *   ?layout=scenarios/layouts/gm-large.layout.json&source=live&at=2026-11-22T22:00:00Z
 *   &select=slot:A-03-2&tab=inspector&hide=side,bottom&theme=light
 */

export type PickedKind = 'slot' | 'shelf' | 'zone' | 'door' | 'camera' | 'rfid' | 'badge' | 'device';
export const PICKED_KINDS: readonly PickedKind[] = ['slot', 'shelf', 'zone', 'door', 'camera', 'rfid', 'badge', 'device'];

/** A thing in the room the user can select. */
export interface Ref {
  readonly kind: PickedKind;
  readonly id: string;
}

/** Which source the page starts: live (the broker npm start serves or the remembered one), a shipped scenario, or none. */
export type StartSource = { readonly kind: 'live' } | { readonly kind: 'scenario'; readonly name: string } | { readonly kind: 'none' };

export type Panel = 'side' | 'bottom';
export const PANELS: readonly Panel[] = ['side', 'bottom'];

export type SideTab = 'source' | 'inspector' | 'incidents' | 'devices' | 'quarantine' | 'layout' | 'plan' | 'roi';
export const SIDE_TABS: readonly SideTab[] = ['source', 'inspector', 'incidents', 'devices', 'quarantine', 'layout', 'plan', 'roi'];

export type ThemeChoice = 'auto' | 'light' | 'dark';

export interface WorkbenchUrlState {
  /** Layout to open (a URL or path the page can fetch); undefined: the default. */
  readonly layout?: string;
  /** undefined: the default (live when npm start serves a broker, else none). */
  readonly source?: StartSource;
  /** The moment shown; null or undefined: live (the newest data). */
  readonly at?: number | null;
  readonly select?: Ref | null;
  /** The incident open in the Incidents tab. */
  readonly incident?: string | null;
  readonly tab?: SideTab;
  /** Panels the user hid. */
  readonly hide: readonly Panel[];
  readonly theme: ThemeChoice;
}

export const DEFAULT_URL_STATE: WorkbenchUrlState = { hide: [], theme: 'auto' };

/** The state an address says, and the parameters it could not read (name: why). */
export function parseWorkbenchUrl(search: string): { state: WorkbenchUrlState; ignored: string[] } {
  const p = new URLSearchParams(search);
  const ignored: string[] = [];
  const state: { -readonly [K in keyof WorkbenchUrlState]: WorkbenchUrlState[K] } = { hide: [], theme: 'auto' };
  const layout = p.get('layout');
  if (layout) state.layout = layout;

  const source = p.get('source');
  if (source !== null) {
    if (source === 'live' || source === 'none') state.source = { kind: source };
    else if (/^scenario:[A-Za-z0-9_.-]+$/.test(source)) state.source = { kind: 'scenario', name: source.slice('scenario:'.length) };
    else ignored.push(`source: "${source}" is not live, none or scenario:NAME`);
  }

  const at = p.get('at');
  if (at !== null && at !== 'live') {
    const t = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
    if (Number.isFinite(t)) state.at = t;
    else ignored.push(`at: "${at}" is not a time (ISO 8601 or epoch ms) or "live"`);
  } else if (at === 'live') state.at = null;

  const select = p.get('select');
  if (select !== null) {
    const ref = parseRef(select);
    if (ref) state.select = ref;
    else ignored.push(`select: "${select}" is not KIND:ID with KIND one of ${PICKED_KINDS.join(', ')}`);
  }

  const incident = p.get('incident');
  if (incident !== null) {
    if (/^\S{1,256}$/.test(incident)) state.incident = incident;
    else ignored.push(`incident: "${incident}" is not an incident id`);
  }

  const tab = p.get('tab');
  if (tab !== null) {
    if ((SIDE_TABS as readonly string[]).includes(tab)) state.tab = tab as SideTab;
    else ignored.push(`tab: "${tab}" is not one of ${SIDE_TABS.join(', ')}`);
  }

  const hide = p.get('hide');
  if (hide) {
    const panels = hide.split(',').filter((x) => x);
    const bad = panels.filter((x) => !(PANELS as readonly string[]).includes(x));
    if (bad.length) ignored.push(`hide: ${bad.map((b) => `"${b}"`).join(', ')} not a panel (${PANELS.join(', ')})`);
    state.hide = PANELS.filter((x) => panels.includes(x));
  }

  const theme = p.get('theme');
  if (theme !== null) {
    if (theme === 'auto' || theme === 'light' || theme === 'dark') state.theme = theme;
    else ignored.push(`theme: "${theme}" is not auto, light or dark`);
  }
  return { state, ignored };
}

/** The address's query for a state (defaults left out, so a plain view has a plain address). */
export function formatWorkbenchUrl(state: WorkbenchUrlState): string {
  const p = new URLSearchParams();
  if (state.layout) p.set('layout', state.layout);
  if (state.source) p.set('source', state.source.kind === 'scenario' ? `scenario:${state.source.name}` : state.source.kind);
  if (typeof state.at === 'number' && Number.isFinite(state.at)) p.set('at', new Date(state.at).toISOString());
  if (state.select) p.set('select', `${state.select.kind}:${state.select.id}`);
  if (state.incident) p.set('incident', state.incident);
  if (state.tab) p.set('tab', state.tab);
  if (state.hide.length) p.set('hide', PANELS.filter((x) => state.hide.includes(x)).join(','));
  if (state.theme !== 'auto') p.set('theme', state.theme);
  const q = p.toString().replace(/%3A/g, ':').replace(/%2F/g, '/').replace(/%2C/g, ',');
  return q ? `?${q}` : '';
}

export function parseRef(text: string): Ref | undefined {
  const i = text.indexOf(':');
  if (i <= 0) return undefined;
  const kind = text.slice(0, i);
  const id = text.slice(i + 1);
  if (!(PICKED_KINDS as readonly string[]).includes(kind) || !/^\S{1,128}$/.test(id)) return undefined;
  return { kind: kind as PickedKind, id };
}

export function sameRef(a: Ref | null | undefined, b: Ref | null | undefined): boolean {
  return (!a && !b) || (!!a && !!b && a.kind === b.kind && a.id === b.id);
}
