/**
 * The placement planner: which cameras, smart shelves and RFID antennas to add (or, from
 * scratch, to install) under a budget so that weighted coverage is largest, and why each was
 * chosen. Candidates: camera poses on the walls and ceiling (candidates.ts), every shelf not
 * yet smart, every zone without an antenna. Lazy greedy picks (greedy.ts), then a local
 * search nudges each chosen camera (turn, tilt, slide along its wall) while that pays, then
 * each choice is explained by what it adds to the measures a planner reads.
 */
import type { Camera, Layout, RfidReader } from '../layout/Layout';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { pointInPolygon } from '../layout/geometry';
import { Occluders } from '../layout/occlusion';
import { cameraCandidates, norm, type CameraCandidate, type CandidateOptions } from './candidates';
import { DEFAULT_TASKS, type Standard } from './grades';
import { lazyGreedy } from './greedy';
import {
  addInto, bestQuality, buildObjective, cameraDevice, gainOf, metricsOf, METRICS, rfidDevice, smartShelfDevice, valueOf,
  type Device, type DeviceKind, type Metric, type Objective,
} from './objective';
import { DEFAULT_PRICES, type Prices } from './prices';
import { buildTargets } from './targets';
import { DEFAULT_WEIGHTS, type Weights } from './weights';

export interface PlanOptions {
  /** Money to spend, in the prices' currency. */
  readonly budget: number;
  readonly prices?: Prices;
  readonly weights?: Weights;
  readonly standard?: Standard;
  /** `keep` (default): what the layout has is installed and free, the plan adds to it. `replace`: plan from nothing; today's devices are only candidates. */
  readonly existing?: 'keep' | 'replace';
  /** Which kinds of device may be added (default all three). */
  readonly kinds?: readonly DeviceKind[];
  /** Candidate device ids that must be in the plan (a camera candidate's id, `shelf:ID`, `rfid:ZONE`); their cost counts. */
  readonly lock?: readonly string[];
  /** Zones where nothing new may be mounted or installed. */
  readonly excludeZones?: readonly string[];
  /** Camera candidates: generation settings, or the poses themselves. */
  readonly candidates?: Partial<CandidateOptions> | { readonly cameras: readonly Camera[] };
  /** Nudge chosen cameras after greedy (default true). */
  readonly localSearch?: boolean;
  /** Told how far the work is: candidates evaluated, then local search rounds. */
  readonly onProgress?: (p: PlanProgress) => void;
}

export interface PlanProgress {
  readonly phase: 'candidates' | 'choosing' | 'local search' | 'done';
  readonly done: number;
  readonly total: number;
}

export interface PlannedDevice {
  readonly kind: DeviceKind;
  /** The id it gets in the layout (`new-cam-1`, `new-rfid-1`; a shelf keeps its id). */
  readonly id: string;
  /** The candidate it came from. */
  readonly candidate: string;
  readonly cost: number;
  readonly camera?: Camera;
  readonly shelf?: string;
  readonly zone?: string;
  /** Objective gained when it was added, in order, and its share of the plan's gain. */
  readonly gain: number;
  readonly share: number;
  /** Each measure's change (0..1) when it was added. */
  readonly adds: Readonly<Record<Metric, number>>;
  readonly explanation: string;
  readonly locked: boolean;
}

export interface Plan {
  readonly version: 1;
  readonly store: string;
  readonly currency: string;
  readonly budget: number;
  readonly spent: number;
  readonly existing: 'keep' | 'replace';
  readonly standard: Standard;
  readonly method: string;
  /** Objective: before the plan, after it, and with every candidate installed (the most any plan here can reach). */
  readonly objective: { readonly before: number; readonly after: number; readonly ceiling: number };
  readonly measures: Readonly<Record<Metric, string>>;
  readonly before: Readonly<Record<Metric, number>>;
  readonly after: Readonly<Record<Metric, number>>;
  readonly devices: readonly PlannedDevice[];
  readonly candidates: { readonly cameras: number; readonly shelves: number; readonly zones: number };
  readonly evaluations: number;
}

export interface PlanRun {
  readonly plan: Plan;
  readonly objective: Objective;
  /** Installed devices kept (keep mode), as devices. */
  readonly installed: readonly Device[];
  readonly chosen: readonly Device[];
  /** Every candidate device (locked ones included), priced. */
  readonly candidates: readonly Device[];
}

