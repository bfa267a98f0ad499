/**
 * Frees the GPU side of an object tree. three.js keeps buffers, programs and textures until
 * `dispose()` is called, so a layer that drops an object without this leaks GPU memory on
 * every layout change.
 */
import type { BufferGeometry, Material, Object3D } from 'three';

export function disposeObject(root: Object3D): void {
  root.traverse((o) => {
    const { geometry, material } = o as Object3D & { geometry?: BufferGeometry; material?: Material | Material[] };
    geometry?.dispose();
    if (Array.isArray(material)) for (const m of material) m.dispose();
    else material?.dispose();
  });
}
