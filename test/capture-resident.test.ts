/**
 * A captured step keeps its float32 buffers and its parameters resident in the wasm kernels'
 * memory (capture/buffers.ts), so its products, ReLU mask and SGD update work in place. These
 * tests hold it to the eager numbers at sizes that run in wasm, and check what users see: the
 * Parameter tensors and their saved values, through memory growth, several steps on one model,
 * threads and the plain-JS path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Generator, Tensor, captureStep, deserializeModel, matmul, nn, optim, randomNormal, serializeModel, tensor, zeros } from '../packages/nnlab/src/index.js';
import type { CaptureMode } from '../packages/nnlab/src/index.js';
import { gemm, gemmThreadsReady, setGemmThreads, setWasmGemmEnabled } from '../packages/nnlab/src/kernels/index.js';

function bits(t: Tensor): string {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');
}

function stateBits(model: nn.Module): Record<string, string> {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([name, p]) => [name, bits(p)]));
}

/** A `sizes[0]`-…-10 ReLU MLP (logits out), from seed 4. */
function mlp(sizes: readonly number[]): nn.Sequential {
  const rng = new Generator(4);
  const layers: Record<string, nn.Module> = {};
  for (let i = 1; i < sizes.length; i++) {
    layers[`l${i}`] = new nn.Dense(sizes[i - 1], sizes[i], { activation: i + 1 < sizes.length ? 'relu' : 'linear', rng });
  }
  return new nn.Sequential(layers);
}

function batch(rows: number, features: number, seed: number): { x: Tensor; t: Tensor } {
  const rng = new Generator(seed);
  const labels = Array.from({ length: rows }, () => rng.integer(0, 10));
  return { x: randomNormal([rows, features], rng, 0, 1, 'float32'), t: tensor(labels, 'float32') };
}

const crossEntropy = (model: nn.Module) => ({ x, t }: Record<string, Tensor>): Tensor => nn.crossEntropyLoss(model.forward(x), t);

type OptimizerFactory = (params: Tensor[]) => optim.Optimizer<optim.PenaltyOptions>;
const OPTIMIZERS: Record<string, OptimizerFactory> = {
  SGD: (p) => new optim.SGD(p, { lr: 0.1 }),
  'SGD with momentum': (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 }),
  Adam: (p) => new optim.Adam(p, { lr: 0.001 }),
};

/** `steps` eager steps and the same captured, each on its own copy of the model: losses and parameters, bit for bit. */
function expectEagerNumbers(sizes: readonly number[], rows: number, makeOptimizer: OptimizerFactory, steps: number, mode: CaptureMode = 'compiled'): void {
  const inputs = batch(rows, sizes[0], 5);
  const a = mlp(sizes);
  const optA = makeOptimizer(a.parameters());
  const b = mlp(sizes);
  const step = captureStep({ loss: crossEntropy(b), optimizer: makeOptimizer(b.parameters()), inputs, model: b, mode });
  for (let s = 0; s < steps; s++) {
    optA.zeroGrad();
    const want = crossEntropy(a)(inputs);
    want.backward();
    optA.step();
    expect(step.run(), `step ${s}`).toBe(want.item());
  }
  expect(stateBits(b)).toEqual(stateBits(a));
}