const cameraCost = (p: Prices) => p.camera + p.cameraInstall;

export function planPlacement(layout: LayoutIndex, opts: PlanOptions): PlanRun {
  if (!(opts.budget >= 0)) throw new RangeError(`budget must be a number >= 0, not ${opts.budget}`);
  const prices = opts.prices ?? DEFAULT_PRICES;
  const weights = opts.weights ?? DEFAULT_WEIGHTS;
  const standard = opts.standard ?? '2015';
  const existing = opts.existing ?? 'keep';
  const kinds = new Set(opts.kinds ?? ['camera', 'smart_shelf', 'rfid']);
  for (const id of [...Object.keys(weights.slots)]) if (!layout.slots.has(id)) throw new RangeError(`weights name an unknown slot: ${id}`);
  for (const id of [...Object.keys(weights.zones), ...(opts.excludeZones ?? [])]) if (!layout.zones.has(id)) throw new RangeError(`unknown zone: ${id}`);
  const l = layout.layout;
  const targets = buildTargets(layout);
  const occluders = new Occluders(l);
  const obj = buildObjective(layout, targets, occluders, weights, DEFAULT_TASKS, standard);
  const excluded = (opts.excludeZones ?? []).map((z) => layout.zones.get(z)!);
  const inExcluded = (p: readonly [number, number]) => excluded.some((z) => pointInPolygon(p, z.outline, 0));

  // What is installed: in keep mode free and fixed, in replace mode a candidate at its price.
  const readerZones = new Set(l.rfid.flatMap((r) => Object.values(r.antennas)));
  const installed: Device[] = [];
  const candidates: Device[] = [];
  const cam = (c: Camera) => cameraDevice(obj, c, cameraCost(prices));
  const shelfCost = (id: string) => prices.smartShelfInstall + prices.smartSlot * layout.shelves.get(id)!.slots.length;
  if (existing === 'keep') {
    for (const c of l.cameras) installed.push(cameraDevice(obj, c, 0));
    // Every slot in a layout is a load-cell position (the contract): all shelves are smart already.
    for (const s of l.shelves) installed.push(smartShelfDevice(obj, s.id, 0));
    for (const z of readerZones) installed.push(rfidDevice(obj, z, 0));
  } else {
    if (kinds.has('camera')) for (const c of l.cameras) candidates.push(cam(c));
  }
  let cameraPool: CameraCandidate[] = [];
  if (kinds.has('camera')) {
    const given = opts.candidates && 'cameras' in opts.candidates ? opts.candidates.cameras : undefined;
    cameraPool = given
      ? given.map((c) => ({ camera: c, mount: 'ceiling' as const }))
      : cameraCandidates(layout, { hfov: prices.cameraModel.hfov, resolution: prices.cameraModel.resolution, excludeZones: opts.excludeZones, ...(opts.candidates as Partial<CandidateOptions> | undefined) });
    cameraPool.forEach((c, i) => {
      candidates.push(cam(c.camera));
      if (i % 25 === 0) opts.onProgress?.({ phase: 'candidates', done: i, total: cameraPool.length });
    });
  }
  if (kinds.has('smart_shelf') && existing === 'replace') {
    for (const s of l.shelves) if (!inExcluded(s.position)) candidates.push(smartShelfDevice(obj, s.id, shelfCost(s.id)));
  }
  if (kinds.has('rfid')) {
    for (const z of l.zones) if ((existing === 'replace' || !readerZones.has(z.id)) && !excluded.includes(z)) candidates.push(rfidDevice(obj, z.id, prices.rfidReader));
  }
  const byId = new Map(candidates.map((d) => [d.id, d]));
  const locked = (opts.lock ?? []).map((id) => {
    const d = byId.get(id);
    if (!d) throw new RangeError(`cannot lock ${id}: not a candidate (a camera candidate's id, shelf:ID or rfid:ZONE)`);
    return d;
  });
  const lockedCost = locked.reduce((a, d) => a + d.cost, 0);
  if (lockedCost > opts.budget) throw new RangeError(`the locked devices cost ${lockedCost}, more than the budget ${opts.budget}`);

  const base = bestQuality(obj, installed);
  const before = valueOf(obj, base);
  const start = bestQuality(obj, [...installed, ...locked]);
  const rest = candidates.filter((d) => !locked.includes(d));
  opts.onProgress?.({ phase: 'choosing', done: 0, total: 1 });
  const greedy = lazyGreedy(obj, rest, opts.budget - lockedCost, start);
  let chosen = [...locked, ...greedy.picks.map((p) => p.device)];
  let evaluations = greedy.evaluations;
  if (opts.localSearch ?? true) {
    const nudged = localSearch(obj, installed, chosen, new Set(locked.map((d) => d.id)), cameraPool, l, inExcluded, (round) => opts.onProgress?.({ phase: 'local search', done: round, total: 3 }));
    chosen = nudged.devices;
    evaluations += nudged.evaluations;
  }
  const ceiling = valueOf(obj, bestQuality(obj, [...installed, ...candidates]));
  const plan = describe(obj, layout, installed, chosen, new Set(locked.map((d) => d.id)), {
    budget: opts.budget, prices, existing, standard, before, ceiling, evaluations,
    method: `lazy greedy (CELF, ${greedy.rule})${opts.localSearch ?? true ? ' + local search on camera poses' : ''}`,
    counts: { cameras: candidates.filter((d) => d.kind === 'camera').length, shelves: candidates.filter((d) => d.kind === 'smart_shelf').length, zones: candidates.filter((d) => d.kind === 'rfid').length },
  });
  opts.onProgress?.({ phase: 'done', done: 1, total: 1 });
  return { plan, objective: obj, installed, chosen, candidates };
}

