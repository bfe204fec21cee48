/**
 * Where the GEMM's worker threads come from: Node's worker_threads, or a browser's Web Workers
 * started from a blob URL in a cross-origin isolated page or worker (the only realms with
 * SharedArrayBuffer, so a shared wasm memory). This file runs in both; it asks platform.ts which
 * one it is in. A page's CSP must allow `worker-src blob:`; the page's server must send
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`, as
 * `nnlab serve` does.
 */
import { availableCores, hasSharedMemory, isIsolatedBrowser, mayBlockThread, nodeBuiltin } from '../platform.js';
import type { WorkerData } from './protocol.js';

/**
 * Starting and stopping workers, and whether the calling thread may block in Atomics.wait. The
 * prologue calls `start(data, started)`; `started()` (the worker's READY flag is set) reaches
 * the caller as `onStarted`, a worker that fails as `onError`.
 */
export interface ThreadHost {
  spawn(source: (prologue: string) => string, data: WorkerData, events: { onError(): void; onStarted(): void }): { terminate(): unknown };
  readonly callerCanBlock: boolean;
}

type WorkerModule = typeof import('node:worker_threads');

/** node:worker_threads when running in Node with shared memory, else null. */
function nodeWorkerThreads(): WorkerModule | null {
  return hasSharedMemory() ? nodeBuiltin<WorkerModule>('node:worker_threads') ?? null : null;
}

function nodeHost(wt: WorkerModule): ThreadHost {
  return {
    callerCanBlock: true,
    spawn(source, data, { onError, onStarted }) {
      const prologue = "const { workerData, parentPort } = require('node:worker_threads');\nstart(workerData, () => parentPort.postMessage('started'));";
      const worker = new wt.Worker(source(prologue), { eval: true, workerData: data });
      // Referenced until it has started (or failed), so a process awaiting gemmThreadsReady()
      // stays alive for the answer; then the process may exit with the worker asleep.
      worker.once('message', () => {
        worker.unref();
        onStarted();
      });
      worker.on('error', () => {
        worker.unref();
        onError();
      });
      return worker;
    },
  };
}

function browserHost(): ThreadHost {
  return {
    // Atomics.wait throws on a page's main thread; a worker may block.
    callerCanBlock: mayBlockThread(),
    spawn(source, data, { onError, onStarted }) {
      const url = URL.createObjectURL(new Blob([source("self.onmessage = (event) => start(event.data, () => self.postMessage('started'));")], { type: 'text/javascript' }));
      const worker = new Worker(url);
      URL.revokeObjectURL(url); // the worker has been created from it
      worker.addEventListener('message', () => onStarted(), { once: true });
      worker.addEventListener('error', onError);
      worker.postMessage(data);
      return worker;
    },
  };
}

export function threadHost(): ThreadHost | null {
  const wt = nodeWorkerThreads();
  if (wt !== null) return nodeHost(wt);
  return isIsolatedBrowser() ? browserHost() : null;
}

/** The available cores (Node's os.availableParallelism, a browser's hardwareConcurrency), at most 4; 1 where threads cannot run. */
export function defaultGemmThreads(): number {
  if (!canUseGemmThreads()) return 1;
  return Math.max(1, Math.min(4, availableCores()));
}

/** Whether this runtime can run the kernel on worker threads: Node, or a cross-origin isolated page or worker. */
export function canUseGemmThreads(): boolean {
  return nodeWorkerThreads() !== null || isIsolatedBrowser();
}
