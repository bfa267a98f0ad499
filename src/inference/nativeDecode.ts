/**
 * A JPEG decoded by the browser's own decoder, in a web worker or the page: createImageBitmap
 * off the bytes, drawn on an OffscreenCanvas and read back as RGBA. Native code (libjpeg-turbo
 * in Chromium) instead of wasm or JavaScript: what VisionService uses where it exists.
 * Undefined where either is missing (Node).
 */
import type { DecodedImage } from './VisionRunner';

export type JpegDecoder = (jpeg: Uint8Array) => Promise<DecodedImage>;

export function nativeJpegDecoder(): JpegDecoder | undefined {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return undefined;
  let canvas: OffscreenCanvas | undefined;
  let ctx: OffscreenCanvasRenderingContext2D | null = null;
  return async (jpeg) => {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(new Blob([jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    } catch (e) {
      throw new Error(`the frame is not a JPEG the browser decodes (${(e as Error).message})`);
    }
    try {
      const { width, height } = bitmap;
      if (!canvas || canvas.width !== width || canvas.height !== height) {
        canvas = new OffscreenCanvas(width, height);
        ctx = canvas.getContext('2d', { willReadFrequently: true });
      }
      if (!ctx) throw new Error('no 2D context on an OffscreenCanvas');
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, width, height).data;
      return { width, height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    } finally {
      bitmap.close();
    }
  };
}
