/**
 * The closure replay: each op's kernel (src/autograd/kernel.ts) run once against an executor
 * that records its steps as closures over the step's buffers, with broadcast index maps and
 * gemm options built once. Replaying a step calls them in order. This is the replay for realms
 * that forbid generated code; compile.ts writes the same steps as one function.
 */
import type { DType, FloatArray } from '../tensor/dtype.js';
import { broadcastIndex, sameShape, sizeOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { epilogueGrad, gemm, residentBuffer } from '../kernels/index.js';
import { gemmOptions, isBuf, readOf, sumInto } from '../autograd/kernel.js';
import type { Buf, CallArgument, Exec, GemmBufOptions } from '../autograd/kernel.js';
import { loopFor } from '../autograd/scalar.js';
import type { Read, ScalarFunction } from '../autograd/scalar.js';

/** A buffer of the captured step: its storage and shape, and the step's input it is, if any. */
export interface Slot extends Buf {
  readonly data: FloatArray;
}

export type Step = () => void;

/** Records a kernel's steps into `steps` (set before each kernel runs). */
export class RecordExec implements Exec {
  readonly caller = 'captureStep';
  steps: Step[] = [];
  dtype: DType = 'float32';

  map(out: Buf, f: ScalarFunction, ins: readonly Buf[], attrs?: unknown): void {
    const o = (out as Slot).data;
    const arrays = ins.map((b) => (b as Slot).data);
    const reads: Read[] = [];
    const index: (Int32Array | null)[] = [];
    ins.forEach((b, k) => {
      const [read, map] = readOf(b.shape, arrays[k].length, out.shape);
      reads.push(read);
      index.push(map);
    });
    const loop = loopFor(f, reads);
    const n = o.length;
    this.steps.push(() => loop(o, n, arrays, index, attrs));
  }

  sumTo(target: Buf, source: Buf): void {
    const t = (target as Slot).data;
    const s = (source as Slot).data;
    if (t === s) return;
    if (sameShape(target.shape, source.shape) || t.length === 1) {
      this.steps.push(() => sumInto(t, target.shape, s, source.shape));
      return;
    }
    // The general case of sumInto with its index map made once (the same additions in the same order).
    const index = broadcastIndex(target.shape, source.shape);
    this.steps.push(() => {
      t.fill(0);
      for (let i = 0; i < s.length; i++) t[index[i]] += s[i];
    });
  }

  gemm(out: Buf, a: Buf, b: Buf, m: number, k: number, n: number, options?: GemmBufOptions): void {
    const [o, x, y] = [out, a, b].map((s) => (s as Slot).data);
    const resolved = options === undefined ? undefined : gemmOptions(options, (s) => (s as Slot).data);
    this.steps.push(() => gemm(o, x, y, m, k, n, resolved));
  }

  epilogueGrad(dy: Buf, y: Buf | null, rows: number, cols: number, dz: Buf | null, sums: Buf | null): void {
    const data = (s: Buf | null): FloatArray | null => (s === null ? null : (s as Slot).data);
    const [g, yd, z, sd] = [data(dy), data(y), data(dz), data(sums)];
    this.steps.push(() => epilogueGrad(g!, yd, rows, cols, z, sd));
  }

  call(fn: (...args: never[]) => void, args: readonly CallArgument[]): void {
    const resolved = args.map((a) => (isBuf(a) ? (a as Slot).data : a));
    const f = fn as (...a: unknown[]) => void;
    this.steps.push(() => f(...resolved));
  }

  scratch(shape: Shape): Buf {
    const slot: Slot = { data: residentBuffer(this.dtype, sizeOf(shape)), shape };
    return slot;
  }

  view(buf: Buf, shape: Shape): Buf {
    const slot: Slot = { data: (buf as Slot).data, shape, input: buf.input };
    return slot;
  }
}
