/**
 * Defining an op: its forward computation and its gradient rule, written together.
 *
 * Gradients are keyed by input name (`{ a: ..., b: ... }`), never by position, and the values
 * the backward pass needs beyond the inputs and the output are declared as `saved`. Every op
 * defined here lands in one registry, which the gradient-check suite iterates: an op without
 * a row in that table fails the suite.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { isGradEnabled } from './mode.js';
import type { GradNode } from './node.js';

export interface ForwardResult<Saved> {
  out: Tensor;
  saved?: Saved;
}

export interface BackwardContext<Name extends string, Attrs, Saved> {
  inputs: Readonly<Record<Name, Tensor>>;
  out: Tensor;
  attrs: Attrs;
  saved: Saved;
  /** Whether a gradient is wanted for each input (skip costly work when it is not). */
  needs: Readonly<Record<Name, boolean>>;
}

export interface OpSpec<Name extends string, Attrs, Saved> {
  name: string;
  inputs: readonly Name[];
  /** Inputs that never get a gradient: targets, conditions, masks. */
  constantInputs?: readonly Name[];
  forward(inputs: Readonly<Record<Name, Tensor>>, attrs: Attrs): Tensor | ForwardResult<Saved>;
  /** Gradients of the loss with respect to each input, given `dy`, its gradient w.r.t. the output. */
  backward(dy: Tensor, ctx: BackwardContext<Name, Attrs, Saved>): Partial<Record<Name, Tensor>>;
}

/** The registry's view of an op, without its type parameters. */
export interface OpDefinition {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly constantInputs: readonly string[];
  /** Per input, whether it is constant (never differentiated). */
  readonly isConstant: readonly boolean[];
  /** Computes the gradients of `node`'s inputs (those that require one; undefined for the rest). */
  gradients(dy: Tensor, node: GradNode, out: Tensor): (Tensor | undefined)[];
}

const registry = new Map<string, OpDefinition>();

/** Every differentiable op, by name. */
export function registeredOps(): ReadonlyMap<string, OpDefinition> {
  return registry;
}

export type OpFunction<Name extends string, Attrs> = (inputs: Readonly<Record<Name, Tensor>>, attrs: Attrs) => Tensor;

export function defineOp<Name extends string, Attrs = undefined, Saved = undefined>(
  spec: OpSpec<Name, Attrs, Saved>,
): OpFunction<Name, Attrs> {
  if (registry.has(spec.name)) throw new Error(`defineOp: an op named '${spec.name}' already exists`);
  const names = spec.inputs;
  const constantInputs = spec.constantInputs ?? [];
  const isConstant = names.map((name) => constantInputs.includes(name));
  const definition: OpDefinition = {
    name: spec.name,
    inputs: names,
    constantInputs,
    isConstant,
    gradients(dy, node, out) {
      const inputList = node.inputs;
      const inputs = node.named as Record<Name, Tensor>;
      // A copy of the inputs record keeps the op's own object shape, which is faster than building keys one by one.
      const wanted = { ...inputs } as unknown as Record<Name, boolean>;
      const needs: boolean[] = new Array(names.length);
      for (let i = 0; i < names.length; i++) wanted[names[i]] = needs[i] = inputList[i].requiresGrad && !isConstant[i];
      const grads = spec.backward(dy, { inputs, out, attrs: node.attrs as Attrs, saved: node.saved as Saved, needs: wanted });
      const result: (Tensor | undefined)[] = new Array(names.length);
      for (let i = 0; i < names.length; i++) {
        const g = grads[names[i]];
        if (g === undefined || !needs[i]) continue;
        if (g.size !== inputList[i].size) {
          // A wrong-shaped gradient is a bug in the op, not the user's input: say which op.
          throw new Error(
            `${spec.name}: backward returned a gradient of shape ${formatShape(g.shape)} for input '${names[i]}' ` +
              `of shape ${formatShape(inputList[i].shape)}`,
          );
        }
        result[i] = g;
      }
      return result;
    },
  };
  registry.set(spec.name, definition);

  return (inputs, attrs) => {
    const result = spec.forward(inputs, attrs);
    let out = result instanceof Tensor ? result : result.out;
    if (!isGradEnabled()) return out;
    let anyNeedsGrad = false;
    const inputList: Tensor[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) {
      const t = inputs[names[i]];
      inputList[i] = t;
      if (t.requiresGrad && !isConstant[i]) anyNeedsGrad = true;
      // An op may pass an input through unchanged; the graph needs a tensor of its own.
      if (t === out) out = new Tensor(out.data, out.shape);
    }
    if (!anyNeedsGrad) return out;
    out.requiresGrad = true;
    out.node = { op: definition, inputs: inputList, named: inputs, attrs, saved: result instanceof Tensor ? undefined : result.saved };
    return out;
  };
}
