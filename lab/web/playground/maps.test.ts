import { describe, expect, it } from 'vitest';
import { grid2d, noGrad } from 'nnlab';
import type { Tensor } from 'nnlab';
import { generateDataset } from './datasets.js';
import { probabilities } from './spec.js';
import type { LayerSpec, NetworkSpec } from './spec.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { PlaygroundModel, domainOf } from './trainer.js';
import type { Maps } from './trainer.js';
import { mapsBuffer } from './protocol.js';
import { PlaygroundSession } from './worker.js';

const spiral = generateDataset({ name: 'spiral', count: 120, noise: 0.01, classes: 3, testFraction: 0.2 }, 1);
const circle = generateDataset({ name: 'circle', count: 120, noise: 0.01, classes: 2, testFraction: 0 }, 1);
const unit = (units: number, activation: LayerSpec['activation'], dropout = 0): LayerSpec => ({ units, activation, dropout });
const relu6 = Array.from({ length: 6 }, () => unit(8, 'relu'));

/** The maps as the playground computed them before its fast path: each block's forward, column by column. */
function referenceMaps(trainer: PlaygroundModel, resolution: number): Maps {
  const columns = (x: Tensor): Float32Array[] =>
    Array.from({ length: x.shape[1] }, (_, j) => Float32Array.from({ length: x.shape[0] }, (_, i) => x.data[i * x.shape[1] + j]));
  return noGrad(() => {
    trainer.model.eval();
    let h = grid2d({ resolution });
    const layers = trainer.network.layers;
    const hidden = layers.slice(0, -1).map((layer, i) => {
      h = layer.block.forward(h);
      return columns(h).map((values) => ({ values, domain: domainOf(trainer.spec.hidden[i].activation, values) }));
    });
    return { resolution, output: columns(probabilities(trainer.spec, layers[layers.length - 1].block.forward(h))), hidden };
  });
}

/**
 * The same maps up to float rounding: every value within 1e-6 of the reference's, relative to
 * the larger of 1 and its size (float32 keeps ~7 digits; a few roundings apart stay well inside),
 * NaN where it is NaN, and the same colour domains likewise.
 */
function expectMapsClose(actual: Maps, expected: Maps): void {
  const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
    expect(a.length, what).toBe(b.length);
    for (let i = 0; i < b.length; i++) {
      if (Number.isNaN(b[i]) || !Number.isFinite(b[i])) expect(a[i], `${what}[${i}]`).toBe(b[i]);
      else if (!(Math.abs(a[i] - b[i]) <= 1e-6 * Math.max(1, Math.abs(b[i])))) expect.fail(`${what}[${i}]: ${a[i]}, expected ${b[i]}`);
    }
  };
  expect(actual.resolution).toBe(expected.resolution);
  expect(actual.output.length).toBe(expected.output.length);
  actual.output.forEach((values, j) => close(values, expected.output[j], `output[${j}]`));
  expect(actual.hidden.map((layer) => layer.length)).toEqual(expected.hidden.map((layer) => layer.length));
  actual.hidden.forEach((layer, i) =>
    layer.forEach((map, j) => {
      close(map.values, expected.hidden[i][j].values, `hidden[${i}][${j}]`);
      close(map.domain, expected.hidden[i][j].domain, `hidden[${i}][${j}].domain`);
    }),
  );
}

