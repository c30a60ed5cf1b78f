// Web Worker: lays graphs out off the main thread (500 tasks take hundreds of milliseconds).
// Start it with `new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' })`,
// post a LayoutRequest, and match the LayoutResponse by its `id`.
import { handleLayoutRequest, type LayoutRequest, type LayoutResponse } from './layoutProtocol';

export type { LayoutRequest, LayoutResponse } from './layoutProtocol';

/** The part of DedicatedWorkerGlobalScope used here (the app compiles with the DOM lib, not WebWorker). */
interface LayoutWorkerScope {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutResponse): void;
}

const scope = self as unknown as LayoutWorkerScope;
scope.onmessage = (event) => scope.postMessage(handleLayoutRequest(event.data));
