/**
 * RFID readers: each antenna's zone outlined with a dashed line, lifted a little per reader
 * so two readers covering one zone stay apart and never sit on the zone's own outline.
 */
import { Group, LineDashedMaterial, LineLoop, type Object3D } from 'three';
import type { Layout, RfidReader, Zone } from '../../layout/Layout';
import { RFID } from '../palette';
import { ObjectLayer } from './ObjectLayer';
import { outlineLoop } from './floorShapes';

export class RfidLayer extends ObjectLayer<RfidReader> {
  private zones = new Map<string, Zone>();
  private order = new Map<string, number>();

  constructor() {
    super('rfid', 'rfid');
  }

  update(layout: Layout): void {
    this.zones = new Map(layout.zones.map((z) => [z.id, z]));
    this.order = new Map(layout.rfid.map((r, i) => [r.id, i]));
    this.sync(layout.rfid.map((r) => [r.id, r] as const));
  }

  protected build(reader: RfidReader): Object3D {
    const group = new Group();
    const z = 0.05 + 0.04 * (this.order.get(reader.id) ?? 0);
    for (const zoneId of new Set(Object.values(reader.antennas))) {
      const zone = this.zones.get(zoneId);
      if (!zone) continue;
      const loop = new LineLoop(outlineLoop(zone.outline, z), new LineDashedMaterial({ color: RFID, dashSize: 0.35, gapSize: 0.2 }));
      // Dashes are laid out along the line's length, which three.js computes on request.
      loop.computeLineDistances();
      group.add(loop);
    }
    return group;
  }
}
