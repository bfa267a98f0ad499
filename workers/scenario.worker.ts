/** A scenario simulated off the page's thread: the logic is ScenarioRunner's. */
import * as Comlink from 'comlink';
import { ScenarioRunner } from '../src/sources/ScenarioRunner';

Comlink.expose(new ScenarioRunner());
