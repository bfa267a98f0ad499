/**
 * The ROI of one store: what the plan's devices cost to buy and run, what they bring back a
 * month, and what that is worth over the horizon (TCO, NPV, IRR, payback). Money is in the
 * prices' currency; a month is the period; flow 0 is the upfront spend, flows 1..H the months.
 *
 * Costs a month: software; frame storage and bandwidth per camera; RFID tags for the units
 * the store tags itself (only where it reads RFID); maintenance, a share of the devices'
 * cost a year; the labour of answering incidents (incidents x minutes x hourly cost).
 *
 * Benefits a month, with S the store's sales:
 * - shrink avoided = S x shrink x addressable x (1 - margin) x cut, where the cut combines
 *   detection and deterrence as independent chances: cut = 1 - (1 - caught x recovered)(1 - deterrence).
 *   Valued at cost: a stolen unit costs the store what it paid for it.
 * - sales recovered = S x out-of-stock x from-records x lost-sale x margin x gap closed,
 *   where gap closed = covered x (IRA with - IRA without) / (1 - IRA without): the share of
 *   wrong records the twin puts right, so of the out-of-stocks they cause.
 * - counting saved = count hours x (1 - directed share) x covered x hourly cost.
 * Record accuracy gained is reported, not counted as money (its money is the sales recovered).
 */
import type { Layout } from '../layout/Layout';
import type { DetectionValue } from '../planning/detectionValue';
import { layoutCost, layoutDevices } from '../planning/layoutCost';
import type { Plan } from '../planning/planPlacement';
import type { Prices } from '../planning/prices';
import type { AssumptionValues } from './assumptions';
import { irr, npv, payback, tco, type Irr } from './finance';

/** The devices an ROI is for: counts for the running costs, and what buying and installing them costs once. */
export interface DeviceSet {
  readonly cameras: number;
  readonly rfidReaders: number;
  readonly smartShelves: number;
  /** Buying and installing them, at the prices. */
  readonly capex: number;
}

/** The devices a placement plan adds (in keep mode, what the store has is already paid for), at the plan's prices. */
export function devicesOfPlan(plan: Pick<Plan, 'devices'>): DeviceSet {
  const n = (k: string) => plan.devices.filter((d) => d.kind === k).length;
  return { cameras: n('camera'), rfidReaders: n('rfid'), smartShelves: n('smart_shelf'), capex: plan.devices.reduce((a, d) => a + d.cost, 0) };
}

/** Every device of a layout, bought new at the prices (layoutCost.ts). */
export function devicesOfLayout(layout: Layout, prices: Prices): DeviceSet {
  const d = layoutDevices(layout);
  return { cameras: d.cameras, rfidReaders: d.rfidReaders, smartShelves: d.smartShelves, capex: layoutCost(layout, prices).total };
}

/** What the devices catch, as shares: from the placement issue's detection value, or given. */
export interface Detection {
  /** Share (0..1) of the loss value (theft and delivery losses) the devices catch. */
  readonly lossCaught: number;
  /** Share (0..1) of the record errors (misplacements, unscanned moves, delivery errors) they catch. */
  readonly recordsCovered: number;
}

const LOSS_KINDS = new Set(['theft', 'short_shipment', 'receiving_error', 'phantom_receipt']);
const RECORD_KINDS = new Set(['misplacement', 'unscanned_move', 'receiving_error', 'phantom_receipt', 'short_shipment']);

/** Shares caught by any device, from a detection value; 0 where the truth had nothing of the kind. */
export function detectionOf(dv: DetectionValue): Detection {
  let lossTotal = 0, lossCaught = 0, records = 0, recordsCaught = 0;
  for (const row of dv.kinds) {
    if (LOSS_KINDS.has(row.kind)) {
      lossTotal += row.value.total;
      lossCaught += row.value.caught.any;
    }
    if (RECORD_KINDS.has(row.kind)) {
      records += row.records;
      recordsCaught += row.caught.any;
    }
  }
  return { lossCaught: lossTotal > 0 ? lossCaught / lossTotal : 0, recordsCovered: records > 0 ? recordsCaught / records : 0 };
}

/** A store's own figures; the assumptions' defaults stand in for what it leaves out. */
export interface StoreFigures {
  readonly id?: string;
  readonly salesPerMonth?: number;
  readonly unitsReceivedPerMonth?: number;
  readonly incidentsPerMonth?: number;
}

