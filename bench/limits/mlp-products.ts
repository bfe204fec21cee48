/**
 * The eight matrix products of (b)'s training step, alone: the same `gemm` calls with the same
 * shapes and options as `linear` makes them (packages/nnlab/src/ops/linear.ts), and nothing
 * else, so the step's time can be split into its products and everything around them.
 *
 * Per dense layer, x [n, in] · W [in, out]:
 *   forward   y  = x · W  (+ bias, ReLU in the kernel's epilogue for the hidden layers)
 *   backward  dx = dz · Wᵀ (not for the first layer: the input needs no gradient)
 *             dW = xᵀ · dz
 * For 784-256-128-10 that is 3 + 2 + 2 + 1 = 8 products, 64.5 M multiply-adds.
 *
 * Operands either resident in the wasm kernel's memory, as a captured step keeps its arrays
 * (the kernel reads and writes them in place: the products and nothing else), or ordinary
 * arrays, as the eager step has them (each operand copied in and each result out per call).
 */
import { gemm, residentArray } from '../../packages/nnlab/src/kernels/index.js';
import type { GemmOptions } from '../../packages/nnlab/src/kernels/index.js';
import { Generator } from '../../packages/nnlab/src/index.js';
import { BATCH, SIZES, batch, inits } from '../workloads/mlp-step.js';
import type { Runner } from '../workload.js';

/** One gemm call: out [m, n] = op(a) · op(b) with inner size k. */
export interface Product {
  name: string;
  m: number;
  k: number;
  n: number;
  options: GemmOptions;
  out: Float32Array;
  a: Float32Array;
  b: Float32Array;
}

export type Operands = 'resident' | 'ordinary';

/**
 * The step's products in the order the step runs them, on buffers made once; null for
 * resident operands where the engine has no resident arrays (no wasm SIMD, or no shared memory).
 */
export function mlpProducts(operands: Operands): Product[] | null {
  if (operands === 'resident' && residentArray(1) === null) return null;
  const place = (values: Float32Array): Float32Array => {
    if (operands === 'ordinary') return values;
    const array = residentArray(values.length)!;
    array.set(values);
    return array;
  };
  const layers = inits().map((layer) => ({ ...layer, weight: place(layer.weight), bias: place(layer.bias) }));
  const activations: Float32Array[] = [place(batch().x)];
  for (const layer of layers) activations.push(place(new Float32Array(BATCH * layer.outFeatures)));
  // Gradients arriving at each layer's output: small seeded values (their size does not change
  // the time; no value ever becomes subnormal, which would).
  const rng = new Generator(4);
  const dOut = layers.map((layer) => place(Float32Array.from({ length: BATCH * layer.outFeatures }, () => rng.normal(0, 1e-2))));
  const forward = layers.map((layer, i): Product => ({
    name: `forward ${SIZES[i]}→${SIZES[i + 1]}: x·W`,
    m: BATCH, k: layer.inFeatures, n: layer.outFeatures,
    options: { bias: layer.bias, relu: i < layers.length - 1 },
    out: activations[i + 1], a: activations[i], b: layer.weight,
  }));
  const backward = layers.map((layer, i): Product[] => [
    ...(i > 0
      ? [{
        name: `backward ${SIZES[i]}→${SIZES[i + 1]}: dz·Wᵀ`,
        m: BATCH, k: layer.outFeatures, n: layer.inFeatures,
        options: { transB: true }, out: dOut[i - 1], a: dOut[i], b: layer.weight,
      }]
      : []),
    {
      name: `backward ${SIZES[i]}→${SIZES[i + 1]}: xᵀ·dz`,
      m: layer.inFeatures, k: BATCH, n: layer.outFeatures,
      options: { transA: true }, out: place(new Float32Array(layer.weight.length)), a: activations[i], b: dOut[i],
    },
  ]);
  // Backward runs from the last layer to the first, each layer's dx before its dW.
  return [...forward, ...backward.reverse().flat()];
}

/** Multiply-adds in one run of `products`. */
export function multiplyAdds(products: readonly Product[]): number {
  return products.reduce((sum, p) => sum + p.m * p.k * p.n, 0);
}

/** All the products once per step; the value is one output element, read so nothing is skipped. */
export function productsRunner(products: readonly Product[]): Runner {
  return {
    step() {
      for (const p of products) gemm(p.out, p.a, p.b, p.m, p.k, p.n, p.options);
      return products[products.length - 1].out[0];
    },
  };
}
