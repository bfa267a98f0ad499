/**
 * The twin: applies contract events to per-entity folds and hands out an immutable
 * TwinState. Replaying the same events in any arrival order gives the same state, provided
 * no event arrives more than the reorder window behind the newest event of its entity
 * (see WindowedFold); events later than that are counted in `late`.
 */
import type {
  BadgeEvent,
  BookEvent,
  DetectionEvent,
  DoorStateEvent,
  FrameEvent,
  RfidReadEvent,
  SlotEdgeEvent,
  StatusEvent,
  TwinEvent,
  WeightEvent,
} from '../contract/messages';
import type { LayoutIndex } from '../layout/LayoutIndex';
import {
  BADGE_INIT,
  badgeStep,
  BOOK_INIT,
  bookLate,
  bookStep,
  compareBadge,
  compareBook,
  compareDoor,
  compareEdge,
  compareWeight,
  DOOR_INIT,
  doorStep,
  unitsAfter,
  WEIGHT_INIT,
  weightStep,
  type BadgeFold,
  type BookFold,
  type DoorFold,
  type WeightFold,
} from './folds';
import type { BadgeState, CameraState, DeviceState, DoorState, Movement, SkuState, SlotState, TagState, TwinState } from './TwinState';
import { cmpNum, cmpStr, WindowedFold, type InsertResult } from './WindowedFold';

export interface TwinOptions {
  /** How far behind an entity's newest event another may arrive and still be placed in order. Default 6 h. */
  reorderWindowMs?: number;
  /** Load-cell noise, in grams, that never changes the unit count. Default 10 g. */
  noiseGrams?: number;
  /** An edge pick/put and a weight change of the same kind and units this close in time are one movement. Default 30 s. */
  edgeMatchMs?: number;
  /** A presence with no swipe out ends after this long. Default 12 h. */
  presenceTimeoutMs?: number;
}

const HOUR = 3600_000;

export class Twin {
  private readonly opts: Required<TwinOptions>;
  private readonly weights = new Map<string, WindowedFold<WeightEvent, WeightFold>>();
  private readonly edges = new Map<string, WindowedFold<SlotEdgeEvent, number>>();
  private readonly books = new Map<string, WindowedFold<BookEvent, BookFold>>();
  private readonly doorFolds = new Map<string, WindowedFold<DoorStateEvent, DoorFold>>();
  private readonly badgeFolds = new Map<string, WindowedFold<BadgeEvent, BadgeFold>>();
  private readonly tags = new Map<string, TagState>();
  private readonly devices = new Map<string, DeviceState>();
  private readonly cameras = new Map<string, CameraState>();
  private readonly dirtySlots = new Set<string>();
  private readonly dirtySkus = new Set<string>();
  private readonly dirtyDoors = new Set<string>();
  private readonly dirtyTags = new Set<string>();
  private readonly dirtyDevices = new Set<string>();
  private readonly dirtyCameras = new Set<string>();
  private badgesDirty = false;
  private asOf: number | null = null;
  private late = 0;
  private snapshot: TwinState;

  constructor(
    readonly layout: LayoutIndex,
    options: TwinOptions = {},
  ) {
    this.opts = {
      reorderWindowMs: options.reorderWindowMs ?? 6 * HOUR,
      noiseGrams: options.noiseGrams ?? 10,
      edgeMatchMs: options.edgeMatchMs ?? 30_000,
      presenceTimeoutMs: options.presenceTimeoutMs ?? 12 * HOUR,
    };
    this.snapshot = this.initialState();
  }

