/**
 * What the 3D view can point at: a part of the layout or a badge in the room, by kind and id.
 * Hover, selection, focus and tooltips all speak in these. Pure: no three.js, no DOM.
 */
export type SceneRefKind = 'slot' | 'shelf' | 'zone' | 'door' | 'camera' | 'rfid' | 'badge';

export interface SceneRef {
  readonly kind: SceneRefKind;
  /** The part's id in the layout, or the badge id for a badge. */
  readonly id: string;
}

export const sameRef = (a: SceneRef | null | undefined, b: SceneRef | null | undefined): boolean =>
  a === b || (!!a && !!b && a.kind === b.kind && a.id === b.id);