describe('PlaygroundModel.maps(resolution)', () => {
  const cases: [string, NetworkSpec, typeof spiral][] = [
    ['the largest (6 × 8 ReLU, softmax over 3 classes)', { hidden: relu6, skip: 'none', loss: 'softmax', classes: 3 }, spiral],
    ['the default shape (4 and 2 tanh, squared error)', { hidden: [unit(4, 'tanh'), unit(2, 'tanh')], skip: 'none', loss: 'mse', classes: 2 }, circle],
    ['sigmoid and linear units with dropout, BCE', { hidden: [unit(5, 'sigmoid', 0.3), unit(3, 'linear')], skip: 'none', loss: 'bce', classes: 2 }, circle],
    ['no hidden layer', { hidden: [], skip: 'none', loss: 'softmax', classes: 3 }, spiral],
    ['residual layers and PReLU (the modules path)', { hidden: [unit(2, 'tanh'), unit(2, 'prelu')], skip: 'residual', loss: 'bce', classes: 2 }, circle],
    ['leaky ReLU (the modules path)', { hidden: [unit(3, 'leakyRelu')], skip: 'none', loss: 'bce', classes: 2 }, circle],
  ];

  // NOTE: close, not bit for bit. The fast path evaluates each layer transposed (one row per
  // unit) with the bias as the last term of the product, and takes softmax with one exp per
  // value instead of the op's two: the same arithmetic up to float rounding, and the bits of
  // forward only where both run gemm's wasm kernel (the next test), not where forward's
  // product is small enough for the JS kernel, which sums in double.
  it.each(cases)('gives the numbers of each block\'s forward for %s, after training, at two resolutions', (_, spec, points) => {
    const trainer = new PlaygroundModel(spec, points, { ...DEFAULT_SETTINGS, learningRate: 0.1 }, 3);
    trainer.train(3);
    for (const resolution of [100, 7, 100]) {
      expectMapsClose(trainer.maps(resolution), referenceMaps(trainer, resolution));
    }
    trainer.train(1); // nothing is kept stale from one call to the next
    expectMapsClose(trainer.maps(100), referenceMaps(trainer, 100));
  });

  it('gives the bits of forward for the hidden maps where both run the wasm kernel (the largest network, 100 × 100)', () => {
    const trainer = new PlaygroundModel({ hidden: relu6, skip: 'none', loss: 'softmax', classes: 3 }, spiral, { ...DEFAULT_SETTINGS, learningRate: 0.1 }, 3);
    trainer.train(3);
    const [maps, reference] = [trainer.maps(100), referenceMaps(trainer, 100)];
    maps.hidden.forEach((layer, i) =>
      layer.forEach((map, j) => {
        // The bits, compared as bytes (−0 is not 0): a failing toEqual on 480,000 values takes minutes to print.
        const [a, b] = [map.values, reference.hidden[i][j].values].map((v) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
        const differs = a.findIndex((byte, at) => byte !== b[at]);
        if (differs >= 0) expect.fail(`hidden[${i}][${j}][${differs >> 2}]: ${map.values[differs >> 2]}, expected ${reference.hidden[i][j].values[differs >> 2]}`);
        expect(map.domain).toEqual(reference.hidden[i][j].domain);
      }),
    );
  });

  it('returns fresh arrays each call (the worker transfers them to the page)', () => {
    const trainer = new PlaygroundModel({ hidden: relu6, skip: 'none', loss: 'softmax', classes: 3 }, spiral, DEFAULT_SETTINGS, 1);
    const [a, b] = [trainer.maps(20), trainer.maps(20)];
    expect(a.hidden[0][0].values).not.toBe(b.hidden[0][0].values);
    expect(a.output[0].buffer).not.toBe(b.output[0].buffer);
    expect(a).toEqual(b);
  });

  it('writes into a buffer the page handed back (recycle), the same maps as into a fresh one; a buffer of another size is not used', () => {
    const trainer = new PlaygroundModel({ hidden: relu6, skip: 'none', loss: 'softmax', classes: 3 }, spiral, DEFAULT_SETTINGS, 1);
    const fresh = trainer.maps(20);
    const old = trainer.maps(20);
    const buffer = mapsBuffer(old)!;
    expect(buffer).not.toBeNull();
    new Float32Array(buffer).fill(NaN); // what the page left there does not matter
    trainer.recycle(buffer);
    const reused = trainer.maps(20);
    expect(mapsBuffer(reused)).toBe(buffer);
    expect(reused).toEqual(fresh);
    expect(mapsBuffer(trainer.maps(20))).not.toBe(buffer); // used once, then fresh again
    trainer.recycle(new ArrayBuffer(64));
    const other = trainer.maps(20);
    expect(mapsBuffer(other)!.byteLength).toBe(buffer.byteLength);
    expect(other).toEqual(fresh);
  });

  it('maps of networks the fast path does not evaluate are separate arrays: nothing to recycle', () => {
    const trainer = new PlaygroundModel({ hidden: [unit(4, 'relu'), unit(4, 'relu')], skip: 'residual', loss: 'bce', classes: 2 }, circle, DEFAULT_SETTINGS, 1);
    expect(mapsBuffer(trainer.maps(10))).toBeNull();
  });
});

describe('the worker session', () => {
  it('takes recycle before any init without failing, and gives no reply', () => {
    expect(new PlaygroundSession().handle({ run: 1, type: 'recycle', buffer: new ArrayBuffer(16) })).toEqual([]);
  });
});