/** Turns, tilts and slides each chosen camera while the objective grows (a few rounds at most). */
function localSearch(obj: Objective, installed: readonly Device[], chosen: Device[], locked: ReadonlySet<string>, pool: readonly CameraCandidate[], layout: Layout, excluded: (p: readonly [number, number]) => boolean, onRound: (round: number) => void) {
  const mounts = new Map(pool.map((c) => [c.camera.id, c]));
  const devices = [...chosen];
  let evaluations = 0;
  for (let round = 0; round < 3; round++) {
    onRound(round);
    let improved = false;
    for (let i = 0; i < devices.length; i++) {
      const d = devices[i]!;
      if (d.kind !== 'camera' || !d.camera || locked.has(d.id)) continue;
      const others = bestQuality(obj, [...installed, ...devices.filter((_, j) => j !== i)]);
      let best = d;
      let bestGain = gainOf(obj, others, d);
      for (const pose of neighbours(d.camera, mounts.get(d.id), layout, excluded)) {
        const n = cameraDevice(obj, pose, d.cost);
        evaluations++;
        const g = gainOf(obj, others, n);
        if (g > bestGain + 1e-6) {
          best = n;
          bestGain = g;
        }
      }
      if (best !== d) {
        devices[i] = best;
        mounts.set(best.id, { ...(mounts.get(d.id) ?? { mount: 'ceiling' }), camera: best.camera! });
        improved = true;
      }
    }
    if (!improved) break;
  }
  return { devices, evaluations };
}

function neighbours(c: Camera, mount: CameraCandidate | undefined, layout: Layout, excluded: (p: readonly [number, number]) => boolean): Camera[] {
  const out: Camera[] = [];
  const at = (dx: number, dy: number) => [c.position[0] + dx, c.position[1] + dy, c.position[2]] as const;
  const poses: { yaw?: number; pitch?: number; position?: readonly [number, number, number] }[] = [
    { yaw: c.yaw + 15 }, { yaw: c.yaw - 15 }, { pitch: Math.max(-89, c.pitch - 10) }, { pitch: Math.min(0, c.pitch + 10) },
  ];
  if (mount?.along) for (const s of [-1, 1]) poses.push({ position: at(mount.along[0] * s, mount.along[1] * s) });
  else for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) poses.push({ position: at(dx, dy) });
  for (const p of poses) {
    const position = p.position ?? c.position;
    if (!pointInPolygon([position[0], position[1]], layout.room.outline, 0) || excluded([position[0], position[1]])) continue;
    const yaw = norm(p.yaw ?? c.yaw);
    const pitch = p.pitch ?? c.pitch;
    const id = `${c.id.split('~')[0]}~${position[0].toFixed(2)},${position[1].toFixed(2)},${Math.round(yaw)},${Math.round(-pitch)}`;
    out.push({ ...c, id, position: [position[0], position[1], position[2]], yaw, pitch });
  }
  return out;
}