  apply(e: TwinEvent): void {
    if (this.asOf === null || e.ts > this.asOf) {
      this.asOf = e.ts;
      this.badgesDirty = true;
    }
    switch (e.type) {
      case 'weight':
        return this.count(this.fold(this.weights, e.slot, () => this.newWeightFold(e.slot)).insert(e), e.slot);
      case 'slot_event':
        // Edge events change the slot's movements, not its units: the SKU's totals stay as they are.
        return this.count(this.fold(this.edges, e.slot, () => new WindowedFold(0, (n) => n + 1, compareEdge, this.opts.reorderWindowMs)).insert(e), e.slot, false);
      case 'book':
        return this.book(e);
      case 'door_state':
        this.track(this.fold(this.doorFolds, e.door, () => new WindowedFold(DOOR_INIT, doorStep, compareDoor, this.opts.reorderWindowMs)).insert(e));
        this.dirtyDoors.add(e.door);
        return;
      case 'badge':
        return this.badge(e);
      case 'rfid':
        return this.tag(e);
      case 'status':
        return this.status(e);
      case 'frame':
      case 'detection':
        return this.camera(e);
    }
  }

  applyAll(events: Iterable<TwinEvent>): void {
    for (const e of events) this.apply(e);
  }

  /** The state after every event applied so far. Cheap to call again when nothing changed. */
  get state(): TwinState {
    if (this.isClean()) return this.snapshot;
    this.snapshot = this.rebuild(this.snapshot);
    return this.snapshot;
  }

  // ---- applying --------------------------------------------------------------------------

  private fold<F>(map: Map<string, F>, key: string, make: () => F): F {
    let f = map.get(key);
    if (!f) map.set(key, (f = make()));
    return f;
  }

  private newWeightFold(slotId: string): WindowedFold<WeightEvent, WeightFold> {
    const sku = this.layout.skus.get(this.layout.slots.get(slotId)!.sku)!;
    return new WindowedFold(WEIGHT_INIT, weightStep(sku.unitGrams, this.opts.noiseGrams), compareWeight, this.opts.reorderWindowMs);
  }

  private track(r: InsertResult): void {
    if (r === 'late') this.late++;
  }

  private count(r: InsertResult, slot: string, skuToo = true): void {
    this.track(r);
    if (r === 'late') return;
    this.dirtySlots.add(slot);
    if (skuToo) this.dirtySkus.add(this.layout.slots.get(slot)!.sku);
  }

  private book(e: BookEvent): void {
    const r = this.fold(this.books, e.sku, () => new WindowedFold(BOOK_INIT, bookStep, compareBook, this.opts.reorderWindowMs, bookLate)).insert(e);
    this.track(r);
    if (r === 'late') return;
    this.dirtySkus.add(e.sku);
    if (e.slot !== undefined) this.dirtySlots.add(e.slot);
  }

  private badge(e: BadgeEvent): void {
    const roomDoor = (d: string) => this.layout.doors.get(d)?.kind !== 'cage';
    const step = badgeStep(roomDoor, this.opts.presenceTimeoutMs);
    this.track(this.fold(this.badgeFolds, e.badge, () => new WindowedFold(BADGE_INIT, step, compareBadge, this.opts.reorderWindowMs)).insert(e));
    this.badgesDirty = true;
  }

  private tag(e: RfidReadEvent): void {
    const prev = this.tags.get(e.epc);
    const next: TagState = { epc: e.epc, zone: e.zone, reader: e.reader, antenna: e.antenna, ts: e.ts, rssi: e.rssi };
    if (prev && compareTag(prev, next) >= 0) return;
    this.tags.set(e.epc, next);
    this.dirtyTags.add(e.epc);
  }

  private status(e: StatusEvent): void {
    const prev = this.devices.get(e.device);
    // Latest by ts; at the same ts offline wins: a Last Will carries the ts of the connect
    // whose retained `online` it answers (the device wrote both then), so a tie means the
    // device went away after saying it was online.
    if (prev && (cmpNum(prev.ts, e.ts) || cmpNum(+e.online, +prev.online)) >= 0) return;
    this.devices.set(e.device, { device: e.device, online: e.online, ts: e.ts });
    this.dirtyDevices.add(e.device);
  }

