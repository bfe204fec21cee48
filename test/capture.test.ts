import { describe, expect, it } from 'vitest';
import { CaptureRefusedError, Generator, Tensor, captureStep, nn, optim, randomNormal, tensor } from '../packages/nnlab/src/index.js';
import type { CaptureMode, DType } from '../packages/nnlab/src/index.js';
import { registeredOps } from '../packages/nnlab/src/index.js';
import { setWasmGemmEnabled } from '../packages/nnlab/src/kernels/index.js';
import { binaryCrossEntropyWithLogits } from '../packages/nnlab/src/ops/losses.js';
import { messageOf } from './helpers.js';

/** The exact bits of a tensor's values, so that "identical" means identical, −0 and NaN included. */
function bits(t: Tensor): string {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');
}

function stateBits(model: nn.Module): Record<string, string> {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([name, p]) => [name, bits(p)]));
}

type OptimizerFactory = (params: Tensor[]) => optim.Optimizer<optim.PenaltyOptions>;

const SGD: OptimizerFactory = (params) => new optim.SGD(params, { lr: 0.5 });

/** The chapter's 2-2-1 sigmoid XOR net, from seed 1. */
function xorNet(dtype: DType = 'float32'): nn.Sequential {
  const rng = new Generator(1);
  return new nn.Sequential({
    hidden: new nn.Dense(2, 2, { activation: 'sigmoid', rng, dtype }),
    output: new nn.Dense(2, 1, { activation: 'sigmoid', rng, dtype }),
  });
}

/** A 3-16-8-2 MLP (tanh, ReLU, linear output), from seed 2. */
function mlp(dtype: DType): nn.Sequential {
  const rng = new Generator(2);
  return new nn.Sequential({
    a: new nn.Dense(3, 16, { activation: 'tanh', rng, dtype }),
    b: new nn.Dense(16, 8, { activation: 'relu', rng, dtype }),
    c: new nn.Dense(8, 2, { rng, dtype }),
  });
}

const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_T = [[0], [1], [1], [0]];

interface Run {
  losses: number[];
  state: Record<string, string>;
  ops?: readonly string[];
}

/** `steps` eager steps: zeroGrad, loss(inputs).backward(), step. */
function eager(model: nn.Module, makeOptimizer: OptimizerFactory, inputs: Record<string, Tensor>, loss: (i: Record<string, Tensor>) => Tensor, steps: number): Run {
  const opt = makeOptimizer(model.parameters());
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const l = loss(inputs);
    l.backward();
    opt.step();
    losses.push(l.item());
  }
  return { losses, state: stateBits(model) };
}

function captured(model: nn.Module, makeOptimizer: OptimizerFactory, inputs: Record<string, Tensor>, loss: (i: Record<string, Tensor>) => Tensor, steps: number, mode: CaptureMode): Run {
  const opt = makeOptimizer(model.parameters());
  const step = captureStep({ loss, optimizer: opt, inputs, model, mode });
  expect(step.mode).toBe(mode);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) losses.push(step.run());
  return { losses, state: stateBits(model), ops: step.ops };
}

/** Every op a test below replays, to check that each kernel is compared with its eager op. */
const replayed = new Set<string>();

function expectIdentical(build: () => nn.Module, makeOptimizer: OptimizerFactory, inputs: Record<string, Tensor>, loss: (model: nn.Module) => (i: Record<string, Tensor>) => Tensor, steps: number): void {
  const a = build();
  const want = eager(a, makeOptimizer, inputs, loss(a), steps);
  for (const mode of MODES) {
    const b = build();
    const got = captured(b, makeOptimizer, inputs, loss(b), steps, mode);
    for (const op of got.ops ?? []) replayed.add(op);
    expect(got.losses.map(exact), mode).toEqual(want.losses.map(exact));
    expect(got.state, mode).toEqual(want.state);
  }
}

/** Both replays (the generated function, and the closures used where generated code is forbidden), and eager behind the same interface. */
const MODES: readonly CaptureMode[] = ['compiled', 'closures', 'eager'];

const exact = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

const mse = (model: nn.Module) => ({ x, t }: Record<string, Tensor>): Tensor => nn.mseLoss(model.forward(x), t);

