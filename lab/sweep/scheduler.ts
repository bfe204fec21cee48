/**
 * Hands a sweep's tasks to a set of runners (worker threads in Node, Web Workers in the
 * browser), one task per runner at a time, so a fast runner takes more. The rows come back in
 * whatever order the runs finish; `sortRows` puts them in the plan's order, so results never
 * depend on scheduling.
 */
import { ConfigError } from '../experiments/index.js';
import type { SweepPlan, SweepTask } from './plan.js';
import type { SweepRow } from './run.js';

/** What runs one task somewhere else (a worker), as a promise of its row. */
export interface Runner {
  run(plan: SweepPlan, task: SweepTask): Promise<SweepRow>;
  /** Ends the runner; a run in flight rejects. */
  close(): void;
}

/** A task sent to a worker, and its answer: the row, or the error the run threw. */
export interface TaskMessage {
  id: number;
  plan: SweepPlan;
  task: SweepTask;
}
export type AnswerMessage = { id: number; row: SweepRow } | { id: number; error: { name: string; message: string } };

/** The error a worker reported, as the class the CLI and the page know how to word. */
export function errorOf(error: { name: string; message: string }): Error {
  if (error.name === 'ConfigError') return new ConfigError(error.message);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}

/**
 * The one task a runner has in flight, on either kind of worker: `send` posts it under a fresh
 * id, `answer` settles it with the worker's reply (a stale id is ignored), `fail` rejects it.
 */
export class InFlight {
  private pending: { id: number; resolve(row: SweepRow): void; reject(error: unknown): void } | undefined;
  private ids = 0;

  send(post: (message: TaskMessage) => void, plan: SweepPlan, task: SweepTask): Promise<SweepRow> {
    return new Promise((resolve, reject) => {
      const id = ++this.ids;
      this.pending = { id, resolve, reject };
      post({ id, plan, task });
    });
  }

  answer(answer: AnswerMessage): void {
    const pending = this.pending;
    if (pending === undefined || pending.id !== answer.id) return;
    this.pending = undefined;
    if ('row' in answer) pending.resolve(answer.row);
    else pending.reject(errorOf(answer.error));
  }

  fail(error: unknown): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}

/** The answer a worker posts for one task message (the row, or the error by name and message). */
export function answerOf(id: number, compute: () => SweepRow): AnswerMessage {
  try {
    return { id, row: compute() };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    return { id, error: { name, message } };
  }
}

export interface ScheduleOptions {
  /** Called as each run finishes (the Node sweep appends the row to its file here). */
  onRow(row: SweepRow): void;
  /** Stops handing out tasks; the caller closes the runners, so runs in flight are dropped. */
  signal?: AbortSignal;
  /** A test hook (see Hold); none in normal use. */
  hold?: Hold;
}

/**
 * A test hook that stops a sweep at a known point instead of racing its workers: only the
 * first `after` tasks are handed out; then the runners wait, with nothing in flight, until the
 * signal aborts. `held` is called once, when every one of those `after` rows has been reported
 * through `onRow`. (When `after` reaches the number of tasks, the sweep just runs to the end.)
 */
export interface Hold {
  after: number;
  held(): void;
}

/**
 * Runs `tasks` on `runners` until all are done or `signal` aborts. Resolves `true` when every
 * task finished, `false` when stopped. A run that throws stops the sweep and rejects with its
 * error (after the runs in flight finish and are reported, so no finished work is lost).
 */
export async function schedule(plan: SweepPlan, tasks: readonly SweepTask[], runners: readonly Runner[], options: ScheduleOptions): Promise<boolean> {
  const { onRow, signal, hold } = options;
  if (hold !== undefined && signal === undefined) throw new Error('schedule: a hold needs a signal to end it');
  let next = 0;
  let inFlight = 0;
  let failure: { error: unknown } | undefined;
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  signal?.addEventListener('abort', () => release(), { once: true });
  const stopped = () => signal?.aborted === true || failure !== undefined;
  let heldCalled = false;
  /** The hold's gate: the runner that finds nothing left in flight says so, once. */
  const waitAtHold = async () => {
    if (inFlight === 0 && !heldCalled) {
      heldCalled = true;
      hold!.held();
    }
    await released;
  };
  await Promise.all(
    runners.map(async (runner) => {
      while (!stopped() && next < tasks.length) {
        if (hold !== undefined && next >= hold.after) {
          await waitAtHold();
          continue;
        }
        const task = tasks[next++];
        let row: SweepRow;
        inFlight++;
        try {
          row = await runner.run(plan, task);
        } catch (error) {
          // A run dropped by a stop is not a failure; the first real error ends the sweep.
          if (signal?.aborted !== true) failure ??= { error };
          release();
          return;
        } finally {
          inFlight--;
        }
        onRow(row);
      }
    }),
  );
  if (failure !== undefined) throw failure.error;
  return next >= tasks.length && signal?.aborted !== true;
}

/** Rows in the plan's order: by grid value (in the grid's order), then seed. */
export function sortRows(plan: SweepPlan, rows: readonly SweepRow[]): SweepRow[] {
  const values = plan.grid?.values ?? [];
  const rank = (row: SweepRow) => (row.value === undefined ? 0 : values.indexOf(row.value));
  return [...rows].sort((a, b) => rank(a) - rank(b) || a.seed - b.seed);
}
