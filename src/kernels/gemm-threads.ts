/**
 * Worker threads for the wasm GEMM kernel, in Node: the caller packs the operands into a shared
 * wasm memory, then the caller and the workers compute C in chunks (contiguous ranges of column
 * panels or of row tiles) by calling the same compute function over the same memory. The API
 * stays synchronous: the caller joins with Atomics.wait.
 *
 * Chunks are claimed from a shared counter, so a worker the OS has not scheduled yet (a shared
 * or oversubscribed machine) delays nothing: the caller claims the chunks it would have done.
 * The caller only ever waits for chunks a worker has claimed and is computing.
 *
 * Deterministic: every element of C is computed by exactly one thread, with the instructions
 * and k order of the single-threaded call, so the result is bit-identical whatever the thread
 * count or which thread took which chunk (see sliceTask in wasm-simd.ts).
 *
 * Control (an Int32Array over a SharedArrayBuffer): SEQ (bumped per product; workers sleep on
 * it in Atomics.wait after polling for a moment, since the next product of a training step
 * usually follows within microseconds), CLAIM = SEQ·TAG_STRIDE + next chunk (claimed with
 * compareExchange, so a worker that wakes late for an old product can claim nothing of a new
 * one), FINISHED chunks, ERROR, the task's slots and the chunk count; then one 128-byte line
 * per worker with its READY flag. Workers start asynchronously and take part from the first
 * product after they report READY.
 *
 * Browsers: used where the page is cross-origin isolated (its server sends
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`,
 * as `nnlab serve` does), the only pages that get SharedArrayBuffer and so a shared wasm memory.
 * The workers are Web Workers started from a blob URL (the page's CSP must allow `worker-src
 * blob:`), receiving the module and memory by postMessage. A page's main thread may not block
 * in Atomics.wait, so there the caller spins for the chunks workers have claimed: at most one
 * chunk's compute time, since it claims every chunk no worker has. Workers, and the caller in
 * a worker (the playground trains in one), sleep in Atomics.wait as in Node.
 */
import { PACK, partsOf, sliceTask, TASK, TASK_LENGTH } from './wasm-simd.js';
import type { TileRunner, WasmGemmF32 } from './wasm-simd.js';

const SEQ = 0;
const CLAIM = 1;
const FINISHED = 2;
const ERROR = 3;
const CHUNKS = 4;
// How many workers are (about to be) asleep on SEQ, and whether the caller is on FINISHED: a
// notify is a system call, made only when someone may be sleeping. Sequentially consistent
// atomics make this safe: a sleeper announces itself before it re-reads the value it waits on.
const SLEEPERS = 5;
const CALLER_SLEEPS = 6;
const LINE = 32; // Int32 slots: 128 bytes
const READY_AT = LINE; // worker w's READY flag at READY_AT + w·LINE
const STOP = -1;
const SEQ_MOD = 1 << 20;
// CLAIM = SEQ·TAG_STRIDE + next chunk; the stride leaves room for the overshoot of the last
// claims (one per thread) past the chunk count, so tags of consecutive products never meet.
const TAG_STRIDE = 1024;
/** Chunks per thread: more balance the load when a thread is descheduled; each is one wasm call. */
const CHUNKS_PER_THREAD = 8;
const MAX_CHUNKS = 64;

/** How long a worker polls for the next product before it sleeps, and the caller for workers. */
const SPIN_MS = 0.2;

/**
 * The worker's whole program as source text: in Node evaluated as CommonJS (`new
 * Worker(source, { eval: true })`), in a browser loaded from a blob URL, so it runs the same
 * under tsx, vitest and a bundle: no file to resolve. `start` receives { module, memory,
 * control, index } (workerData in Node, the first message in a browser). Chunk i's compute
 * arguments are at args + i·TASK_LENGTH, written by the caller before it bumps SEQ and left
 * alone until every chunk has been claimed and finished.
 */
function workerSource(args: number, prologue: string): string {
  return `${prologue}
function start({ module, memory, control, index }) {
const { gemm: compute, packColsA, packColsB, packRows } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(control);
Atomics.store(c, ${READY_AT} + index * ${LINE}, 1);
let seen = 0;
for (;;) {
  let seq = Atomics.load(c, ${SEQ});
  if (seq === seen) {
    const until = performance.now() + ${SPIN_MS};
    while ((seq = Atomics.load(c, ${SEQ})) === seen && performance.now() < until);
    if (seq === seen) {
      Atomics.add(c, ${SLEEPERS}, 1);
      Atomics.wait(c, ${SEQ}, seen);
      Atomics.sub(c, ${SLEEPERS}, 1);
      continue;
    }
  }
  seen = seq;
  if (seq === ${STOP}) break;
  const tag = seq * ${TAG_STRIDE};
  for (;;) {
    const v = Atomics.load(c, ${CLAIM});
    const chunk = v - tag;
    if (chunk < 0 || chunk >= c[${CHUNKS}]) break;
    if (Atomics.compareExchange(c, ${CLAIM}, v, v + 1) !== v) continue;
    const a = ${args} + chunk * ${TASK_LENGTH};
    try {
      // As runTask in wasm-simd.ts: pack this chunk's share of the deferred operand, then compute.
      const pack = c[a + ${TASK.pack}], src = c[a + ${TASK.packSrc}], stride = c[a + ${TASK.packStride}];
      const k = c[a + ${TASK.k}], kp = c[a + ${TASK.kp}], groups = c[a + ${TASK.packGroups}];
      if (pack === ${PACK.colsA}) packColsA(src, stride, c[a + ${TASK.aPtr}], k, c[a + ${TASK.mTiles}], kp);
      else if (pack === ${PACK.colsB}) packColsB(src, stride, c[a + ${TASK.bPtr}], k, c[a + ${TASK.nTiles}], kp);
      else if (pack === ${PACK.rowsA}) packRows(src, stride, c[a + ${TASK.aPtr}], c[a + ${TASK.mTiles}], kp, groups);
      else if (pack === ${PACK.rowsB}) packRows(src, stride, c[a + ${TASK.bPtr}], c[a + ${TASK.nTiles}], kp, groups);
      compute(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], c[a + 8], c[a + 9], c[a + 10]);
    } catch {
      Atomics.store(c, ${ERROR}, 1);
    }
    Atomics.add(c, ${FINISHED}, 1);
    if (Atomics.load(c, ${CALLER_SLEEPS}) !== 0) Atomics.notify(c, ${FINISHED});
  }
}
}
`;
}