function data(dtype: DType, rows: number, seed: number): { x: Tensor; t: Tensor } {
  const rng = new Generator(seed);
  return { x: randomNormal([rows, 3], rng, 0, 1, dtype), t: randomNormal([rows, 2], rng, 0, 1, dtype) };
}

/** A 4-16-3 classifier (tanh hidden layer, logits out), from seed 3. */
function classifier(dtype: DType): nn.Sequential {
  const rng = new Generator(3);
  return new nn.Sequential({
    hidden: new nn.Dense(4, 16, { activation: 'tanh', rng, dtype }),
    logits: new nn.Dense(16, 3, { rng, dtype }),
  });
}

/** `count` batches of `rows` inputs [rows, 4] with class labels 0–2 as a float tensor [rows], seeded. */
function classBatches(dtype: DType, rows: number, count: number, seed: number): { x: Tensor; t: Tensor }[] {
  const rng = new Generator(seed);
  return Array.from({ length: count }, () => ({
    x: randomNormal([rows, 4], rng, 0, 1, dtype),
    t: tensor(Array.from({ length: rows }, () => rng.integer(0, 3)), dtype),
  }));
}

const crossEntropy = (model: nn.Module) => ({ x, t }: Record<string, Tensor>): Tensor => nn.crossEntropyLoss(model.forward(x), t);

/**
 * One eager step per batch, against a step captured on the first batch and run with each batch's
 * values (in every mode): each loss, and every parameter at the end, bit for bit.
 */
function expectIdenticalOnBatches(build: () => nn.Module, makeOptimizer: OptimizerFactory, batches: readonly Record<string, Tensor>[], loss: (model: nn.Module) => (i: Record<string, Tensor>) => Tensor): void {
  const a = build();
  const optA = makeOptimizer(a.parameters());
  const want = batches.map((batch) => {
    optA.zeroGrad();
    const l = loss(a)(batch);
    l.backward();
    optA.step();
    return exact(l.item());
  });
  for (const mode of MODES) {
    const b = build();
    const step = captureStep({ loss: loss(b), optimizer: makeOptimizer(b.parameters()), inputs: batches[0], model: b, mode });
    for (const op of step.ops) replayed.add(op);
    expect(batches.map((batch) => exact(step.run(batch))), mode).toEqual(want);
    expect(stateBits(b), mode).toEqual(stateBits(a));
  }
}