describe('captureStep keeps its buffers and parameters in wasm memory', () => {
  afterEach(() => {
    setGemmThreads(1);
    setWasmGemmEnabled(true);
  });

  it("a captured step's float32 weights, their gradients and its inputs view shared wasm memory (in Node)", () => {
    const model = mlp([64, 128, 10]);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const step = captureStep({ loss: crossEntropy(model), optimizer: opt, inputs: batch(32, 64, 5), model });
    step.run();
    for (const p of model.parameters().filter((t) => t.rank === 2)) {
      expect(p.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(p.grad!.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    expect(step.inputs.x.data.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  for (const [name, makeOptimizer] of Object.entries(OPTIMIZERS)) {
    for (const mode of ['compiled', 'closures'] as const) {
      it(`a 64-128-64-10 ReLU MLP (batch 32, softmax cross entropy, ${name}, ${mode}): every loss and parameter equals the eager step's, bit for bit`, () => {
        expectEagerNumbers([64, 128, 64, 10], 32, makeOptimizer, 6, mode);
      });
    }
  }

  it('a 256-256-128-10 MLP (batch 128) on 2 threads: every loss and parameter equals the eager step on one thread', async () => {
    const inputs = batch(128, 256, 6);
    const a = mlp([256, 256, 128, 10]);
    const optA = new optim.SGD(a.parameters(), { lr: 0.1 });
    const want: number[] = [];
    for (let s = 0; s < 4; s++) {
      optA.zeroGrad();
      const l = crossEntropy(a)(inputs);
      l.backward();
      optA.step();
      want.push(l.item());
    }
    setGemmThreads(2);
    await gemmThreadsReady();
    const b = mlp([256, 256, 128, 10]);
    const step = captureStep({ loss: crossEntropy(b), optimizer: new optim.SGD(b.parameters(), { lr: 0.1 }), inputs, model: b });
    expect(Array.from({ length: 4 }, () => step.run())).toEqual(want);
    expect(stateBits(b)).toEqual(stateBits(a));
  });

  it('after a product large enough to grow the wasm memory, the parameters keep their values and the step keeps training as eager does', () => {
    const sizes = [64, 128, 10];
    const inputs = batch(32, 64, 7);
    const a = mlp(sizes);
    const optA = new optim.SGD(a.parameters(), { lr: 0.1 });
    const b = mlp(sizes);
    const step = captureStep({ loss: crossEntropy(b), optimizer: new optim.SGD(b.parameters(), { lr: 0.1 }), inputs, model: b });
    const eagerStep = (): number => {
      optA.zeroGrad();
      const l = crossEntropy(a)(inputs);
      l.backward();
      optA.step();
      return l.item();
    };
    expect(step.run()).toBe(eagerStep());
    const lengths = b.parameters().map((p) => p.data.length);
    // 2×16×400,000 floats of operands (~51 MB): past anything staged before, so the memory grows.
    const [m, k, n] = [16, 400_000, 16];
    gemm(new Float32Array(m * n), new Float32Array(m * k).fill(0.5), new Float32Array(k * n).fill(0.25), m, k, n);
    expect(b.parameters().map((p) => p.data.length)).toEqual(lengths);
    expect(stateBits(b)).toEqual(stateBits(a));
    for (let s = 0; s < 3; s++) expect(step.run()).toBe(eagerStep());
    expect(stateBits(b)).toEqual(stateBits(a));
  });

  it('a model saved after captured steps holds the updated parameters', () => {
    const model = mlp([64, 128, 10]);
    const step = captureStep({ loss: crossEntropy(model), optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), inputs: batch(32, 64, 8), model });
    for (let s = 0; s < 3; s++) step.run();
    const loaded = deserializeModel(serializeModel(model), { into: mlp([64, 128, 10]) });
    expect(stateBits(loaded.model)).toEqual(stateBits(model));
    expect(stateBits(model)).not.toEqual(stateBits(mlp([64, 128, 10])));
  });

  it('two steps captured on one model (fit called twice) take turns: each reads the parameters the other wrote, as eager steps would', () => {
    const sizes = [64, 128, 10];
    const first = batch(32, 64, 9);
    const second = batch(16, 64, 10);
    const a = mlp(sizes);
    const optA = new optim.SGD(a.parameters(), { lr: 0.1 });
    const b = mlp(sizes);
    const optB = new optim.SGD(b.parameters(), { lr: 0.1 });
    const stepOne = captureStep({ loss: crossEntropy(b), optimizer: optB, inputs: first, model: b });
    const stepTwo = captureStep({ loss: crossEntropy(b), optimizer: optB, inputs: second, model: b });
    for (let s = 0; s < 6; s++) {
      const inputs = s % 2 === 0 ? first : second;
      optA.zeroGrad();
      const l = crossEntropy(a)(inputs);
      l.backward();
      optA.step();
      expect((s % 2 === 0 ? stepOne : stepTwo).run(), `step ${s}`).toBe(l.item());
      expect(stateBits(b), `step ${s}`).toEqual(stateBits(a));
    }
  });

  it('with wasm turned off (the plain-JS path), a step captured before and one captured after both replay the eager numbers', () => {
    const sizes = [64, 128, 10];
    const inputs = batch(32, 64, 11);
    const before = mlp(sizes);
    const stepBefore = captureStep({ loss: crossEntropy(before), optimizer: new optim.SGD(before.parameters(), { lr: 0.1 }), inputs, model: before });
    setWasmGemmEnabled(false);
    const a = mlp(sizes);
    const optA = new optim.SGD(a.parameters(), { lr: 0.1 });
    const after = mlp(sizes);
    const stepAfter = captureStep({ loss: crossEntropy(after), optimizer: new optim.SGD(after.parameters(), { lr: 0.1 }), inputs, model: after });
    expect(after.parameters()[0].data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    for (let s = 0; s < 3; s++) {
      optA.zeroGrad();
      const l = crossEntropy(a)(inputs);
      l.backward();
      optA.step();
      expect(stepBefore.run()).toBe(l.item());
      expect(stepAfter.run()).toBe(l.item());
    }
    expect(stateBits(before)).toEqual(stateBits(a));
    expect(stateBits(after)).toEqual(stateBits(a));
  });

  it("matmul(W, h) with h = x·V, whose backward reads W (for h's gradient) after writing W's: plain SGD steps equal eager's, bit for bit", () => {
    const rng = new Generator(12);
    const make = () => {
      const g = new Generator(13);
      const p = { w: randomNormal([96, 128], g, 0, 0.1, 'float32'), v: randomNormal([64, 64], g, 0, 0.1, 'float32') };
      p.w.requiresGrad = true;
      p.v.requiresGrad = true;
      return p;
    };
    const x = randomNormal([128, 64], rng, 0, 1, 'float32');
    const loss = (p: { w: Tensor; v: Tensor }) => ({ x }: Record<string, Tensor>): Tensor => nn.mseLoss(matmul(p.w, matmul(x, p.v)), zeros([96, 64]));
    const a = make();
    const b = make();
    const optA = new optim.SGD([a.w, a.v], { lr: 0.05 });
    const step = captureStep({ loss: loss(b), optimizer: new optim.SGD([b.w, b.v], { lr: 0.05 }), inputs: { x } });
    for (let s = 0; s < 4; s++) {
      optA.zeroGrad();
      const l = loss(a)({ x });
      l.backward();
      optA.step();
      expect(step.run(), `step ${s}`).toBe(l.item());
    }
    expect(bits(b.w)).toEqual(bits(a.w));
    expect(bits(b.v)).toEqual(bits(a.v));
  });
});
