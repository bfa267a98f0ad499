/**
 * Topic routing: `backroom/v1/{store}/...` split into the route the contract names and its
 * ids. Returns undefined for a topic the contract does not name (unknown shape, bad id).
 */
import { ID_PATTERN } from '../core/patterns';

export type Route =
  | { kind: 'weight' | 'slot_event'; store: string; shelf: string; slot: string }
  | { kind: 'rfid'; store: string; reader: string }
  | { kind: 'door_state' | 'badge'; store: string; door: string }
  | { kind: 'frame' | 'detection'; store: string; camera: string }
  | { kind: 'book'; store: string }
  | { kind: 'status'; store: string; device: string };

export const TOPIC_PREFIX = 'backroom/v1/';
const ID = ID_PATTERN;

export function parseTopic(topic: string): Route | undefined {
  if (!topic.startsWith(TOPIC_PREFIX)) return undefined;
  const p = topic.slice(TOPIC_PREFIX.length).split('/');
  const store = p[0]!;
  if (!ID.test(store)) return undefined;
  const n = p.length;
  const ids = (i: number, j = i) => ID.test(p[i]!) && ID.test(p[j]!);
  switch (p[1]) {
    case 'shelf':
      if (n === 6 && p[3] === 'slot' && ids(2, 4)) {
        if (p[5] === 'weight') return { kind: 'weight', store, shelf: p[2]!, slot: p[4]! };
        if (p[5] === 'event') return { kind: 'slot_event', store, shelf: p[2]!, slot: p[4]! };
      }
      return undefined;
    case 'rfid':
      return n === 4 && p[3] === 'read' && ids(2) ? { kind: 'rfid', store, reader: p[2]! } : undefined;
    case 'door':
      if (n === 4 && ids(2)) {
        if (p[3] === 'state') return { kind: 'door_state', store, door: p[2]! };
        if (p[3] === 'badge') return { kind: 'badge', store, door: p[2]! };
      }
      return undefined;
    case 'camera':
      if (n === 4 && ids(2)) {
        if (p[3] === 'frame') return { kind: 'frame', store, camera: p[2]! };
        if (p[3] === 'detection') return { kind: 'detection', store, camera: p[2]! };
      }
      return undefined;
    case 'inventory':
      return n === 3 && p[2] === 'book' ? { kind: 'book', store } : undefined;
    case 'status':
      return n === 3 && ids(2) ? { kind: 'status', store, device: p[2]! } : undefined;
    default:
      return undefined;
  }
}

/** Topic builders: the one place topics are spelled, for the simulator and the publisher. */
export const topics = {
  weight: (store: string, shelf: string, slot: string) => `${TOPIC_PREFIX}${store}/shelf/${shelf}/slot/${slot}/weight`,
  slotEvent: (store: string, shelf: string, slot: string) => `${TOPIC_PREFIX}${store}/shelf/${shelf}/slot/${slot}/event`,
  rfid: (store: string, reader: string) => `${TOPIC_PREFIX}${store}/rfid/${reader}/read`,
  doorState: (store: string, door: string) => `${TOPIC_PREFIX}${store}/door/${door}/state`,
  badge: (store: string, door: string) => `${TOPIC_PREFIX}${store}/door/${door}/badge`,
  frame: (store: string, camera: string) => `${TOPIC_PREFIX}${store}/camera/${camera}/frame`,
  detection: (store: string, camera: string) => `${TOPIC_PREFIX}${store}/camera/${camera}/detection`,
  book: (store: string) => `${TOPIC_PREFIX}${store}/inventory/book`,
  status: (store: string, device: string) => `${TOPIC_PREFIX}${store}/status/${device}`,
  /** The subscription that takes everything of one store. */
  all: (store: string) => `${TOPIC_PREFIX}${store}/#`,
};
