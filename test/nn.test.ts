import { describe, expect, it } from 'vitest';
import { tensor, nn, Generator, Tensor, noGrad, assertGradients, randomNormal, zeros } from '../packages/nnlab/src/index.js';

const rng = () => new Generator(3);

function xorNet(dtype: 'float32' | 'float64' = 'float32') {
  const r = rng();
  return new nn.Sequential({
    hidden: new nn.Dense(2, 2, { activation: 'sigmoid', rng: r, dtype }),
    output: new nn.Dense(2, 1, { activation: 'sigmoid', rng: r, dtype }),
  });
}

describe('Module', () => {
  it('namedParameters() names parameters by dotted path, in definition order', () => {
    expect(xorNet().namedParameters().map(([name]) => name)).toEqual(['hidden.weight', 'hidden.bias', 'output.weight', 'output.bias']);
  });

  it('parameterCount() of the 2-2-1 net is 9', () => {
    expect(xorNet().parameterCount()).toBe(9);
  });

  it('a custom subclass finds parameters and sub-modules in its fields, arrays included', () => {
    class Net extends nn.Module {
      readonly kind = 'net';
      readonly scale = tensor([2]).requireGrad();
      readonly blocks = [new nn.Dense(2, 2, { rng: rng() }), new nn.Dense(2, 2, { rng: rng() })];
      readonly head = new nn.Dense(2, 1, { rng: rng() });
      forward(x: Tensor): Tensor {
        return this.head.forward(this.blocks.reduce((h, b) => b.forward(h), x).mul(this.scale));
      }
    }
    const names = new Net().namedParameters().map(([n]) => n);
    expect(names).toEqual(['scale', 'blocks.0.weight', 'blocks.0.bias', 'blocks.1.weight', 'blocks.1.bias', 'head.weight', 'head.bias']);
  });

  it('train() and eval() set the mode of every sub-module', () => {
    const model = new nn.Sequential([new nn.Dense(2, 2, { rng: rng() }), new nn.Dropout(0.5, { rng: rng() })]);
    model.eval();
    expect(model.namedModules().every(([, m]) => !m.training)).toBe(true);
    model.train();
    expect(model.namedModules().every(([, m]) => m.training)).toBe(true);
  });

  it('loadStateDict() copies values by name', () => {
    const a = xorNet();
    const b = new nn.Sequential({
      hidden: new nn.Dense(2, 2, { activation: 'sigmoid', rng: new Generator(99) }),
      output: new nn.Dense(2, 1, { activation: 'sigmoid', rng: new Generator(99) }),
    });
    b.loadStateDict(a.stateDict());
    expect(b.parameters().map((p) => Array.from(p.data))).toEqual(a.parameters().map((p) => Array.from(p.data)));
  });

  it('loadStateDict() lists every problem in one error and changes nothing', () => {
    const model = xorNet();
    const before = model.parameters().map((p) => Array.from(p.data));
    const state = { 'hidden.weight': zeros([3, 2]), 'hidden.bias': zeros([2]), 'output.weight': zeros([2, 1]), extra: zeros([1]) };
    expect(() => model.loadStateDict(state)).toThrow(
      "loadStateDict: 3 problems:\n" +
        "  - parameter 'hidden.weight' has shape [3, 2] but the model expects [2, 2]\n" +
        "  - missing parameter 'output.bias' [1]\n" +
        "  - unexpected parameter 'extra'",
    );
    expect(model.parameters().map((p) => Array.from(p.data))).toEqual(before);
  });
});

