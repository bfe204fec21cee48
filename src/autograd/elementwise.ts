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
import { broadcastShapes } from '../tensor/shape.js';
import type { Shape } from '../tensor/shape.js';
import { defineOp } from './op.js';
import type { OpFunction } from './op.js';
import type { Buf, Exec, OpKernel } from './kernel.js';
import type { ScalarFunction } from './scalar.js';

/**
 * An input's gradient per element: `(dy, inputs…, y, attrs) => number`; or `{ local }`, for
 * dy · local(inputs…, y, attrs) with local stored in the op's dtype first (an op that keeps the
 * rounding of a two-step formula).
 */
export type GradRule = ScalarFunction | { local: ScalarFunction };

/** What a parameter-free activation tells its users (layers, the lab's pages). */
export interface ActivationInfo {
  /** The output's range when it is bounded, e.g. [0, 1] for sigmoid (a heat map's colour scale). */
  range?: readonly [number, number];
  /** How pages name it, e.g. 'ReLU' (default: the op's name). */
  label?: string;
  /** The attributes it is applied with by name (leaky ReLU's slope 0.01, say). */
  attrs?: unknown;
}

export interface ElementwiseSpec<Name extends string> {
  name: string;
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
 * output's shape, and summed back over the axes the input was broadcast along. `args` are the
 * inputs and the output, as the rule reads them after dy.
 */
export function writeGradient(k: Exec, rule: GradRule, target: Buf, dy: Buf, args: readonly Buf[], out: Buf, attrs: unknown): void {
  const full = sameShape(target.shape, out.shape) ? target : k.scratch(out.shape);
  if (typeof rule === 'function') {
    k.map(full, rule, [dy, ...args], attrs);
  } else {
    const local = k.scratch(out.shape);
    k.map(local, rule.local, args, attrs);
    k.map(full, times, [dy, local]);
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
  const kernel: OpKernel<Name, Attrs, undefined> = {
    shape: (inputs) => {
      let shape: Shape = inputs[names[0]].shape;
      for (let i = 1; i < names.length; i++) shape = broadcastShapes(name, shape, inputs[names[i]].shape, [names[i - 1], names[i]]);
      return shape;
    },
    forward: (k, inputs, out, attrs) => k.map(out, forward, names.map((n) => inputs[n]), attrs),
    backward: (k, dy, { inputs, out, grads, attrs }) => {
      const args = [...names.map((n) => inputs[n]), out];
      for (const n of names) {
        const target = grads[n];
        const gradRule = grad[n];
        if (target === undefined) continue;
        if (gradRule !== undefined) writeGradient(k, gradRule, target, dy, args, out, attrs);
      }
    },
  };
  return defineOp<Name, Attrs, undefined>({ name, inputs: names, constantInputs: spec.constantInputs, kernel, elementwise: rule });
}
