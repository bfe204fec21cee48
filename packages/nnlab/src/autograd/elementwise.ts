/**
 * Elementwise ops from scalar functions: the op's value per element and, per input, its
 * gradient per element. From these alone come the eager op, its broadcasting and the sum of a
 * broadcast input's gradient back to its shape, its captured replay and generated code, and, for
 * one-input ops, its use as a dense layer's fused activation.
 *
 *     const softsign = defineElementwise({
 *       name: 'softsign',
 *       inputs: ['x'],
 *       forward: (x) => x / (1 + Math.abs(x)),
 *       grad: { x: (g, x) => g / ((1 + Math.abs(x)) * (1 + Math.abs(x))) },
 *     });
 *     softsign({ x }, undefined);
 *
 * Write scalar functions as arrow functions of their arguments (and `Math`) only, returning one
 * expression: captured steps then write them in place instead of calling them.
 */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import type { DType, FloatArray } from '../tensor/dtype.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { defineOp } from './op.js';
import type { OpFunction, OpSpec } from './op.js';
import { fieldsOf } from './fields.js';
import type { Fields } from './fields.js';
import { EagerExec } from './kernel.js';
import type { Buf, Exec, OpKernel } from './kernel.js';
import { canCompile, float32Variant, sameShapeLoop } from './scalar.js';
import type { ScalarFunction } from './scalar.js';

/**
 * An input's gradient per element: `(dy, inputs…, y, attrs) => number`; or `{ local }`, for
 * dy · local(inputs…, y, attrs) with local stored in the op's dtype first (an op that keeps the
 * rounding of a two-step formula).
 */
export type GradRule = ScalarFunction | {
  /** The local derivative ∂y/∂input per element, without dy. */
  local: ScalarFunction;
};

/** What a parameter-free activation tells its users (layers, the lab's pages). */
export interface ActivationInfo {
  /** The output's range when it is bounded, e.g. [0, 1] for sigmoid (a heat map's colour scale). */
  range?: readonly [number, number];
  /** How pages name it, e.g. 'ReLU' (default: the op's name). */
  label?: string;
  /** The attributes it is applied with by name (leaky ReLU's slope 0.01, say). */
  attrs?: unknown;
}

/** An elementwise op's definition for {@link defineElementwise}: scalar functions per element. */
export interface ElementwiseSpec<Name extends string> {
  /** The op's unique name in the registry and in error messages. */
  name: string;
  /** The input names, in the order the scalar functions take them. */
  inputs: readonly Name[];
  /** Inputs that never get a gradient: targets, conditions. */
  constantInputs?: readonly Name[];
  /** The value per element: `(inputs…, attrs) => number`. */
  forward: ScalarFunction;
  /** Per differentiable input, its gradient per element. */
  grad: Readonly<Partial<Record<Name, GradRule>>>;
  /**
   * One-input ops only: the gradient reads dy and y, never x. A dense layer then applies the op
   * to its output in place; otherwise it keeps x·W + b for the backward pass.
   */
  gradFromOutput?: boolean;
  /** Marks a one-input op as an activation (nn.Activation, Dense's `activation`, the playground). */
  activation?: ActivationInfo;
}

/** The scalar description an elementwise op keeps in the registry. */
export interface ElementwiseRule {
  readonly inputs: readonly string[];
  readonly forward: ScalarFunction;
  readonly grad: Readonly<Partial<Record<string, GradRule>>>;
  readonly gradFromOutput: boolean;
  readonly activation?: ActivationInfo;
}

/** g · d: the second step of a `{ local }` gradient. */
export const times = (g: number, d: number): number => g * d;

/**
 * Writes an input's gradient by `rule` into `target` (of the input's shape): computed over the
 * output's shape, and summed back over the axes the input was broadcast along. `args` are
 * [dy, inputs…, y], as the rule reads them.
 */
