/**
 * Doors: a coloured panel standing in the opening, as wide as the door and turned along the
 * edge the door sits on (see doorSpan). Colour by door kind.
 */
import { BoxGeometry, Mesh, MeshLambertMaterial, type Object3D } from 'three';
import type { Door, Layout, Zone } from '../../layout/Layout';
import { doorSpan } from '../../layout/doorSpan';
import { DOOR_COLORS } from '../palette';
import { ObjectLayer } from './ObjectLayer';

const DEG = Math.PI / 180;
const THICKNESS = 0.12;
/** Dock doors are roller doors for pallets; the others are doorways people walk through. */
const HEIGHT = { dock: 2.8, staff: 2.1, cage: 2.1, sales_floor: 2.3 } as const;

export class DoorLayer extends ObjectLayer<Door> {
  private room: Layout['room'] | undefined;
  private zones = new Map<string, Zone>();

  constructor() {
    super('doors');
  }

  update(layout: Layout): void {
    this.room = layout.room;
    this.zones = new Map(layout.zones.map((z) => [z.id, z]));
    this.sync(layout.doors.map((d) => [d.id, d] as const));
  }

  protected build(door: Door): Object3D {
    const outlines = [this.room?.outline ?? [], this.zones.get(door.zone)?.outline ?? []];
    const span = doorSpan(door.position, door.width, outlines);
    const height = Math.min(HEIGHT[door.kind], this.room?.height ?? Infinity);
    const panel = new Mesh(
      new BoxGeometry(door.width, THICKNESS, height),
      // See-through enough that a door on a near wall does not hide the zone behind it.
      new MeshLambertMaterial({ color: DOOR_COLORS[door.kind], transparent: true, opacity: 0.6, depthWrite: false }),
    );
    panel.position.set(door.position[0], door.position[1], height / 2);
    panel.rotation.z = span.angle * DEG;
    return panel;
  }
}
