/**
 * The Plan tab's words for placement plans: today's measures beside each plan's, devices
 * counted by kind, and where each device goes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparison, deviceWhere, runLabel } from '../../src/components/placementView';
import { PlannerService } from '../../src/planning/PlannerService';

const COMPACT = readFileSync(join(import.meta.dirname, '../../scenarios/layouts/apparel-compact.layout.json'), 'utf8');

describe('placement plans in words', () => {
  it('sets today beside each plan, measure by measure, and a richer plan reaches at least as far', () => {
    const service = new PlannerService();
    const small = service.plan({ layoutText: COMPACT, budget: 700 }).plan;
    const big = service.plan({ layoutText: COMPACT, budget: 4000, kinds: ['camera', 'rfid'] }).plan;
    const { head, rows } = comparison([{ label: runLabel(1, small), plan: small }, { label: runLabel(2, big), plan: big }]);
    expect(head).toEqual(['', 'today', 'Plan 1: USD 700', 'Plan 2: USD 4,000']);
    const spent = rows.find((r) => r.label === 'spent')!;
    expect(spent.cells).toEqual(['USD 0', `USD ${small.spent.toLocaleString('en-US')}`, `USD ${big.spent.toLocaleString('en-US')}`]);
    expect(rows.find((r) => r.label === 'devices added')!.cells[1]).toBe('1 camera');
    const fill = rows.find((r) => r.label.startsWith('slot faces judgeable for fill level'))!;
    expect(fill.cells[0]).toBe(`${Math.round(small.before.fill * 100)} %`);
    const objective = rows.find((r) => r.label === 'objective')!.cells.slice(1).map(Number);
    expect(objective[1]!).toBeGreaterThanOrEqual(objective[0]!);
  });

  it('says where a camera goes, and which shelf or zone another device is for', () => {
    const plan = new PlannerService().plan({ layoutText: COMPACT, budget: 2500, kinds: ['camera', 'rfid'] }).plan;
    const cam = plan.devices.find((d) => d.kind === 'camera')!;
    expect(deviceWhere(cam)).toMatch(/^\(\d+\.\d, \d+\.\d\) at \d+\.\d m, yaw -?\d+°, pitch -?\d+°$/);
    expect(deviceWhere({ ...cam, camera: undefined, kind: 'rfid', zone: 'cage' })).toBe('zone cage');
  });
});
