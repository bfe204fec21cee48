/** Gradients as functions, in the style of JAX: `grad(f)(x)` instead of `f(x).backward()`. */
import { Tensor } from '../tensor/tensor.js';
import { allocate } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';

/** What a function made by {@link valueAndGrad} returns. */
export interface ValueAndGrads {
  /** f's value, detached from the graph. */
  value: Tensor;
  /** ∂f/∂(argument i), one per argument, each of that argument's shape. */
  grads: Tensor[];
}

/**
 * Wraps a scalar-valued f so that calling it returns f's value and its gradient with respect to
 * every argument. The arguments are not modified (their `.grad` stays as it was).
 *
 *     valueAndGrad((x) => x.square().sum())(tensor([1, 2]))   // value 5, grads [[2, 4]]
 */
export function valueAndGrad<Args extends Tensor[]>(f: (...args: Args) => Tensor): (...args: Args) => ValueAndGrads {
  return (...args: Args) => {
    const leaves = args.map((a, i) => {
      if (!(a instanceof Tensor)) throw new Error(`valueAndGrad: argument ${i} must be a Tensor`);
      return new Tensor(a.data, a.shape).requireGrad();
    }) as Args;
    const value = f(...leaves);
    if (!(value instanceof Tensor) || value.size !== 1) {
      const shape = value instanceof Tensor ? formatShape(value.shape) : typeof value;
      throw new Error(`valueAndGrad: f must return a one-element tensor, got ${shape}`);
    }
    // f may ignore its arguments entirely: then every gradient is zero.
    if (value.requiresGrad) value.backward();
    return {
      value: value.detach(),
      grads: leaves.map((leaf) => leaf.grad ?? new Tensor(allocate(leaf.dtype, leaf.size), leaf.shape)),
    };
  };
}

/** Like `valueAndGrad`, returning only the gradients, one per argument. */
export function grad<Args extends Tensor[]>(f: (...args: Args) => Tensor): (...args: Args) => Tensor[] {
  const both = valueAndGrad(f);
  return (...args: Args) => both(...args).grads;
}
