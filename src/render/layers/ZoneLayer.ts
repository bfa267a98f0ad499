/**
 * Zones: a translucent tint of the floor by zone kind, with a solid outline. Restricted zones
 * get a second, inner outline so they stand out without a legend.
 */
import { DoubleSide, Group, LineBasicMaterial, LineLoop, Mesh, MeshBasicMaterial, type Object3D } from 'three';
import type { Layout, Zone } from '../../layout/Layout';
import { ZONE_COLORS } from '../palette';
import { ObjectLayer } from './ObjectLayer';
import { floorPolygon, outlineLoop } from './floorShapes';

/** Just above the floor and its grid, so the tint never fights them for depth. */
const FILL_Z = 0.006;
const LINE_Z = 0.012;

export class ZoneLayer extends ObjectLayer<Zone> {
  constructor() {
    super('zones', 'zone');
  }

  update(layout: Layout): void {
    this.sync(layout.zones.map((z) => [z.id, z] as const));
  }

  protected build(zone: Zone): Object3D {
    const color = ZONE_COLORS[zone.kind];
    const group = new Group();
    const fill = new Mesh(
      floorPolygon(zone.outline, FILL_Z),
      new MeshBasicMaterial({ color, transparent: true, opacity: 0.32, depthWrite: false, side: DoubleSide }),
    );
    group.add(fill);
    group.add(new LineLoop(outlineLoop(zone.outline, LINE_Z), new LineBasicMaterial({ color })));
    if (zone.restricted) {
      const inner = new LineLoop(outlineLoop(insetTowardsCentre(zone.outline, 0.15), LINE_Z), new LineBasicMaterial({ color }));
      group.add(inner);
    }
    return group;
  }
}

/**
 * Pulls each point `by` metres towards the centroid of the points. Not a true polygon inset
 * (a concave zone may bend oddly), but enough for a second line that marks "restricted".
 */
function insetTowardsCentre(outline: Zone['outline'], by: number): Zone['outline'] {
  const cx = outline.reduce((s, p) => s + p[0], 0) / outline.length;
  const cy = outline.reduce((s, p) => s + p[1], 0) / outline.length;
  return outline.map(([x, y]) => {
    const d = Math.hypot(cx - x, cy - y) || 1;
    const k = Math.min(by, d / 2) / d;
    return [x + (cx - x) * k, y + (cy - y) * k] as const;
  });
}
