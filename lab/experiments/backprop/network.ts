/**
 * The backprop experiment's arithmetic: a small dense network on one input, its forward values,
 * every node's gradient from nnlab's autodiff, the same gradients walked edge by edge with the
 * chain rule, and a central-difference check of every parameter. All in float64.
 *
 * Chapter notation: a_i^l = f^l(z_i^l), z_i^l = b_i^l + Σ_j w_ji^l a_j^{l−1}, a^0 = x. Nodes are
 * named by unit: x0 (an input), z(h0) and a(h0) (hidden unit 0), z(y) and a(y) (the output), L
 * (the loss); parameters as w(x0→h1) and b(h1).
 */
import { Generator, grad, linear, nn, noGrad, relu, sigmoid, tanh, tensor } from 'nnlab';
import type { Tensor } from 'nnlab';

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface NetworkSpec {
  hidden: number;
  /** The hidden units' activation; the output unit is a sigmoid, as in the chapter. */
  activation: Activation;
  inputs: [number, number];
  target: number;
  initStd: number;
}

/** The chapter's two-layer network in float64: weights ~ normal(0, initStd), zero biases. */
export function buildNetwork(spec: NetworkSpec, seed: number): nn.Sequential {
  const rng = new Generator(seed);
  const weightInit = nn.init.normal(0, spec.initStd);
  return new nn.Sequential({
    hidden: new nn.Dense(2, spec.hidden, { activation: spec.activation, weightInit, rng, dtype: 'float64' }),
    output: new nn.Dense(spec.hidden, 1, { activation: 'sigmoid', weightInit, rng, dtype: 'float64' }),
  });
}

const activate: Record<Activation, (z: Tensor) => Tensor> = { sigmoid, tanh, relu };

/** Squared error (y − t)²: the chapter's MSE on a single item with a single output. */
const lossOf = (y: Tensor, target: number) => y.sub(target).square().sum();

/**
 * The network as stages, each a function of the node it starts from, so that nnlab's autodiff
 * gives ∂L/∂(that node) by differentiating the rest of the network: grad(fromZ1)(z1) is ∂L/∂z1.
 */
function stages(spec: NetworkSpec) {
  const f = activate[spec.activation];
  const fromY = (y: Tensor) => lossOf(y, spec.target);
  const fromZ2 = (z2: Tensor) => fromY(sigmoid(z2));
  const fromA1 = (a1: Tensor, w2: Tensor, b2: Tensor) => fromZ2(linear(a1, w2, b2));
  const fromZ1 = (z1: Tensor, w2: Tensor, b2: Tensor) => fromA1(f(z1), w2, b2);
  const fromX = (x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) => fromZ1(linear(x, w1, b1), w2, b2);
  return { f, fromY, fromZ2, fromA1, fromZ1, fromX };
}

/** The four parameter tensors, [in, out] weights as nnlab's Dense holds them. */
export interface Weights {
  w1: Tensor;
  b1: Tensor;
  w2: Tensor;
  b2: Tensor;
}

function weightsOf(model: nn.Sequential): Weights {
  const hidden = model.get('hidden') as nn.Dense;
  const output = model.get('output') as nn.Dense;
  return { w1: hidden.weight.detach(), b1: hidden.bias!.detach(), w2: output.weight.detach(), b2: output.bias!.detach() };
}

export interface ForwardValues {
  x: number[];
  z1: number[];
  a1: number[];
  z2: number;
  y: number;
  loss: number;
}

function forwardValues(spec: NetworkSpec, p: Weights): ForwardValues {
  const s = stages(spec);
  return noGrad(() => {
    const x = tensor([spec.inputs], 'float64');
    const z1 = linear(x, p.w1, p.b1);
    const a1 = s.f(z1);
    const z2 = linear(a1, p.w2, p.b2);
    const y = sigmoid(z2);
    return { x: [...spec.inputs], z1: Array.from(z1.data), a1: Array.from(a1.data), z2: z2.data[0], y: y.data[0], loss: s.fromY(y).item() };
  });
}

/** A parameter element: nnlab's dotted name with its index, and the edge or unit it belongs to. */
export interface ParameterRef {
  parameter: string;
  symbol: string;
  value: number;
}

