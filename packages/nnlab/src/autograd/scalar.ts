/**
 * Scalar functions: the per-element arithmetic of elementwise ops, written once as plain
 * JavaScript functions, and what every execution mode makes of them.
 *
 *  - eager ops and the capture's closure replay run a loop generated for this one function
 *    (`loopFor`), so its call site sees one function and V8 inlines it; a loop shared by many
 *    functions stops inlining them (measured 2× slower for tanh). Where a realm forbids
 *    generated code (a Content-Security-Policy without 'unsafe-eval'), a shared loop runs instead.
 *  - the capture's generated code writes the function's own source text in place (`inlineCall`)
 *    when it is straight-line arithmetic on its parameters, and calls it otherwise.
 * Either way the same expression is evaluated on the same values and stored once, so the modes
 * agree bit for bit by construction.
 *
 * A function may carry a float32 variant (`withFloat32`): what it computes when the output is a
 * Float32Array, possibly as a whole-array kernel. exp, log, tanh and sigmoid do, so float32 ops
 * run their WebAssembly SIMD kernels in every mode (see ../kernels/vector.ts).
 */
import type { FloatArray } from '../tensor/dtype.js';

/** A number from numbers (and the op's attributes, last). */
export type ScalarFunction = (...args: never[]) => number;
type Callable = (...args: unknown[]) => number;

/** How one input of an elementwise loop is read at output element i. */
export const enum Read {
  /** a[i]: the input has the output's shape. */
  Same = 0,
  /** a[0]: one value, broadcast everywhere. */
  One = 1,
  /** a[index[i]]: through a broadcast index map. */
  Index = 2,
}

/** out[i] = f(in₀ read, in₁ read, …, attrs) for i < n; `index[k]` is input k's map (Read.Index only). */
export type Loop = (out: FloatArray, n: number, ins: readonly FloatArray[], index: readonly (Int32Array | null)[], attrs: unknown) => void;

let compilable: boolean | undefined;

/** Whether this realm lets code be generated (a Content-Security-Policy without 'unsafe-eval' does not). */
export function canCompile(): boolean {
  if (compilable === undefined) {
    try {
      compilable = new Function('return 1')() === 1;
    } catch {
      compilable = false;
    }
  }
  return compilable;
}

/**
 * What a scalar function computes for float32 outputs: `scalar` per element, and `vector`, when
 * given, for a whole array of one same-shape input (its results must equal scalar's bit for bit).
 */
export interface Float32Variant {
  readonly scalar: ScalarFunction;
  readonly vector?: (out: Float32Array, x: Float32Array, n: number) => void;
}

const FLOAT32 = Symbol('nnlab float32 variant');

/** Gives `f` a float32 variant (see the file comment) and returns it. */
export function withFloat32<F extends ScalarFunction>(f: F, variant: Float32Variant): F {
  Object.defineProperty(f, FLOAT32, { value: variant });
  return f;
}

/** f's float32 variant, if it has one. */
export function float32Variant(f: ScalarFunction): Float32Variant | undefined {
  return (f as { [FLOAT32]?: Float32Variant })[FLOAT32];
}

/** The loops built for a function, by read pattern: kept on the function itself (a WeakMap lookup costs more per op). */
const LOOPS = Symbol('nnlab elementwise loops');
type WithLoops = ScalarFunction & { [LOOPS]?: Loop[] };

/** The loop computing `f` elementwise over `arity` inputs of the output's shape (loopFor's commonest case, looked up faster). */
export function sameShapeLoop(f: ScalarFunction, arity: number): Loop {
  const byPattern = (f as WithLoops)[LOOPS];
  return byPattern?.[arity] ?? loopFor(f, SAME_READS[arity] ?? Array.from({ length: arity }, () => Read.Same));
}
const SAME_READS: Read[][] = [[], [Read.Same], [Read.Same, Read.Same], [Read.Same, Read.Same, Read.Same]];

/** The loop computing `f` elementwise for these read patterns, built once per function and pattern. */
export function loopFor(f: ScalarFunction, reads: readonly Read[]): Loop {
  let byPattern = (f as WithLoops)[LOOPS];
  if (byPattern === undefined) Object.defineProperty(f, LOOPS, { value: (byPattern = []) });
  // One base-3 digit per input, then the count (patterns of different lengths never collide).
  let key = 0;
  for (let k = 0; k < reads.length; k++) key = key * 3 + reads[k];
  key = key * 8 + reads.length;
  let loop = byPattern[key];
  if (loop === undefined) {
    loop = canCompile() ? generatedLoop(f, reads) : sharedLoop(f as unknown as Callable, reads);
    const variant = float32Variant(f);
    if (variant !== undefined) loop = byOutputType(float32Loop(variant, reads), loop);
    byPattern[key] = loop;
  }
  return loop;
}

/** A variant's loop: its vector kernel for one same-shape input, else its scalar function's loop. */
function float32Loop(variant: Float32Variant, reads: readonly Read[]): Loop {
  const vector = variant.vector;
  if (vector !== undefined && reads.length === 1 && reads[0] === Read.Same) return (out, n, ins) => vector(out as Float32Array, ins[0] as Float32Array, n);
  return loopFor(variant.scalar, reads);
}

