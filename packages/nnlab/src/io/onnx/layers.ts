/**
 * Each nnlab layer as standard ONNX ops (opset 17), computing what the layer's forward does in
 * evaluation mode, in the same order of operations. A layer the table does not know, or a
 * subclass that overrides forward (the user's own arithmetic), becomes a problem naming it.
 *
 * NOTE: onnxruntime has no float64 kernels for Elu and Softplus, and LeakyRelu's slope is a
 * float32 attribute; in float64 models these are written as the same formulas from ops that
 * have float64 kernels, with float64 constants (leakyRelu, elu and softplus below).
 */
import { registeredOps } from '../../autograd/op.js';
import type { Module } from '../../nn/module.js';
import { Dense } from '../../nn/layers/dense.js';
import { Dropout } from '../../nn/layers/dropout.js';
import { Sequential } from '../../nn/layers/sequential.js';
import { Highway, Residual } from '../../nn/layers/skip.js';
import { Activation, ELU, LeakyReLU, PReLU, Softmax } from '../../nn/layers/activation.js';
import type { ActivationName } from '../../nn/layers/activation.js';
import type { GraphBuilder, Value } from './graph.js';

type Lowering<M extends Module> = (layer: M, x: Value, g: GraphBuilder) => Value;
type LayerClass<M extends Module> = (abstract new (...args: never[]) => M) & { prototype: M };
interface Entry<M extends Module> {
  /** The class's name as users write it (a minified bundle renames classes). */
  name: string;
  Class: LayerClass<M>;
  lower: Lowering<M>;
  /** The input width the layer requires, when it fixes one. */
  inputWidth?: (layer: M) => number | undefined;
  /** Whether its output has its input's width. */
  keepsWidth: boolean;
}
const entry = <M extends Module>(e: Entry<M>): Entry<Module> => e as unknown as Entry<Module>;

/** The layers exportOnnx knows, each with its ONNX form. */
const LAYERS: readonly Entry<Module>[] = [
  entry({ name: 'Sequential', Class: Sequential, lower: lowerSequential, inputWidth: sequentialInputWidth, keepsWidth: false }),
  entry({ name: 'Dense', Class: Dense, lower: lowerDense, inputWidth: (layer) => layer.inFeatures, keepsWidth: false }),
  entry({ name: 'Residual', Class: Residual, lower: lowerResidual, inputWidth: (layer) => inputWidthOf(layer.body), keepsWidth: true }),
  entry({ name: 'Highway', Class: Highway, lower: lowerHighway, inputWidth: (layer) => layer.width, keepsWidth: true }),
  entry({ name: 'Activation', Class: Activation, lower: (layer, x, g) => activate(layer.activation, layer, x, g), keepsWidth: true }),
  entry({ name: 'LeakyReLU', Class: LeakyReLU, lower: (layer, x, g) => leakyRelu(layer.slope, layer, x, g), keepsWidth: true }),
  entry({ name: 'ELU', Class: ELU, lower: (layer, x, g) => elu(layer.alpha, layer, x, g), keepsWidth: true }),
  entry({ name: 'Softmax', Class: Softmax, lower: lowerSoftmax, keepsWidth: true }),
  entry({ name: 'PReLU', Class: PReLU, lower: lowerPrelu, inputWidth: (layer) => (layer.alpha.size > 1 ? layer.alpha.size : undefined), keepsWidth: true }),
  // Evaluation mode: dropout passes x through.
  entry({ name: 'Dropout', Class: Dropout, lower: (layer, x, g) => g.node(layer, 'Identity', [x]), keepsWidth: true }),
];

/** 'Sequential, Dense, …': what the error lists as exportable. */
export const EXPORTABLE_LAYERS = LAYERS.map((e) => e.name).join(', ');

/** The layer's table entry, when the layer computes as the library's class does (its forward is not overridden). */
function entryOf(layer: Module): Entry<Module> | undefined {
  const found = LAYERS.find(({ Class }) => layer instanceof Class);
  if (found === undefined || layer.forward !== found.Class.prototype.forward) return undefined;
  if (layer instanceof Highway && layer.gateValues !== Highway.prototype.gateValues) return undefined;
  return found;
}

/** Appends `layer`'s nodes reading x; returns its output. */
export function lowerLayer(layer: Module, x: Value, g: GraphBuilder): Value {
  const found = entryOf(layer);
  if (found === undefined) {
    g.problems.push(`${layer.describe()} (a ${layer.constructor.name}) has no ONNX form: exportOnnx knows nnlab's ${EXPORTABLE_LAYERS}`);
    return { name: x.name, width: undefined };
  }
  return found.lower(layer, x, g);
}

/** The input width the model requires: its first layer that fixes one, past layers that keep the width. */
export function inputWidthOf(layer: Module): number | undefined {
  return entryOf(layer)?.inputWidth?.(layer);
}

function sequentialInputWidth(layer: Sequential): number | undefined {
  for (const [, child] of layer.namedChildren()) {
    const width = inputWidthOf(child);
    if (width !== undefined || entryOf(child)?.keepsWidth !== true) return width;
  }
  return undefined;
}

function lowerSequential(layer: Sequential, x: Value, g: GraphBuilder): Value {
  return layer.namedChildren().reduce((h, [, child]) => lowerLayer(child, h, g), x);
}

function expectWidth(layer: Module, x: Value, width: number, g: GraphBuilder): void {
  if (x.width !== undefined && x.width !== width) g.problems.push(`${layer.describe()}: expects input width ${width}, but its input has width ${x.width}`);
}

