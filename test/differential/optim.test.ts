/**
 * Every optimiser, schedule and clipping function against PyTorch (fixtures/optim.json), in
 * float64: the parameters after each step from the recorded gradients, to rounding. Where nnlab
 * documents a form PyTorch does not use (Keras's RMSProp, Sutskever's momentum, Keras's global
 * Adam step), the fixture carries that form too, and the tests show which one nnlab follows.
 */
import { describe, expect, it } from 'vitest';
import { optim, tensor } from '../../packages/nnlab/src/index.js';
import type { Tensor } from '../../packages/nnlab/src/index.js';
import { decode, decodeAll, largestRelativeError, loadFixture, mismatches, toTensor } from './fixtures.js';
import type { EncodedTensor } from './fixtures.js';
import { makeOptimizer } from './optimisers.js';
import type { GroupSpec, OptimizerKind, ScheduleSpec } from './optimisers.js';

interface TrajectoryCase {
  kind: 'trajectory';
  name: string;
  optimizer: OptimizerKind;
  options: Record<string, number | boolean>;
  schedule: ScheduleSpec | null;
  groups: GroupSpec | null;
  params: EncodedTensor[];
  /** Per step, per parameter, its gradient (null: none that step). */
  grads: (EncodedTensor | null)[][];
  /** PyTorch's learning rate at each step. */
  lrs: number[];
  /** Per step, every parameter after it. */
  expected: EncodedTensor[][];
  /** The same steps under a form nnlab does not follow by default, computed by hand. */
  alternatives: Record<string, EncodedTensor[][]>;
}

interface ClipCase {
  kind: 'clip';
  name: string;
  how: 'norm' | 'value';
  limit: number;
  grads: (EncodedTensor | null)[];
  clipped: (EncodedTensor | null)[];
  norm: number | string | null;
}

const fixture = loadFixture<TrajectoryCase | ClipCase>('optim.json');
const trajectories = fixture.cases.filter((c): c is TrajectoryCase => c.kind === 'trajectory');
const clips = fixture.cases.filter((c): c is ClipCase => c.kind === 'clip');

interface Run {
  /** nnlab's learning rate at each step. */
  lrs: number[];
  /** Per step, every parameter's values after it. */
  steps: Float64Array[][];
}

/** nnlab over the case's gradients, with `extra` options on top of the case's. */
function run(c: TrajectoryCase, extra: Record<string, unknown> = {}): Run {
  const params = c.params.map((p) => toTensor(p).requireGrad());
  const optimizer = makeOptimizer(c.optimizer, params, { ...c.options, ...extra }, c.schedule, c.groups);
  const result: Run = { lrs: [], steps: [] };
  for (const grads of c.grads) {
    params.forEach((p, i) => (p.grad = grads[i] === null ? null : toTensor(grads[i] as EncodedTensor)));
    result.lrs.push(optimizer.learningRate());
    optimizer.step();
    result.steps.push(params.map((p) => Float64Array.from(p.data)));
  }
  return result;
}

/** Every element, step and parameter where `steps` misses `expected` (readable lines). */
function trajectoryMismatches(steps: Float64Array[][], expected: EncodedTensor[][]): string[] {
  return expected.flatMap((after, k) =>
    after.flatMap((p, i) => mismatches(steps[k][i], decodeAll(p.values)).map((line) => `step ${k + 1}, parameter ${i} ${line}`)),
  );
}

function largestDifference(steps: Float64Array[][], expected: EncodedTensor[][]): number {
  return Math.max(...expected.flatMap((after, k) => after.map((p, i) => largestRelativeError(steps[k][i], decodeAll(p.values)))));
}

