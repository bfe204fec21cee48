/**
 * The compiled replay: each op's kernel (src/autograd/kernel.ts) run once against an executor
 * that writes its steps as JavaScript, then one function per captured step, with every shape a
 * constant, tiny matrix products written out in full, scalar functions written in place and
 * every buffer a local.
 *
 * This is the fast path where `new Function` is allowed (Node, and pages whose
 * Content-Security-Policy has 'unsafe-eval'); elsewhere replay.ts records the same steps as
 * closures. The code repeats what the eager executor runs: a map evaluates the op's own scalar
 * function (its source text, or a call of it) and stores once; products below TINY_MAX_WORK are
 * the strided loop of src/kernels/gemm-js.ts unrolled, so `s = 0; s += a·b; …` becomes
 * `0 + a·b + …`, evaluated left to right in double as the loop does; anything larger, and every
 * epilogue but the bias, calls the same kernel function as the eager op.
 */
import type { DType } from '../tensor/dtype.js';
import { broadcastIndex, sameShape, sizeOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { TINY_MAX_WORK, WASM_MIN_GRAD, epilogueGrad, gemm, residentBuffer, wasmSgd } from '../kernels/index.js';
import { applyBiasRelu } from '../kernels/epilogue.js';
import { mapFloat32 } from '../kernels/vector.js';
import { isBuf } from '../autograd/kernel.js';
import type { Buf, CallArgument, Exec, GemmBufOptions } from '../autograd/kernel.js';
import { float32Variant, inlineCall } from '../autograd/scalar.js';
import type { ScalarFunction } from '../autograd/scalar.js';

export { canCompile } from '../autograd/scalar.js';

/** A buffer as the generated code names it. */
export interface Ref extends Buf {
  readonly name: string;
  readonly size: number;
}

/** Helpers the generated code calls, passed in as `H`. */
export const HELPERS = { gemm, epilogueGrad, applyBiasRelu, mapFloat32, wasmSgd } as const;

/**
 * Writes a kernel's steps as source text. `bind` names a value the code reads (a buffer, an
 * index map, a function, an options object); `text` collects the statements.
 */
export class CodeExec implements Exec {
  readonly caller = 'captureStep';
  text: string[] = [];
  dtype: DType = 'float32';
  /**
   * Parameters whose SGD step may ride on the product writing their gradient, by the gradient's
   * buffer name: the parameter's buffer and its optimiser group (set by step.ts). When such a
   * product is a gemm call, the code passes the step to it (gemm's `update`, in the wasm
   * kernel's epilogue where it can) when the pass receives the groups' learning rates `L`, and
   * names the gradient in `fused`.
   */
  readonly updatable = new Map<string, { theta: string; group: number }>();
  readonly fused = new Set<string>();
  /** The statements of `text` that take a step, with the plain call that would replace them. */
  updates: { at: number; grad: string; theta: string; plain: string }[] = [];

  constructor(private readonly bind: (value: unknown, prefix: string) => string, private readonly valueOf: (name: string) => unknown) {}

  map(out: Buf, f: ScalarFunction, ins: readonly Buf[], attrs?: unknown): void {
    const o = out as Ref;
    // float32 runs a function's float32 variant (as the eager loops do): a kernel call over the
    // whole array where it has one, else its scalar function in place.
    const variant = this.dtype === 'float32' ? float32Variant(f) : undefined;
    if (variant !== undefined) {
      const x = ins[0] as Ref;
      if (variant.vector !== undefined && ins.length === 1 && sameShape(x.shape, o.shape)) {
        this.text.push(`${this.bind(variant.vector, 'c')}(${o.name}, ${x.name}, ${o.size});`);
        return;
      }
      f = variant.scalar;
    }
    const reads = ins.map((b) => this.read(b as Ref, out.shape));
    const args = attrs === undefined ? reads : [...reads, typeof attrs === 'number' ? numberLiteral(attrs) : this.bind(attrs, 'c')];
    this.text.push(each(o.size, inlineCall(f, this.bind(f, 'c'), `${o.name}[i]`, args, attrs)));
  }

  sumTo(target: Buf, source: Buf): void {
    const t = target as Ref;
    const s = source as Ref;
    if (t.name === s.name) return;
    if (sameShape(t.shape, s.shape)) this.text.push(each(s.size, `${t.name}[i] = ${s.name}[i];`));
    else if (t.size === 1) this.text.push(`{ let total = 0; ${each(s.size, `total += ${s.name}[i];`)} ${t.name}[0] = total; }`);
    else {
      const index = this.bind(broadcastIndex(t.shape, s.shape), 'c');
      this.text.push(`${zero(t)}\n${each(s.size, `${t.name}[${index}[i]] += ${s.name}[i];`)}`);
    }
  }

  gemm(out: Buf, a: Buf, b: Buf, m: number, k: number, n: number, options: GemmBufOptions = {}): void {
    const [o, x, y] = [out, a, b] as Ref[];
    const { transA = false, transB = false, bias, relu = false, activation } = options;
    if (m * k * n > TINY_MAX_WORK || m === 0 || n === 0 || k === 0) {
      const resolved = {
        transA, transB, relu, ...(activation === undefined ? {} : { activation }), ...(bias === undefined ? {} : { bias: this.valueOf((bias as Ref).name) }),
      };
      const call = (opts: string): string => `H.gemm(${o.name}, ${x.name}, ${y.name}, ${m}, ${k}, ${n}, ${opts});`;
      const update = this.updatable.get(o.name);
      if (update === undefined) {
        this.text.push(call(this.bind(resolved, 'c')));
        return;
      }
      const updating = this.bind({ ...resolved, update: { theta: this.valueOf(update.theta), lr: 0 } }, 'c');
      const plain = call(this.bind(resolved, 'c'));
      this.updates.push({ at: this.text.length, grad: o.name, theta: update.theta, plain });
      this.text.push(`if (L === null) ${plain}\nelse { ${updating}.update.lr = L[${update.group}]; ${call(updating)} }`);
      this.fused.add(o.name);
      return;
    }
    this.text.push(product(o.name, x.name, y.name, m, k, n, transA, transB));
    if (relu) this.text.push(`H.applyBiasRelu(${o.name}, 0, ${m}, ${n}, ${bias === undefined ? 'null' : (bias as Ref).name}, true);`);
    else if (bias !== undefined) this.text.push(eachRow(m, n, `${o.name}[at] += ${(bias as Ref).name}[j];`));
    // As gemm's tiny path: the float32 kernel over the product (the bits of its fused epilogue).
    if (activation !== undefined) this.text.push(`H.mapFloat32('${activation}', ${o.name}, ${o.name}, ${m * n});`);
  }

  epilogueGrad(dy: Buf, y: Buf | null, rows: number, cols: number, dz: Buf | null, sums: Buf | null): void {
    const name = (r: Buf | null): string => (r === null ? 'null' : (r as Ref).name);
    if (rows * cols >= WASM_MIN_GRAD) {
      this.text.push(`H.epilogueGrad(${name(dy)}, ${name(y)}, ${rows}, ${cols}, ${name(dz)}, ${name(sums)});`);
      return;
    }
    // Below WASM_MIN_GRAD epilogueGrad runs its JS loops (src/kernels/elementwise.ts): written out here.
    const g = dz === null ? name(dy) : name(dz);
    if (dz !== null) this.text.push(each(rows * cols, y === null ? `${g}[i] = ${name(dy)}[i];` : `${g}[i] = ${name(y)}[i] <= 0 ? 0 : ${name(dy)}[i];`));
    if (sums !== null) this.text.push(`${zero(sums as Ref)}\n${eachRow(rows, cols, `${name(sums)}[j] += ${g}[at];`)}`);
  }

  call(fn: (...args: never[]) => void, args: readonly CallArgument[]): void {
    const names = args.map((a) => (isBuf(a) ? (a as Ref).name : this.bind(a, 'c')));
    this.text.push(`${this.bind(fn, 'c')}(${names.join(', ')});`);
  }

  scratch(shape: Shape): Buf {
    const size = sizeOf(shape);
    const ref: Ref = { name: this.bind(residentBuffer(this.dtype, size), 's'), shape, size };
    return ref;
  }

  view(buf: Buf, shape: Shape): Buf {
    const r = buf as Ref;
    const ref: Ref = { name: r.name, shape, size: r.size, input: r.input };
    return ref;
  }

  /** The expression reading `ref` at output element `i` of shape `full`. */
  private read(ref: Ref, full: Shape): string {
    if (sameShape(ref.shape, full)) return `${ref.name}[i]`;
    if (ref.size === 1) return `${ref.name}[0]`;
    return `${ref.name}[${this.bind(broadcastIndex(ref.shape, full), 'c')}[i]]`;
  }
}

/** out[m×n] = op(A)·op(B) for a tiny product, as src/kernels/gemm-js.ts's strided loop computes it (see the header). */
function product(out: string, a: string, b: string, m: number, k: number, n: number, transA: boolean, transB: boolean): string {
  const aRow = transA ? 1 : k;
  const aStep = transA ? m : 1;
  const bCol = transB ? k : 1;
  const bStep = transB ? 1 : n;
  const lines: string[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = '0';
      for (let p = 0; p < k; p++) sum += ` + ${a}[${i * aRow + p * aStep}] * ${b}[${j * bCol + p * bStep}]`;
      lines.push(`${out}[${i * n + j}] = ${sum};`);
    }
  }
  return lines.join('\n');
}