function lowerDense(layer: Dense, x: Value, g: GraphBuilder): Value {
  expectWidth(layer, x, layer.inFeatures, g);
  const weight = g.parameter(layer.weight);
  const z =
    layer.bias === null
      ? g.node(layer, 'MatMul', [x, weight], [], layer.outFeatures)
      : g.node(layer, 'Gemm', [x, weight, g.parameter(layer.bias)], [], layer.outFeatures); // x·W + b
  return activate(layer.activation, layer, z, g);
}

function lowerResidual(layer: Residual, x: Value, g: GraphBuilder): Value {
  const fx = lowerLayer(layer.body, x, g);
  if (x.width !== undefined && fx.width !== undefined && fx.width !== x.width) {
    g.problems.push(`${layer.describe()}: its body maps width ${x.width} to ${fx.width}; x + f(x) needs the same width`);
  }
  return g.node(layer, 'Add', [x, fx.name]);
}

function lowerHighway(layer: Highway, x: Value, g: GraphBuilder): Value {
  expectWidth(layer, x, layer.width, g);
  const t = lowerDense(layer.gate, x, g);
  const fx = lowerDense(layer.transform, x, g);
  // x + T·(f(x) − x), as Highway.forward computes T·f(x) + (1 − T)·x.
  const difference = g.node(layer, 'Sub', [fx, x.name]);
  return g.node(layer, 'Add', [x, g.node(layer, 'Mul', [t, difference.name]).name]);
}

function lowerSoftmax(layer: Softmax, x: Value, g: GraphBuilder): Value {
  const rank = 2; // [batch, width]
  if (layer.axis < -rank || layer.axis >= rank) {
    g.problems.push(`${layer.describe()}: axis ${layer.axis} does not exist in the model's input [batch, width]`);
    return x;
  }
  return g.node(layer, 'Softmax', [x], [{ name: 'axis', int: layer.axis < 0 ? layer.axis + rank : layer.axis }]);
}

function lowerPrelu(layer: PReLU, x: Value, g: GraphBuilder): Value {
  if (layer.alpha.size > 1) expectWidth(layer, x, layer.alpha.size, g);
  return g.node(layer, 'PRelu', [x, g.parameter(layer.alpha)]);
}

/** The default attribute an activation op is applied with by name (leaky ReLU's slope, ELU's alpha). */
function defaultAttrs(op: string): number {
  return registeredOps().get(op)!.elementwise!.activation!.attrs as number;
}

/** A parameter-free activation by name (a dense layer's or an Activation layer's). */
function activate(name: ActivationName, layer: Module, x: Value, g: GraphBuilder): Value {
  switch (name) {
    case 'linear':
      return x;
    case 'sigmoid':
      return g.node(layer, 'Sigmoid', [x]);
    case 'tanh':
      return g.node(layer, 'Tanh', [x]);
    case 'relu':
      return g.node(layer, 'Relu', [x]);
    case 'leakyRelu':
      return leakyRelu(defaultAttrs('leakyRelu'), layer, x, g);
    case 'elu':
      return elu(defaultAttrs('elu'), layer, x, g);
    case 'softplus':
      return softplus(layer, x, g);
    case 'silu': // x·σ(x)
      return g.node(layer, 'Mul', [x, g.node(layer, 'Sigmoid', [x]).name]);
    case 'softmax':
      return g.node(layer, 'Softmax', [x], [{ name: 'axis', int: 1 }]);
    case 'logSoftmax':
      return g.node(layer, 'LogSoftmax', [x], [{ name: 'axis', int: 1 }]);
    default:
      g.problems.push(`${layer.describe()}: activation '${name}' (an op of your own) has no ONNX form; use one of nnlab's`);
      return x;
  }
}

/** x for x > 0, slope·x otherwise. */
function leakyRelu(slope: number, layer: Module, x: Value, g: GraphBuilder): Value {
  if (g.dtype === 'float32') return g.node(layer, 'LeakyRelu', [x], [{ name: 'alpha', float: slope }]);
  return g.node(layer, 'PRelu', [x, g.constant(slope)]);
}

/** x for x > 0, alpha·(e^x − 1) otherwise; in float64 max(x, 0) + alpha·(e^min(x, 0) − 1). */
function elu(alpha: number, layer: Module, x: Value, g: GraphBuilder): Value {
  if (g.dtype === 'float32') return g.node(layer, 'Elu', [x], [{ name: 'alpha', float: alpha }]);
  const negative = g.node(layer, 'Min', [x, g.constant(0)]);
  const expm1 = g.node(layer, 'Sub', [g.node(layer, 'Exp', [negative]), g.constant(1)]);
  const scaled = alpha === 1 ? expm1 : g.node(layer, 'Mul', [expm1, g.constant(alpha)]);
  return g.node(layer, 'Add', [g.node(layer, 'Relu', [x]), scaled.name]);
}

/** ln(1 + e^x); in float64 as nnlab computes it, max(x, 0) + ln(1 + e^−|x|), which never overflows. */
function softplus(layer: Module, x: Value, g: GraphBuilder): Value {
  if (g.dtype === 'float32') return g.node(layer, 'Softplus', [x]);
  const decay = g.node(layer, 'Exp', [g.node(layer, 'Neg', [g.node(layer, 'Abs', [x])])]);
  const log1p = g.node(layer, 'Log', [g.node(layer, 'Add', [decay, g.constant(1)])]);
  return g.node(layer, 'Add', [g.node(layer, 'Relu', [x]), log1p.name]);
}
