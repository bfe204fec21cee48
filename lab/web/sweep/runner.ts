/** Runners on Web Workers: the page's side of lab/sweep/scheduler.ts. */
import type { SweepPlan, SweepTask } from '../../sweep/plan.js';
import type { SweepRow } from '../../sweep/run.js';
import { InFlight } from '../../sweep/scheduler.js';
import type { AnswerMessage, Runner } from '../../sweep/scheduler.js';

export class WebWorkerRunner implements Runner {
  private readonly worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'nnlab sweep' });
  private readonly inFlight = new InFlight();
  private closed = false;

  constructor() {
    this.worker.addEventListener('message', ({ data: answer }: MessageEvent<AnswerMessage>) => this.inFlight.answer(answer));
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.inFlight.fail(new Error(`sweep: a worker failed: ${event.message || 'it could not load'}`));
    });
  }

  run(plan: SweepPlan, task: SweepTask): Promise<SweepRow> {
    if (this.closed) return Promise.reject(new Error('sweep: the worker was stopped'));
    return this.inFlight.send((message) => this.worker.postMessage(message), plan, task);
  }

  close(): void {
    this.closed = true;
    this.worker.terminate();
    this.inFlight.fail(new Error('sweep: the worker was stopped'));
  }
}
