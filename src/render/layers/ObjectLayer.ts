/**
 * A layer of the 3D view: one Object3D per part of one kind, kept in a Map by the part's id.
 * `sync` is handed the parts that should be shown; it builds what is new, rebuilds what
 * changed (parts are immutable, so a different object means changed), and disposes what
 * left. Subclasses only say how to build one part.
 */
import { Group, type Object3D } from 'three';
import type { SceneRefKind } from '../SceneRef';
import { disposeObject } from '../disposeObject';

export abstract class ObjectLayer<T> {
  /** Added to the scene once by the renderer; the layer adds and removes its children. */
  readonly group = new Group();
  protected readonly objects = new Map<string, Object3D>();
  private readonly parts = new Map<string, T>();

  /** `kind` tags each part's root object (userData {kind, id}) so picking can name it. */
  constructor(
    name: string,
    readonly kind?: SceneRefKind,
  ) {
    this.group.name = name;
  }

  /** Shows exactly these parts, as [id, part] pairs. */
  sync(entries: Iterable<readonly [string, T]>): void {
    const keep = new Set<string>();
    for (const [id, part] of entries) {
      keep.add(id);
      if (this.parts.get(id) === part) continue;
      this.remove(id);
      const object = this.build(part, id);
      object.name = id;
      if (this.kind) object.userData = { kind: this.kind, id };
      this.objects.set(id, object);
      this.parts.set(id, part);
      this.group.add(object);
    }
    for (const id of [...this.objects.keys()]) if (!keep.has(id)) this.remove(id);
  }

  get size(): number {
    return this.objects.size;
  }

  object(id: string): Object3D | undefined {
    return this.objects.get(id);
  }

  remove(id: string): void {
    const object = this.objects.get(id);
    if (!object) return;
    this.group.remove(object);
    disposeObject(object);
    this.objects.delete(id);
    this.parts.delete(id);
  }

  dispose(): void {
    for (const id of [...this.objects.keys()]) this.remove(id);
    this.group.removeFromParent();
  }

  protected abstract build(part: T, id: string): Object3D;
}
