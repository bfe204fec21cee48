/**
 * Extra theory: backpropagation on a small network and one input. The forward values of every
 * unit, the backward pass edge by edge (nnlab's autodiff beside the chain rule done by hand),
 * and a central-difference check of every parameter's gradient.
 */
import { initStdOption, parametersOf } from './common.js';
import { ACTIVATIONS, analyse, errorByStep, walkedGradients, type Activation, type Analysis, type NetworkSpec } from './backprop/network.js';
import type { ConfigOf, Experiment, FigureRecord, Panel } from './types.js';
import { numberItem, tableItem } from './items.js';

const schema = {
  hidden: { type: 'integer', default: 2, min: 1, max: 6, help: 'hidden units (the chapter: 2)' },
  activation: { type: 'choice', default: 'sigmoid', choices: ACTIVATIONS, help: "the hidden units' activation (the output unit is a sigmoid)" },
  x0: { type: 'number', default: 1, min: -10, max: 10, help: 'the input x0' },
  x1: { type: 'number', default: 0.5, min: -10, max: 10, help: 'the input x1' },
  target: { type: 'number', default: 1, min: -10, max: 10, help: 'the target t of the squared error (y − t)²' },
  // The chapter's normal(0, 0.3) weights and zero biases.
  initStd: initStdOption,
  h: { type: 'number', default: 1e-6, min: 1e-12, max: 0.1, help: 'the central-difference step: (L(θ + h) − L(θ − h)) / 2h' },
} as const;

type BackpropConfig = ConfigOf<typeof schema>;

export function specOf(config: BackpropConfig): NetworkSpec {
  return {
    hidden: config.hidden,
    activation: config.activation as Activation,
    inputs: [config.x0, config.x1],
    target: config.target,
    initStd: config.initStd,
  };
}

/**
 * The steps h of the error-versus-step panel: 10⁻¹ … 10⁻¹², read from decimal text (correctly
 * rounded in every engine; `10 ** -4` is 0.00009999999999999999 in Node 20 and engines differ).
 */
const STEPS = Array.from({ length: 12 }, (_, k) => Number(`1e-${k + 1}`));

function checkFigure(a: Analysis, spec: NetworkSpec, seed: number, h: number): FigureRecord {
  const step = h.toExponential();
  const index = a.check.map((_, k) => k + 1);
  const errors = a.check.map((r) => r.relativeError);
  const byStep = errorByStep(spec, seed, STEPS);
  const gradients = a.check.flatMap((r) => [r.backprop, r.numeric]);
  const reach = Math.max(1e-3, ...gradients.map(Math.abs)) * 1.25;
  const values: Panel = {
    title: '∂L/∂θ: backprop (bars), numeric (dotted)',
    xLabel: 'parameter (gradient-check table row)',
    yLabel: '∂L/∂θ',
    xDomain: [0.5, a.check.length + 0.5],
    yDomain: [-reach, reach],
    series: [
      { label: 'backprop', x: index, y: a.check.map((r) => r.backprop), style: 'bars' },
      { label: `numeric (h = ${step})`, x: index, y: a.check.map((r) => r.numeric), style: 'dotted' },
    ],
  };
  const relative: Panel = {
    title: `relative error per parameter (h = ${step})`,
    xLabel: 'parameter (gradient-check table row)',
    yLabel: 'relative error',
    xDomain: [0.5, a.check.length + 0.5],
    yScale: 'log',
    series: [{ label: 'relative error', x: index, y: errors, style: 'bars' }],
  };
  const sweep: Panel = {
    title: 'largest relative error vs the step h',
    xLabel: 'h',
    yLabel: 'relative error',
    xDomain: [STEPS[STEPS.length - 1], STEPS[0]],
    xScale: 'log',
    yScale: 'log',
    series: [{ label: 'largest relative error', x: STEPS, y: byStep }],
  };
  return { kind: 'figure', name: 'gradient-check', title: 'Backprop against central differences', panels: [values, relative, sweep] };
}

export const backprop: Experiment<typeof schema> = {
  name: 'backprop',
  kind: 'walkthrough',
  sweepable: false,
  description: 'one input through the chapter’s 2-2-1 network: forward values, the backward pass edge by edge, a numeric check of every gradient',
  explanation:
    'The forward pass computes every unit’s net input z and activation a from the input up to the loss L = (y − t)². ' +
    'The backward pass then walks the same edges in reverse: each edge multiplies the gradient already known at its ' +
    'upper end (upstream) by its local derivative — f′(z) through a unit, the incoming activation for a weight, the ' +
    'weight itself for the unit below, 1 for a bias. Where a unit feeds several others (here the inputs) the ' +
    'contributions add up. The walked values equal nnlab’s autodiff to the last digits. The check nudges each ' +
    'parameter by ±h and takes (L(θ + h) − L(θ − h)) / 2h: the relative error to backprop is about 1e-8 or smaller. ' +
    'A wrong derivative would show up as an error near 1. The last panel shows why h = 1e-6: larger steps see the ' +
    'curvature of L, smaller ones lose digits to rounding. One honest disagreement: a ReLU exactly at its kink (try ' +
    '--activation relu --x0 0 --x1 0, where every z of the hidden units is 0) has backprop take relu′(0) = 0 while the ' +
    'central difference averages the two sides, 0.5, so its bias shows an error of 1.',
  schema,
  *run(config, seed) {
    yield { kind: 'start', experiment: 'backprop', config, seed };
    const spec = specOf(config);
    const a = analyse(spec, seed, config.h);
    yield checkFigure(a, spec, seed, config.h);
    const f = a.forward;
    const forward = [
      // An input has no net input: a⁰ = x.
      ...f.x.map((x, i) => ({ unit: `x${i}`, z: '—', a: x })),
      ...f.z1.map((z, j) => ({ unit: `h${j}`, z, a: f.a1[j] })),
      { unit: 'y', z: f.z2, a: f.y },
    ];
    // How far the hand-walked chain rule ends from nnlab's autodiff, over every node.
    const walked = walkedGradients(a.steps);
    const chainRuleDifference = Math.max(...a.steps.map((s) => Math.abs(walked.get(s.to)! - s.autodiff)));
    yield {
      kind: 'final',
      error: f.loss,
      predictions: [{ input: f.x, target: [spec.target], output: [f.y] }],
      parameters: parametersOf(a.model),
      extra: {
        largestRelativeError: numberItem(Math.max(...a.check.map((r) => r.relativeError))),
        largestChainRuleDifference: numberItem(chainRuleDifference),
        forward: tableItem(forward),
        backward: tableItem(a.steps.map((s) => ({ ...s }))),
        gradientCheck: tableItem(a.check.map((r) => ({ ...r }))),
      },
    };
  },
};
