/**
 * The NaN/Infinity edges settled against PyTorch (pow at base ±1, max/min over a row holding
 * NaN, binary cross entropy with logits at z = ±∞) hold in eager steps and in captured steps
 * (compiled and closures), since all three run the op's one definition (max and min have no
 * buffer kernel, so a capture refuses them and they are checked eager only): one SGD step (lr 1)
 * each, the loss and the updated parameters checked value by value and bit for bit across modes.
 */
import { describe, expect, it } from 'vitest';
import { CaptureRefusedError, captureStep, optim, tensor } from '../packages/nnlab/src/index.js';
import type { CaptureMode, Tensor } from '../packages/nnlab/src/index.js';
import { binaryCrossEntropyWithLogits } from '../packages/nnlab/src/ops/losses.js';

const MODES: readonly (CaptureMode | 'plain eager')[] = ['plain eager', 'compiled', 'closures', 'eager'];

/** One SGD step (lr 1) from these parameter values, in `mode`: the loss and the parameters after. */
function oneStep(mode: CaptureMode | 'plain eager', start: number[][], loss: (p: Tensor[], i: Record<string, Tensor>) => Tensor, inputs: Record<string, Tensor>) {
  const params = start.map((values) => tensor(values, 'float64').requireGrad());
  const opt = new optim.SGD(params, { lr: 1 });
  const f = (i: Record<string, Tensor>): Tensor => loss(params, i);
  let value: number;
  if (mode === 'plain eager') {
    opt.zeroGrad();
    const l = f(inputs);
    l.backward();
    opt.step();
    value = l.item();
  } else {
    value = captureStep({ loss: f, optimizer: opt, inputs, mode }).run();
  }
  return { loss: value, params: params.map((p) => [...p.data]) };
}

function expectInEveryMode(start: number[][], loss: (p: Tensor[], i: Record<string, Tensor>) => Tensor, inputs: Record<string, Tensor>, want: { loss: number; params: number[][] }, modes = MODES): void {
  for (const mode of modes) {
    const got = oneStep(mode, start, loss, inputs);
    expect(got.loss, mode).toBe(want.loss);
    // toEqual on numbers compares with Object.is: NaN matches NaN, −0 does not match 0.
    expect(got.params, mode).toEqual(want.params);
  }
}

describe('edge semantics in eager and captured steps', () => {
  it('pow: (±1)^(±∞) and 1^NaN are 1 (IEEE 754), base gradient b·a^(b−1) is ±∞, exponent gradient at base 1 is 0', () => {
    const base = [1, 1, -1, -1, 1, 2];
    const exponent = [Infinity, -Infinity, Infinity, -Infinity, NaN, 3];
    const loss = ([a, b]: Tensor[]): Tensor => a.pow(b).sum();
    expectInEveryMode([base, exponent], loss, {}, {
      loss: 1 + 1 + 1 + 1 + 1 + 8,
      params: [
        // a − b·a^(b−1): 1 − ∞, 1 + ∞, −1 − ∞, −1 + ∞, NaN (b is NaN), 2 − 3·4
        [-Infinity, Infinity, -Infinity, Infinity, NaN, -10],
        // b − a^b·ln a: ln 1 = 0 leaves b; ln(−1) is NaN; 3 − 8·ln 2
        [Infinity, -Infinity, NaN, NaN, NaN, 3 - 8 * Math.log(2)],
      ],
    });
  });

  // max and min have no buffer kernel (a capture refuses them), so their edge is an eager one.
  it('max and min along an axis: a row holding NaN gives NaN to every element of that row, other rows as before', () => {
    const x = [[1, NaN, 3], [4, 6, 5]];
    for (const which of ['max', 'min'] as const) {
      const loss = ([p]: Tensor[]): Tensor => p[which](1).sum();
      const moved = which === 'max' ? [4, 5, 5] : [3, 6, 5];
      expectInEveryMode([x.flat()], (p) => loss([p[0].reshape([2, 3])]), {}, {
        loss: NaN,
        params: [[NaN, NaN, NaN, ...moved]],
      }, ['plain eager']);
      expect(() => oneStep('compiled', [x.flat()], (p) => loss([p[0].reshape([2, 3])]), {})).toThrow(CaptureRefusedError);
    }
  });

  it('binaryCrossEntropyWithLogits at z = ±∞ is the limit |z|·(z > 0 ? 1 − t : t): 0 or +∞, never NaN', () => {
    const loss = (p: Tensor[], i: Record<string, Tensor>): Tensor => binaryCrossEntropyWithLogits(p[0], i.t).sum();
    // Limits 0 (z = +∞, t = 1 and z = −∞, t = 0) beside ln 2 at z = 0; gradient σ(z) − t: 0, 0, −0.5.
    expectInEveryMode([[Infinity, -Infinity, 0]], loss, { t: tensor([1, 0, 1], 'float64') }, { loss: Math.log(2), params: [[Infinity, -Infinity, 0.5]] });
    // Limits +∞ on both sides (t = 0.3); gradient −0.3 and 0.7 leave the infinite z where they are.
    expectInEveryMode([[-Infinity, Infinity]], loss, { t: tensor([0.3, 0.3], 'float64') }, { loss: Infinity, params: [[-Infinity, Infinity]] });
  });
});
