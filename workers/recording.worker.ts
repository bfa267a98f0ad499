/** A recording file read and ingested off the page's thread: the logic is RecordingFeed's. */
import * as Comlink from 'comlink';
import { RecordingFeed } from '../src/sources/RecordingFeed';

Comlink.expose(new RecordingFeed());
