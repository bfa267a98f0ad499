/**
 * The planner service a worker exposes: a layout's text in, the plan and the planned layout
 * out (which loads again), progress told phase by phase, and a layout that does not load
 * refused with its reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLayout } from '../../src/layout/parseLayout';
import type { PlanProgress } from '../../src/planning/planPlacement';
import { PlannerService } from '../../src/planning/PlannerService';

const COMPACT = readFileSync(join(import.meta.dirname, '../../scenarios/layouts/apparel-compact.layout.json'), 'utf8');

describe('PlannerService', () => {
  it('plans a layout from its text, tells its progress, and returns a planned layout that loads', () => {
    const seen: PlanProgress[] = [];
    const answer = new PlannerService().plan({ layoutText: COMPACT, budget: 1400 }, (p) => seen.push(p));
    expect(answer.plan.spent).toBeLessThanOrEqual(1400);
    expect(answer.plan.devices.length).toBeGreaterThan(0);
    const phases = [...new Set(seen.map((p) => p.phase))];
    expect(phases).toEqual(['candidates', 'choosing', 'local search', 'done']);
    const reparsed = parseLayout(JSON.parse(JSON.stringify(answer.layout)));
    expect(reparsed.ok).toBe(true);
    if (reparsed.ok) expect(reparsed.layout.cameras.length).toBe(JSON.parse(COMPACT).cameras.length + answer.plan.devices.filter((d) => d.kind === 'camera').length);
  });

  it('refuses a layout that does not load, saying why', () => {
    expect(() => new PlannerService().plan({ layoutText: '{"version": 2}', budget: 100 })).toThrow(/the layout does not load: /);
  });
});
