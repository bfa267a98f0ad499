/**
 * Hosts the 3D view's canvas. It only forwards what the page knows — the canvas size, the
 * theme's background, the layout to show — to SceneRenderer; pointer input reaches the
 * renderer's orbit controls on the canvas itself. All drawing lives in src/render/.
 *
 * Fires `tw-frame` (bubbling, composed) after each rendered frame, with its SceneStats.
 */
import { css, html, LitElement, type PropertyValues } from 'lit';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { SceneRenderer, type SceneStats } from '../render/SceneRenderer';

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
  `;

  /** The layout to show; the view keeps the last one until given another. */
  declare layout: LayoutIndex | undefined;
  private renderer: SceneRenderer | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private readonly colorScheme = matchMedia('(prefers-color-scheme: light)');
  private readonly onSchemeChange = () => this.applyBackground();

  constructor() {
    super();
    this.layout = undefined;
  }

  /** Stats of the last frame, or undefined before the renderer exists. */
  stats(): SceneStats | undefined {
    return this.renderer?.stats();
  }

  /** The renderer, for callers that recolour slots (`scene.slots.setFill`). */
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
    return html`<canvas aria-label="3D view of the back room"></canvas>`;
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
    this.resizeObserver = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      this.renderer?.resize(Math.round(width), Math.round(height), devicePixelRatio);
    });
    this.resizeObserver.observe(this);
    if (this.layout) this.renderer.setLayout(this.layout);
  }

  private stop(): void {
    this.colorScheme.removeEventListener('change', this.onSchemeChange);
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
  }
}
