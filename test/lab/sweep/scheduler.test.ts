/**
 * schedule() with runners the test settles by hand: which tasks go out, when a hold says it is
 * held, and that a stop or a failure ends a held sweep. No workers, no time.
 */
import { describe, expect, it } from 'vitest';
import { makePlan, tasksOf } from '../../../lab/sweep/plan.js';
import type { SweepTask } from '../../../lab/sweep/plan.js';
import type { SweepRow } from '../../../lab/sweep/run.js';
import { schedule } from '../../../lab/sweep/scheduler.js';
import type { Runner } from '../../../lab/sweep/scheduler.js';

const plan = makePlan({ experiment: 'two-layer', options: { epochs: 5 }, count: 8 });
const tasks = tasksOf(plan);

/** A runner whose runs wait in `pending` until the test finishes or fails them. */
class ManualRunner implements Runner {
  readonly pending: { task: SweepTask; finish(): void; fail(error: Error): void }[] = [];
  run(_plan: typeof plan, task: SweepTask): Promise<SweepRow> {
    return new Promise((resolve, reject) => {
      this.pending.push({ task, finish: () => resolve({ seed: task.seed, finalError: 0, solved: true } as SweepRow), fail: reject });
    });
  }
  close(): void {
    for (const run of this.pending.splice(0)) run.fail(new Error('sweep: the worker was stopped'));
  }
}

/** Lets every promise reaction queued so far run (they all run before the next macrotask). */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('schedule(plan, tasks, runners, { hold })', () => {
  it('hands out only the first `after` tasks, calls held once when their rows are all reported, and a stop ends it', async () => {
    const runners = [new ManualRunner(), new ManualRunner()];
    const controller = new AbortController();
    const rows: number[] = [];
    let heldWithRows: number[] | undefined;
    const done = schedule(plan, tasks, runners, { signal: controller.signal, onRow: (row) => rows.push(row.seed), hold: { after: 3, held: () => (heldWithRows = [...rows]) } });
    await drain();
    expect(runners.map((r) => r.pending.map((p) => p.task.seed))).toEqual([[1], [2]]);
    runners[0].pending.shift()!.finish();
    await drain();
    expect(runners[0].pending.map((p) => p.task.seed)).toEqual([3]);
    runners[0].pending.shift()!.finish();
    await drain();
    // Runner 0 waits at the hold; seed 2 is still in flight, so the sweep is not held yet.
    expect(runners[0].pending).toEqual([]);
    expect(heldWithRows).toBeUndefined();
    runners[1].pending.shift()!.finish();
    await drain();
    expect(heldWithRows).toEqual([1, 3, 2]);
    expect(runners.flatMap((r) => r.pending)).toEqual([]);
    controller.abort();
    expect(await done).toBe(false);
    expect(rows).toEqual([1, 3, 2]);
  });

  it('a failed run releases the runners waiting at the hold and rejects with its error', async () => {
    const runners = [new ManualRunner(), new ManualRunner()];
    const controller = new AbortController();
    const done = schedule(plan, tasks, runners, { signal: controller.signal, onRow: () => {}, hold: { after: 2, held: () => {} } });
    await drain();
    runners[0].pending.shift()!.finish();
    await drain();
    runners[1].pending.shift()!.fail(new Error('two-layer: diverged'));
    await expect(done).rejects.toThrow('two-layer: diverged');
  });

  it('with `after` at or past the number of tasks, the sweep runs to the end and is never held', async () => {
    const runner = new ManualRunner();
    let held = false;
    const done = schedule(plan, tasks.slice(0, 2), [runner], { signal: new AbortController().signal, onRow: () => {}, hold: { after: 2, held: () => (held = true) } });
    for (let i = 0; i < 2; i++) {
      await drain();
      runner.pending.shift()!.finish();
    }
    expect(await done).toBe(true);
    expect(held).toBe(false);
  });

  it('a hold without a signal to end it is refused', async () => {
    await expect(schedule(plan, tasks, [new ManualRunner()], { onRow: () => {}, hold: { after: 1, held: () => {} } })).rejects.toThrow('schedule: a hold needs a signal to end it');
  });
});
