/**
 * What a layout's devices cost at a price list: its cameras, its RFID readers and its smart
 * shelves (every shelf of a layout is one: the contract makes each slot a load-cell position),
 * each bought and installed. A reader's price includes its first antenna; the price list has
 * no figure for more, so further antennas are counted but not priced.
 */
import type { Layout } from '../layout/Layout';
import type { Prices } from './prices';

export interface LayoutDevices {
  readonly cameras: number;
  readonly rfidReaders: number;
  /** Antennas over all readers (a reader written with one `zone` has one). */
  readonly rfidAntennas: number;
  readonly smartShelves: number;
  /** Load-cell positions: every slot. */
  readonly smartSlots: number;
}

export interface LayoutCost {
  readonly currency: string;
  /** cameras x (camera + cameraInstall). */
  readonly cameras: number;
  /** readers x rfidReader. */
  readonly rfid: number;
  /** shelves x smartShelfInstall + slots x smartSlot. */
  readonly smartShelves: number;
  readonly total: number;
}

export function layoutDevices(layout: Layout): LayoutDevices {
  return {
    cameras: layout.cameras.length,
    rfidReaders: layout.rfid.length,
    rfidAntennas: layout.rfid.reduce((a, r) => a + Object.keys(r.antennas).length, 0),
    smartShelves: layout.shelves.length,
    smartSlots: layout.shelves.reduce((a, s) => a + s.slots.length, 0),
  };
}

export function layoutCost(layout: Layout, prices: Prices): LayoutCost {
  const d = layoutDevices(layout);
  const cameras = d.cameras * (prices.camera + prices.cameraInstall);
  const rfid = d.rfidReaders * prices.rfidReader;
  const smartShelves = d.smartShelves * prices.smartShelfInstall + d.smartSlots * prices.smartSlot;
  return { currency: prices.currency, cameras, rfid, smartShelves, total: cameras + rfid + smartShelves };
}
