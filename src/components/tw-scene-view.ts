/**
 * Hosts the 3D view's canvas. It only forwards what the page knows — the canvas size, the
 * theme's background, the layout to show — to SceneRenderer; pointer input reaches the
 * renderer's orbit controls on the canvas itself. All drawing lives in src/render/.
 *
 * Pointer over the canvas: the renderer names what is under it (`pick`); this element shows
 * a small tooltip (text from render/tooltipText) and fires `tw-hover`. A click that did not
 * drag the view selects what is under it (or clears the selection) and fires `tw-select`.
 *
 * Fires `tw-frame` (bubbling, composed) after each rendered frame, with its SceneStats.
 */
import { css, html, LitElement, type PropertyValues } from 'lit';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { SceneRenderer, type SceneStats } from '../render/SceneRenderer';
import { sameRef, type SceneRef } from '../render/SceneRef';
import { tooltipText } from '../render/tooltipText';

/** `tw-hover`: what is under the pointer (null: nothing), and where the pointer is. */
export interface SceneHover {
  readonly ref: SceneRef | null;
  readonly clientX: number;
  readonly clientY: number;
}

/** `tw-select`: what the user clicked (null: empty space, the selection is cleared). */
export interface SceneSelect {
  readonly ref: SceneRef | null;
}

/** A press that moves further than this (CSS px) is an orbit drag, not a click. */
const CLICK_SLOP = 4;

export class TwSceneView extends LitElement {
  static override properties = { layout: { attribute: false } };

  static override styles = css`
    :host {
      display: block;
      position: relative;
      min-height: 200px;
      background: var(--tw-scene-bg, #15191f);
    }
    canvas {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      display: block;
      outline: none;
    }
    .tooltip {
      position: absolute;
      z-index: 1;
      pointer-events: none;
      max-width: 320px;
      padding: 4px 8px;
      border-radius: 4px;
      font: 12px/1.4 system-ui, sans-serif;
      color: #f4f6f8;
      background: rgb(20 24 30 / 0.9);
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.35);
      white-space: nowrap;
    }
    .tooltip b {
      display: block;
      font-weight: 600;
    }
  `;

  /** The layout to show; the view keeps the last one until given another. */
  declare layout: LayoutIndex | undefined;
  private renderer: SceneRenderer | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private readonly colorScheme = matchMedia('(prefers-color-scheme: light)');
  private readonly onSchemeChange = () => this.applyBackground();
  /** The page's theme is its root's data-theme (theme.ts): follow it when it changes. */
  private readonly themeObserver = new MutationObserver(() => this.applyBackground());
  private hovered: SceneRef | null = null;
  private pressedAt: { x: number; y: number } | undefined;
  private moveFrame = 0;
  private lastMove: PointerEvent | undefined;

  constructor() {
    super();
    this.layout = undefined;
  }

  /** Stats of the last frame, or undefined before the renderer exists. */
  stats(): SceneStats | undefined {
    return this.renderer?.stats();
  }