  private camera(e: FrameEvent | DetectionEvent): void {
    const prev = this.cameras.get(e.camera) ?? { camera: e.camera, lastFrameTs: null, frames: 0, lastDetection: null };
    let next: CameraState;
    if (e.type === 'frame') {
      next = { ...prev, frames: prev.frames + 1, lastFrameTs: Math.max(prev.lastFrameTs ?? -Infinity, e.ts) };
    } else {
      const d = prev.lastDetection;
      const newer = !d || (cmpNum(d.ts, e.ts) || cmpNum(d.score, e.score) || cmpStr(d.label, e.label)) < 0;
      next = newer ? { ...prev, lastDetection: { ts: e.ts, label: e.label, score: e.score } } : prev;
    }
    if (next === prev && this.cameras.has(e.camera)) return;
    this.cameras.set(e.camera, next);
    this.dirtyCameras.add(e.camera);
  }

  // ---- the snapshot ----------------------------------------------------------------------

  private isClean(): boolean {
    return (
      !this.badgesDirty &&
      this.dirtySlots.size === 0 &&
      this.dirtySkus.size === 0 &&
      this.dirtyDoors.size === 0 &&
      this.dirtyTags.size === 0 &&
      this.dirtyDevices.size === 0 &&
      this.dirtyCameras.size === 0 &&
      this.snapshot.late === this.late
    );
  }

  private initialState(): TwinState {
    const slots = new Map<string, SlotState>();
    for (const s of this.layout.slots.values()) slots.set(s.id, this.slotState(s.id, new Map()));
    const skus = new Map<string, SkuState>();
    for (const id of this.layout.skus.keys()) skus.set(id, this.skuState(id, slots));
    const doors = new Map<string, DoorState>();
    for (const id of this.layout.doors.keys()) doors.set(id, { door: id, ...DOOR_INIT });
    return { store: this.layout.store, asOf: null, version: 0, slots, tags: new Map(), doors, badges: new Map(), devices: new Map(), cameras: new Map(), skus, late: 0 };
  }

  private rebuild(prev: TwinState): TwinState {
    const slotBooks = this.dirtySlots.size ? this.slotBooks() : new Map<string, number>();
    const slots = new Map(prev.slots);
    for (const id of this.dirtySlots) slots.set(id, this.slotState(id, slotBooks));
    const skus = new Map(prev.skus);
    for (const id of this.dirtySkus) skus.set(id, this.skuState(id, slots));
    const doors = new Map(prev.doors);
    for (const id of this.dirtyDoors) doors.set(id, { door: id, ...this.doorFolds.get(id)!.value });
    const tags = this.dirtyTags.size ? new Map(prev.tags) : prev.tags;
    for (const id of this.dirtyTags) (tags as Map<string, TagState>).set(id, this.tags.get(id)!);
    const devices = this.dirtyDevices.size ? new Map(this.devices) : prev.devices;
    const cameras = this.dirtyCameras.size ? new Map(this.cameras) : prev.cameras;
    const badges = this.badgesDirty ? this.badgeStates() : prev.badges;
    for (const set of [this.dirtySlots, this.dirtySkus, this.dirtyDoors, this.dirtyTags, this.dirtyDevices, this.dirtyCameras]) set.clear();
    this.badgesDirty = false;
    return { store: prev.store, asOf: this.asOf, version: prev.version + 1, slots, tags, doors, badges, devices, cameras, skus, late: this.late };
  }

  /** Slot-level book units, slot id to units, over every SKU's book. */
  private slotBooks(): Map<string, number> {
    const out = new Map<string, number>();
    for (const f of this.books.values()) for (const [slot, n] of f.value.slots) out.set(slot, (out.get(slot) ?? 0) + n);
    return out;
  }

