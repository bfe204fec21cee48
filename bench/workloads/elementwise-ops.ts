/**
 * (g) The eager float32 transcendental ops on their own: `sigmoid`, `tanh` and `exp` on one
 * tensor of 1 M values, a new output each call, against tfjs (`tf.sigmoid`, …) and NumPy
 * (`1 / (1 + np.exp(-x))`, `np.tanh`, `np.exp`, as a NumPy user writes them) and PyTorch.
 *
 * The inputs are uniform in [−10, 10): both tails of sigmoid and tanh, and exp up to 2.2e4,
 * never overflowing. Each call's output is read back (tfjs: `dataSync`, as in the other
 * workloads); the first call's value is Σ|output| (compared across libraries), later calls
 * read one element, so the sum's own cost stays out of the timing.
 */
import * as tf from '@tensorflow/tfjs';
import { Generator, exp, sigmoid, tanh, tensor } from '../../packages/nnlab/src/index.js';
import type { FloatArray, Tensor } from '../../packages/nnlab/src/index.js';
import type { PythonTask } from '../python/python.js';
import type { Runner, Workload } from '../workload.js';

export const VALUES = 1_000_000;
export type UnaryOp = 'sigmoid' | 'tanh' | 'exp';

function inputs(): Float32Array {
  const rng = new Generator(5);
  return Float32Array.from({ length: VALUES }, () => rng.uniform(-10, 10));
}

/** Σ|output| on the first call, then one element. */
function readBack(compute: () => FloatArray): Runner['step'] {
  let first = true;
  return () => {
    const y = compute();
    if (!first) return y[0];
    first = false;
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += Math.abs(y[i]);
    return sum;
  };
}

const NNLAB_OPS: Readonly<Record<UnaryOp, (x: Tensor) => Tensor>> = { sigmoid, tanh, exp };
const TFJS_OPS: Readonly<Record<UnaryOp, (x: tf.Tensor) => tf.Tensor>> = { sigmoid: tf.sigmoid, tanh: tf.tanh, exp: tf.exp };

function unaryWorkload(op: UnaryOp): Workload {
  return {
    id: 'g',
    title: `eager ${op}, 1 M float32 values`,
    description: `nnlab's eager ${op} op on a float32 tensor of ${VALUES.toLocaleString('en')} values uniform in [−10, 10), a new output each call.`,
    // Different libraries' exp differ in the last bits of some values; the sum of a million
    // values is still equal to about 7 digits.
    tolerance: 1e-5,
    valuesPerStep: VALUES,
    nnlab() {
      const x = tensor(inputs(), 'float32', [VALUES]);
      const fn = NNLAB_OPS[op];
      return { step: readBack(() => fn(x).data) };
    },
    tfjs() {
      const x = tf.tensor1d(inputs());
      const fn = TFJS_OPS[op];
      return {
        step: readBack(() => {
          const y = fn(x);
          const values = y.dataSync() as Float32Array;
          y.dispose();
          return values;
        }),
        dispose: () => x.dispose(),
      };
    },
    python: (): PythonTask => ({ kind: 'unary', op, layers: [], activations: [], x: inputs() }),
  };
}

export const sigmoidOp = unaryWorkload('sigmoid');
export const tanhOp = unaryWorkload('tanh');
export const expOp = unaryWorkload('exp');
