/**
 * linear (and so Dense) applies float32's tanh and sigmoid in gemm's epilogue (ops/linear.ts,
 * kernels/gemm.ts): it must give the bits of the same ops run one by one, whichever path the
 * product takes (tiny loop, wasm, wasm on two threads), and float64 must keep its own functions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Generator, add, linear, matmul, noGrad, randomNormal, sigmoid, tanh } from '../packages/nnlab/src/index.js';
import type { DType, Tensor } from '../packages/nnlab/src/index.js';
import { gemmThreadsReady, setGemmThreads } from '../packages/nnlab/src/kernels/index.js';

function bits(t: Tensor): string {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');
}

const OPS = { tanh, sigmoid } as const;
/** [rows, in, out]: a tiny product, wasm ones with tile edges (out 1, 3, 9), one large enough for threads. */
const SHAPES = [[2, 2, 2], [40, 2, 8], [37, 8, 1], [50, 5, 9], [300, 64, 70]] as const;

afterEach(() => setGemmThreads(1));

describe('linear(x, W, b, activation) with the activation in gemm\'s epilogue', () => {
  for (const dtype of ['float32', 'float64'] as const satisfies readonly DType[]) {
    for (const activation of ['tanh', 'sigmoid'] as const) {
      it(`linear(x, W, b, '${activation}') (${dtype}) gives the bits of ${activation}(x·W + b) op by op, for tiny to threaded products`, async () => {
        for (const threads of [1, 2]) {
          setGemmThreads(threads);
          if (threads > 1) await gemmThreadsReady();
          for (const [rows, inner, out] of SHAPES) {
            const rng = new Generator(rows + inner + out);
            const [x, w, b] = [randomNormal([rows, inner], rng, 0, 2, dtype), randomNormal([inner, out], rng, 0, 1, dtype), randomNormal([out], rng, 0, 1, dtype)];
            const fused = noGrad(() => linear(x, w, b, activation));
            const opByOp = noGrad(() => OPS[activation](add(matmul(x, w), b)));
            expect(bits(fused), `${rows}×${inner}·${inner}×${out}, ${threads} thread(s)`).toBe(bits(opByOp));
          }
        }
      });
    }
  }
});