describe(`optimisers against PyTorch ${fixture.torch} (float64, ${trajectories.length} runs of ${trajectories[0].grads.length} steps)`, () => {
  it('covers every optimiser nnlab exports', () => {
    const exported = Object.entries(optim).filter(([, value]) => typeof value === 'function' && value.prototype instanceof optim.Optimizer);
    expect(exported.map(([name]) => name).filter((name) => !trajectories.some((c) => c.optimizer === name))).toEqual([]);
  });

  for (const c of trajectories) {
    it(c.name, () => {
      const { lrs, steps } = run(c);
      expect(mismatches(lrs, c.lrs)).toEqual([]);
      expect(trajectoryMismatches(steps, c.expected)).toEqual([]);
    });
  }

  const withAlternative = (name: string): TrajectoryCase => {
    const found = trajectories.find((c) => c.alternatives[name] !== undefined);
    if (found === undefined) throw new Error(`no case carries the alternative '${name}'`);
    return found;
  };

  it("momentum is PyTorch's a ← m·a + g; θ ← θ − lr·a, which leaves Sutskever's θ ← θ + (m·v − lr·g) when lr changes", () => {
    const c = withAlternative('sutskever');
    const { steps } = run(c);
    expect(trajectoryMismatches(steps, c.expected)).toEqual([]);
    // The two forms agree until the first drop of the learning rate (step 3), then part.
    expect(trajectoryMismatches(steps.slice(0, 3), c.alternatives.sutskever.slice(0, 3))).toEqual([]);
    expect(largestDifference(steps, c.alternatives.sutskever)).toBeGreaterThan(1e-3);
  });

  it('RMSProp divides by √v + ε (PyTorch); with epsilonInside, by √(v + ε) (Keras, TF, TF.js)', () => {
    const c = withAlternative('epsilonInside');
    const outside = run(c);
    const inside = run(c, { epsilonInside: true });
    expect(trajectoryMismatches(outside.steps, c.expected)).toEqual([]);
    expect(trajectoryMismatches(inside.steps, c.alternatives.epsilonInside)).toEqual([]);
    // For gradients near 1e-4 the first steps differ by several times (up to 10× as |g| → √ε).
    const first = (steps: Float64Array[][]): number => Math.abs(steps[0][0][0] - decode(c.params[0].values[0]));
    expect(first(outside.steps) / first(inside.steps)).toBeGreaterThan(2);
  });

  it("Adam's bias correction counts each parameter's own updates (PyTorch), not the optimiser's steps (Keras)", () => {
    const c = withAlternative('globalStep');
    const { steps } = run(c);
    expect(trajectoryMismatches(steps, c.expected)).toEqual([]);
    // The parameter that joins at step 6 moves about twice as far on its first step as Keras's would.
    const start = decode(c.params[1].values[0]);
    const ours = Math.abs(steps[5][1][0] - start);
    const keras = Math.abs(decode(c.alternatives.globalStep[5][1].values[0]) - start);
    expect(ours / keras).toBeGreaterThan(1.8);
  });
});

describe(`clipping against PyTorch ${fixture.torch}`, () => {
  /** Float64 parameters holding the case's gradients (a parameter of shape [2] where there is none). */
  const paramsOf = (c: ClipCase): Tensor[] =>
    c.grads.map((g) => {
      const p = tensor([0, 0], 'float64').requireGrad();
      if (g !== null) {
        const grad = toTensor(g);
        const q = grad.zerosLike().requireGrad();
        q.grad = grad;
        return q;
      }
      return p;
    });

  for (const c of clips.filter((c) => c.how === 'value')) {
    it(`${c.name}: as clip_grad_value_`, () => {
      const params = paramsOf(c);
      optim.clipGradValue(params, c.limit);
      c.clipped.forEach((expected, i) => {
        if (expected === null) return expect(params[i].grad).toBeNull();
        expect(mismatches((params[i].grad as Tensor).data, decodeAll(expected.values))).toEqual([]);
      });
    });
  }

  for (const c of clips.filter((c) => c.how === 'norm')) {
    it(`${c.name}: the same norm; nnlab scales by maxNorm/norm where PyTorch scales by maxNorm/(norm + 1e-6)`, () => {
      const params = paramsOf(c);
      const before = params.map((p) => (p.grad === null ? null : Float64Array.from(p.grad.data)));
      const norm = optim.clipGradNorm(params, c.limit);
      const torchNorm = decode(c.norm as number);
      expect(mismatches([norm], [torchNorm])).toEqual([]);
      c.clipped.forEach((expected, i) => {
        if (expected === null) return expect(params[i].grad).toBeNull();
        const ours = (params[i].grad as Tensor).data;
        const theirs = decodeAll(expected.values);
        if (!Number.isFinite(norm)) {
          // A non-finite norm: nnlab leaves the gradients for the caller to see; PyTorch scales
          // by maxNorm/Infinity = 0, which turns Infinity into NaN and the rest into 0.
          expect(Array.from(ours)).toEqual(Array.from(before[i] as Float64Array));
          expect(theirs.some((v, k) => v !== ours[k] && !(Number.isNaN(v) && Number.isNaN(ours[k])))).toBe(true);
          return;
        }
        // PyTorch's clip coefficient min(1, maxNorm/(norm + 1e-6)) against nnlab's min(1, maxNorm/norm).
        const torchScale = Math.min(1, c.limit / (norm + 1e-6));
        const ourScale = norm > c.limit ? c.limit / norm : 1;
        expect(mismatches(ours, theirs.map((v) => (v / torchScale) * ourScale))).toEqual([]);
      });
    });
  }

  it('the +1e-6 matters only for tiny norms: 1e-7 relative at norm 7, 13% at norm 7e-6', () => {
    const ratio = (name: string): number => {
      const c = clips.find((k) => k.name.startsWith(name)) as ClipCase;
      const norm = decode(c.norm as number);
      return (c.limit / norm) / (c.limit / (norm + 1e-6)) - 1;
    };
    expect(ratio('clipGradNorm to 1 of a norm near 7')).toBeLessThan(2e-7);
    expect(ratio('clipGradNorm to 1e-6 of tiny gradients')).toBeGreaterThan(0.1);
  });
});