/** Loops of up to this many iterations are written out, one block per index. */
const UNROLL = 16;

/**
 * `for (let i = 0; i < n; i++) body`, or for small n the body n times, each in a block with
 * `const i` set to its index (no loop counter or bounds checks left once V8 folds the constant).
 */
export function each(n: number, body: string): string {
  if (n > UNROLL) return `for (let i = 0; i < ${n}; i++) ${body}`;
  return Array.from({ length: n }, (_, k) => `{ const i = ${k}; ${body} }`).join(' ');
}

/** The same over the rows of an [n, m] matrix, with `at` the flat index and `j` the column. */
function eachRow(n: number, m: number, body: string): string {
  if (n * m > UNROLL) return `for (let r = 0, at = 0; r < ${n}; r++) for (let j = 0; j < ${m}; j++, at++) ${body}`;
  return Array.from({ length: n * m }, (_, k) => `{ const at = ${k}, j = ${k % m}; ${body} }`).join(' ');
}

/** ref.fill(0), written out for a few elements (a call costs more than the stores). */
function zero(ref: Ref): string {
  if (ref.size > 8) return `${ref.name}.fill(0);`;
  return Array.from({ length: ref.size }, (_, i) => `${ref.name}[${i}] = 0;`).join(' ');
}

/** A number as source text that reads back as the same double. */
function numberLiteral(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** Builds the generated function: `factory(B, H)` binds the buffers `B` and returns the step. */
export function compileFunction<T>(body: string, buffers: readonly unknown[]): T {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('B', 'H', body) as (b: readonly unknown[], h: typeof HELPERS) => T;
  return factory(buffers, HELPERS);
}
