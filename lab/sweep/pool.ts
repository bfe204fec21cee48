/** Runners on Node worker threads (Node only): one thread per runner, each training one network at a time. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SweepPlan, SweepTask } from './plan.js';
import type { SweepRow } from './run.js';
import { InFlight } from './scheduler.js';
import type { AnswerMessage, Runner } from './scheduler.js';

/**
 * The worker's entry. Compiled (lab/dist/cli), this module is bundled beside the compiled
 * worker, node-worker.js. From source (vitest, tsx) a worker starts without the parent's
 * TypeScript loader, so node-worker.mjs registers tsx first.
 */
const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './node-worker.mjs' : './node-worker.js', import.meta.url);

/** The default number of workers: every core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** A runner on its own worker thread. */
export class ThreadRunner implements Runner {
  private readonly worker = new Worker(ENTRY, { name: 'nnlab sweep' });
  private readonly inFlight = new InFlight();
  private closed = false;

  constructor() {
    this.worker.on('message', (answer: AnswerMessage) => this.inFlight.answer(answer));
    this.worker.on('error', (error) => this.inFlight.fail(error));
    this.worker.on('exit', (code) => this.inFlight.fail(new Error(this.closed ? 'sweep: the worker was stopped' : `sweep: a worker thread exited with code ${code}`)));
  }

  run(plan: SweepPlan, task: SweepTask): Promise<SweepRow> {
    if (this.closed) return Promise.reject(new Error('sweep: the worker was stopped'));
    return this.inFlight.send((message) => this.worker.postMessage(message), plan, task);
  }

  close(): void {
    this.closed = true;
    void this.worker.terminate();
  }
}

/** `count` thread runners (at least one). */
export function threadRunners(count: number): ThreadRunner[] {
  return Array.from({ length: Math.max(1, count) }, () => new ThreadRunner());
}
