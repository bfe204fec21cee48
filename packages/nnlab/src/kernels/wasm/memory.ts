/**
 * The kernels' wasm memory on the host side (runs in Node and browsers): grows it on demand and
 * keeps the typed-array views over it, rebuilt only when it grew. Shared by the GEMM's calls
 * (runtime.ts) and the elementwise ones (elementwise-runtime.ts), which stage their operands in
 * the same memory, one call at a time, from `stagingBase` up.
 *
 * Below `stagingBase` live resident blocks (`allocate`): float32 arrays that view this memory, so
 * a kernel reads and writes them in place instead of copying them in and out (a captured step
 * keeps its parameters, activations and gradients there). Only a shared memory hands them out:
 * growing a non-shared memory detaches its ArrayBuffer, and every view over it with it, while a
 * shared one keeps its old SharedArrayBuffers (and their views) valid over the same bytes. A
 * block is freed when its view is garbage-collected.
 */
import { MAX_PAGES, PAGE_BYTES } from './module.js';

const MAX_MEMORY_BYTES = MAX_PAGES * PAGE_BYTES;

/** Floats kept at the start: sgd's two doubles [lr, momentum] at byte 0 (see `doubles`). */
const RESERVED_FLOATS = 16;
/** Blocks start on 64-byte lines, so that a block never shares a cache line with another. */
const BLOCK_ALIGN = 16;

interface Block {
  readonly at: number;
  readonly size: number;
}

export class KernelMemory {
  /** The whole memory as floats; replaced when the memory grows. */
  heap: Float32Array;
  /** Its first two doubles, for sgd's [lr, momentum] at byte 0; replaced with heap. */
  doubles: Float64Array;
  /** Where calls stage their operands (a float index): above every resident block. */
  stagingBase = RESERVED_FLOATS;
  readonly shared: boolean;
  /** Every buffer this (shared) memory has had: views over any of them address the same bytes. */
  private readonly buffers = new Set<ArrayBufferLike>();
  /** Live resident blocks, by address. */
  private blocks: Block[] = [];
  private readonly registry = new FinalizationRegistry<Block>((block) => this.free(block));
  /**
   * Per resident array, an untouched ArrayBuffer of its size. NOTE: the engine counts an
   * ArrayBuffer's bytes as memory pressure, not a wasm memory's, so without these a program
   * making many models would grow the memory by hundreds of MB before a collection freed any
   * block (1,000 256-256-10 models made and dropped: 704 MB of wasm memory, 878 MB RSS; with
   * them 60 MB and 242 MB; the same loop before resident arrays: 124 MB RSS). Never written.
   */
  private readonly pressure = new WeakMap<Float32Array, ArrayBuffer>();

  constructor(readonly memory: WebAssembly.Memory) {
    this.heap = new Float32Array(memory.buffer);
    this.doubles = new Float64Array(memory.buffer, 0, 2);
    this.shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
    if (this.shared) this.buffers.add(memory.buffer);
  }

  /** Grows memory to at least needBytes; false when that is past the limit or fails. */
  reserve(needBytes: number): boolean {
    // NOTE: `heap` still covers needBytes, so it is valid: only this object grows the memory,
    // and a view that growth detached (non-shared memory) has length 0. The `buffer` getter
    // is a call into the engine (~35 ns on a shared memory, ~21 otherwise, Node 20), which the
    // check below made twice per product: a fifth of a 10×8·8×8 product's call.
    if (needBytes <= this.heap.length * 4) return true;
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
      if (this.shared) this.buffers.add(memory.buffer);
    }
    return true;
  }

  /** The float index in `heap` where `a` starts when `a` views this memory (a resident block), else −1. */
  residentAt(a: Float32Array): number {
    return this.shared && this.buffers.has(a.buffer) ? a.byteOffset >> 2 : -1;
  }

  /**
   * A float32 array of `length` zeros viewing this memory, which the kernels use in place; null
   * when the memory is not shared (see the header) or cannot grow enough. It stays valid however
   * the memory grows, and its block is reused once the array (NOTE: not a subarray of it) is
   * garbage-collected.
   */
  allocate(length: number): Float32Array | null {
    const block = this.place(length);
    if (block === null) return null;
    // A freed block may hold a previous owner's values (or staging's).
    this.heap.fill(0, block.at, block.at + length);
    const view = new Float32Array(this.heap.buffer, block.at * 4, length);
    this.registry.register(view, block);
    this.pressure.set(view, new ArrayBuffer(block.size * 4));
    return view;
  }

  /**
   * A float32 array of `length` values viewing this memory, as `allocate` gives, for a caller
   * that hands it back (giveBack) as soon as it is done with it and lets no one else keep it:
   * its values are whatever the block last held, and it is neither zeroed nor watched by the
   * collector. Null where `allocate` would be.
   */
  borrow(length: number): Float32Array | null {
    const block = this.place(length);
    return block === null ? null : new Float32Array(this.heap.buffer, block.at * 4, length);
  }

  /** Frees the block of an array `borrow` gave; the array must not be used after. */
  giveBack(view: Float32Array): void {
    const at = this.residentAt(view);
    const block = this.blocks.find((b) => b.at === at);
    if (block === undefined) throw new Error('KernelMemory.giveBack: not a borrowed array of this memory');
    this.free(block);
  }

  /** A block of `length` floats in the first gap that holds it (or above the last), or null. */
  private place(length: number): Block | null {
    if (!this.shared) return null;
    const size = roundUp(Math.max(length, 1), BLOCK_ALIGN);
    let at = RESERVED_FLOATS;
    let index = 0;
    for (; index < this.blocks.length; index++) {
      const block = this.blocks[index];
      if (block.at - at >= size) break;
      at = block.at + block.size;
    }
    if (!this.reserve((at + size) * 4)) return null;
    const block: Block = { at, size };
    this.blocks.splice(index, 0, block);
    this.stagingBase = Math.max(this.stagingBase, at + size);
    return block;
  }

  private free(block: Block): void {
    this.blocks = this.blocks.filter((b) => b !== block);
    const last = this.blocks[this.blocks.length - 1];
    this.stagingBase = last === undefined ? RESERVED_FLOATS : last.at + last.size;
  }
}

export function roundUp(x: number, multiple: number): number {
  return Math.ceil(x / multiple) * multiple;
}
