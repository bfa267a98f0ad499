/**
 * The text of the 3D view's tooltip for a thing under the pointer: what it is (kind and id)
 * and, for a slot, what it holds (SKU, units of capacity, the book) as the last RoomView shows
 * it. Pure, so the wording is tested without a browser. Lines, first line the title.
 */
import type { LayoutIndex } from '../layout/LayoutIndex';
import type { RoomView } from '../twin/RoomView';
import type { SceneRef } from './SceneRef';

const KIND_NAMES: Readonly<Record<SceneRef['kind'], string>> = {
  slot: 'Slot',
  shelf: 'Shelf',
  zone: 'Zone',
  door: 'Door',
  camera: 'Camera',
  rfid: 'RFID reader',
  badge: 'Badge',
};

export function tooltipText(ref: SceneRef, layout: LayoutIndex | undefined, view: RoomView | undefined): string[] {
  const lines = [`${KIND_NAMES[ref.kind]} ${ref.id}`];
  const offline = view?.offline.has(ref.id) ? ['Offline'] : [];
  switch (ref.kind) {
    case 'slot': {
      const slot = layout?.slots.get(ref.id);
      if (!slot) break;
      const sku = layout!.skus.get(slot.sku);
      lines.push(`Shelf ${slot.shelf}, level ${slot.level}, position ${slot.index}`);
      lines.push(`SKU ${slot.sku}${sku ? ` (${sku.name})` : ''}`);
      const s = view?.slots.get(ref.id);
      const units = s?.units ?? null;
      lines.push(units === null ? `Units unknown / ${slot.capacity}` : `Units ${units} / ${slot.capacity} (${Math.round((100 * units) / slot.capacity)}%)`);
      if (s?.book !== null && s?.book !== undefined) lines.push(`Book ${s.book}${s.mismatch ? ' (disagrees with the shelf)' : ''}`);
      break;
    }
    case 'shelf': {
      const shelf = layout?.shelves.get(ref.id);
      if (shelf) lines.push(`Zone ${shelf.zone}, ${shelf.levels} levels, ${shelf.slots.length} slots`);
      break;
    }
    case 'zone': {
      const zone = layout?.zones.get(ref.id);
      if (zone) lines.push(`${zone.kind.replace('_', ' ')}${zone.restricted ? `, restricted to ${zone.roles.join(', ')}` : ''}`);
      break;
    }
    case 'door': {
      const door = layout?.doors.get(ref.id);
      if (door) lines.push(`${door.kind.replace('_', ' ')} door, ${view?.openDoors.has(ref.id) ? 'open' : 'closed'}`);
      break;
    }
    case 'badge': {
      const who = view?.present.find((b) => b.badge === ref.id);
      if (who) lines.push(`${who.role}, came in by ${who.door}`);
      break;
    }
    case 'camera':
    case 'rfid':
      break;
  }
  return [...lines, ...offline];
}
