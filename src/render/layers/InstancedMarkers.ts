/**
 * A growable set of small markers of one shape as ONE InstancedMesh: one draw call however
 * many there are. Instance i is `ids[i]`; `set` replaces the whole set (they are few: people
 * in the room, offline devices, alerts), growing the mesh's capacity by doubling.
 */
import { type BufferGeometry, Color, Group, InstancedMesh, type Material, Matrix4, Quaternion, Vector3 } from 'three';
import type { Vec3 } from '../../layout/Layout';

export interface Marker {
  readonly id: string;
  readonly at: Vec3;
  readonly color: number;
  /** Uniform scale, 1 by default. */
  readonly scale?: number;
}

export class InstancedMarkers {
  readonly group = new Group();
  mesh: InstancedMesh | undefined;
  private ids: string[] = [];
  private markers: readonly Marker[] = [];

  constructor(
    name: string,
    private readonly geometry: BufferGeometry,
    private readonly material: Material,
  ) {
    this.group.name = name;
  }

  get count(): number {
    return this.ids.length;
  }

  idAt(instance: number): string | undefined {
    return this.ids[instance];
  }

  /** Where marker `id` stands, or undefined. */
  positionOf(id: string): Vec3 | undefined {
    return this.markers.find((m) => m.id === id)?.at;
  }

  set(markers: readonly Marker[]): void {
    this.markers = markers;
    this.ids = markers.map((m) => m.id);
    const capacity = this.mesh ? this.mesh.instanceMatrix.count : 0;
    if (markers.length > capacity) {
      this.dropMesh();
      const mesh = new InstancedMesh(this.geometry, this.material, Math.max(8, 2 ** Math.ceil(Math.log2(markers.length))));
      mesh.name = this.group.name;
      // Instances move about; a stale bounding sphere would cull or miss-pick them.
      mesh.frustumCulled = false;
      this.mesh = mesh;
      this.group.add(mesh);
    }
    const mesh = this.mesh;
    if (!mesh) return;
    const m = new Matrix4();
    const q = new Quaternion();
    const s = new Vector3();
    const p = new Vector3();
    const c = new Color();
    markers.forEach((marker, i) => {
      const k = marker.scale ?? 1;
      mesh.setMatrixAt(i, m.compose(p.set(...marker.at), q, s.set(k, k, k)));
      mesh.setColorAt(i, c.setHex(marker.color));
    });
    mesh.count = markers.length;
    mesh.instanceMatrix.needsUpdate = true;
    if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
    mesh.boundingSphere = null;
    mesh.visible = markers.length > 0;
  }

  /** Rescales marker i in place (for pulses); the caller asks for the frame. */
  rescale(i: number, at: Vec3, k: number): void {
    if (!this.mesh) return;
    this.mesh.setMatrixAt(i, new Matrix4().compose(new Vector3(...at), new Quaternion(), new Vector3(k, k, k)));
    this.mesh.instanceMatrix.needsUpdate = true;
  }

  dispose(): void {
    this.dropMesh();
    this.geometry.dispose();
    this.material.dispose();
    this.group.removeFromParent();
  }

  private dropMesh(): void {
    if (!this.mesh) return;
    this.mesh.removeFromParent();
    this.mesh.dispose();
    this.mesh = undefined;
  }
}
