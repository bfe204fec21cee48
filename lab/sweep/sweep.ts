/**
 * A sweep in Node: the plan's runs not yet in the results file, on worker threads, each row
 * appended to the file as it finishes. Stopping (the signal) keeps every finished run; running
 * the same plan again does only the rest.
 */
import { openResults } from './file.js';
import type { ResultsFile } from './file.js';
import { taskKey, tasksOf } from './plan.js';
import type { SweepPlan } from './plan.js';
import { threadRunners } from './pool.js';
import type { SweepRow } from './run.js';
import { schedule, sortRows } from './scheduler.js';
import type { Hold, Runner } from './scheduler.js';

export interface SweepOptions {
  /** Worker threads (at most one per remaining run). */
  workers: number;
  /** The JSON-lines results file to resume from and append to (none: results are kept in memory only). */
  file?: string;
  /** After each finished run: its row, and how many of the plan's runs are done. */
  onRow?(row: SweepRow, done: number, total: number): void;
  /** Called once the runs already in the file are known, before any new run starts. */
  onResume?(done: number, total: number): void;
  signal?: AbortSignal;
  /** A test hook: stop handing out runs at a known point (see Hold); needs `signal`. */
  hold?: Hold;
}

export interface SweepResult {
  plan: SweepPlan;
  /** The plan's finished runs, in the plan's order (grid value, then seed). */
  rows: SweepRow[];
  /** Whether every run of the plan is done. */
  complete: boolean;
  /** Runs found already done in the file, and runs done now. */
  resumed: number;
  ran: number;
  /** Worker threads used (0 when nothing was left to run). */
  workers: number;
  wallMs: number;
}

export async function runSweep(plan: SweepPlan, options: SweepOptions): Promise<SweepResult> {
  const started = performance.now();
  const tasks = tasksOf(plan);
  const file: ResultsFile | undefined = options.file === undefined ? undefined : openResults(options.file, plan);
  let runners: Runner[] = [];
  const stop = () => runners.forEach((runner) => runner.close());
  try {
    const wanted = new Set(tasks.map(taskKey));
    const done = new Map<string, SweepRow>();
    // Rows of other seeds (an earlier, longer sweep) stay in the file but not in this result.
    for (const row of file?.rows ?? []) if (wanted.has(taskKey(row)) && !done.has(taskKey(row))) done.set(taskKey(row), row);
    const resumed = done.size;
    options.onResume?.(resumed, tasks.length);
    const remaining = tasks.filter((task) => !done.has(taskKey(task)));
    if (remaining.length > 0 && options.signal?.aborted !== true) runners = threadRunners(Math.min(options.workers, remaining.length));
    options.signal?.addEventListener('abort', stop);
    const complete = await schedule(plan, remaining, runners, {
      signal: options.signal,
      hold: options.hold,
      onRow: (row) => {
        file?.append(row);
        done.set(taskKey(row), row);
        options.onRow?.(row, done.size, tasks.length);
      },
    });
    return { plan, rows: sortRows(plan, [...done.values()]), complete: complete && done.size === tasks.length, resumed, ran: done.size - resumed, workers: runners.length, wallMs: performance.now() - started };
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stop();
    file?.close();
  }
}