function parameterRefs(p: Weights, hidden: number): ParameterRef[] {
  const refs: ParameterRef[] = [];
  for (let i = 0; i < 2; i++) for (let j = 0; j < hidden; j++) refs.push({ parameter: `hidden.weight[${i}][${j}]`, symbol: `w(x${i}→h${j})`, value: p.w1.data[i * hidden + j] });
  for (let j = 0; j < hidden; j++) refs.push({ parameter: `hidden.bias[${j}]`, symbol: `b(h${j})`, value: p.b1.data[j] });
  for (let j = 0; j < hidden; j++) refs.push({ parameter: `output.weight[${j}][0]`, symbol: `w(h${j}→y)`, value: p.w2.data[j] });
  refs.push({ parameter: 'output.bias[0]', symbol: 'b(y)', value: p.b2.data[0] });
  return refs;
}

/** ∂L/∂node for every node, each from nnlab's autodiff of the network after that node. */
function autodiffGradients(spec: NetworkSpec, p: Weights, v: ForwardValues): Map<string, number> {
  const s = stages(spec);
  const row = (values: number[]) => tensor([values], 'float64');
  const [dY] = grad(s.fromY)(row([v.y]));
  const [dZ2] = grad(s.fromZ2)(row([v.z2]));
  const [dA1, dW2, dB2] = grad(s.fromA1)(row(v.a1), p.w2, p.b2);
  const [dZ1] = grad(s.fromZ1)(row(v.z1), p.w2, p.b2);
  const [dX, dW1, dB1] = grad(s.fromX)(row(v.x), p.w1, p.b1, p.w2, p.b2);
  const h = spec.hidden;
  const node = new Map<string, number>([['L', 1], ['a(y)', dY.data[0]], ['z(y)', dZ2.data[0]], ['b(y)', dB2.data[0]]]);
  for (let j = 0; j < h; j++) {
    node.set(`w(h${j}→y)`, dW2.data[j]);
    node.set(`a(h${j})`, dA1.data[j]);
    node.set(`z(h${j})`, dZ1.data[j]);
    node.set(`b(h${j})`, dB1.data[j]);
    for (let i = 0; i < 2; i++) node.set(`w(x${i}→h${j})`, dW1.data[i * h + j]);
  }
  for (let i = 0; i < 2; i++) node.set(`x${i}`, dX.data[i]);
  return node;
}

/**
 * The local derivatives the chain-rule walk multiplies by. The activations' derivatives come
 * from the saved output where they can (σ' = a(1 − a), tanh' = 1 − a²); relu'(0) = 0, as nnlab.
 */
export interface LocalDerivatives {
  /** ∂L/∂y of the loss (y − t)². */
  loss(y: number, target: number): number;
  /** ∂a/∂z of an activation at net input z with output a. */
  activation(kind: Activation, z: number, a: number): number;
}

export const CHAIN_RULE: LocalDerivatives = {
  loss: (y, target) => 2 * (y - target),
  activation: (kind, z, a) => (kind === 'sigmoid' ? a * (1 - a) : kind === 'tanh' ? 1 - a * a : z > 0 ? 1 : 0),
};

/** One edge of the backward pass: the gradient flows from `from` (known) to `to`. */
export interface BackwardStep {
  step: number;
  from: string;
  to: string;
  /** ∂from/∂to */
  localDerivative: number;
  /** ∂L/∂from, complete by now */
  upstream: number;
  /** localDerivative × upstream */
  contribution: number;
  /** ∂L/∂to summed over the edges walked so far */
  accumulated: number;
  /** ∂L/∂to from nnlab's autodiff: equal to `accumulated` once every edge into `to` is walked */
  autodiff: number;
}

/**
 * The backward pass edge by edge, output to input: each edge's local derivative times the
 * gradient already known at its upper end, summed where a node feeds several (the inputs).
 */
export function walkBackward(spec: NetworkSpec, p: Weights, v: ForwardValues, autodiff: ReadonlyMap<string, number>, d: LocalDerivatives = CHAIN_RULE): BackwardStep[] {
  const steps: BackwardStep[] = [];
  const known = new Map<string, number>([['L', 1]]);
  const edge = (from: string, to: string, localDerivative: number) => {
    const upstream = known.get(from)!;
    const contribution = localDerivative * upstream;
    const accumulated = (known.get(to) ?? 0) + contribution;
    known.set(to, accumulated);
    steps.push({ step: steps.length + 1, from, to, localDerivative, upstream, contribution, accumulated, autodiff: autodiff.get(to)! });
  };
  const h = spec.hidden;
  edge('L', 'a(y)', d.loss(v.y, spec.target));
  edge('a(y)', 'z(y)', d.activation('sigmoid', v.z2, v.y));
  edge('z(y)', 'b(y)', 1);
  for (let j = 0; j < h; j++) edge('z(y)', `w(h${j}→y)`, v.a1[j]);
  for (let j = 0; j < h; j++) edge('z(y)', `a(h${j})`, p.w2.data[j]);
  for (let j = 0; j < h; j++) {
    edge(`a(h${j})`, `z(h${j})`, d.activation(spec.activation, v.z1[j], v.a1[j]));
    edge(`z(h${j})`, `b(h${j})`, 1);
    for (let i = 0; i < 2; i++) edge(`z(h${j})`, `w(x${i}→h${j})`, v.x[i]);
    for (let i = 0; i < 2; i++) edge(`z(h${j})`, `x${i}`, p.w1.data[i * h + j]);
  }
  return steps;
}

