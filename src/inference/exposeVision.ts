/**
 * What a vision worker exposes over Comlink: the VisionService, with each result's crops
 * transferred back rather than copied. Shared by the web worker and the Node worker thread
 * (workers/vision.worker.ts, workers/visionNode.worker.ts), which differ only in their endpoint.
 */
import * as Comlink from 'comlink';
import { resultTransferables, VisionService } from './VisionService';
import type { FrameInput } from './VisionRunner';

export function exposeVision(endpoint?: Comlink.Endpoint): VisionService {
  const service = new VisionService();
  const api = {
    init: service.init.bind(service),
    async run(frame: FrameInput) {
      const result = await service.run(frame);
      return Comlink.transfer(result, resultTransferables(result));
    },
    info: service.info.bind(service),
    dispose: service.dispose.bind(service),
  };
  Comlink.expose(api, endpoint);
  return service;
}
