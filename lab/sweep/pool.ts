/** Runners on Node worker threads: one thread per runner, each training one network at a time. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SweepPlan, SweepTask } from './plan.js';
import type { SweepRow } from './run.js';
import { errorOf } from './scheduler.js';
import type { AnswerMessage, Runner, TaskMessage } from './scheduler.js';

const ENTRY = new URL('./node-worker.mjs', import.meta.url);

/** The default number of workers: every core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** A runner on its own worker thread. */
export class ThreadRunner implements Runner {
  readonly #worker = new Worker(ENTRY, { name: 'nnlab sweep' });
  #pending: { id: number; resolve(row: SweepRow): void; reject(error: unknown): void } | undefined;
  #ids = 0;
  #closed = false;

  constructor() {
    this.#worker.on('message', (answer: AnswerMessage) => {
      const pending = this.#pending;
      if (pending === undefined || pending.id !== answer.id) return;
      this.#pending = undefined;
      if ('row' in answer) pending.resolve(answer.row);
      else pending.reject(errorOf(answer.error));
    });
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(this.#closed ? 'sweep: the worker was stopped' : `sweep: a worker thread exited with code ${code}`)));
  }

  run(plan: SweepPlan, task: SweepTask): Promise<SweepRow> {
    if (this.#closed) return Promise.reject(new Error('sweep: the worker was stopped'));
    return new Promise((resolve, reject) => {
      const id = ++this.#ids;
      this.#pending = { id, resolve, reject };
      const message: TaskMessage = { id, plan, task };
      this.#worker.postMessage(message);
    });
  }

  close(): void {
    this.#closed = true;
    void this.#worker.terminate();
  }

  #fail(error: unknown): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }
}

/** `count` thread runners (at least one). */
export function threadRunners(count: number): ThreadRunner[] {
  return Array.from({ length: Math.max(1, count) }, () => new ThreadRunner());
}
