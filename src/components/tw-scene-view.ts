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
 *
 * With `dragParts` (the Plan tab), a press on a camera and a drag moves it over the floor
 * at its height instead of orbiting the view: `tw-camera-drag` says where, from `start` to
 * `end`; a press on a shelf (its frame or one of its slots) and a drag moves the shelf:
 * `tw-shelf-drag`. The planner's tab makes each an edit; a press that does not move is
 * still a click that selects.
 */
import { css, html, LitElement, type PropertyValues } from 'lit';
import type { LayoutIndex } from '../layout/LayoutIndex';
import { SceneRenderer, type SceneStats } from '../render/SceneRenderer';
import { sameRef, type SceneRef } from '../render/SceneRef';
import { insetRect } from '../render/CameraInset';
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

/** `tw-camera-drag`: a camera dragged over the floor, at its own height. */
export interface CameraDrag {
  readonly id: string;
  readonly phase: 'start' | 'move' | 'end';
  /** Where the camera is now, room coordinates. */
  readonly position: readonly [number, number, number];
}

/** `tw-shelf-drag`: a shelf dragged over the floor. */
export interface ShelfDrag {
  readonly id: string;
  readonly phase: 'start' | 'move' | 'end';
  /** Where the shelf's centre is now, on the floor. */
  readonly position: readonly [number, number];
}

/** A camera or shelf being dragged: its id, the height it is dragged at, and its offset from the point under the pointer. */
interface DragState {
  readonly kind: 'camera' | 'shelf';
  readonly id: string;
  readonly z: number;
  readonly dx: number;
  readonly dy: number;
  /** Past the click slop: a drag, not a click. */
  moved: boolean;
}

/** A press that moves further than this (CSS px) is an orbit drag, not a click. */
const CLICK_SLOP = 4;

export class TwSceneView extends LitElement {
  static override properties = { layout: { attribute: false }, dragParts: { type: Boolean } };

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
    .inset-label {
      position: absolute;
      pointer-events: none;
      padding: 1px 6px;
      border-radius: 3px;
      font: 12px/1.4 system-ui, sans-serif;
      color: #f4f6f8;
      background: rgb(20 24 30 / 0.8);
    }
    .tooltip b {
      display: block;
      font-weight: 600;
    }
  `;

  /** The layout to show; the view keeps the last one until given another. */
  declare layout: LayoutIndex | undefined;
  /** Whether a press on a camera or a shelf drags it (the Plan tab) rather than orbiting the view. */
  declare dragParts: boolean;
  private drag: DragState | undefined;
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
    this.dragParts = false;
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
      ><div class="tooltip" role="tooltip" hidden></div
      ><div class="inset-label" data-inset-label hidden></div>`;
  }

  private readonly onPointerMove = (e: PointerEvent): void => {
    if (this.drag) return this.dragTo(this.drag, e, 'move');
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
    const scene = this.renderer;
    if (!this.dragParts || e.button !== 0 || !scene) return;
    const ref = scene.pick(e.clientX, e.clientY);
    const part = ref && draggable(scene, ref);
    // A shelf is held at half its height: about where a press on its stock lands.
    const at = part && scene.planePoint(e.clientX, e.clientY, part.z);
    if (!part || !at) return;
    // This listener runs before the orbit controls' own (Lit bound it first): they skip this press.
    scene.orbit = false;
    (e.target as Element).setPointerCapture?.(e.pointerId);
    const { x, y, ...held } = part;
    this.drag = { ...held, dx: x - at[0], dy: y - at[1], moved: false };
  };

  private dragTo(d: DragState, e: PointerEvent, phase: CameraDrag['phase']): void {
    const at = this.renderer?.planePoint(e.clientX, e.clientY, d.z);
    if (!at) return;
    if (!d.moved) {
      const from = this.pressedAt;
      if (phase === 'move' && from && Math.hypot(e.clientX - from.x, e.clientY - from.y) < CLICK_SLOP) return;
      d.moved = true;
      this.fireDrag(d, 'start', at);
    }
    this.fireDrag(d, phase, at);
  }

  private fireDrag(d: DragState, phase: CameraDrag['phase'], at: readonly number[]): void {
    const x = at[0]! + d.dx;
    const y = at[1]! + d.dy;
    const init = { bubbles: true, composed: true };
    if (d.kind === 'camera') this.dispatchEvent(new CustomEvent<CameraDrag>('tw-camera-drag', { ...init, detail: { id: d.id, phase, position: [x, y, d.z] } }));
    else this.dispatchEvent(new CustomEvent<ShelfDrag>('tw-shelf-drag', { ...init, detail: { id: d.id, phase, position: [x, y] } }));
  }

  private readonly onPointerUp = (e: PointerEvent): void => {
    const drag = this.drag;
    if (drag) {
      this.drag = undefined;
      if (this.renderer) this.renderer.orbit = true;
      if (drag.moved) {
        this.dragTo(drag, e, 'end');
        this.pressedAt = undefined;
        const ref: SceneRef = { kind: drag.kind, id: drag.id };
        this.renderer?.select(ref);
        this.dispatchEvent(new CustomEvent<SceneSelect>('tw-select', { detail: { ref }, bubbles: true, composed: true }));
        return;
      }
    }
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
    this.renderer = new SceneRenderer(canvas, (stats) => {
      this.placeInsetLabel(stats);
      this.dispatchEvent(new CustomEvent<SceneStats>('tw-frame', { detail: stats, bubbles: true, composed: true }));
    });
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

  /** Names the camera whose own view the renderer drew in the corner, just above it. */
  private placeInsetLabel(stats: SceneStats): void {
    const label = this.renderRoot.querySelector<HTMLElement>('.inset-label');
    const camera = stats.inset ? this.renderer?.cameraOf(stats.inset) : undefined;
    if (!label) return;
    label.hidden = !camera;
    if (!camera) return;
    const r = insetRect(camera, this.clientWidth, this.clientHeight);
    label.textContent = `${camera.id}: what it sees (${camera.resolution[0]} × ${camera.resolution[1]}, ${camera.hfov}°)`;
    label.style.right = `${this.clientWidth - r.x - r.w}px`;
    label.style.bottom = `${r.y + r.h + 4}px`;
  }

  private applyBackground(): void {
    const bg = getComputedStyle(this).getPropertyValue('--tw-scene-bg').trim();
    if (bg) this.renderer?.setBackground(bg);
  }
}

/** The part a press on `ref` drags, as the view shows it now: a camera at its height, a shelf (or a slot's shelf) at half its height. */
function draggable(scene: SceneRenderer, ref: SceneRef): Omit<DragState, 'dx' | 'dy' | 'moved'> & { x: number; y: number } | undefined {
  if (ref.kind === 'camera') {
    const c = scene.cameraOf(ref.id);
    return c && { kind: 'camera', id: c.id, x: c.position[0], y: c.position[1], z: c.position[2] };
  }
  const layout = scene.layoutIndex;
  const id = ref.kind === 'shelf' ? ref.id : ref.kind === 'slot' ? layout?.slots.get(ref.id)?.shelf : undefined;
  const shelf = id === undefined ? undefined : layout?.shelves.get(id);
  return shelf && { kind: 'shelf', id: shelf.id, x: shelf.position[0], y: shelf.position[1], z: shelf.size[2] / 2 };
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
    'tw-camera-drag': CustomEvent<CameraDrag>;
    'tw-shelf-drag': CustomEvent<ShelfDrag>;
  }
}