export function writeGradient(k: Exec, rule: GradRule, target: Buf, args: readonly Buf[], out: Buf, attrs: unknown): void {
  const full = target.shape === out.shape || sameShape(target.shape, out.shape) ? target : k.scratch(out.shape);
  if (typeof rule === 'function') {
    k.map(full, rule, args, attrs);
  } else {
    const local = k.scratch(out.shape);
    k.map(local, rule.local, args.slice(1), attrs);
    k.map(full, times, [args[0], local]);
  }
  if (full !== target) k.sumTo(target, full);
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Defines an elementwise op (see the file comment); returns it as defineOp does. */
export function defineElementwise<Name extends string, Attrs = undefined>(spec: ElementwiseSpec<Name>): OpFunction<Name, Attrs> {
  const { name, inputs: names, forward, grad } = spec;
  if (spec.activation !== undefined && names.length !== 1) throw new Error(`defineElementwise: activation '${name}' must have one input, got ${names.length}`);
  if (spec.gradFromOutput === true && names.length !== 1) throw new Error(`defineElementwise: gradFromOutput needs one input ('${name}' has ${names.length})`);
  for (const n of names) {
    if (!(spec.constantInputs ?? []).includes(n) && grad[n] === undefined) throw new Error(`defineElementwise: op '${name}' has no gradient rule for input '${n}' (or list it in constantInputs)`);
  }
  const rule: ElementwiseRule = { inputs: names, forward, grad, gradFromOutput: spec.gradFromOutput === true, activation: spec.activation };
  const fields = fieldsOf(names);
  const rules = names.map((n) => grad[n]);
  const kernel: OpKernel<Name, Attrs, undefined> = {
    shape: (inputs) => {
      const ins = fields.read(inputs) as Buf[];
      let shape: Shape = ins[0].shape;
      for (let i = 1; i < ins.length; i++) {
        if (!sameShape(shape, ins[i].shape)) shape = broadcastShapes(name, shape, ins[i].shape, [names[i - 1], names[i]]);
      }
      return shape;
    },
    forward: (k, inputs, out, attrs) => k.map(out, forward, fields.read(inputs) as Buf[], attrs),
    backward: (k, dy, { inputs, out, grads, attrs }) => {
      // [dy, inputs…, y]: what a gradient rule reads (a { local } rule reads all but dy).
      const ins = fields.read(inputs) as Buf[];
      const args: Buf[] = new Array(ins.length + 2);
      args[0] = dy;
      for (let i = 0; i < ins.length; i++) args[i + 1] = ins[i];
      args[ins.length + 1] = out;
      const targets = fields.read(grads) as (Buf | undefined)[];
      for (let i = 0; i < targets.length; i++) {
        const target = targets[i];
        const rule = rules[i];
        if (target !== undefined && rule !== undefined) writeGradient(k, rule, target, args, out, attrs);
      }
    },
  };
  const eager = eagerElementwise(name, names, fields, forward, rules, kernel);
  return defineOp<Name, Attrs, undefined>({ name, inputs: names, constantInputs: spec.constantInputs, kernel, elementwise: rule, ...eager });
}

const NO_INDEX: (Int32Array | null)[] = [];

/**
 * The eager op, taking a shortcut where every operand has the output's shape: the same loops
 * (sameShapeLoop) and the same two steps of a { local } rule that the kernel runs, without its
 * record and executor bookkeeping, which costs more than the arithmetic for the few elements of
 * a small net. Broadcasting operands take the kernel through the eager executor.
 */
function eagerElementwise<Name extends string, Attrs>(
  name: string, names: readonly Name[], fields: Fields, forward: ScalarFunction, rules: readonly (GradRule | undefined)[],
  kernel: OpKernel<Name, Attrs, undefined>,
): Pick<OpSpec<Name, Attrs, undefined>, 'forward' | 'backward'> {
  const execs: Record<DType, EagerExec> = { float32: new EagerExec(name, 'float32'), float64: new EagerExec(name, 'float64') };
  const arity = names.length;
  /** The operands' arrays when every one has `shape`, else null. */
  const sameArrays = (ins: readonly Tensor[], shape: Shape, extra: number): FloatArray[] | null => {
    const arrays: FloatArray[] = new Array(ins.length + extra);
    for (let i = 0; i < ins.length; i++) {
      if (ins[i].shape !== shape && !sameShape(ins[i].shape, shape)) return null;
      arrays[i + extra] = ins[i].data;
    }
    return arrays;
  };
  const general: Pick<OpSpec<Name, Attrs, undefined>, 'forward' | 'backward'> = {
    forward: (inputs, attrs) => {
      const ins = fields.read(inputs) as Tensor[];
      const first = ins[0];
      const arrays = sameArrays(ins, first.shape, 0);
      if (arrays === null) {
        const shape = kernel.shape(inputs, attrs);
        const out = new Tensor(allocate(first.dtype, sizeOf(shape)), shape);
        kernel.forward(execs[first.dtype], inputs, out, attrs, undefined);
        return out;
      }
      const out = allocate(first.dtype, first.size);
      sameShapeLoop(forward, arity)(out, out.length, arrays, NO_INDEX, attrs);
      return new Tensor(out, first.shape);
    },
    backward: (dy, { inputs, out, attrs, needs }) => {
      const ins = fields.read(inputs) as Tensor[];
      const wanted = fields.read(needs) as boolean[];
      const arrays = sameArrays(ins, out.shape, 1);
      const grads: (Tensor | undefined)[] = new Array(arity);
      if (arrays === null) {
        for (let i = 0; i < arity; i++) if (wanted[i]) grads[i] = new Tensor(allocate(dy.dtype, ins[i].size), ins[i].shape);
        const record = fields.write(grads) as Partial<Record<Name, Tensor>>;
        kernel.backward(execs[dy.dtype], dy, { inputs, out, grads: record, attrs, saved: undefined });
        return record;
      }
      // [dy, inputs…, y], as a rule reads them.
      arrays[0] = dy.data;
      arrays.push(out.data);
      const n = dy.size;
      for (let i = 0; i < arity; i++) {
        const rule = rules[i];
        if (!wanted[i] || rule === undefined) continue;
        const g = allocate(dy.dtype, n);
        if (typeof rule === 'function') {
          sameShapeLoop(rule, arity + 2)(g, n, arrays, NO_INDEX, attrs);
        } else {
          const local = allocate(dy.dtype, n);
          sameShapeLoop(rule.local, arity + 1)(local, n, arrays.slice(1), NO_INDEX, attrs);
          sameShapeLoop(times, 2)(g, n, [arrays[0], local], NO_INDEX, undefined);
        }
        grads[i] = new Tensor(g, ins[i].shape);
      }
      return fields.write(grads) as Partial<Record<Name, Tensor>>;
    },
  };
  return canCompile() ? generatedEager(names, forward, rules, general) : general;
}

/**
 * The same-shape shortcut written out for one op (names and rules fixed), as straight loops
 * over the operands' arrays: each function has its own call sites, so V8 sees one op's objects
 * and one scalar function at each, as in a hand-written op. Anything else goes to `general`.
 * The arithmetic is `general`'s: the rule evaluated per element and stored once, a { local }
 * rule stored into its own array first.
 */
const tensorOf = (data: FloatArray, shape: Shape): Tensor => new Tensor(data, shape);

function generatedEager<Name extends string, Attrs>(
  names: readonly Name[], forward: ScalarFunction, rules: readonly (GradRule | undefined)[],
  general: Pick<OpSpec<Name, Attrs, undefined>, 'forward' | 'backward'>,
): Pick<OpSpec<Name, Attrs, undefined>, 'forward' | 'backward'> {
  const keys = names.map((n) => JSON.stringify(n));
  const ins = names.map((_, k) => `a${k}`);
  const read = (k: number): string => `a${k}[i]`;
  const sameShapes = names.slice(1).map((_, k) => `(t${k + 1}.shape === s || same(t${k + 1}.shape, s))`).join(' && ') || 'true';
  const take = `${names.map((_, k) => `const t${k} = inputs[${keys[k]}], a${k} = t${k}.data;`).join(' ')}`;
  const forwardBody = [
    `${take} const s = t0.shape;`,
    `if (!(${sameShapes})) return general.forward(inputs, attrs);`,
    // A float32 variant (a whole-array kernel, say) runs through general's loop, which picks it.
    ...(float32Variant(forward) === undefined ? [] : [`if (t0.dtype === 'float32') return general.forward(inputs, attrs);`]),
    'const n = a0.length; const out = allocate(t0.dtype, n);',
    `for (let i = 0; i < n; i++) out[i] = f(${[...ins.map((_, k) => read(k)), 'attrs'].join(', ')});`,
    'return tensor(out, s);',
  ].join('\n');
  const args = ['g[i]', ...ins.map((_, k) => read(k)), 'y[i]', 'attrs'].join(', ');
  const localArgs = [...ins.map((_, k) => read(k)), 'y[i]', 'attrs'].join(', ');
  const backwardBody = [
    `const inputs = ctx.inputs, needs = ctx.needs, attrs = ctx.attrs, out = ctx.out; ${take} const s = out.shape;`,
    `if (!((t0.shape === s || same(t0.shape, s)) && ${sameShapes})) return general.backward(dy, ctx);`,
    'const g = dy.data, y = out.data, n = g.length;',
    ...names.map((_, k) => {
      const rule = rules[k];
      if (rule === undefined) return `let d${k};`;
      const loop = typeof rule === 'function'
        ? `for (let i = 0; i < n; i++) d[i] = r${k}(${args});`
        : `const local = allocate(dy.dtype, n); for (let i = 0; i < n; i++) local[i] = r${k}(${localArgs}); for (let i = 0; i < n; i++) d[i] = times(g[i], local[i]);`;
      return `let d${k}; if (needs[${keys[k]}]) { const d = allocate(dy.dtype, n); ${loop} d${k} = tensor(d, t${k}.shape); }`;
    }),
    `return { ${keys.map((key, k) => `${key}: d${k}`).join(', ')} };`,
  ].join('\n');
  const ruleFns = rules.map((rule) => (rule === undefined ? undefined : typeof rule === 'function' ? rule : rule.local));
  /* eslint-disable @typescript-eslint/no-implied-eval */
  const make = new Function(
    'f', 'rules', 'general', 'allocate', 'tensor', 'same', 'times',
    `${ruleFns.map((_, k) => `const r${k} = rules[${k}];`).join(' ')}
    return {
      forward: function forward(inputs, attrs) {\n${forwardBody}\n},
      backward: function backward(dy, ctx) {\n${backwardBody}\n},
    };`,
  );
  // Tensor is passed as a function: this runs while tensor.ts may still be loading (the ops are part of its import graph).
  return make(forward, ruleFns, general, allocate, tensorOf, sameShape, times) as Pick<OpSpec<Name, Attrs, undefined>, 'forward' | 'backward'>;
}
