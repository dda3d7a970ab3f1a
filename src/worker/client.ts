/**
 * Main-thread side: start the Worker and get a typed proxy of NimbusWorkerApi.
 *
 *   const api = createWorkerClient();
 *   const { status, history } = await api.start({ fresh: false });
 *   await api.subscribe(proxy((s) => updateStatusBar(s)));
 *   const r = await api.exec('aws s3 ls');
 */
import { wrap, proxy, releaseProxy, type Remote } from 'comlink';
import type { NimbusWorkerApi } from './protocol';

export { proxy, releaseProxy };
export type { Remote };

/** The proxy and the Worker itself (to terminate a Worker stuck in a runaway command). */
export function createWorkerPair(): { api: Remote<NimbusWorkerApi>; worker: Worker } {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'nimbus-engine' });
  return { api: wrap<NimbusWorkerApi>(worker), worker };
}

export function createWorkerClient(): Remote<NimbusWorkerApi> {
  return createWorkerPair().api;
}
