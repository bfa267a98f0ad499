/**
 * What a RoomView adds to the layout beyond slots and doors: the people present, standing in
 * rows just inside the door of their latest swipe and coloured by role, and a red marker over
 * every offline device that is not a slot (slots are greyed in place by the SlotLayer). Each
 * is one InstancedMesh: two draw calls however many people or devices.
 */
import { CylinderGeometry, MeshBasicMaterial, MeshLambertMaterial, OctahedronGeometry, SphereGeometry } from 'three';
import { mergeGeometries } from 'three/examples/jsm/utils/BufferGeometryUtils.js';
import type { Door, Vec2, Vec3 } from '../../layout/Layout';
import type { LayoutIndex } from '../../layout/LayoutIndex';
import type { RoomView } from '../../twin/RoomView';
import { OFFLINE, ROLE_COLORS } from '../palette';
import { anchorOf, badgeSpot } from '../placement';
import { InstancedMarkers, type Marker } from './InstancedMarkers';

export class PresenceLayer {
  readonly badges = new InstancedMarkers('badges', personGeometry(), new MeshLambertMaterial({ color: 0xffffff }));
  readonly offline = new InstancedMarkers('offline', new OctahedronGeometry(0.14), new MeshBasicMaterial({ color: 0xffffff }));

  /** `inward(door)`: the unit vector from a door into the room (DoorLayer knows the edges). */
  placeBadges(layout: LayoutIndex, view: RoomView, inward: (door: Door) => Vec2): void {
    const atDoor = new Map<string, number>();
    const markers: Marker[] = [];
    for (const b of view.present) {
      const door = layout.doors.get(b.door);
      if (!door) continue;
      const k = atDoor.get(door.id) ?? 0;
      atDoor.set(door.id, k + 1);
      const n = inward(door);
      const [x, y] = badgeSpot(door.position, [n[1], -n[0]], n, k);
      markers.push({ id: b.badge, at: [x, y, 0], color: ROLE_COLORS[b.role] ?? ROLE_COLORS.unknown! });
    }
    this.badges.set(markers);
  }

  markOffline(layout: LayoutIndex, view: RoomView): void {
    const markers: Marker[] = [];
    for (const id of view.offline) {
      const kinds = layout.deviceKinds(id);
      if (kinds.length === 0 || (kinds.length === 1 && kinds[0] === 'slot')) continue;
      const at = anchorOf(layout, id);
      if (at) markers.push({ id, at: [at[0], at[1], at[2] + 0.35] as Vec3, color: OFFLINE });
    }
    this.offline.set(markers);
  }

  dispose(): void {
    this.badges.dispose();
    this.offline.dispose();
  }
}

/** A person: a body and a head standing on the floor (z up), 1.75 m tall. */
function personGeometry() {
  const body = new CylinderGeometry(0.17, 0.2, 1.4, 10).rotateX(Math.PI / 2).translate(0, 0, 0.7);
  const head = new SphereGeometry(0.16, 10, 8).translate(0, 0, 1.59);
  const merged = mergeGeometries([body, head])!;
  body.dispose();
  head.dispose();
  return merged;
}
