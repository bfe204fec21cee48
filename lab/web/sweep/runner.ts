/** Runners on Web Workers: the page's side of lab/sweep/scheduler.ts. */
import type { SweepPlan, SweepTask } from '../../sweep/plan.js';
import type { SweepRow } from '../../sweep/run.js';
import { errorOf } from '../../sweep/scheduler.js';
import type { AnswerMessage, Runner, TaskMessage } from '../../sweep/scheduler.js';

export class WebWorkerRunner implements Runner {
  readonly #worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'nnlab sweep' });
  #pending: { id: number; resolve(row: SweepRow): void; reject(error: unknown): void } | undefined;
  #ids = 0;
  #closed = false;

  constructor() {
    this.#worker.addEventListener('message', ({ data: answer }: MessageEvent<AnswerMessage>) => {
      const pending = this.#pending;
      if (pending === undefined || pending.id !== answer.id) return;
      this.#pending = undefined;
      if ('row' in answer) pending.resolve(answer.row);
      else pending.reject(errorOf(answer.error));
    });
    this.#worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.#fail(new Error(`sweep: a worker failed: ${event.message || 'it could not load'}`));
    });
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
    this.#worker.terminate();
    this.#fail(new Error('sweep: the worker was stopped'));
  }

  #fail(error: unknown): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }
}