describe('captureStep({ loss, optimizer, inputs }).run() gives bit-identical results to eager steps', () => {
  it('the XOR 2-2-1 sigmoid net (float32, SGD lr 5): 500 steps, every loss and parameter', () => {
    const inputs = { x: tensor(XOR_X), t: tensor(XOR_T) };
    expectIdentical(xorNet, (p) => new optim.SGD(p, { lr: 5 }), inputs, mse, 500);
  });

  it('a 3-24-24-2 tanh/sigmoid MLP (float32, batch 40 and 2) whose dense layers take the activation in gemm\'s epilogue, tiny and wasm products', () => {
    const net = (): nn.Sequential => {
      const rng = new Generator(4);
      return new nn.Sequential({
        a: new nn.Dense(3, 24, { activation: 'tanh', rng }),
        b: new nn.Dense(24, 24, { activation: 'sigmoid', rng }),
        c: new nn.Dense(24, 2, { activation: 'tanh', rng }),
      });
    };
    for (const rows of [40, 2]) expectIdentical(net, (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }), data('float32', rows, 5), mse, 30);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`a 3-16-8-2 MLP (${dtype}, batch 32) with SGD, momentum, Nesterov with weight decay, Adam, RMSProp`, () => {
      const inputs = data(dtype, 32, 3);
      const optimizers: OptimizerFactory[] = [
        SGD,
        (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }),
        (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.5, nesterov: true, weightDecay: 1e-3, l1: 1e-4 }),
        (p) => new optim.Adam(p, { lr: 0.01 }),
        (p) => new optim.RMSProp(p, { lr: 0.01, rho: 0.8 }),
      ];
      for (const makeOptimizer of optimizers) expectIdentical(() => mlp(dtype), makeOptimizer, inputs, mse, 60);
    });
  }

  for (const dtype of ['float32', 'float64'] as const) {
    it(`bceWithLogitsLoss on a 3-16-8-2 MLP (${dtype}) with targets 0 and 1, and a scalar target`, () => {
      const { x, t } = data(dtype, 16, 13);
      const labels = t.greater(0); // 0 and 1, of t's dtype
      const bce = (model: nn.Module) => (i: Record<string, Tensor>): Tensor => nn.bceWithLogitsLoss(model.forward(i.x), i.t);
      expectIdentical(() => mlp(dtype), (p) => new optim.SGD(p, { lr: 0.5 }), { x, t: labels }, bce, 40);
      const towardOne = (model: nn.Module) => (i: Record<string, Tensor>): Tensor => binaryCrossEntropyWithLogits(model.forward(i.x), 1).mean();
      expectIdentical(() => mlp(dtype), SGD, { x }, towardOne, 10);
    });
  }

  it('a learning-rate schedule is read at each replay, as eager steps read it', () => {
    const inputs = data('float32', 8, 4);
    expectIdentical(() => mlp('float32'), (p) => new optim.SGD(p, { lr: optim.schedules.exponentialDecay(0.2, 0.9) }), inputs, mse, 30);
  });

  it.each([true, false])('large enough products to leave the strided gemm loop: a 3-64-64-2 net, batch 64 (wasm gemm enabled: %s)', (wasm) => {
    const build = (): nn.Sequential => {
      const rng = new Generator(5);
      return new nn.Sequential({
        a: new nn.Dense(3, 64, { activation: 'relu', rng }),
        b: new nn.Dense(64, 64, { activation: 'sigmoid', rng }),
        c: new nn.Dense(64, 2, { rng }),
      });
    };
    setWasmGemmEnabled(wasm);
    try {
      expectIdentical(build, (p) => new optim.Adam(p, { lr: 0.01 }), data('float32', 64, 6), mse, 20);
    } finally {
      setWasmGemmEnabled(true);
    }
  });

  for (const [dtype, rows] of [['float32', 16], ['float64', 16], ['float32', 2], ['float64', 1]] as const) {
    it(`ops written out (${dtype}, batch ${rows}, so loops${rows < 16 ? ' written out' : ''}): matmul, broadcast add, sub, mul by a scalar, sigmoid, tanh, relu, sum, mean, and a weight used twice`, () => {
      const build = (): nn.Module => mlp(dtype);
      // A hand-written net over the MLP's parameters, so that each op appears on its own.
      const loss = (model: nn.Module) => ({ x, t }: Record<string, Tensor>): Tensor => {
        const p = model.stateDict();
        const h = x.matmul(p['a.weight']).add(p['a.bias']).tanh(); // [n, 16]
        const r = h.matmul(p['b.weight']).add(p['b.bias']).relu(); // [n, 8]
        const y = r.matmul(p['c.weight']).add(p['c.bias']).sigmoid(); // [n, 2]
        const e = y.sub(t);
        const fit = e.mul(e).sum().mul(0.5);
        // An L2 penalty on a.weight: a.weight feeds three ops, so its gradients accumulate.
        const penalty = p['a.weight'].mul(p['a.weight']).mean().mul(1e-2);
        const scaled = t.mul(2).sub(1); // computed from an input: replayed, not frozen
        return fit.add(penalty).add(nn.mseLoss(y, scaled.mul(0.5).add(0.5)));
      };
      expectIdentical(build, (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 }), data(dtype, rows, 7), loss, 40);
    });
  }

  it('plain SGD, whose update the compiled step writes out, falls back to optimizer.step() once momentum is set', () => {
    const inputs = data('float32', 8, 12);
    const a = mlp('float32');
    const b = mlp('float32');
    const optA = new optim.SGD(a.parameters(), { lr: 0.1 });
    const optB = new optim.SGD(b.parameters(), { lr: 0.1 });
    const step = captureStep({ loss: mse(b), optimizer: optB, inputs });
    for (let s = 0; s < 10; s++) {
      if (s === 5) optA.groups[0].options.momentum = optB.groups[0].options.momentum = 0.9;
      optA.zeroGrad();
      const want = mse(a)(inputs);
      want.backward();
      optA.step();
      expect(step.run()).toBe(want.item());
      expect(stateBits(b)).toEqual(stateBits(a));
    }
  });

  it('a weight shared by two layers (used twice in one step) accumulates both gradients as eager does', () => {
    const build = (): nn.Module => mlp('float32');
    const loss = (model: nn.Module) => ({ x, t }: Record<string, Tensor>): Tensor => {
      const p = model.stateDict();
      const h = nn.mseLoss(model.forward(x), t);
      return h.add(p['c.weight'].sum().mul(p['c.bias'].sum()));
    };
    expectIdentical(build, SGD, data('float32', 8, 8), loss, 25);
  });

  for (const dtype of ['float32', 'float64'] as const) {
    it(`crossEntropyLoss with class labels that change at every replay: a 4-16-3 softmax classifier (${dtype}, batch 12), SGD and Adam`, () => {
      const batches = classBatches(dtype, 12, 8, 21);
      for (const makeOptimizer of [SGD, (p: Tensor[]) => new optim.Adam(p, { lr: 0.02 })]) {
        expectIdenticalOnBatches(() => classifier(dtype), makeOptimizer, batches, crossEntropy);
      }
    });

    it(`crossEntropyLoss with one-hot and probability targets [n, 3] that change at every replay (${dtype}), and with 'sum'`, () => {
      const batches = classBatches(dtype, 10, 6, 22);
      const oneHot = batches.map(({ x, t }) => ({ x, t: tensor(Array.from(t.data, (c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))), dtype) }));
      const soft = batches.map(({ x }, b) => ({ x, t: randomNormal([10, 3], new Generator(b), 0, 1, dtype).softmax() }));
      expectIdenticalOnBatches(() => classifier(dtype), (p) => new optim.SGD(p, { lr: 0.3, momentum: 0.9 }), oneHot, crossEntropy);
      expectIdenticalOnBatches(() => classifier(dtype), (p) => new optim.Adam(p, { lr: 0.02 }), soft, crossEntropy);
      const summed = (model: nn.Module) => ({ x, t }: Record<string, Tensor>): Tensor => nn.crossEntropyLoss(model.forward(x), t, { reduction: 'sum' });
      expectIdenticalOnBatches(() => classifier(dtype), SGD, batches, summed);
    });
  }

  it.each([true, false])('cross entropy on a 20-256-32-10 ReLU MLP, batch 128 (gemm with bias and ReLU in its epilogue, epilogueGrad; SGD on weights of ≥ WASM_MIN_UPDATE values in wasm), labels changing (wasm enabled: %s)', (wasm) => {
    const build = (): nn.Sequential => {
      const rng = new Generator(7);
      return new nn.Sequential({
        a: new nn.Dense(20, 256, { activation: 'relu', rng }),
        b: new nn.Dense(256, 32, { activation: 'sigmoid', rng }),
        c: new nn.Dense(32, 10, { rng }),
      });
    };
    const rng = new Generator(26);
    const batches = Array.from({ length: 5 }, () => ({
      x: randomNormal([128, 20], rng),
      t: tensor(Array.from({ length: 128 }, () => rng.integer(0, 10))),
    }));
    setWasmGemmEnabled(wasm);
    try {
      expectIdenticalOnBatches(build, (p) => new optim.Adam(p, { lr: 0.01 }), batches, crossEntropy);
      expectIdenticalOnBatches(build, (p) => new optim.SGD(p, { lr: 0.1 }), batches, crossEntropy);
    } finally {
      setWasmGemmEnabled(true);
    }
  });

  it('log-softmax along the first axis, a mean over one axis with keepDims, neg, and labels given as a list (kept at capture)', () => {
    const batches = classBatches('float32', 6, 4, 23);
    const list = Array.from(batches[0].t.data);
    const loss = (model: nn.Module) => ({ x, t }: Record<string, Tensor>): Tensor => {
      const z = model.forward(x); // [6, 3]
      const columns = z.logSoftmax(0).mean(0, true).neg().sum(); // over the batch, per class
      return nn.crossEntropyLoss(z, list).add(columns.mul(0.1)).add(z.mean(1).mul(t).mean());
    };
    expectIdenticalOnBatches(() => classifier('float32'), (p) => new optim.Adam(p, { lr: 0.05 }), batches, loss);
  });

  it('reshape (a view in eager mode, a copy in the replay): of the targets inside the loss, and of the output on the way to the loss', () => {
    const inputs = { x: tensor(XOR_X), t: tensor(XOR_T).reshape([-1]) }; // t as [4]
    const reshaped = (model: nn.Module) => ({ x, t }: Record<string, Tensor>): Tensor =>
      nn.bceWithLogitsLoss(model.forward(x), t.reshape([-1, 1])).add(nn.mseLoss(model.forward(x).reshape([2, 2]), t.reshape([2, 2])));
    expectIdentical(xorNet, (p) => new optim.SGD(p, { lr: 0.5, momentum: 0.9 }), inputs, reshaped, 50);
  });

  it('a NaN input through Dense + ReLU: the replay is NaN where eager is (relu(NaN) = NaN, its gradient passes dy), loss and parameters', () => {
    const inputs = data('float32', 8, 41);
    inputs.x.data[4] = NaN; // row 1
    expectIdentical(() => mlp('float32'), SGD, inputs, mse, 2);
    const model = mlp('float32');
    expect(Number.isNaN(nn.mseLoss(model.forward(inputs.x), inputs.t).item())).toBe(true);
  });

  it('the comparisons above replay the ops of dense nets and their losses (every op with a kernel: test/gradcheck-table.test.ts)', () => {
    const withKernels = [...registeredOps().values()].filter((op) => op.kernel !== undefined).map((op) => op.name);
    const expected = ['linear', 'matmul', 'sigmoid', 'tanh', 'relu', 'add', 'sub', 'mul', 'neg', 'sum', 'mean', 'squaredDifference', 'binaryCrossEntropyWithLogits', 'logSoftmax', 'pickPerRow', 'reshape'];
    expect([...replayed].sort()).toEqual(expected.sort());
    expect(withKernels).toEqual(expect.arrayContaining(expected));
  });
});

