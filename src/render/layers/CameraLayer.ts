/**
 * Cameras: a small body pointing where the camera looks, and its view pyramid as lines, cut
 * where the edge rays reach the floor (cameraFrustum.ts holds the maths and its tests).
 */
import { BoxGeometry, Euler, Group, LineBasicMaterial, LineSegments, Mesh, MeshLambertMaterial, type Object3D } from 'three';
import type { Camera, Layout } from '../../layout/Layout';
import { frustumCorners } from '../cameraFrustum';
import { CAMERA, FRUSTUM } from '../palette';
import { ObjectLayer } from './ObjectLayer';
import { segments } from './floorShapes';

const DEG = Math.PI / 180;

export class CameraLayer extends ObjectLayer<Camera> {
  private room: Layout['room'] | undefined;

  constructor() {
    super('cameras', 'camera');
  }

  update(layout: Layout): void {
    this.room = layout.room;
    this.sync(layout.cameras.map((c) => [c.id, c] as const));
  }

  protected build(camera: Camera): Object3D {
    const group = new Group();
    const body = new Mesh(new BoxGeometry(0.4, 0.2, 0.2), new MeshLambertMaterial({ color: CAMERA }));
    body.position.set(...camera.position);
    // 'ZYX' applies pitch about y first, then yaw about z: the contract's order. Turning +x
    // about +y by a positive angle points it down, hence -pitch.
    body.rotation.copy(new Euler(0, -camera.pitch * DEG, camera.yaw * DEG, 'ZYX'));
    group.add(body);

    const apex = camera.position;
    // Cut by the room's walls, floor and ceiling; the range only matters for a room-less call.
    const c = frustumCorners(camera, 1000, this.room);
    const lines = [
      ...c.flatMap((corner) => [apex, corner]),
      ...c.flatMap((corner, i) => [corner, c[(i + 1) % c.length]!]),
    ];
    const frustum = new LineSegments(segments(lines), new LineBasicMaterial({ color: FRUSTUM, transparent: true, opacity: 0.7 }));
    // The pyramid spans half the room: a pointer over anything it crosses means that thing.
    frustum.userData = { noPick: true };
    group.add(frustum);
    return group;
  }
}
