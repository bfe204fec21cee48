/**
 * Deep networks for the vanishing-gradient experiments: `depth` weight layers in a chain
 * (depth − 1 hidden layers of `width` units, then one output logit), plain or with skip
 * connections around every hidden layer after the first.
 *
 *     new DeepNet({ depth: 10, width: 12, unit: 'sigmoid', connection: 'plain', init: 'glorot', initStd: 0.3, rng })
 *
 * Layer l (1-based, as the figures count) is the l-th weight matrix from the input: layer 1
 * reads the two inputs, layer `depth` is the output layer.
 */
import { nn } from 'nnlab';
import type { Generator, Tensor } from 'nnlab';

export const UNITS = ['sigmoid', 'tanh', 'relu', 'leaky relu', 'prelu'] as const;
export type Unit = (typeof UNITS)[number];
export const CONNECTIONS = ['plain', 'residual', 'highway'] as const;
export type Connection = (typeof CONNECTIONS)[number];
export const INITS = ['glorot', 'he', 'normal'] as const;
export type Init = (typeof INITS)[number];

export interface DeepNetOptions {
  /** Weight layers, output layer included (≥ 2). */
  depth: number;
  width: number;
  unit: Unit;
  connection: Connection;
  init: Init;
  /** The standard deviation of init 'normal'. */
  initStd: number;
  /** The hidden layers' initial biases (default 0); negative values start units switched off. */
  biasInit?: number;
  /** PReLU's starting slope (unit 'prelu' only). */
  preluInit?: number;
  /** Leaky ReLU's fixed slope below 0 (unit 'leaky relu' only; default 0.01, the chapter's). */
  leakySlope?: number;
  rng: Generator;
}

/** What one forward pass saw: each hidden layer's input, pre-activation and output. */
export interface Trace {
  /** [n, width] per hidden layer, first to last. */
  hidden: Tensor[];
  /** The pre-activation x·W + b of each hidden layer's (transform) units, [n, width]. */
  pre: Tensor[];
  /** Highway only: each highway layer's gate values T(x), [n, width] (layers 2 … depth − 1). */
  gates: Tensor[];
  /** [n, 1] logits. */
  output: Tensor;
}

function weightInit(init: Init, std: number): nn.Initializer {
  switch (init) {
    case 'glorot': return nn.init.glorotUniform();
    case 'he': return nn.init.heNormal();
    case 'normal': return nn.init.normal(0, std);
  }
}

const CHAPTER_LEAKY_SLOPE = 0.01;

/**
 * The dense layer's activation for a unit; PReLU is a separate layer with a learned slope, and so
 * is a leaky ReLU whose slope is not the dense layer's built-in 0.01.
 */
function denseActivation(unit: Unit, leakySlope: number): nn.ActivationName {
  switch (unit) {
    case 'leaky relu': return leakySlope === CHAPTER_LEAKY_SLOPE ? 'leakyRelu' : 'linear';
    case 'prelu': return 'linear';
    default: return unit;
  }
}

/** One hidden layer: its dense part (whose weight the figures measure) and what it computes. */
class Hidden extends nn.Module {
  readonly kind = 'deep-hidden';
  readonly prelu: nn.PReLU | null;
  readonly leaky: nn.LeakyReLU | null;

  constructor(readonly dense: nn.Dense, unit: Unit, preluInit: number, leakySlope: number) {
    super();
    // One slope per unit: a slope shared by a whole layer sums the gradient of every unit and
    // input, and plain gradient descent at the other nets' learning rate overshoots with it.
    this.prelu = unit === 'prelu' ? new nn.PReLU({ numParameters: dense.outFeatures, init: preluInit }) : null;
    this.leaky = unit === 'leaky relu' && leakySlope !== CHAPTER_LEAKY_SLOPE ? new nn.LeakyReLU(leakySlope) : null;
  }

  forward(x: Tensor): Tensor {
    const a = this.dense.forward(x);
    if (this.prelu !== null) return this.prelu.forward(a);
    return this.leaky === null ? a : this.leaky.forward(a);
  }
}

