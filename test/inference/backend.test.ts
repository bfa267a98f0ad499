/**
 * Choosing tf.js's backend: software WebGL is told from a GPU by its renderer's name, and in
 * Node (no WebGL) the choice falls to wasm with SIMD, or to cpu when asked or when no wasm
 * binaries are named, each skip with its reason.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend, isSoftwareRenderer } from '../../src/inference/backend';
import { nodeWasmPaths } from '../../src/inference/nodeWasmPaths';

describe('backend', () => {
  it('tells software renderers from GPUs', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002503) Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer('Apple M2')).toBe(false);
    expect(isSoftwareRenderer('Mesa Intel(R) UHD Graphics 620 (KBL GT2)')).toBe(false);
  });

  it('falls to cpu without wasm binaries, to wasm with SIMD when they are named, and to cpu when asked', async () => {
    const none = await initBackend();
    expect(none).toMatchObject({ name: 'cpu', notes: ['webgl skipped: no WebGL here', 'wasm skipped: no wasmPaths given'] });
    const wasm = await initBackend({ wasmPaths: nodeWasmPaths() });
    expect(wasm).toMatchObject({ name: 'wasm', simd: true, threads: 1, threadsAvailable: false });
    expect(wasm.notes).toContain('wasm threads: off in Node (tfjs-backend-wasm runs single-threaded there)');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.tidy(() => tf.add(tf.tensor([1, 2]), tf.tensor([3, 4])).arraySync())).toEqual([4, 6]);
    const cpu = await initBackend({ prefer: 'cpu', wasmPaths: nodeWasmPaths() });
    expect(cpu).toMatchObject({ name: 'cpu', notes: [] });
    expect(tf.getBackend()).toBe('cpu');
  });
});
