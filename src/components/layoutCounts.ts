/** The side panel's summary of a layout: how many of each part it has, in display order. */
import type { Layout } from '../layout/Layout';

export interface LayoutCount {
  readonly label: string;
  readonly count: number;
}

export function layoutCounts(layout: Layout): LayoutCount[] {
  return [
    { label: 'Zones', count: layout.zones.length },
    { label: 'Shelves', count: layout.shelves.length },
    { label: 'Slots', count: layout.shelves.reduce((n, s) => n + s.slots.length, 0) },
    { label: 'Doors', count: layout.doors.length },
    { label: 'Cameras', count: layout.cameras.length },
    { label: 'RFID readers', count: layout.rfid.length },
  ];
}
