/**
 * JPEG encoding for the simulator's frames, with one encoder (tables built once) per quality.
 * Same pixels and quality, same bytes.
 */
import { JpegEncoder } from './JpegEncoder';

const encoders = new Map<number, JpegEncoder>();

/** RGBA bytes (4 a pixel, alpha ignored) to a JPEG; quality 1 to 100. */
export function encodeJpeg(rgba: Uint8Array, width: number, height: number, quality = 75): Uint8Array {
  let e = encoders.get(quality);
  if (!e) encoders.set(quality, (e = new JpegEncoder(quality)));
  return e.encode(rgba, width, height);
}
