/** A scenario simulated and ingested off the page's thread: the logic is ScenarioFeed's. */
import * as Comlink from 'comlink';
import { ScenarioFeed } from '../src/sources/ScenarioFeed';

Comlink.expose(new ScenarioFeed());