export class DeepNet extends nn.Module {
  readonly kind = 'deep-net';
  readonly connection: Connection;
  readonly unit: Unit;
  /** Hidden layers 1 … depth − 1: a Hidden, or a Residual / Highway around one for layers ≥ 2. */
  readonly layers: nn.Module[];
  readonly output: nn.Dense;

  constructor(options: DeepNetOptions) {
    super();
    const { depth, width, unit, connection, init, initStd, biasInit = 0, preluInit = 0.25, leakySlope = CHAPTER_LEAKY_SLOPE, rng } = options;
    if (!Number.isInteger(depth) || depth < 2) throw new Error(`DeepNet: depth must be an integer ≥ 2 (hidden layers + output), got ${depth}`);
    if (connection === 'highway' && unit === 'prelu') throw new Error("DeepNet: highway layers take a named activation, not 'prelu'");
    if (connection === 'highway' && unit === 'leaky relu' && leakySlope !== CHAPTER_LEAKY_SLOPE) {
      throw new Error(`DeepNet: highway layers' leaky ReLU has the built-in slope ${CHAPTER_LEAKY_SLOPE}, got leakySlope ${leakySlope}`);
    }
    this.connection = connection;
    this.unit = unit;
    const common = { weightInit: weightInit(init, initStd), rng };
    const hiddenInit = { ...common, biasInit: nn.init.constant(biasInit) };
    const activation = denseActivation(unit, leakySlope);
    this.layers = [];
    for (let l = 1; l < depth; l++) {
      const inputs = l === 1 ? 2 : width;
      // The first layer changes the width (2 → width), so no skip connection can go around it.
      if (l === 1 || connection === 'plain') {
        this.layers.push(new Hidden(new nn.Dense(inputs, width, { activation, ...hiddenInit }), unit, preluInit, leakySlope));
      } else if (connection === 'residual') {
        this.layers.push(new nn.Residual(new Hidden(new nn.Dense(width, width, { activation, ...hiddenInit }), unit, preluInit, leakySlope)));
      } else {
        this.layers.push(new nn.Highway(width, { activation, ...common }));
      }
    }
    this.output = new nn.Dense(width, 1, common);
    // Name the sub-modules by path now, so error messages say which layer.
    this.namedModules();
  }

  get depth(): number {
    return this.layers.length + 1;
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h);
    return this.output.forward(h);
  }

  /** The dense layer inside hidden layer i (0-based): the transform for highway. */
  private denseOf(i: number): nn.Dense {
    const layer = this.layers[i];
    if (layer instanceof Hidden) return layer.dense;
    if (layer instanceof nn.Residual) return (layer.body as Hidden).dense;
    return (layer as nn.Highway).transform;
  }

  /** Each layer's weight matrix, layer 1 … depth (for highway layers, the transform's). */
  layerWeights(): Tensor[] {
    return [...this.layers.map((_, i) => this.denseOf(i).weight), this.output.weight];
  }

  /** PReLU's slopes of each hidden layer, one per unit (empty for other units). */
  slopes(): number[][] {
    return this.layers.flatMap((layer) => {
      const hidden = layer instanceof nn.Residual ? layer.body : layer;
      return hidden instanceof Hidden && hidden.prelu !== null ? [Array.from(hidden.prelu.alpha.data)] : [];
    });
  }

  /** A forward pass that keeps what every hidden layer saw; call it under noGrad. */
  trace(x: Tensor): Trace {
    const hidden: Tensor[] = [];
    const pre: Tensor[] = [];
    const gates: Tensor[] = [];
    let h = x;
    this.layers.forEach((layer, i) => {
      const dense = this.denseOf(i);
      // NOTE: recomputes x·W + b beside the layer's own (fused) forward; only done at reports.
      pre.push(dense.bias === null ? h.matmul(dense.weight) : h.matmul(dense.weight).add(dense.bias));
      if (layer instanceof nn.Highway) gates.push(layer.gateValues(h));
      h = layer.forward(h);
      hidden.push(h);
    });
    return { hidden, pre, gates, output: this.output.forward(h) };
  }
}