function byOutputType(float32: Loop, other: Loop): Loop {
  return (out, n, ins, index, attrs) => (out instanceof Float32Array ? float32 : other)(out, n, ins, index, attrs);
}

function readText(k: number, read: Read): string {
  return read === Read.Same ? `a${k}[i]` : read === Read.One ? `a${k}[0]` : `a${k}[m${k}[i]]`;
}

function generatedLoop(f: ScalarFunction, reads: readonly Read[]): Loop {
  const locals = reads.map((_, k) => `const a${k} = ins[${k}], m${k} = index[${k}];`).join(' ');
  const args = [...reads.map((read, k) => readText(k, read)), 'attrs'].join(', ');
  const body = `return function elementwise(out, n, ins, index, attrs) { ${locals} for (let i = 0; i < n; i++) out[i] = f(${args}); };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('f', body)(f) as Loop;
}

/** The loop for realms without generated code: correct, and slower (its call site sees every function). */
function sharedLoop(f: Callable, reads: readonly Read[]): Loop {
  const at = (k: number, i: number, ins: readonly FloatArray[], index: readonly (Int32Array | null)[]): number =>
    reads[k] === Read.Same ? ins[k][i] : reads[k] === Read.One ? ins[k][0] : ins[k][index[k]![i]];
  return (out, n, ins, index, attrs) => {
    const args: unknown[] = new Array(reads.length + 1);
    args[reads.length] = attrs;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < reads.length; k++) args[k] = at(k, i, ins, index);
      out[i] = f(...args);
    }
  };
}

interface Inlinable {
  params: string[];
  body: string;
}
const inlinable = new WeakMap<ScalarFunction, Inlinable | null>();

/**
 * `f(args…)` as source text: f's own body with its parameters bound to the arguments when f is
 * an expression-bodied arrow function that reads nothing but its parameters and globals (checked
 * by rebuilding it from its text and comparing on probe values), else a call of `callee`, the
 * name under which the generated code can reach f. The text is a block that stores into `target`.
 */
export function inlineCall(f: ScalarFunction, callee: string, target: string, args: readonly string[], probeAttrs: unknown): string {
  let parsed = inlinable.get(f);
  if (parsed === undefined) inlinable.set(f, (parsed = parse(f, args.length, probeAttrs)));
  if (parsed === null) return `${target} = ${callee}(${args.join(', ')});`;
  // Only the parameters the body reads are bound (a read nobody uses costs a load).
  const used = parsed.params.map((p, k) => [p, args[k]] as const).filter(([p, a]) => a !== undefined && new RegExp(`(^|[^\\w$.])${escape(p)}(?![\\w$])`).test(parsed!.body));
  const outer = new Set(`${target} ${args.join(' ')}`.match(/[A-Za-z_$][\w$]*/g) ?? []);
  if (used.every(([p]) => !outer.has(p))) {
    // No parameter is named like a buffer the arguments or the target read: bind them directly.
    return `{ ${used.length > 0 ? `const ${used.map(([p, a]) => `${p} = ${a}`).join(', ')};` : ''} ${target} = ${parsed.body}; }`;
  }
  // Otherwise the arguments go into temporaries first, then the parameters in an inner block.
  const temps = used.map(([, a], k) => `$$${k} = ${a}`).join(', ');
  const binds = used.map(([p], k) => `${p} = $$${k}`).join(', ');
  return `{ const ${temps}; let $$r; { const ${binds}; $$r = (${parsed.body}); } ${target} = $$r; }`;
}

function escape(name: string): string {
  return name.replace(/\$/g, '\\$');
}

const ARROW = /^\(?\s*([A-Za-z_$][\w$]*(?:\s*,\s*[A-Za-z_$][\w$]*)*)?\s*\)?\s*=>\s*([^]*)$/;
const PROBES = [0.75, -1.5, 0, 2.5, -0.25];
const BRANCH_OR_CALL = /[?]|[\w$)\]]\s*\(/;

function parse(f: ScalarFunction, arity: number, probeAttrs: unknown): Inlinable | null {
  if (!canCompile()) return null;
  const match = ARROW.exec(f.toString().trim());
  if (match === null) return null;
  const body = match[2].trim();
  if (body.startsWith('{')) return null;
  // Straight-line arithmetic only. A body with a branch or a call (sigmoid's `x >= 0 ? … :
  // Math.exp(x) / …`) written into every site gives each site type feedback of its own: the
  // whole generated step deoptimises the first time a site takes a branch it had not seen, and
  // recompiling a step that big costs more than the calls (skip-connections 1.8× slower
  // inlined). Called, V8 optimises the function once and inlines it where it pays.
  if (BRANCH_OR_CALL.test(body)) return null;
  const params = match[1] === undefined ? [] : match[1].split(',').map((p) => p.trim());
  if (params.length > arity + 1) return null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const rebuilt = new Function(`return (${params.join(', ')}) => (${body});`)() as Callable;
    const original = f as unknown as Callable;
    for (let p = 0; p < PROBES.length; p++) {
      const args = Array.from({ length: arity }, (_, k) => PROBES[(p + k) % PROBES.length]);
      if (!Object.is(rebuilt(...args, probeAttrs), original(...args, probeAttrs))) return null;
    }
  } catch {
    return null; // it reads a variable of its own module: call it instead
  }
  return { params, body: `(${body})` };
}
