/**
 * Debian's Chromium, headless, driven by playwright-core, with WebGL through SwiftShader
 * (software Vulkan behind ANGLE) since test machines have no GPU. Each launch gets a fresh
 * profile directory, removed on close, and no network chatter of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', // containers run as root without user namespaces
  // WebGL without a GPU: ANGLE on SwiftShader. Chromium now refuses the software fallback
  // for WebGL unless it is explicitly allowed, and may blocklist the "GPU" it finds.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  // Quiet, reproducible runs: no background fetches, updates, sync or first-run UI.
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  // launchPersistentContext because Playwright owns --user-data-dir and refuses it in args.
  const profile = mkdtempSync(join(tmpdir(), 'twin-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page that records every console error and uncaught exception into `errors`. */
export async function openPage(session: BrowserSession): Promise<{ page: Page; errors: string[] }> {
  const page = await session.context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return { page, errors };
}

/** Renderer string of the page's WebGL, to tell SwiftShader from "no WebGL" in failures. */
export function webglRenderer(page: Page): Promise<string> {
  return page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return 'no WebGL2';
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  });
}

/** The RGBA pixels of a PNG, decoded by the page (Node has no PNG decoder here), at most 480 wide. */
export async function screenshotPixels(page: Page, png: Buffer): Promise<Uint8Array> {
  const b64 = await page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const w = Math.min(480, img.width);
    const h = Math.max(1, Math.round((img.height * w) / img.width));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = false; // keep real colours: no blended in-between shades
    ctx.drawImage(img, 0, 0, w, h);
    const rgba = ctx.getImageData(0, 0, w, h).data;
    let s = '';
    for (let i = 0; i < rgba.length; i += 0x8000) s += String.fromCharCode(...rgba.subarray(i, i + 0x8000));
    return btoa(s);
  }, png.toString('base64'));
  return new Uint8Array(Buffer.from(b64, 'base64'));
}
