/**
 * Doors: a coloured leaf standing in the opening, as wide as the door and turned along the
 * edge the door sits on (see doorSpan). Colour by door kind. An open door's leaf swings on its
 * hinge (one end of the opening) into the room, so an open door reads at a glance; the swing
 * is instant (the view renders on demand, it does not animate).
 */
import { BoxGeometry, Group, Mesh, MeshLambertMaterial, type Object3D } from 'three';
import type { Door, Layout, Vec2, Zone } from '../../layout/Layout';
import { doorSpan } from '../../layout/doorSpan';
import { pointInPolygon } from '../../layout/geometry';
import { DOOR_COLORS } from '../palette';
import { ObjectLayer } from './ObjectLayer';

const DEG = Math.PI / 180;
const THICKNESS = 0.12;
const SWING = 80 * DEG;
/** Dock doors are roller doors for pallets; the others are doorways people walk through. */
const HEIGHT = { dock: 2.8, staff: 2.1, cage: 2.1, sales_floor: 2.3 } as const;

export class DoorLayer extends ObjectLayer<Door> {
  private room: Layout['room'] | undefined;
  private zones = new Map<string, Zone>();
  private open = new Set<string>();

  constructor() {
    super('doors', 'door');
  }

  update(layout: Layout): void {
    this.room = layout.room;
    this.zones = new Map(layout.zones.map((z) => [z.id, z]));
    this.sync(layout.doors.map((d) => [d.id, d] as const));
  }

  /** Swings open exactly these doors; true when any leaf moved. */
  setOpen(open: Iterable<string>): boolean {
    const next = new Set(open);
    let moved = false;
    for (const [id, object] of this.objects) {
      if (next.has(id) !== this.open.has(id)) {
        swing(object, next.has(id));
        moved = true;
      }
    }
    this.open = next;
    return moved;
  }

  isOpen(id: string): boolean {
    return this.open.has(id);
  }

  /** The unit vector from the door into the room (or into its zone for a door inside the room). */
  inward(door: Door): Vec2 {
    const span = doorSpan(door.position, door.width, this.outlines(door));
    const a = span.angle * DEG;
    const n: Vec2 = [-Math.sin(a), Math.cos(a)];
    const probe = (s: number): Vec2 => [door.position[0] + n[0] * s * 0.4, door.position[1] + n[1] * s * 0.4];
    const room = this.room?.outline ?? [];
    const inRoom = (s: number) => room.length > 2 && pointInPolygon(probe(s), room);
    let sign = inRoom(1) && !inRoom(-1) ? 1 : inRoom(-1) && !inRoom(1) ? -1 : 0;
    if (sign === 0) {
      // Both sides are in the room: a door inside it (a cage). Walk in towards the zone.
      const zone = this.zones.get(door.zone)?.outline ?? [];
      sign = zone.length > 2 && pointInPolygon(probe(-1), zone) ? -1 : 1;
    }
    return [n[0] * sign, n[1] * sign];
  }

  protected build(door: Door): Object3D {
    const span = doorSpan(door.position, door.width, this.outlines(door));
    const height = Math.min(HEIGHT[door.kind], this.room?.height ?? Infinity);
    const frame = new Group();
    frame.position.set(door.position[0], door.position[1], 0);
    frame.rotation.z = span.angle * DEG;
    // The hinge sits at the opening's -x end; the leaf hangs from it along +x.
    const hinge = new Group();
    hinge.name = 'hinge';
    hinge.position.x = -door.width / 2;
    const [ix, iy] = this.inward(door);
    // Which way is "in" in the frame's own axes: +y or -y.
    hinge.userData = { inSign: Math.sign(-Math.sin(span.angle * DEG) * ix + Math.cos(span.angle * DEG) * iy) || 1 };
    const leaf = new Mesh(
      new BoxGeometry(door.width, THICKNESS, height),
      // See-through enough that a door on a near wall does not hide the zone behind it.
      new MeshLambertMaterial({ color: DOOR_COLORS[door.kind], transparent: true, opacity: 0.6, depthWrite: false }),
    );
    leaf.position.set(door.width / 2, 0, height / 2);
    hinge.add(leaf);
    frame.add(hinge);
    if (this.open.has(door.id)) swing(frame, true);
    return frame;
  }

  private outlines(door: Door): (readonly Vec2[])[] {
    return [this.room?.outline ?? [], this.zones.get(door.zone)?.outline ?? []];
  }
}

function swing(frame: Object3D, open: boolean): void {
  const hinge = frame.getObjectByName('hinge');
  if (!hinge) return;
  hinge.rotation.z = open ? SWING * (hinge.userData.inSign as number) : 0;
  // An open leaf is drawn solid, so the change shows even from far away.
  const leaf = hinge.children[0] as Mesh<BoxGeometry, MeshLambertMaterial> | undefined;
  if (leaf) leaf.material.opacity = open ? 0.95 : 0.6;
}