  private slotState(id: string, slotBooks: Map<string, number>): SlotState {
    const slot = this.layout.slots.get(id)!;
    const w = this.weights.get(id)?.value ?? WEIGHT_INIT;
    return {
      slot: id,
      shelf: slot.shelf,
      sku: slot.sku,
      capacity: slot.capacity,
      grams: w.grams,
      units: w.units,
      readingTs: w.ts,
      movements: this.movements(id),
      book: slotBooks.get(id) ?? null,
    };
  }

  private skuState(id: string, slots: ReadonlyMap<string, SlotState>): SkuState {
    const book = this.books.get(id)?.value ?? BOOK_INIT;
    let physical = 0;
    let reporting = 0;
    for (const s of this.layout.slotsBySku.get(id) ?? []) {
      const u = slots.get(s.id)?.units;
      if (u !== null && u !== undefined) {
        physical += u;
        reporting++;
      }
    }
    let backroom = 0;
    for (const n of book.slots.values()) backroom += n;
    return { sku: id, book: book.total, bookBackroom: backroom, physical, slotsReporting: reporting };
  }

  private badgeStates(): Map<string, BadgeState> {
    const out = new Map<string, BadgeState>();
    const now = this.asOf ?? -Infinity;
    for (const [badge, f] of this.badgeFolds) {
      const b = f.value;
      const present = b.inside && b.since !== null && now - b.since <= this.opts.presenceTimeoutMs;
      out.set(badge, { badge, role: b.role, present, since: present ? b.since : null, lastDoor: b.lastDoor, lastTs: b.lastTs, lastGranted: b.lastGranted, refused: b.refused });
    }
    return out;
  }

  /**
   * The slot's movements inside the reorder window: unit changes seen by the load cell,
   * merged with edge pick/put events. An edge event and a weight change of the same kind
   * and units within `edgeMatchMs` are one movement (source 'both'), never two.
   */
  movements(slotId: string): Movement[] {
    const slot = this.layout.slots.get(slotId);
    if (!slot) return [];
    const wf = this.weights.get(slotId);
    const ef = this.edges.get(slotId);
    // Which events are still retained depends on when pruning ran, so on arrival order; the
    // last reorder window before the slot's newest event is retained in every order.
    const cutoff = Math.max(wf?.newestTs ?? -Infinity, ef?.newestTs ?? -Infinity) - this.opts.reorderWindowMs;
    const out: Movement[] = [];
    const make = (ts: number, kind: 'pick' | 'put', units: number, source: Movement['source']): Movement => ({ ts, slot: slotId, shelf: slot.shelf, sku: slot.sku, kind, units, source });
    if (wf) {
      const unitGrams = this.layout.skus.get(slot.sku)!.unitGrams;
      let prev = wf.baseValue.units;
      for (const e of wf.events) {
        const u = unitsAfter(prev, e.grams, unitGrams, this.opts.noiseGrams);
        if (prev !== null && u !== prev && e.ts >= cutoff) out.push(make(e.ts, u < prev ? 'pick' : 'put', Math.abs(u - prev), 'weight'));
        prev = u;
      }
    }
    for (const e of ef?.events ?? []) {
      if (e.ts < cutoff) continue;
      const i = out.findIndex((m) => m.source === 'weight' && m.kind === e.kind && m.units === e.units && Math.abs(m.ts - e.ts) <= this.opts.edgeMatchMs);
      if (i >= 0) out[i] = make(e.ts, e.kind, e.units, 'both');
      else out.push(make(e.ts, e.kind, e.units, 'edge'));
    }
    return out.sort((a, b) => cmpNum(a.ts, b.ts) || cmpStr(a.kind, b.kind) || cmpNum(a.units, b.units) || cmpStr(a.source, b.source));
  }
}

function compareTag(a: TagState, b: TagState): number {
  return cmpNum(a.ts, b.ts) || cmpStr(a.reader, b.reader) || cmpNum(a.antenna ?? -1, b.antenna ?? -1) || cmpNum(a.rssi ?? -Infinity, b.rssi ?? -Infinity) || cmpStr(a.zone ?? '', b.zone ?? '');
}