describe('captureStep: parameters, inputs and eager steps', () => {
  it('replays update the model\'s own tensors: stateDict() shows them, and eager steps interleave', () => {
    const inputs = data('float32', 8, 9);
    const a = mlp('float32');
    const b = mlp('float32');
    const optA = new optim.Adam(a.parameters(), { lr: 0.01 });
    const optB = new optim.Adam(b.parameters(), { lr: 0.01 });
    const step = captureStep({ loss: mse(b), optimizer: optB, inputs, model: b });
    for (let s = 0; s < 12; s++) {
      optA.zeroGrad();
      const want = mse(a)(inputs);
      want.backward();
      optA.step();
      let got: number;
      if (s % 3 === 1) {
        optB.zeroGrad();
        const l = mse(b)(inputs);
        l.backward();
        optB.step();
        got = l.item();
      } else {
        got = step.run();
      }
      expect(got).toBe(want.item());
      expect(stateBits(b)).toEqual(stateBits(a));
    }
    expect(optB.stepCount).toBe(12);
  });

  it('run({ x, t }) takes new values of the captured shapes (tensors or flat arrays) and trains on them', () => {
    const first = data('float64', 8, 10);
    const second = data('float64', 8, 11);
    const a = mlp('float64');
    const b = mlp('float64');
    const step = captureStep({ loss: mse(b), optimizer: new optim.SGD(b.parameters(), { lr: 0.1 }), inputs: first });
    const optA = new optim.SGD(a.parameters(), { lr: 0.1 });
    for (const [values, asArrays] of [[second, false], [first, true], [second, true]] as const) {
      optA.zeroGrad();
      const want = mse(a)(values);
      want.backward();
      optA.step();
      const got = asArrays ? step.run({ x: Array.from(values.x.data), t: values.t.data }) : step.run(values);
      expect(got).toBe(want.item());
      expect(stateBits(b)).toEqual(stateBits(a));
    }
    expect(Array.from(step.inputs.x.data)).toEqual(Array.from(second.x.data));
  });

  it('the step keeps its own copy of the inputs: changing the original tensor afterwards changes nothing', () => {
    const inputs = { x: tensor(XOR_X), t: tensor(XOR_T) };
    const model = xorNet();
    const step = captureStep({ loss: mse(model), optimizer: SGD(model.parameters()), inputs });
    inputs.x.data.fill(7);
    expect(Array.from(step.inputs.x.data)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
  });

  it('step.ops lists the replayed ops in forward order: the XOR net is two fused dense layers and the MSE', () => {
    const model = xorNet();
    const step = captureStep({ loss: mse(model), optimizer: SGD(model.parameters()), inputs: { x: tensor(XOR_X), t: tensor(XOR_T) } });
    expect(step.ops).toEqual(['linear', 'linear', 'squaredDifference', 'mean']);
  });
});

describe('captureStep: errors', () => {
  const inputs = { x: tensor(XOR_X), t: tensor(XOR_T) };

  it('run() with a different shape, size or an unknown input names the input, both shapes, and what to do', () => {
    const model = xorNet();
    const step = captureStep({ loss: mse(model), optimizer: SGD(model.parameters()), inputs });
    expect(messageOf(() => step.run({ x: tensor([[0, 1]]) }))).toBe(
      "captureStep: input 'x' has shape [1, 2] but the step was captured for [4, 2]; capture another step for other shapes",
    );
    expect(messageOf(() => step.run({ t: [1, 2, 3] }))).toBe(
      "captureStep: input 't' has 3 values but the step was captured for shape [4, 1] (4 values)",
    );
    expect(messageOf(() => step.run({ y: [1] } as never))).toBe(
      "captureStep: run() got an unknown input 'y'; the step was captured with 'x', 't'",
    );
  });

  it('a class label that is not a class index is an error at run(), naming the row, the value and the input, and nothing is updated', () => {
    const { x, t } = classBatches('float32', 4, 1, 24)[0];
    for (const mode of ['compiled', 'closures'] as const) {
      const model = classifier('float32');
      const step = captureStep({ loss: crossEntropy(model), optimizer: SGD(model.parameters()), inputs: { x, t }, mode });
      const before = stateBits(model);
      expect(messageOf(() => step.run({ t: [0, 3, 1, 2] })), mode).toBe("captureStep: target 3 at row 1 of input 't' is not a class index in [0, 2]");
      expect(messageOf(() => step.run({ t: [0, 1, 1.5, 2] })), mode).toBe("captureStep: target 1.5 at row 2 of input 't' is not a class index in [0, 2]");
      expect(messageOf(() => step.run({ t: [0, 1, 2, -1] })), mode).toBe("captureStep: target -1 at row 3 of input 't' is not a class index in [0, 2]");
      expect(messageOf(() => step.run({ t: [NaN, 1, 2, 0] })), mode).toBe("captureStep: target NaN at row 0 of input 't' is not a class index in [0, 2]");
      expect(stateBits(model), mode).toEqual(before);
      expect(Number.isFinite(step.run({ t }))).toBe(true); // good labels again: the step still runs
    }
    const model = classifier('float32');
    const eagerStep = captureStep({ loss: crossEntropy(model), optimizer: SGD(model.parameters()), inputs: { x, t }, mode: 'eager' });
    expect(messageOf(() => eagerStep.run({ t: [0, 3, 1, 2] }))).toBe('crossEntropyLoss: target 3 at row 1 is not a class index in [0, 2]');
  });

  it('step.ops for a softmax classifier with class labels: two dense layers, logSoftmax, the pick of each label, neg and mean', () => {
    const { x, t } = classBatches('float32', 4, 1, 25)[0];
    const model = classifier('float32');
    expect(captureStep({ loss: crossEntropy(model), optimizer: SGD(model.parameters()), inputs: { x, t } }).ops).toEqual(
      ['linear', 'linear', 'logSoftmax', 'pickPerRow', 'neg', 'mean'],
    );
  });

  it('an op without a buffer kernel is named, with the list of ops that have one', () => {
    const model = xorNet();
    const message = messageOf(() =>
      captureStep({ loss: ({ x, t }) => nn.mseLoss(model.forward(x).max(1, true), t), optimizer: SGD(model.parameters()), inputs }),
    );
    expect(message).toMatch(/^captureStep: op 'max' cannot be captured: it has no buffer kernel \(ops with one: add, sub, .*\); train this model with eager steps instead$/);
  });

  it('dropout in training mode is refused (its mask would be frozen); in eval mode it is fine', () => {
    const rng = new Generator(3);
    const model = new nn.Sequential({ a: new nn.Dense(2, 4, { activation: 'tanh', rng }), drop: new nn.Dropout(0.5, { rng }), b: new nn.Dense(4, 1, { rng }) });
    const options = { loss: mse(model), optimizer: SGD(model.parameters()), inputs, model };
    expect(messageOf(() => captureStep(options))).toBe(
      "captureStep: dropout layer 'drop' draws a new mask at every step, which a captured step would freeze; " +
        'call model.eval() for that layer or train with eager steps',
    );
    model.eval();
    expect(captureStep(options).ops).toEqual(['linear', 'linear', 'squaredDifference', 'mean']);
  });

  for (const mode of ['compiled', 'closures'] as CaptureMode[]) {
    it(`a step captured in eval mode refuses to replay after train(), naming both modes and the layer (${mode}); switching back replays again`, () => {
      const rng = new Generator(3);
      const drop = new nn.Dropout(0.5, { rng });
      const model = new nn.Sequential({ a: new nn.Dense(2, 4, { activation: 'tanh', rng }), drop, b: new nn.Dense(4, 1, { rng }) });
      model.eval();
      const step = captureStep({ loss: mse(model), optimizer: SGD(model.parameters()), inputs, model, mode });
      const snapshot = () => model.parameters().map((p) => Array.from(p.data));
      step.run();
      model.train();
      const changed = snapshot();
      expect(messageOf(() => step.run())).toBe(
        'captureStep: the step was captured with the model in eval mode, but the model (Sequential) is now in training mode; ' +
          'a replay keeps the mode it was captured in, so capture a new step after train() or eval() (or switch back)',
      );
      expect(snapshot()).toEqual(changed); // the refused replay changed nothing
      model.eval();
      expect(Number.isFinite(step.run())).toBe(true);
      drop.train();
      expect(messageOf(() => step.run())).toMatch(/^captureStep: the step was captured with the model in eval mode, but layer 'drop' \(Dropout\) is now in training mode;/);
    });
  }

  it('refusals of the model (a missing kernel, dropout in training) are CaptureRefusedError, mistakes in the call plain errors', () => {
    const errorOf = (f: () => unknown): unknown => {
      try {
        f();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const model = xorNet();
    expect(errorOf(() => captureStep({ loss: ({ x, t }) => nn.mseLoss(model.forward(x).max(1, true), t), optimizer: SGD(model.parameters()), inputs }))).toBeInstanceOf(CaptureRefusedError);
    const rng = new Generator(3);
    const dropped = new nn.Sequential({ a: new nn.Dense(2, 4, { rng }), drop: new nn.Dropout(0.5, { rng }), b: new nn.Dense(4, 1, { rng }) });
    expect(errorOf(() => captureStep({ loss: mse(dropped), optimizer: SGD(dropped.parameters()), inputs, model: dropped }))).toBeInstanceOf(CaptureRefusedError);
    const misuse = errorOf(() => captureStep({ loss: mse(model), optimizer: SGD(model.parameters()), inputs, mode: 'fast' as never }));
    expect(misuse).toBeInstanceOf(Error);
    expect(misuse).not.toBeInstanceOf(CaptureRefusedError);
  });

  it('a loss that reads an input from outside (not the tensor it was given) is refused', () => {
    const model = xorNet();
    expect(messageOf(() => captureStep({ loss: ({ x }) => nn.mseLoss(model.forward(x), inputs.t), optimizer: SGD(model.parameters()), inputs }))).toBe(
      "captureStep: the loss read input 't' from outside; use the tensor the loss function receives",
    );
  });

  it('an unknown mode is refused, naming the three', () => {
    const model = xorNet();
    expect(messageOf(() => captureStep({ loss: mse(model), optimizer: SGD(model.parameters()), inputs, mode: 'fast' as never }))).toBe(
      "captureStep: mode must be one of 'compiled', 'closures', 'eager', got 'fast'",
    );
  });

  it('a non-scalar loss, a loss without parameters, and a parameter missing from the optimizer are refused', () => {
    const model = xorNet();
    const optimizer = SGD(model.parameters());
    expect(messageOf(() => captureStep({ loss: ({ x }) => model.forward(x), optimizer, inputs }))).toBe(
      'captureStep: loss must return a single value, got shape [4, 1]',
    );
    expect(messageOf(() => captureStep({ loss: ({ t }) => t.sum(), optimizer, inputs }))).toBe(
      "captureStep: the loss does not depend on the optimizer's parameters (or was computed inside noGrad)",
    );
    const other = xorNet();
    expect(messageOf(() => captureStep({ loss: mse(other), optimizer, inputs }))).toBe(
      "captureStep: the loss depends on a tensor of shape [2, 2] that requires gradients but is not among the optimizer's parameters; " +
        'add it to the optimizer or detach() it',
    );
  });
});