interface Describe {
  budget: number;
  prices: Prices;
  existing: 'keep' | 'replace';
  standard: Standard;
  before: number;
  ceiling: number;
  evaluations: number;
  method: string;
  counts: Plan['candidates'];
}

function describe(obj: Objective, layout: LayoutIndex, installed: readonly Device[], chosen: readonly Device[], locked: ReadonlySet<string>, d: Describe): Plan {
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const cur = bestQuality(obj, installed);
  const so: Device[] = [...installed];
  let prev = metricsOf(obj, so);
  const startMetrics = prev;
  const taken = new Set([...layout.cameras.keys(), ...layout.readers.keys()]);
  const fresh = (stem: string) => {
    let k = 1;
    while (taken.has(`${stem}-${k}`)) k++;
    taken.add(`${stem}-${k}`);
    return `${stem}-${k}`;
  };
  const rows: Omit<PlannedDevice, 'share'>[] = [];
  for (const dev of chosen) {
    const gain = gainOf(obj, cur, dev);
    addInto(cur, dev);
    so.push(dev);
    const now = metricsOf(obj, so);
    const adds = Object.fromEntries(METRICS.map((m) => [m, Math.round((now[m] - prev[m]) * 1000) / 1000])) as Record<Metric, number>;
    prev = now;
    // A device installed today keeps its id; a new one gets the next free `new-…` id.
    const keepsId = dev.kind === 'camera' && layout.cameras.has(dev.id);
    const id = dev.kind === 'smart_shelf' ? dev.shelf! : keepsId ? dev.id : fresh(dev.kind === 'camera' ? 'new-cam' : 'new-rfid');
    const ranked = METRICS.filter((m) => adds[m] >= 0.005).sort((a, b) => adds[b] - adds[a]);
    const what = ranked.slice(0, 2).map((m, i) => `${i ? 'and ' : ''}${pct(adds[m])} of ${obj.metricLabels[m]}`);
    const explanation = what.length ? `${id} adds ${what.join(' ')}` : `${id} adds ${gain.toFixed(2)} to the objective and no whole measure (better views of what others already cover)`;
    rows.push({
      kind: dev.kind, id, candidate: dev.id, cost: dev.cost,
      ...(dev.camera ? { camera: { ...dev.camera, id } } : {}),
      ...(dev.shelf ? { shelf: dev.shelf } : {}),
      ...(dev.zone ? { zone: dev.zone } : {}),
      gain: Math.round(gain * 1000) / 1000, adds, explanation, locked: locked.has(dev.id),
    });
  }
  const after = valueOf(obj, cur);
  const total = after - d.before;
  const round3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    version: 1,
    store: layout.store,
    currency: d.prices.currency,
    budget: d.budget,
    spent: chosen.reduce((a, x) => a + x.cost, 0),
    existing: d.existing,
    standard: d.standard,
    method: d.method,
    objective: { before: round3(d.before), after: round3(after), ceiling: round3(d.ceiling) },
    measures: obj.metricLabels,
    before: roundAll(startMetrics),
    after: roundAll(prev),
    devices: rows.map((r) => ({ ...r, share: total > 0 ? Math.round((r.gain / total) * 1000) / 1000 : 0 })),
    candidates: d.counts,
    evaluations: d.evaluations,
  };
}

function roundAll(m: Record<Metric, number>): Record<Metric, number> {
  return Object.fromEntries(METRICS.map((k) => [k, Math.round(m[k] * 1000) / 1000])) as Record<Metric, number>;
}

/**
 * The layout with the plan applied, ready to load: new cameras and RFID readers added (in
 * replace mode, today's cameras and readers the plan did not keep are removed). Smart shelves
 * need no change: the contract makes every slot a load-cell position.
 */
export function layoutWithPlan(layout: Layout, plan: Plan): Layout {
  const planned = plan.devices;
  const newCams = planned.filter((d) => d.kind === 'camera' && d.camera).map((d) => d.camera!);
  const newReaders: RfidReader[] = planned.filter((d) => d.kind === 'rfid').map((d) => ({ id: d.id, antennas: { '1': d.zone! }, zone: d.zone! }));
  if (plan.existing === 'keep') return { ...layout, cameras: [...layout.cameras, ...newCams], rfid: [...layout.rfid, ...newReaders] };
  const keptZones = new Set(newReaders.map((r) => r.zone));
  return { ...layout, cameras: newCams, rfid: newReaders.filter((r) => keptZones.has(r.zone)) };
}
