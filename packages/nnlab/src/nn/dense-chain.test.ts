/**
 * Sequential.forward under noGrad, where runs of dense layers keep their large intermediates in
 * the kernels' memory (dense-chain.ts): the bits of the layer-by-layer forward with the tape, on
 * one thread and two, with wasm on and off; which layers join a run; and the blocks handed back.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Generator, nn, noGrad, tensor } from '../index.js';
import type { Tensor } from '../index.js';
import { borrowResident, gemmThreads, giveBackResident, setGemmThreads, setWasmGemmEnabled } from '../kernels/index.js';
import { CHAIN_MIN_VALUES, denseRunLength } from './dense-chain.js';

const threadsAtStart = gemmThreads();
afterEach(() => {
  setWasmGemmEnabled(true);
  setGemmThreads(Math.max(1, threadsAtStart));
});

/** A dense layer with nonzero biases. */
function dense(inFeatures: number, outFeatures: number, activation: nn.ActivationName, seed: number, dtype: 'float32' | 'float64' = 'float32'): nn.Dense {
  const rng = new Generator(seed);
  const layer = new nn.Dense(inFeatures, outFeatures, { activation, rng, dtype });
  for (let j = 0; j < outFeatures; j++) layer.bias!.data[j] = rng.normal(0, 0.5);
  return layer;
}

function input(rows: number, width: number, dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const rng = new Generator(rows + width);
  return tensor(Array.from({ length: rows * width }, () => rng.normal(0, 2)), dtype, [rows, width]);
}

/** forward without the tape (runs chained) and with it (layer by layer): their bits, which must agree. */
function bothWays(model: nn.Sequential, x: Tensor): [Float32Array | Float64Array, Float32Array | Float64Array] {
  return [noGrad(() => model.forward(x)).data, model.forward(x).data];
}

/** Where a block of CHAIN_MIN_VALUES floats would be lent now (first fit): moves if a block was kept. */
function nextBlockAt(): number {
  const probe = borrowResident(CHAIN_MIN_VALUES);
  if (probe === null) return -1;
  giveBackResident(probe);
  return probe.byteOffset;
}