describe('Dense', () => {
  it("names itself in shape errors: dense 'hidden': expected input width 3, got 2 (input [4, 2])", () => {
    const model = new nn.Sequential({ hidden: new nn.Dense(3, 2, { rng: rng() }) });
    expect(() => model.forward(zeros([4, 2]))).toThrow("dense 'hidden': expected input width 3, got 2 (input [4, 2])");
  });

  it('computes activation(x·W + b) with W of shape [in, out]', () => {
    const layer = new nn.Dense(2, 1, { activation: 'sigmoid', weightInit: nn.init.constant(1), biasInit: nn.init.constant(-1) });
    expect(layer.weight.shape).toEqual([2, 1]);
    const y = noGrad(() => layer.forward(tensor([[1, 1]])));
    expect(y.item()).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
  });

  it('refuses a random initialiser without a generator, and says how to fix it', () => {
    expect(() => new nn.Dense(2, 2)).toThrow("dense: init.glorotUniform draws random numbers and needs a seeded Generator: pass { rng } in the layer's options");
  });

  it('rejects an unknown activation, listing the known ones', () => {
    expect(() => new nn.Dense(2, 2, { rng: rng(), activation: 'swish' as nn.ActivationName })).toThrow(/dense: unknown activation 'swish' \(choose one of linear, sigmoid/);
  });

  it('gradients of a float64 two-layer net pass the numeric check', () => {
    const model = xorNet('float64');
    const x = randomNormal([3, 2], new Generator(5), 0, 1, 'float64');
    const params = model.parameters();
    assertGradients('xor net', (...ps) => {
      params.forEach((p, i) => p.data.set(ps[i].data));
      // Rebuild the forward pass from the checked leaves.
      const h = x.matmul(ps[0]).add(ps[1]).sigmoid();
      return h.matmul(ps[2]).add(ps[3]).sigmoid().sum();
    }, params.map((p) => p.clone()));
  });
});

describe('Dropout', () => {
  it.each([0.1, 0.5, 0.9])('at rate %f keeps the expectation: the mean of many masked ones is 1', (rate) => {
    const layer = new nn.Dropout(rate, { rng: new Generator(11) });
    const y = layer.forward(tensor(new Float64Array(200_000).fill(1), 'float64'));
    const mean = y.mean().item();
    const zeroShare = Array.from(y.data).filter((v) => v === 0).length / y.size;
    // Each masked value has mean 1 and variance rate / (1 − rate): allow 4 standard errors.
    expect(Math.abs(mean - 1)).toBeLessThan(4 * Math.sqrt(rate / (1 - rate) / y.size));
    expect(zeroShare).toBeCloseTo(rate, 2);
    expect(y.max().item()).toBeCloseTo(1 / (1 - rate), 6);
  });

  it('passes x through unchanged in eval mode and at rate 0', () => {
    const x = tensor([[1, 2], [3, 4]]);
    const layer = new nn.Dropout(0.5, { rng: rng() }).eval();
    expect(layer.forward(x).toArray()).toEqual(x.toArray());
    expect(new nn.Dropout(0).forward(x).toArray()).toEqual(x.toArray());
  });

  it('rejects rates outside [0, 1) and training without a generator', () => {
    expect(() => new nn.Dropout(1)).toThrow('dropout: rate must be in [0, 1), got 1');
    expect(() => new nn.Dropout(0.5, { name: 'drop' }).forward(zeros([2, 2]))).toThrow("dropout 'drop': needs a seeded Generator");
  });

  it('gradients flow only through kept units, scaled by 1/(1 − rate)', () => {
    const x = tensor(new Float64Array(100).fill(1), 'float64').requireGrad();
    const y = new nn.Dropout(0.25, { rng: rng() }).forward(x);
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual(Array.from(y.data));
  });
});

describe('Residual and Highway', () => {
  it('Residual computes x + f(x) and checks that f keeps the shape', () => {
    const body = new nn.Dense(2, 2, { weightInit: nn.init.constant(1) });
    const y = noGrad(() => new nn.Residual(body).forward(tensor([[1, 2]])));
    expect(y.toArray()).toEqual([[4, 5]]);
    const bad = new nn.Residual(new nn.Dense(2, 3, { rng: rng() }), { name: 'block' });
    expect(() => bad.forward(zeros([4, 2]))).toThrow("residual 'block': its body maps [4, 2] to [4, 3]; x + f(x) needs the same shape");
  });

  it('Highway computes T·f(x) + (1 − T)·x with the gate starting at sigmoid(−1)', () => {
    const layer = new nn.Highway(2, { activation: 'tanh', weightInit: nn.init.constant(0.5) });
    const x = tensor([[0.2, -0.4]], 'float32');
    const y = noGrad(() => layer.forward(x));
    const z = 0.5 * (0.2 - 0.4);
    const t = 1 / (1 + Math.exp(-(z - 1)));
    const f = Math.tanh(z);
    expect(Array.from(y.data)).toEqual([t * f + (1 - t) * 0.2, t * f + (1 - t) * -0.4].map(Math.fround));
    expect(layer.namedParameters().map(([n]) => n)).toEqual(['transform.weight', 'transform.bias', 'gate.weight', 'gate.bias']);
  });

  it('gradients through a float64 highway layer pass the numeric check', () => {
    const layer = new nn.Highway(3, { rng: rng(), dtype: 'float64', activation: 'tanh' });
    const x = randomNormal([2, 3], new Generator(8), 0, 1, 'float64');
    assertGradients('highway', (input) => layer.forward(input).square().sum(), [x]);
  });
});

describe('PReLU', () => {
  it('learns its slope: the gradient of alpha is Σ x·dy over negative inputs', () => {
    const layer = new nn.PReLU({ numParameters: 2, dtype: 'float64' });
    const x = tensor([[-1, 2], [-3, -4]], 'float64');
    layer.forward(x).sum().backward();
    expect(Array.from(layer.alpha.grad!.data)).toEqual([-4, -4]);
  });

  it('checks the number of slopes against the input width', () => {
    expect(() => new nn.PReLU({ numParameters: 3 }).forward(zeros([2, 2]))).toThrow('prelu: has 3 slopes but the input\'s last axis has 2 units (input [2, 2])');
  });
});

describe('init', () => {
  const context = { rng: new Generator(4), dtype: 'float64' as const, owner: 'test' };
  it('glorotUniform stays within √(6 / (fanIn + fanOut))', () => {
    const w = nn.init.glorotUniform()([30, 20], context);
    expect(Math.max(...Array.from(w.data, Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 50));
  });
  it('normal(0, 0.3) has std 0.3 and heNormal has std √(2 / fanIn)', () => {
    const std = (t: Tensor) => Math.sqrt(t.square().mean().item() - t.mean().item() ** 2);
    expect(std(nn.init.normal(0, 0.3)([200, 100], context))).toBeCloseTo(0.3, 2);
    expect(std(nn.init.heNormal()([200, 100], context))).toBeCloseTo(Math.sqrt(2 / 200), 2);
  });
});

describe('losses', () => {
  const p = tensor([[0.9], [0.2]], 'float64');
  const t = tensor([[1], [0]], 'float64');

  it('mseLoss is the mean of squared differences; sum and none reduce differently', () => {
    expect(nn.mseLoss(p, t).item()).toBeCloseTo((0.01 + 0.04) / 2, 12);
    expect(nn.mseLoss(p, t, { reduction: 'sum' }).item()).toBeCloseTo(0.05, 12);
    expect(nn.mseLoss(p, t, { reduction: 'none' }).shape).toEqual([2, 1]);
  });

  it('refuses to broadcast predictions [4, 1] against targets [4]', () => {
    expect(() => nn.mseLoss(zeros([4, 1]), zeros([4]))).toThrow('mseLoss: predictions [4, 1] and targets [4] must have the same shape');
  });

  it('bceLoss at p = 0 and 1 is finite: each log term is floored at −100', () => {
    const loss = nn.bceLoss(tensor([0, 1], 'float64'), tensor([1, 0], 'float64'), { reduction: 'none' });
    expect(Array.from(loss.data)).toEqual([100, 100]);
    const q = tensor([0, 1], 'float64').requireGrad();
    nn.bceLoss(q, tensor([1, 0], 'float64')).backward();
    expect(Array.from(q.grad!.data).every(Number.isFinite)).toBe(true);
  });

  it('bceWithLogitsLoss equals bceLoss of sigmoid(z) where both are finite', () => {
    const z = tensor([[-3], [0.5]], 'float64');
    expect(nn.bceWithLogitsLoss(z, t).item()).toBeCloseTo(nn.bceLoss(z.sigmoid(), t).item(), 12);
  });

  it('crossEntropyLoss gives the same value for class indices and one-hot targets', () => {
    const logits = tensor([[1, 2, 0.5], [0.1, -1, 3]], 'float64');
    const a = nn.crossEntropyLoss(logits, [1, 2]).item();
    const b = nn.crossEntropyLoss(logits, tensor([[0, 1, 0], [0, 0, 1]], 'float64')).item();
    expect(a).toBeCloseTo(b, 12);
    expect(nn.crossEntropyLoss(logits, [1, 2], { reduction: 'none' }).shape).toEqual([2]);
  });

  it('crossEntropyLoss of four equal logits is ln 4 (the chapter decoder\'s starting error)', () => {
    expect(nn.crossEntropyLoss(zeros([4, 4]), [0, 1, 2, 3]).item()).toBeCloseTo(Math.log(4), 6);
  });

  it('crossEntropyLoss names a bad class index', () => {
    expect(() => nn.crossEntropyLoss(zeros([2, 3]), [0, 3])).toThrow('crossEntropyLoss: target 3 at row 1 is not a class index in [0, 2]');
    expect(() => nn.crossEntropyLoss(zeros([2, 3]), [0])).toThrow('crossEntropyLoss: expected 2 class indices (one per row of logits [2, 3]), got 1 indices');
  });

  it('loss gradients pass the numeric check', () => {
    const logits = randomNormal([3, 4], new Generator(2), 0, 1, 'float64');
    assertGradients('crossEntropyLoss', (z) => nn.crossEntropyLoss(z, [0, 3, 1]), [logits]);
    assertGradients('mseLoss', (y) => nn.mseLoss(y, t), [p]);
    assertGradients('bceLoss', (y) => nn.bceLoss(y, t), [p]);
  });
});

describe('Dense with ReLU on a NaN input: NaN is never hidden (fused epilogue and its gradient, JS and wasm paths)', () => {
  const cases = [
    ['float32', 4, 2, 3, 'the tiny JS product'],
    ['float32', 64, 16, 16, 'the wasm product and wasm gradient rows'],
    ['float64', 8, 4, 5, 'the float64 JS product'],
  ] as const;
  for (const [dtype, n, k, m, path] of cases) {
    it(`${dtype} [${n}, ${k}] → ${m} (${path}): the row with a NaN is NaN, as relu(x·W + b) unfused, and gradients agree bit for bit`, () => {
      const rng = new Generator(31);
      const dense = new nn.Dense(k, m, { activation: 'relu', rng, dtype });
      const x = randomNormal([n, k], rng, 0, 1, dtype);
      x.data[1] = NaN; // row 0
      const fused = dense.forward(x);
      const unfused = x.matmul(dense.weight).add(dense.bias!).relu();
      expect(Array.from(fused.data)).toEqual(Array.from(unfused.data));
      expect(Array.from(fused.data.subarray(0, m)).every(Number.isNaN)).toBe(true);
      expect(Array.from(fused.data.subarray(m)).some(Number.isNaN)).toBe(false);
      const gradsOf = (y: Tensor): number[][] => {
        for (const p of dense.parameters()) p.grad = null;
        y.mul(randomNormal(y.shape, new Generator(32), 0, 1, dtype)).sum().backward();
        return dense.parameters().map((p) => Array.from(p.grad!.data));
      };
      expect(gradsOf(dense.forward(x))).toEqual(gradsOf(x.matmul(dense.weight).add(dense.bias!).relu()));
      // relu passes dy where y is NaN (PyTorch), so the NaN input feature's weights get NaN
      // gradients (row 1 of dW = xᵀ·dz) and the bias a finite one.
      const [dw, db] = gradsOf(dense.forward(x));
      expect(dw.slice(m, 2 * m).every(Number.isNaN)).toBe(true);
      expect(db.some(Number.isNaN)).toBe(false);
    });
  }
});
