/**
 * A JPEG back to RGBA bytes with jpeg-js (pure JavaScript: the same in Node, in a worker and
 * in the page, no canvas), for tests and for cutting slot crops out of recorded frames.
 * Kept apart from encoding so that the simulator does not load a decoder it never uses.
 */
import { decode } from 'jpeg-js';

export function decodeJpeg(jpeg: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const img = decode(jpeg, { useTArray: true, formatAsRGBA: true });
  return { width: img.width, height: img.height, rgba: img.data };
}