export interface RoiInput {
  readonly devices: DeviceSet;
  readonly detection: Detection;
  readonly values: AssumptionValues;
  readonly store?: StoreFigures;
}

export interface MonthlyCosts {
  readonly software: number;
  readonly frames: number;
  readonly tags: number;
  readonly maintenance: number;
  readonly incidentLabour: number;
  readonly total: number;
}

export interface MonthlyBenefits {
  readonly shrinkAvoided: number;
  readonly salesRecovered: number;
  readonly countingSaved: number;
  readonly total: number;
}

export interface Roi {
  readonly store?: string;
  /** Devices bought and installed, plus the store's project cost, spent at month 0. */
  readonly upfront: number;
  readonly costs: MonthlyCosts;
  readonly benefits: MonthlyBenefits;
  /** benefits - costs, each month. */
  readonly monthlyNet: number;
  /** -upfront, then monthlyNet for each month of the horizon. */
  readonly flows: readonly number[];
  /** Upfront plus running costs over the horizon, as spent and discounted. */
  readonly tco: { readonly total: number; readonly discounted: number };
  readonly npv: number;
  /** Monthly and yearly; undefined when the flows never change sign. */
  readonly irr: Irr | undefined;
  /** Months until the cumulative flows turn non-negative; undefined when not within the horizon. */
  readonly paybackMonths: number | undefined;
  /** Inventory record accuracy (0..1) before and after. */
  readonly ira: { readonly before: number; readonly after: number };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export function roi(input: RoiInput): Roi {
  const v = input.values;
  const d = input.devices;
  const sales = input.store?.salesPerMonth ?? v.salesPerMonth;
  const units = input.store?.unitsReceivedPerMonth ?? v.unitsReceivedPerMonth;
  const incidents = input.store?.incidentsPerMonth ?? v.incidentsPerMonth;
  const caught = clamp01(input.detection.lossCaught);
  const covered = clamp01(input.detection.recordsCovered);

  const software = v.softwarePerStorePerMonth;
  const frames = d.cameras * v.framesPerCameraPerMonth;
  // Item-level tags only pay where something reads them.
  const tags = d.rfidReaders > 0 ? units * v.taggedShare * v.tagCostPerUnit : 0;
  const maintenance = (d.capex * v.maintenanceShare) / 12;
  const incidentLabour = incidents * (v.minutesPerIncident / 60) * v.labourCostPerHour;
  const costs = { software, frames, tags, maintenance, incidentLabour, total: software + frames + tags + maintenance + incidentLabour };

  const cut = 1 - (1 - caught * v.recoveredShare) * (1 - v.deterrence);
  const shrinkAvoided = sales * v.shrinkRate * v.addressableShare * (1 - v.grossMargin) * cut;
  const gapClosed = v.iraWithout < 1 ? covered * clamp01((v.iraWith - v.iraWithout) / (1 - v.iraWithout)) : 0;
  const salesRecovered = sales * v.oosRate * v.oosFromRecordsShare * v.lostSaleShare * v.grossMargin * gapClosed;
  const countingSaved = v.countHoursPerMonth * (1 - v.directedCountShare) * covered * v.labourCostPerHour;
  const benefits = { shrinkAvoided, salesRecovered, countingSaved, total: shrinkAvoided + salesRecovered + countingSaved };

  const horizon = Math.max(1, Math.round(v.horizonMonths));
  const upfront = d.capex + v.projectPerStore;
  const monthlyNet = benefits.total - costs.total;
  const flows = [-upfront, ...Array.from({ length: horizon }, () => monthlyNet)];
  const monthlyRate = Math.pow(1 + v.discountRate, 1 / 12) - 1;
  return {
    ...(input.store?.id === undefined ? {} : { store: input.store.id }),
    upfront, costs, benefits, monthlyNet, flows,
    tco: tco(upfront, costs.total, horizon, monthlyRate),
    npv: npv(flows, v.discountRate, 'month'),
    irr: irr(flows, 'month'),
    paybackMonths: payback(flows),
    ira: { before: v.iraWithout, after: v.iraWithout + covered * Math.max(0, v.iraWith - v.iraWithout) },
  };
}
