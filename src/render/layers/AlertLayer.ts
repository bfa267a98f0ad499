/**
 * Alerts where they happened: a ring per alert, coloured by severity, all in one
 * InstancedMesh (one draw call). A ring is new when its id was not shown before; a new ring
 * pulses (grows and restarts) for its first seconds, then holds still (placement.alertRing).
 * The renderer asks `tick` before each frame and keeps frames coming only while it says a
 * pulse runs, so a room with settled alerts is idle.
 */
import { DoubleSide, MeshBasicMaterial, RingGeometry } from 'three';
import type { Vec3 } from '../../layout/Layout';
import { ALERT_COLORS } from '../palette';
import { alertRing } from '../placement';
import { InstancedMarkers } from './InstancedMarkers';

/** An alert to show where it happened. */
export interface SceneAlert {
  /** Stable across calls: an alert keeps its age (and so stops pulsing) by its id. */
  readonly id: string;
  readonly at: Vec3;
  readonly severity: 'info' | 'warning' | 'critical';
}

export class AlertLayer {
  private readonly rings = new InstancedMarkers(
    'alerts',
    new RingGeometry(0.82, 1, 40),
    // Drawn over everything: an alert behind a shelf must still be seen.
    new MeshBasicMaterial({ color: 0xffffff, transparent: true, opacity: 0.9, side: DoubleSide, depthTest: false, depthWrite: false }),
  );
  private alerts: readonly SceneAlert[] = [];
  /** When each alert id was first shown (clock time), for its pulse. */
  private since = new Map<string, number>();

  constructor() {
    this.rings.group.renderOrder = 10;
  }

  get group() {
    return this.rings.group;
  }

  /** Shows exactly these alerts at clock time t. */
  set(alerts: readonly SceneAlert[], t: number): void {
    this.since = new Map(alerts.map((a) => [a.id, this.since.get(a.id) ?? t]));
    this.alerts = alerts;
    this.tick(t);
  }

  /** Sizes the rings for clock time t; true while any still pulses. */
  tick(t: number): boolean {
    if (this.alerts.length === 0 && this.rings.count === 0) return false;
    let pulsing = false;
    this.rings.set(
      this.alerts.map((a) => {
        const ring = alertRing(t - (this.since.get(a.id) ?? t));
        pulsing ||= ring.pulsing;
        return { id: a.id, at: [a.at[0], a.at[1], a.at[2] + 0.02] as Vec3, color: ALERT_COLORS[a.severity], scale: ring.radius };
      }),
    );
    return pulsing;
  }

  dispose(): void {
    this.rings.dispose();
  }
}
