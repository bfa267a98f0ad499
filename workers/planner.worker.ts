/** The placement planner off the page's thread: the logic is PlannerService's. */
import * as Comlink from 'comlink';
import { PlannerService } from '../src/planning/PlannerService';

Comlink.expose(new PlannerService());