describe('Sequential.forward under noGrad, dense runs chained in the kernels\' memory', () => {
  const nets: Array<[string, () => nn.Sequential, number, number]> = [
    ['2-8-8-1 tanh (bench (c)), 40,000 rows', () => new nn.Sequential([dense(2, 8, 'tanh', 1), dense(8, 8, 'tanh', 2), dense(8, 1, 'tanh', 3)]), 40_000, 2],
    ['784-256-128-10 relu, 128 rows', () => new nn.Sequential([dense(784, 256, 'relu', 4), dense(256, 128, 'relu', 5), dense(128, 10, 'linear', 6)]), 128, 784],
    ['3-12-7-5 sigmoid, leakyRelu and linear, 3001 rows (widths off the tiles)', () => new nn.Sequential([dense(3, 12, 'sigmoid', 7), dense(12, 7, 'leakyRelu', 8), dense(7, 5, 'linear', 9)]), 3001, 3],
    ['2-8-1 at 2,049 rows (an intermediate just over CHAIN_MIN_VALUES)', () => new nn.Sequential([dense(2, 8, 'tanh', 10), dense(8, 1, 'sigmoid', 11)]), CHAIN_MIN_VALUES / 8 + 1, 2],
  ];
  for (const threads of [1, 2]) {
    for (const [name, make, rows, width] of nets) {
      it(`${name}, ${threads} thread(s): the bits of the forward with the tape, every block handed back`, () => {
        setGemmThreads(threads);
        const model = make();
        const x = input(rows, width);
        expect(denseRunLength((model as unknown as { modules: nn.Module[] }).modules, 0, x)).toBe(model.length);
        const before = nextBlockAt();
        const [chained, layered] = bothWays(model, x);
        expect(nextBlockAt()).toBe(before);
        expect(chained).toEqual(layered);
      });
    }
  }

  it('gives the same bits with wasm off (the JS kernels, plain arrays)', () => {
    setWasmGemmEnabled(false);
    const [chained, layered] = bothWays(new nn.Sequential([dense(2, 8, 'tanh', 1), dense(8, 8, 'relu', 2), dense(8, 3, 'linear', 3)]), input(5000, 2));
    expect(chained).toEqual(layered);
  });

  it('leaves out what it cannot evaluate: no bias, float64, a subclass of Dense, other modules, small intermediates, a 1-D input', () => {
    const run = (layers: nn.Module[], x: Tensor, start = 0) => denseRunLength(layers, start, x);
    const x = input(4096, 2);
    expect(run([dense(2, 8, 'tanh', 1), dense(8, 1, 'tanh', 2)], x)).toBe(2);
    expect(run([dense(2, 8, 'tanh', 1), new nn.Dense(8, 1, { bias: false, rng: new Generator(5) })], x)).toBe(0);
    expect(run([dense(2, 8, 'tanh', 1, 'float64'), dense(8, 1, 'tanh', 2, 'float64')], input(4096, 2, 'float64'))).toBe(0);
    class Logged extends nn.Dense {}
    expect(run([dense(2, 8, 'tanh', 1), new Logged(8, 1, { rng: new Generator(6) })], x)).toBe(0);
    expect(run([dense(2, 8, 'tanh', 1), new nn.Dropout(0.5), dense(8, 1, 'tanh', 2)], x)).toBe(0);
    expect(run([new nn.Dropout(0.5), dense(2, 8, 'tanh', 1), dense(8, 1, 'tanh', 2)], x, 1)).toBe(2);
    expect(run([dense(2, 8, 'tanh', 1), dense(8, 1, 'tanh', 2)], input(CHAIN_MIN_VALUES / 8 - 1, 2))).toBe(0);
    expect(run([dense(2, 8, 'tanh', 1), dense(9, 1, 'tanh', 2)], x)).toBe(0);
    expect(run([dense(2, 8, 'tanh', 1), dense(8, 1, 'tanh', 2)], tensor(new Float32Array(8192), 'float32', [8192]))).toBe(0);
  });

  it('a mixed model: the bits of the tape\'s forward, with dropout in eval mode between runs', () => {
    const model = new nn.Sequential([dense(2, 16, 'tanh', 1), dense(16, 16, 'relu', 2), new nn.Dropout(0.3), dense(16, 16, 'sigmoid', 3), dense(16, 2, 'linear', 4)]);
    model.eval();
    const [chained, layered] = bothWays(model, input(3000, 2));
    expect(chained).toEqual(layered);
  });

  it('a width that does not match reports the dense layer\'s own error, as with the tape', () => {
    const model = new nn.Sequential([dense(2, 8, 'tanh', 1), dense(9, 1, 'tanh', 2)]);
    const x = input(4096, 2);
    expect(() => model.forward(x)).toThrow('expected input width 9, got 8');
    expect(() => noGrad(() => model.forward(x))).toThrow('expected input width 9, got 8');
  });
});

describe('borrowResident / giveBackResident', () => {
  it('lends a block of the kernels\' memory, reused once handed back, and refuses an array it did not lend', () => {
    const a = borrowResident(1000);
    if (a === null) return; // no shared memory here: nothing is lent
    expect(a.length).toBe(1000);
    giveBackResident(a);
    const b = borrowResident(1000)!;
    expect(b.byteOffset).toBe(a.byteOffset);
    giveBackResident(b);
    expect(() => giveBackResident(new Float32Array(4))).toThrow('not a borrowed array of this memory');
  });
});

it('docs/api.md states the intermediate size from which a run keeps it in the kernels\' memory', () => {
  const api = readFileSync(new URL('../../../../docs/api.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
  expect(api).toContain(`keeping each intermediate of at least ${CHAIN_MIN_VALUES.toLocaleString('en')} values in the kernels' memory`);
});
