/** A live broker subscribed to and ingested off the page's thread: the logic is LiveFeed's. */
import * as Comlink from 'comlink';
import { LiveFeed } from '../src/sources/LiveFeed';

Comlink.expose(new LiveFeed());
