/**
 * The thread pool of the wasm GEMM kernel (runs in Node, and in cross-origin isolated pages and
 * workers): the caller packs the operands into a shared wasm memory, then the caller and the
 * workers compute C in chunks (contiguous ranges of column panels or of row tiles) by calling
 * the same compute function over the same memory. The API stays synchronous: the caller joins
 * with Atomics.wait.
 *
 * Chunks are claimed from a shared counter, so a worker the OS has not scheduled yet (a shared
 * or oversubscribed machine) delays nothing: the caller claims the chunks it would have done.
 * The caller only ever waits for chunks a worker has claimed and is computing.
 *
 * Deterministic: every element of C is computed by exactly one thread, with the instructions
 * and k order of the single-threaded call, so the result is bit-identical whatever the thread
 * count or which thread took which chunk (see sliceTask in ../wasm/task.ts).
 *
 * Workers come from hosts.ts (Node worker_threads, or Web Workers in a cross-origin isolated
 * page); they speak protocol.ts. A page's main thread may not block in Atomics.wait, so there
 * the caller spins for the chunks workers have claimed: at most one chunk's compute time, since
 * it claims every chunk no worker has. Workers, and the caller in a worker (the playground
 * trains in one), sleep in Atomics.wait as in Node.
 */
import { partsOf, sliceTask, TASK_LENGTH } from '../wasm/task.js';
import type { TileRunner } from '../wasm/task.js';
import type { WasmGemmF32 } from '../wasm/runtime.js';
import { threadHost } from './hosts.js';
import { CALLER_SLEEPS, CHUNKS, CLAIM, ERROR, FINISHED, LINE, READY_AT, SEQ, SEQ_MOD, SLEEPERS, SPIN_MS, STOP, TAG_STRIDE, workerSource } from './protocol.js';

/** Chunks per thread: more balance the load when a thread is descheduled; each is one wasm call. */
const CHUNKS_PER_THREAD = 8;
const MAX_CHUNKS = 64;

/** A pool of `threads − 1` workers computing chunks of the shared-memory kernel's products. */
export class GemmThreads implements TileRunner {
  private readonly control: Int32Array;
  private readonly args: number;
  private readonly workers: { terminate(): unknown }[] = [];
  /** Settles as each worker starts or fails to. */
  private readonly starts: Promise<void>[] = [];
  private readonly callerCanBlock: boolean;
  private readonly slice = new Int32Array(TASK_LENGTH);
  private seq = 0;

  constructor(private readonly kernel: WasmGemmF32, readonly threads: number) {
    const host = threadHost();
    if (host === null) throw new Error('gemm threads: needs Node worker_threads, or a cross-origin isolated page');
    this.callerCanBlock = host.callerCanBlock;
    if (!kernel.shared) throw new Error('gemm threads: the kernel must use a shared memory');
    const count = Math.max(0, Math.floor(threads) - 1);
    this.args = READY_AT + Math.max(1, count) * LINE;
    this.control = new Int32Array(new SharedArrayBuffer((this.args + MAX_CHUNKS * TASK_LENGTH) * 4));
    const source = (prologue: string): string => workerSource(this.args, prologue);
    for (let w = 0; w < count; w++) {
      const data = { module: kernel.module, tileMapModule: kernel.tileMapModule, memory: kernel.memory, control: this.control.buffer as SharedArrayBuffer, index: w };
      // A worker that dies (it should not) stops claiming chunks; the caller does them. One that
      // cannot start (a CSP without worker-src blob:) leaves the caller alone, as without threads.
      let settle = () => {};
      const start = new Promise<void>((resolve) => (settle = resolve));
      const onError = () => {
        Atomics.store(this.control, READY_AT + w * LINE, 0);
        settle();
      };
      try {
        this.workers.push(host.spawn(source, data, { onError, onStarted: settle }));
      } catch {
        break;
      }
      this.starts.push(start);
    }
  }

  /** How many threads (the caller plus started workers) can compute a product now. */
  ready(): number {
    let n = 1;
    for (let w = 0; w < this.workers.length; w++) n += Atomics.load(this.control, READY_AT + w * LINE);
    return n;
  }

  /**
   * Resolves with ready() once every worker has started or failed to: `threads` when all did.
   * Products do not wait for it (before, the caller computes the chunks a worker would have).
   */
  async started(): Promise<number> {
    await Promise.all(this.starts);
    return this.ready();
  }

  /**
   * Wakes sleeping workers without giving them work: each polls SEQ for SPIN_MS, so the OS's
   * wake-up latency overlaps the caller's copying and packing instead of following it.
   */
  wake(): void {
    if (Atomics.load(this.control, SLEEPERS) > 0) Atomics.notify(this.control, SEQ);
  }

  wouldSplit(task: Int32Array): boolean {
    return this.ready() > 1 && partsOf(task, 2) > 1;
  }

  run(task: Int32Array): void {
    const c = this.control;
    const chunks = partsOf(task, Math.min(MAX_CHUNKS, CHUNKS_PER_THREAD * this.ready()));
    for (let i = 0; i < chunks; i++) {
      sliceTask(task, i, chunks, this.kernel.config, this.slice);
      c.set(this.slice, this.args + i * TASK_LENGTH);
    }
    this.seq = (this.seq % (SEQ_MOD - 1)) + 1;
    const tag = this.seq * TAG_STRIDE;
    c[CHUNKS] = chunks;
    Atomics.store(c, FINISHED, 0);
    Atomics.store(c, CLAIM, tag);
    Atomics.store(c, SEQ, this.seq);
    if (Atomics.load(c, SLEEPERS) > 0) Atomics.notify(c, SEQ);
    // Claim chunks like a worker until none are left.
    let mine = 0;
    for (;;) {
      const chunk = Atomics.add(c, CLAIM, 1) - tag;
      if (chunk >= chunks) break;
      this.kernel.runTask(c, this.args + chunk * TASK_LENGTH);
      mine++;
    }
    // Wait for the chunks workers claimed (they are computing them now).
    const until = performance.now() + SPIN_MS;
    let finished = Atomics.load(c, FINISHED);
    while (finished + mine < chunks && performance.now() < until) finished = Atomics.load(c, FINISHED);
    while (finished + mine < chunks) {
      if (this.callerCanBlock) {
        Atomics.store(c, CALLER_SLEEPS, 1);
        finished = Atomics.load(c, FINISHED);
        if (finished + mine < chunks) Atomics.wait(c, FINISHED, finished, 50);
        Atomics.store(c, CALLER_SLEEPS, 0);
      }
      finished = Atomics.load(c, FINISHED);
    }
    if (Atomics.exchange(c, ERROR, 0) !== 0) throw new Error('gemm: a worker thread failed while computing its tiles');
  }

  /** Stops the workers (tests; the process exits without it, the workers are unref'd). */
  async close(): Promise<void> {
    for (let w = 0; w < this.workers.length; w++) Atomics.store(this.control, READY_AT + w * LINE, 0);
    Atomics.store(this.control, SEQ, STOP);
    Atomics.notify(this.control, SEQ);
    await Promise.all(this.workers.map(async (worker) => worker.terminate()));
  }
}
