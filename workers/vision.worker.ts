/** The shelf CNN off the page's thread, one of VisionPool's workers: the logic is VisionService's. */
import { exposeVision } from '../src/inference/exposeVision';

exposeVision();
