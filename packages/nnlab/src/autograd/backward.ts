/**
 * The backward pass: order the graph from the root back to the leaves, then hand each node the
 * gradient of its output and collect the gradients of its inputs.
 *
 * The topological order is built with an explicit stack, not recursion, so a chain of tens of
 * thousands of ops cannot overflow the call stack (micrograd's recursive version does).
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { allocate } from '../tensor/dtype.js';
import { noGrad } from './mode.js';
import { expectTensor } from '../tensor/arguments.js';

export function runBackward(root: Tensor, seed?: Tensor): void {
  if (seed !== undefined && !(seed instanceof Tensor)) expectTensor('backward', 'grad', seed);
  if (!root.requiresGrad) {
    throw new Error(
      'backward: this tensor does not require gradients: no input of the computation had requiresGrad set ' +
        '(or it was computed inside noGrad)',
    );
  }
  if (seed === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward: a seed gradient is needed for a non-scalar tensor of shape ${formatShape(root.shape)}; ` +
          'pass one of the same shape, or reduce to a scalar first (e.g. .sum())',
      );
    }
    const ones = allocate(root.dtype, 1);
    ones[0] = 1;
    seed = new Tensor(ones, root.shape);
  } else if (!sameShape(seed.shape, root.shape)) {
    throw new Error(`backward: seed gradient shape ${formatShape(seed.shape)} differs from tensor shape ${formatShape(root.shape)}`);
  }

  const pass = ++passCount;
  const order = topologicalOrder(root, pass);
  root.pendingGrad = seed;
  root.pendingShared = true; // the seed may be the caller's tensor
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const tensor = order[i];
      const g = tensor.pendingGrad;
      if (g === null) continue;
      tensor.pendingGrad = null; // free it as soon as it has been used
      const node = tensor.node;
      if (node === null) {
        tensor.grad = leafGradient(tensor, g, tensor.pendingShared);
        continue;
      }
      const inputs = node.inputs;
      const inputGrads = node.op.gradients(g, node, tensor);
      for (let k = 0; k < inputs.length; k++) {
        const ig = inputGrads[k];
        if (ig === undefined) continue;
        const input = inputs[k];
        const shaped = sameShape(ig.shape, input.shape) ? ig : ig.reshape(input.shape);
        if (input.pendingGrad === null) {
          input.pendingGrad = shaped;
          input.pendingShared = sharesStorage(ig, g, tensor, inputs, inputGrads, k);
        } else {
          // A tensor used twice receives the sum of both paths' gradients (a fresh tensor).
          input.pendingGrad = input.pendingGrad.add(shaped);
          input.pendingShared = false;
        }
      }
    }
  });
}

/**
 * Whether a gradient handed to an input shares storage with anything else: the incoming
 * gradient (add passes dy straight through), the op's output or inputs, or another input's
 * gradient. Such a gradient is copied before it becomes a leaf's `.grad`, since clipping and
 * user code may change `.grad` in place; a freshly computed one is used as it is.
 */
function sharesStorage(ig: Tensor, dy: Tensor, out: Tensor, inputs: readonly Tensor[], grads: readonly (Tensor | undefined)[], k: number): boolean {
  const data = ig.data;
  if (data === dy.data || data === out.data) return true;
  for (let j = 0; j < inputs.length; j++) {
    if (inputs[j].data === data) return true;
    if (j !== k && grads[j]?.data === data) return true;
  }
  return false;
}

/** Numbers each backward pass, so a tensor knows whether this pass has visited it. */
let passCount = 0;

/** Tensors that lead to `root` through gradient-requiring edges, each after all of its inputs. */
function topologicalOrder(root: Tensor, pass: number): Tensor[] {
  const order: Tensor[] = [];
  root.backwardPass = pass;
  const stack: Tensor[] = [root];
  const nextInput: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const tensor = stack[top];
    const inputs = tensor.node === null ? NO_INPUTS : tensor.node.inputs;
    if (nextInput[top] < inputs.length) {
      const input = inputs[nextInput[top]++];
      if (input.requiresGrad && input.backwardPass !== pass) {
        input.backwardPass = pass;
        input.pendingGrad = null;
        stack.push(input);
        nextInput.push(0);
      }
    } else {
      order.push(tensor);
      stack.pop();
      nextInput.pop();
    }
  }
  return order;
}

const NO_INPUTS: readonly Tensor[] = [];

/**
 * The leaf's new `.grad`: its own storage, in its own dtype (a float64 gradient reaches a float32
 * leaf through a cast), accumulated onto any gradient it already had.
 */
function leafGradient(leaf: Tensor, g: Tensor, shared: boolean): Tensor {
  if (leaf.grad !== null) {
    const total = leaf.grad.add(g);
    return total.dtype === leaf.dtype ? total : total.cast(leaf.dtype);
  }
  if (g.dtype !== leaf.dtype) return g.cast(leaf.dtype);
  return shared ? g.clone() : g;
}