  /** The renderer: `scene.show(view)`, `setAlerts`, `select`, `focus`, `positionOf`. */
  get scene(): SceneRenderer | undefined {
    return this.renderer;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Reattached after a disconnect: the canvas is still there, the renderer is not.
    if (this.hasUpdated && !this.renderer) this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  protected override render() {
    return html`<canvas
        aria-label="3D view of the back room"
        @pointermove=${this.onPointerMove}
        @pointerleave=${this.onPointerLeave}
        @pointerdown=${this.onPointerDown}
        @pointerup=${this.onPointerUp}
      ></canvas
      ><div class="tooltip" role="tooltip" hidden></div>`;
  }

  private readonly onPointerMove = (e: PointerEvent): void => {
    // One pick a frame however fast the pointer moves; none while a button drags the view.
    this.lastMove = e;
    if (this.moveFrame) return;
    this.moveFrame = requestAnimationFrame(() => {
      this.moveFrame = 0;
      const m = this.lastMove;
      if (m && m.buttons === 0) this.hover(this.renderer?.pick(m.clientX, m.clientY) ?? null, m.clientX, m.clientY);
    });
  };

  private readonly onPointerLeave = (e: PointerEvent): void => this.hover(null, e.clientX, e.clientY);

  private readonly onPointerDown = (e: PointerEvent): void => {
    this.pressedAt = { x: e.clientX, y: e.clientY };
    this.hover(null, e.clientX, e.clientY);
  };

  private readonly onPointerUp = (e: PointerEvent): void => {
    const from = this.pressedAt;
    this.pressedAt = undefined;
    if (!from || e.button !== 0 || Math.hypot(e.clientX - from.x, e.clientY - from.y) >= CLICK_SLOP) return;
    const ref = this.renderer?.pick(e.clientX, e.clientY) ?? null;
    this.renderer?.select(ref);
    this.dispatchEvent(new CustomEvent<SceneSelect>('tw-select', { detail: { ref }, bubbles: true, composed: true }));
  };

  private hover(ref: SceneRef | null, clientX: number, clientY: number): void {
    const tip = this.renderRoot.querySelector<HTMLElement>('.tooltip');
    if (tip) {
      if (ref) {
        const [title, ...rest] = tooltipText(ref, this.renderer?.layoutIndex, this.renderer?.roomView);
        const b = document.createElement('b');
        b.textContent = title ?? '';
        tip.replaceChildren(b, ...rest.flatMap((line, i) => (i ? [document.createElement('br'), line] : [line])));
        const box = this.getBoundingClientRect();
        // Beside the pointer, flipped to its left near the right edge.
        const x = clientX - box.left;
        tip.style.top = `${Math.max(0, clientY - box.top + 14)}px`;
        tip.style.left = x > box.width - 240 ? '' : `${x + 14}px`;
        tip.style.right = x > box.width - 240 ? `${box.width - x + 14}px` : '';
        tip.hidden = false;
      } else {
        tip.hidden = true;
      }
    }
    if (sameRef(ref, this.hovered)) return;
    this.hovered = ref;
    this.renderer?.hover(ref);
    this.dispatchEvent(new CustomEvent<SceneHover>('tw-hover', { detail: { ref, clientX, clientY }, bubbles: true, composed: true }));
  }

  protected override firstUpdated(): void {
    this.start();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('layout') && this.layout) this.renderer?.setLayout(this.layout);
  }

  private start(): void {
    const canvas = this.renderRoot.querySelector('canvas')!;
    this.renderer = new SceneRenderer(canvas, (stats) =>
      this.dispatchEvent(new CustomEvent<SceneStats>('tw-frame', { detail: stats, bubbles: true, composed: true })),
    );
    this.applyBackground();
    this.colorScheme.addEventListener('change', this.onSchemeChange);
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.resizeObserver = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      this.renderer?.resize(Math.round(width), Math.round(height), devicePixelRatio);
    });
    this.resizeObserver.observe(this);
    if (this.layout) this.renderer.setLayout(this.layout);
  }

  private stop(): void {
    if (this.moveFrame) cancelAnimationFrame(this.moveFrame);
    this.moveFrame = 0;
    this.colorScheme.removeEventListener('change', this.onSchemeChange);
    this.themeObserver.disconnect();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    this.renderer?.dispose();
    this.renderer = undefined;
  }

  private applyBackground(): void {
    const bg = getComputedStyle(this).getPropertyValue('--tw-scene-bg').trim();
    if (bg) this.renderer?.setBackground(bg);
  }
}

customElements.define('tw-scene-view', TwSceneView);

declare global {
  interface HTMLElementTagNameMap {
    'tw-scene-view': TwSceneView;
  }
  interface HTMLElementEventMap {
    'tw-frame': CustomEvent<SceneStats>;
    'tw-hover': CustomEvent<SceneHover>;
    'tw-select': CustomEvent<SceneSelect>;
  }
}
