/**
 * The kernels' wasm memory on the host side (runs in Node and browsers): grows it on demand and
 * keeps the typed-array views over it, rebuilt only when it grew. Shared by the GEMM's calls
 * (runtime.ts) and the elementwise ones (elementwise-runtime.ts), which stage their operands in
 * the same memory, one call at a time.
 */
import { MAX_PAGES, PAGE_BYTES } from './module.js';

const MAX_MEMORY_BYTES = MAX_PAGES * PAGE_BYTES;

export class KernelMemory {
  /** The whole memory as floats; replaced when the memory grows. */
  heap: Float32Array;
  /** Its first two doubles, for sgd's [lr, momentum] at byte 0; replaced with heap. */
  doubles: Float64Array;

  constructor(readonly memory: WebAssembly.Memory) {
    this.heap = new Float32Array(memory.buffer);
    this.doubles = new Float64Array(memory.buffer, 0, 2);
  }

  /** Grows memory to at least needBytes; false when that is past the limit or fails. */
  reserve(needBytes: number): boolean {
    const memory = this.memory;
    const haveBytes = memory.buffer.byteLength;
    if (needBytes > haveBytes) {
      // Past the engine's memory limit (4 GiB for wasm32) the caller falls back to JS.
      if (needBytes > MAX_MEMORY_BYTES) return false;
      try {
        memory.grow(Math.ceil((needBytes - haveBytes) / PAGE_BYTES));
      } catch {
        return false;
      }
    }
    if (this.heap.length * 4 !== memory.buffer.byteLength) {
      this.heap = new Float32Array(memory.buffer);
      this.doubles = new Float64Array(memory.buffer, 0, 2);
    }
    return true;
  }
}

export function roundUp(x: number, multiple: number): number {
  return Math.ceil(x / multiple) * multiple;
}