/** What a started worker needs: the kernel's module and memory, the control block, its index. */
interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  index: number;
}

/** Starting and stopping workers, and whether the calling thread may block in Atomics.wait. */
interface ThreadHost {
  spawn(source: (prologue: string) => string, data: WorkerData, onError: () => void): { terminate(): unknown };
  readonly callerCanBlock: boolean;
}

type WorkerModule = typeof import('node:worker_threads');

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(): NodeProcess | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  return proc?.versions?.node !== undefined && typeof proc.getBuiltinModule === 'function' ? proc : undefined;
}

/** node:worker_threads when running in Node (synchronously, without a static import), else null. */
function nodeWorkerThreads(): WorkerModule | null {
  const proc = nodeProcess();
  if (proc === undefined || typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return null;
  return (proc.getBuiltinModule!('node:worker_threads') as WorkerModule | undefined) ?? null;
}

/** A browser page or worker that may share memory with Web Workers: cross-origin isolated. */
function isolatedBrowser(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown; Blob?: unknown; URL?: { createObjectURL?: unknown } };
  return nodeProcess() === undefined && g.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' &&
    typeof Atomics === 'object' && typeof g.Worker === 'function' && typeof g.Blob === 'function' && typeof g.URL?.createObjectURL === 'function';
}

function nodeHost(wt: WorkerModule): ThreadHost {
  return {
    callerCanBlock: true,
    spawn(source, data, onError) {
      const worker = new wt.Worker(source("const { workerData } = require('node:worker_threads');\nstart(workerData);"), { eval: true, workerData: data });
      worker.on('error', onError);
      worker.unref(); // the process may exit with workers asleep
      return worker;
    },
  };
}

function browserHost(): ThreadHost {
  return {
    // Atomics.wait throws on a page's main thread; a worker may block.
    callerCanBlock: typeof (globalThis as { document?: unknown }).document === 'undefined',
    spawn(source, data, onError) {
      const url = URL.createObjectURL(new Blob([source('self.onmessage = (event) => start(event.data);')], { type: 'text/javascript' }));
      const worker = new Worker(url);
      URL.revokeObjectURL(url); // the worker has been created from it
      worker.addEventListener('error', onError);
      worker.postMessage(data);
      return worker;
    },
  };
}

function threadHost(): ThreadHost | null {
  const wt = nodeWorkerThreads();
  if (wt !== null) return nodeHost(wt);
  return isolatedBrowser() ? browserHost() : null;
}

/** The available cores (Node's os.availableParallelism, a browser's hardwareConcurrency), at most 4; 1 where threads cannot run. */
export function defaultGemmThreads(): number {
  if (!canUseGemmThreads()) return 1;
  const proc = nodeProcess();
  const os = proc?.getBuiltinModule!('node:os') as typeof import('node:os') | undefined;
  const cores = os?.availableParallelism?.() ?? (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(4, cores));
}

/** Whether this runtime can run the kernel on worker threads: Node, or a cross-origin isolated page or worker. */
export function canUseGemmThreads(): boolean {
  return nodeWorkerThreads() !== null || isolatedBrowser();
}

/** A pool of `threads − 1` workers computing chunks of the shared-memory kernel's products. */
export class GemmThreads implements TileRunner {
  private readonly control: Int32Array;
  private readonly args: number;
  private readonly workers: { terminate(): unknown }[] = [];
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
      const data = { module: kernel.module, memory: kernel.memory, control: this.control.buffer as SharedArrayBuffer, index: w };
      // A worker that dies (it should not) stops claiming chunks; the caller does them. One that
      // cannot start (a CSP without worker-src blob:) leaves the caller alone, as without threads.
      try {
        this.workers.push(host.spawn(source, data, () => Atomics.store(this.control, READY_AT + w * LINE, 0)));
      } catch {
        break;
      }
    }
  }

  /** How many threads (the caller plus started workers) can compute a product now. */
  ready(): number {
    let n = 1;
    for (let w = 0; w < this.workers.length; w++) n += Atomics.load(this.control, READY_AT + w * LINE);
    return n;
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