/** ∂L/∂node as the walk leaves it: the last accumulated value per node. */
export function walkedGradients(steps: readonly BackwardStep[]): Map<string, number> {
  return new Map(steps.map((s) => [s.to, s.accumulated]));
}

/**
 * |a − b| / max(|a|, |b|): 0 when both are 0 (a dead ReLU's weights). Scale-free, so one
 * threshold serves gradients of any size; about 1e-8 or less means the two agree in float64.
 */
export function relativeError(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/** (L(θ + h) − L(θ − h)) / 2h for every parameter element, in the order of `parameterRefs`. */
export function numericGradients(spec: NetworkSpec, p: Weights, h: number): number[] {
  const order: (keyof Weights)[] = ['w1', 'b1', 'w2', 'b2'];
  const lossAt = (q: Weights) => forwardValues(spec, q).loss;
  const out: number[] = [];
  for (const name of order) {
    for (let k = 0; k < p[name].size; k++) {
      const nudged = (delta: number) => {
        const copy = p[name].clone();
        copy.data[k] += delta;
        return lossAt({ ...p, [name]: copy });
      };
      out.push((nudged(h) - nudged(-h)) / (2 * h));
    }
  }
  return out;
}

export interface CheckRow {
  parameter: string;
  symbol: string;
  backprop: number;
  numeric: number;
  relativeError: number;
}

/** Each parameter's backprop gradient beside its central difference, with their relative error. */
export function checkGradients(refs: readonly ParameterRef[], backprop: ReadonlyMap<string, number>, numeric: readonly number[]): CheckRow[] {
  return refs.map((ref, k) => {
    const b = backprop.get(ref.symbol)!;
    return { parameter: ref.parameter, symbol: ref.symbol, backprop: b, numeric: numeric[k], relativeError: relativeError(b, numeric[k]) };
  });
}

export interface Analysis {
  model: nn.Sequential;
  forward: ForwardValues;
  parameters: ParameterRef[];
  /** ∂L/∂node from nnlab's autodiff, by node name. */
  autodiff: Map<string, number>;
  steps: BackwardStep[];
  check: CheckRow[];
}

/** Everything the experiment and its page show, for one network, input and step h. */
export function analyse(spec: NetworkSpec, seed: number, h: number): Analysis {
  const model = buildNetwork(spec, seed);
  const p = weightsOf(model);
  const forward = forwardValues(spec, p);
  const autodiff = autodiffGradients(spec, p, forward);
  const parameters = parameterRefs(p, spec.hidden);
  const steps = walkBackward(spec, p, forward, autodiff);
  const check = checkGradients(parameters, autodiff, numericGradients(spec, p, h));
  return { model, forward, parameters, autodiff, steps, check };
}

/** The walk with other local derivatives (e.g. a wrong one), and its gradient check at step h. */
export function checkWalk(spec: NetworkSpec, seed: number, h: number, derivatives: LocalDerivatives): CheckRow[] {
  const p = weightsOf(buildNetwork(spec, seed));
  const forward = forwardValues(spec, p);
  const steps = walkBackward(spec, p, forward, autodiffGradients(spec, p, forward), derivatives);
  return checkGradients(parameterRefs(p, spec.hidden), walkedGradients(steps), numericGradients(spec, p, h));
}

/** The largest relative error over the parameters for each step h: small h loses digits to rounding, large h to curvature. */
export function errorByStep(spec: NetworkSpec, seed: number, steps: readonly number[]): number[] {
  const p = weightsOf(buildNetwork(spec, seed));
  const autodiff = autodiffGradients(spec, p, forwardValues(spec, p));
  const refs = parameterRefs(p, spec.hidden);
  return steps.map((h) => Math.max(...checkGradients(refs, autodiff, numericGradients(spec, p, h)).map((r) => r.relativeError)));
}
