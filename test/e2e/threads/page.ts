/** The page: runs the check on its own main thread (which may not block) and in a Web Worker (which may). */
import { checkThreads } from './check.js';
import type { ThreadsCheck } from './check.js';

declare global {
  interface Window {
    __threads?: Promise<{ page: ThreadsCheck; worker: ThreadsCheck }>;
  }
}

function inWorker(): Promise<ThreadsCheck> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<ThreadsCheck>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
  });
}

window.__threads = (async () => {
  const page = await checkThreads();
  const worker = await inWorker();
  return { page, worker };
})();
