/**
 * The protocol between the GEMM thread pool (pool.ts, the caller's side) and its workers: the
 * layout of the shared control block (an Int32Array over a SharedArrayBuffer) and the workers'
 * whole program as source text. This file runs wherever the pool does (Node or a cross-origin
 * isolated page); the text it returns runs inside a Node worker thread or a Web Worker.
 *
 * Control block: SEQ (bumped per product; workers sleep on it in Atomics.wait after polling for
 * a moment, since the next product of a training step usually follows within microseconds),
 * CLAIM = SEQ·TAG_STRIDE + next chunk (claimed with compareExchange, so a worker that wakes late
 * for an old product can claim nothing of a new one), FINISHED chunks, ERROR, the chunk count;
 * then one 128-byte line per worker with its READY flag; then the chunks' tasks (../wasm/task.ts).
 */
import { KIND, PACK, SGD_TASK, TASK, TASK_LENGTH } from '../wasm/task.js';
import { TILE_MAPS } from '../wasm/tile-map-code.js';

export const SEQ = 0;
export const CLAIM = 1;
export const FINISHED = 2;
export const ERROR = 3;
export const CHUNKS = 4;
// How many workers are (about to be) asleep on SEQ, and whether the caller is on FINISHED: a
// notify is a system call, made only when someone may be sleeping. Sequentially consistent
// atomics make this safe: a sleeper announces itself before it re-reads the value it waits on.
export const SLEEPERS = 5;
export const CALLER_SLEEPS = 6;
export const LINE = 32; // Int32 slots: 128 bytes
export const READY_AT = LINE; // worker w's READY flag at READY_AT + w·LINE
export const STOP = -1;
export const SEQ_MOD = 1 << 20;
// CLAIM = SEQ·TAG_STRIDE + next chunk; the stride leaves room for the overshoot of the last
// claims (one per thread) past the chunk count, so tags of consecutive products never meet.
export const TAG_STRIDE = 1024;

/** How long a worker polls for the next product before it sleeps, and the caller for workers. */
export const SPIN_MS = 0.2;

/**
 * The worker's whole program as source text: in Node evaluated as CommonJS (`new
 * Worker(source, { eval: true })`), in a browser loaded from a blob URL, so it runs the same
 * under tsx, vitest and a bundle: no file to resolve. `start` receives { module, tileMapModule,
 * memory, control, index } (workerData in Node, the first message in a browser) and
 * instantiates them as ../wasm/module.ts's instantiateGemm does. Chunk i's compute
 * arguments are at args + i·TASK_LENGTH, written by the caller before it bumps SEQ and left
 * alone until every chunk has been claimed and finished.
 */
export function workerSource(args: number, prologue: string): string {
  return `${prologue}
function start({ module, tileMapModule, memory, control, index }, started) {
const maps = new WebAssembly.Instance(tileMapModule, { env: { memory } }).exports;
const { gemm: compute, packColsA, packColsB, packRows, sgd } = new WebAssembly.Instance(module, { env: { memory, ${TILE_MAPS.map((name) => `${name}: maps.${name}`).join(', ')} } }).exports;
const c = new Int32Array(control);
Atomics.store(c, ${READY_AT} + index * ${LINE}, 1);
started();
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
      // As runTask in ../wasm/runtime.ts: an sgd range, or pack this chunk's share of the
      // deferred operand, then compute.
      if (c[a + ${TASK.kind}] === ${KIND.sgd}) {
        sgd(c[a + ${SGD_TASK.theta}], c[a + ${SGD_TASK.g}], c[a + ${SGD_TASK.acc}], c[a + ${SGD_TASK.length}], 0, c[a + ${SGD_TASK.mode}]);
      } else {
        const pack = c[a + ${TASK.pack}], src = c[a + ${TASK.packSrc}], stride = c[a + ${TASK.packStride}];
        const k = c[a + ${TASK.k}], kp = c[a + ${TASK.kp}], groups = c[a + ${TASK.packGroups}];
        if (pack === ${PACK.colsA}) packColsA(src, stride, c[a + ${TASK.aPtr}], k, c[a + ${TASK.mTiles}], kp);
        else if (pack === ${PACK.colsB}) packColsB(src, stride, c[a + ${TASK.bPtr}], k, c[a + ${TASK.nTiles}], kp);
        else if (pack === ${PACK.rowsA}) packRows(src, stride, c[a + ${TASK.aPtr}], c[a + ${TASK.mTiles}], kp, groups);
        else if (pack === ${PACK.rowsB}) packRows(src, stride, c[a + ${TASK.bPtr}], c[a + ${TASK.nTiles}], kp, groups);
        compute(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], c[a + 8], c[a + 9], c[a + 10], c[a + 11], c[a + 12], c[a + 13], c[a + 14]);
      }
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

/** What a started worker needs: the kernel's modules and memory, the control block, its index. */
export interface WorkerData {
  module: WebAssembly.Module;
  tileMapModule: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  index: number;
}
