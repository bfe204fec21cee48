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

export interface ForwardResult<Saved> {
  out: Tensor;
  saved?: Saved;
}

export interface BackwardContext<Name extends string, Attrs, Saved> {
  inputs: Readonly<Record<Name, Tensor>>;
  out: Tensor;
  attrs: Attrs;
  saved: Saved;
  /** Whether a gradient is wanted for this input (skip costly work when it is not). */
  needs(name: Name): boolean;
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
  /** Computes input gradients; `needs[i]` says whether input i wants one. */
  gradients(dy: Tensor, inputs: readonly Tensor[], out: Tensor, attrs: unknown, saved: unknown, needs: readonly boolean[]): (Tensor | undefined)[];
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
  const constant = new Set<string>(spec.constantInputs ?? []);
  const definition: OpDefinition = {
    name: spec.name,
    inputs: spec.inputs,
    constantInputs: [...constant],
    gradients(dy, inputList, out, attrs, saved, needs) {
      const inputs = {} as Record<Name, Tensor>;
      spec.inputs.forEach((name, i) => (inputs[name] = inputList[i]));
      const ctx: BackwardContext<Name, Attrs, Saved> = {
        inputs,
        out,
        attrs: attrs as Attrs,
        saved: saved as Saved,
        needs: (name) => needs[spec.inputs.indexOf(name)],
      };
      const grads = spec.backward(dy, ctx);
      return spec.inputs.map((name, i) => {
        const g = grads[name];
        if (g === undefined || !needs[i]) return undefined;
        if (g.size !== inputList[i].size) {
          // A wrong-shaped gradient is a bug in the op, not the user's input: say which op.
          throw new Error(
            `${spec.name}: backward returned a gradient of shape ${formatShape(g.shape)} for input '${name}' ` +
              `of shape ${formatShape(inputList[i].shape)}`,
          );
        }
        return g;
      });
    },
  };
  registry.set(spec.name, definition);

  return (inputs, attrs) => {
    const result = spec.forward(inputs, attrs);
    let out = result instanceof Tensor ? result : result.out;
    if (!isGradEnabled()) return out;
    // An op may pass an input through unchanged; the graph needs a tensor of its own.
    for (const name of spec.inputs) if (inputs[name] === out) out = new Tensor(out.data, out.shape);
    let anyNeedsGrad = false;
    const inputList = spec.inputs.map((name) => {
      const t = inputs[name];
      if (t.requiresGrad && !constant.has(name)) anyNeedsGrad = true;
      return t;
    });
    if (!anyNeedsGrad) return out;
    out.requiresGrad = true;
    out.node = {
      op: definition,
      inputs: inputList,
      attrs,
      saved: result instanceof Tensor ? undefined : result.saved,
    };
    return out;
  };
}
