/** The one place the UI creates the Worker (kept separate so tests and benches can see the seam). */
import { createWorkerPair, type Remote } from '../worker/client';
import type { NimbusWorkerApi } from '../worker/protocol';

export function connectWorker(): { api: Remote<NimbusWorkerApi>; worker: Worker } {
  return createWorkerPair();
}
