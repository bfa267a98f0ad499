/**
 * A layout as it is written to a file (../shared/contract/layout.md), before
 * `parseLayout` reads it: the shape generators build and `formatLayoutJson` writes. It differs
 * from `Layout` (src/layout/Layout.ts) only where the file is allowed to say less: slots do not
 * name their shelf, `highValue`, `restricted` and `roles` may be left out, and a reader with
 * one antenna may give `zone` instead of `antennas`.
 */
import type { DoorKind, Role, Vec2, Vec3, ZoneKind } from '../../src/layout/Layout';

export interface SkuJson {
  id: string;
  name: string;
  /** Grams of one unit including its packaging, > 0. */
  unitGrams: number;
  unitCost: number;
  unitPrice: number;
  highValue?: boolean;
}

export interface ZoneJson {
  id: string;
  kind: ZoneKind;
  /** Counter-clockwise, simple. */
  outline: Vec2[];
  restricted?: boolean;
  roles?: Role[];
}

export interface SlotJson {
  /** Unique across the whole layout. */
  id: string;
  level: number;
  /** 0 = leftmost seen from the front; on a level of n slots the indices are 0..n-1. */
  index: number;
  sku: string;
  capacity: number;
}

export interface ShelfJson {
  id: string;
  zone: string;
  position: Vec2;
  yaw: number;
  size: Vec3;
  levels: number;
  slots: SlotJson[];
}

export interface DoorJson {
  id: string;
  kind: DoorKind;
  position: Vec2;
  width: number;
  zone: string;
}

export type RfidJson = { id: string; antennas: Record<string, string> } | { id: string; zone: string };

export interface CameraJson {
  id: string;
  position: Vec3;
  yaw: number;
  pitch: number;
  hfov: number;
  resolution: [number, number];
}

export interface ObstacleJson {
  id: string;
  position: Vec2;
  size: Vec3;
  yaw: number;
}

export interface LayoutJson {
  version: 1;
  store: string;
  name: string;
  timezone: string;
  hours: { open: string; close: string };
  room: { outline: Vec2[]; height: number };
  skus: SkuJson[];
  zones: ZoneJson[];
  shelves: ShelfJson[];
  doors: DoorJson[];
  rfid: RfidJson[];
  cameras: CameraJson[];
  obstacles: ObstacleJson[];
}
