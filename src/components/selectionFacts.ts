/**
 * What the inspector says about the selected thing at the moment shown: a few label/value
 * facts from the layout and the RoomView (the same for now and for any past moment), and
 * which other things it relates to (a shelf's slots, a zone's shelves and doors). Pure: the
 * history chart and recent events come from the event store (src/analytics/history).
 */
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { RoomView } from '../twin/RoomView';
import type { Ref } from './workbenchUrl';

export interface Fact {
  readonly label: string;
  readonly value: string;
}

export interface Related {
  readonly label: string;
  readonly refs: readonly Ref[];
}

export interface SelectionFacts {
  /** A heading: "Slot A-03-2", "Door D1 (dock)". */
  readonly title: string;
  readonly facts: readonly Fact[];
  readonly related: readonly Related[];
  /** The thing is not in the open layout (a stale address, another store's id). */
  readonly unknown?: true;
}

const n = (v: number) => v.toLocaleString('en-US');
const since = (t: number | null | undefined, fmt: (t: number) => string) => (t === null || t === undefined ? '' : ` since ${fmt(t)}`);

/** `fmt` writes a time in the store's zone. */
export function selectionFacts(ref: Ref, layout: LayoutIndex, view: RoomView | undefined, fmt: (t: number) => string): SelectionFacts {
  const L = layout;
  switch (ref.kind) {
    case 'slot': {
      const slot = L.slots.get(ref.id);
      if (!slot) return unknown(ref);
      const sku = L.skus.get(slot.sku);
      const s = view?.slots.get(ref.id);
      const facts: Fact[] = [
        { label: 'SKU', value: sku ? `${sku.id} · ${sku.name}` : slot.sku },
        { label: 'On the shelf (load cell)', value: s?.units === null || s?.units === undefined ? 'no reading yet' : `${n(s.units)} of ${n(slot.capacity)}` },
        { label: 'Book', value: s?.book === null || s?.book === undefined ? 'nothing booked to this slot' : n(s.book) },
      ];
      if (s?.mismatch && s.units !== null && s.book !== null) facts.push({ label: 'Book − shelf', value: `${s.book - s.units > 0 ? '+' : ''}${n(s.book - s.units)} units` });
      if (sku) facts.push({ label: 'Unit weight', value: `${n(sku.unitGrams)} g` });
      facts.push({ label: 'Shelf, level, position', value: `${slot.shelf}, ${slot.level}, ${slot.index}` });
      if (view?.offline.has(ref.id) || view?.offline.has(slot.shelf)) facts.push({ label: 'Device', value: 'offline' });
      return { title: `Slot ${ref.id}`, facts, related: [{ label: 'Shelf', refs: [{ kind: 'shelf', id: slot.shelf }] }] };
    }
    case 'shelf': {
      const shelf = L.shelves.get(ref.id);
      if (!shelf) return unknown(ref);
      let units = 0;
      let capacity = 0;
      let mismatched = 0;
      let reading = 0;
      for (const slot of shelf.slots) {
        capacity += slot.capacity;
        const s = view?.slots.get(slot.id);
        if (s?.units !== null && s?.units !== undefined) {
          units += s.units;
          reading++;
        }
        if (s?.mismatch) mismatched++;
      }
      return {
        title: `Shelf ${ref.id}`,
        facts: [
          { label: 'Zone', value: shelf.zone },
          { label: 'Slots', value: `${n(shelf.slots.length)} on ${shelf.levels} level${shelf.levels === 1 ? '' : 's'} (${n(reading)} reporting)` },
          { label: 'Units', value: `${n(units)} of ${n(capacity)}` },
          { label: 'Book ≠ shelf', value: `${n(mismatched)} slot${mismatched === 1 ? '' : 's'}` },
          ...(view?.offline.has(ref.id) ? [{ label: 'Device', value: 'offline' }] : []),
        ],
        related: [
          { label: 'Zone', refs: [{ kind: 'zone', id: shelf.zone }] },
          { label: 'Slots', refs: shelf.slots.map((s) => ({ kind: 'slot' as const, id: s.id })) },
        ],
      };
    }
    case 'zone': {
      const zone = L.zones.get(ref.id);
      if (!zone) return unknown(ref);
      const shelves = L.layout.shelves.filter((s) => s.zone === ref.id);
      const doors = L.layout.doors.filter((d) => d.zone === ref.id);
      return {
        title: `Zone ${ref.id}`,
        facts: [
          { label: 'Kind', value: zone.kind.replace('_', ' ') },
          { label: 'Restricted', value: zone.restricted ? `yes: ${zone.roles.join(', ') || 'nobody'} may enter` : 'no' },
          { label: 'Shelves', value: n(shelves.length) },
        ],
        related: [
          { label: 'Shelves', refs: shelves.map((s) => ({ kind: 'shelf' as const, id: s.id })) },
          { label: 'Doors', refs: doors.map((d) => ({ kind: 'door' as const, id: d.id })) },
        ],
      };
    }
    case 'door': {
      const door = L.doors.get(ref.id);
      if (!door) return unknown(ref);
      const open = view?.openDoors.has(ref.id);
      const inside = view?.present.filter((p) => p.door === ref.id) ?? [];
      return {
        title: `Door ${ref.id}`,
        facts: [
          { label: 'Kind', value: door.kind },
          { label: 'State', value: view?.at === null || !view ? 'unknown' : open ? `open${since(view.openDoors.get(ref.id), fmt)}` : 'closed' },
          { label: 'In the room through it', value: inside.length ? inside.map((p) => `${p.badge} (${p.role})`).join(', ') : 'nobody' },
          ...(view?.offline.has(ref.id) ? [{ label: 'Device', value: 'offline' }] : []),
        ],
        related: [{ label: 'Zone', refs: [{ kind: 'zone', id: door.zone }] }],
      };
    }
    case 'camera': {
      const cam = L.cameras.get(ref.id);
      if (!cam) return unknown(ref);
      return {
        title: `Camera ${ref.id}`,
        facts: [
          { label: 'Resolution', value: `${cam.resolution[0]} × ${cam.resolution[1]}` },
          { label: 'Field of view', value: `${cam.hfov}° wide, yaw ${cam.yaw}°, pitch ${cam.pitch}°` },
          { label: 'Height', value: `${cam.position[2]} m` },
          { label: 'Status', value: view?.offline.has(ref.id) ? 'offline' : 'online or unknown' },
        ],
        related: [],
      };
    }
    case 'rfid': {
      const reader = L.readers.get(ref.id);
      if (!reader) return unknown(ref);
      const zones = [...new Set([...(reader.zone ? [reader.zone] : []), ...Object.values(reader.antennas)])];
      return {
        title: `RFID reader ${ref.id}`,
        facts: [
          { label: 'Antennas', value: Object.entries(reader.antennas).map(([a, z]) => `${a} → ${z}`).join(', ') || 'none' },
          { label: 'Status', value: view?.offline.has(ref.id) ? 'offline' : 'online or unknown' },
        ],
        related: [{ label: 'Zones', refs: zones.map((id) => ({ kind: 'zone' as const, id })) }],
      };
    }
    case 'badge': {
      const p = view?.present.find((b) => b.badge === ref.id);
      return {
        title: `Badge ${ref.id}`,
        facts: p
          ? [
              { label: 'Role', value: p.role },
              { label: 'In the room', value: `since ${fmt(p.since)}, through ${p.door}` },
            ]
          : [{ label: 'In the room', value: 'no' }],
        related: p ? [{ label: 'Door', refs: [{ kind: 'door', id: p.door }] }] : [],
      };
    }
    case 'device': {
      const kind = L.slots.has(ref.id) ? 'slot' : L.shelves.has(ref.id) ? 'shelf' : L.doors.has(ref.id) ? 'door' : L.cameras.has(ref.id) ? 'camera' : L.readers.has(ref.id) ? 'rfid' : undefined;
      if (!kind) return unknown(ref);
      return {
        title: `Device ${ref.id}`,
        facts: [
          { label: 'Kind', value: kind === 'rfid' ? 'RFID reader' : kind },
          { label: 'Status', value: view?.offline.has(ref.id) ? 'offline' : 'online or unknown' },
        ],
        related: [{ label: 'In the room', refs: [{ kind, id: ref.id }] }],
      };
    }
  }
}

function unknown(ref: Ref): SelectionFacts {
  return { title: `${ref.kind} ${ref.id}`, facts: [{ label: 'Not found', value: `the open layout has no ${ref.kind} ${ref.id}` }], related: [], unknown: true };
}
