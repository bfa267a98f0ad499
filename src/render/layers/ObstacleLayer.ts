/** Obstacles (columns, pallet stacks): solid boxes standing on the floor. */
import { BoxGeometry, Mesh, MeshLambertMaterial, type Object3D } from 'three';
import type { Layout, Obstacle } from '../../layout/Layout';
import { OBSTACLE } from '../palette';
import { ObjectLayer } from './ObjectLayer';

const DEG = Math.PI / 180;

export class ObstacleLayer extends ObjectLayer<Obstacle> {
  constructor() {
    super('obstacles');
  }

  update(layout: Layout): void {
    this.sync(layout.obstacles.map((o) => [o.id, o] as const));
  }

  protected build(obstacle: Obstacle): Object3D {
    const [w, d, h] = obstacle.size;
    const box = new Mesh(new BoxGeometry(w, d, h), new MeshLambertMaterial({ color: OBSTACLE }));
    box.position.set(obstacle.position[0], obstacle.position[1], h / 2);
    box.rotation.z = obstacle.yaw * DEG;
    return box;
  }
}
