/**
 * A drag handle between the 3D view and a panel. Dragging (mouse, pen or touch) or the arrow
 * keys while focused fire `tw-resize` with how far it moved (px, right or down positive);
 * double-click fires `tw-reset`. Owns no size itself: the shell decides.
 */
import { css, html, LitElement } from 'lit';

export class TwSplitter extends LitElement {
  static override properties = { orientation: { reflect: true }, label: {} };

  static override styles = css`
    :host { display: block; background: var(--tw-border); touch-action: none; position: relative; z-index: 1; }
    :host([orientation='vertical']) { width: 4px; cursor: col-resize; }
    :host([orientation='horizontal']) { height: 4px; cursor: row-resize; }
    :host(:hover), :host(:focus-visible), :host([dragging]) { background: var(--tw-accent); outline: none; }
  `;

  /** vertical: a bar between columns (moves left-right); horizontal: between rows. */
  declare orientation: 'vertical' | 'horizontal';
  declare label: string;
  private start: { x: number; y: number; id: number } | undefined;

  constructor() {
    super();
    this.orientation = 'vertical';
    this.label = 'Resize';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.tabIndex = 0;
    this.setAttribute('role', 'separator');
    this.addEventListener('pointerdown', this.onDown);
    this.addEventListener('pointermove', this.onMove);
    this.addEventListener('pointerup', this.onUp);
    this.addEventListener('pointercancel', this.onUp);
    this.addEventListener('keydown', this.onKey);
    this.addEventListener('dblclick', () => this.dispatchEvent(new CustomEvent('tw-reset', { bubbles: true, composed: true })));
  }

  protected override updated(): void {
    this.setAttribute('aria-orientation', this.orientation);
    this.setAttribute('aria-label', this.label);
  }

  private emit(delta: number): void {
    if (delta) this.dispatchEvent(new CustomEvent('tw-resize', { detail: { delta }, bubbles: true, composed: true }));
  }

  private readonly onDown = (e: PointerEvent): void => {
    this.start = { x: e.clientX, y: e.clientY, id: e.pointerId };
    this.setPointerCapture(e.pointerId);
    this.toggleAttribute('dragging', true);
    e.preventDefault();
  };

  private readonly onMove = (e: PointerEvent): void => {
    const s = this.start;
    if (!s || e.pointerId !== s.id) return;
    const delta = this.orientation === 'vertical' ? e.clientX - s.x : e.clientY - s.y;
    this.start = { ...s, x: e.clientX, y: e.clientY };
    this.emit(delta);
  };

  private readonly onUp = (e: PointerEvent): void => {
    if (!this.start || e.pointerId !== this.start.id) return;
    this.start = undefined;
    this.toggleAttribute('dragging', false);
    this.dispatchEvent(new CustomEvent('tw-resize-end', { bubbles: true, composed: true }));
  };

  private readonly onKey = (e: KeyboardEvent): void => {
    const step = e.shiftKey ? 64 : 16;
    const keys: Record<string, number> = this.orientation === 'vertical' ? { ArrowLeft: -step, ArrowRight: step } : { ArrowUp: -step, ArrowDown: step };
    const d = keys[e.key];
    if (d === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    this.emit(d);
    this.dispatchEvent(new CustomEvent('tw-resize-end', { bubbles: true, composed: true }));
  };

  protected override render() {
    return html``;
  }
}

customElements.define('tw-splitter', TwSplitter);

declare global {
  interface HTMLElementTagNameMap {
    'tw-splitter': TwSplitter;
  }
}
