/**
 * The models the ONNX export tests export: one per layer type, and random stacks from a seeded
 * Generator, with every parameter drawn at random.
 */
import { Generator, exportOnnx, nn, noGrad, randomNormal } from '../../packages/nnlab/src/index.js';
import type { DType, Tensor } from '../../packages/nnlab/src/index.js';
import { runInOnnxRuntime } from './onnx-tools.js';

/** The largest relative difference allowed (max |onnx − nnlab| / max |nnlab|), per dtype. */
export const TOLERANCE: Record<DType, number> = { float32: 1e-6, float64: 1e-12 };
const WIDTH = 5;

type Build = (rng: Generator, dtype: DType) => nn.Module;

const dense = (rng: Generator, dtype: DType, inFeatures: number, outFeatures: number, activation = 'linear', bias = true) =>
  new nn.Dense(inFeatures, outFeatures, { activation, bias, rng, dtype });

/** One case per layer type (each behind a dense layer, so that its input has a width and a dtype). */
export const LAYER_CASES: [string, Build][] = [
  ...nn.ACTIVATIONS.map((activation): [string, Build] => [`Dense with activation '${activation}'`, (rng, dtype) => dense(rng, dtype, 4, WIDTH, activation)]),
  ['Dense without bias', (rng, dtype) => dense(rng, dtype, 4, WIDTH, 'tanh', false)],
  ['Sigmoid, Tanh, ReLU and Softplus layers', (rng, dtype) =>
    new nn.Sequential([dense(rng, dtype, 4, WIDTH), new nn.Sigmoid(), dense(rng, dtype, WIDTH, WIDTH), new nn.Tanh(), dense(rng, dtype, WIDTH, WIDTH), new nn.ReLU(), dense(rng, dtype, WIDTH, WIDTH), new nn.Softplus()])],
  ['Activation layers by name (silu, logSoftmax)', (rng, dtype) => new nn.Sequential([dense(rng, dtype, 4, WIDTH), new nn.Activation('silu'), new nn.Activation('logSoftmax')])],
  ['LeakyReLU with slope 0.2', (rng, dtype) => new nn.Sequential([dense(rng, dtype, 4, WIDTH), new nn.LeakyReLU(0.2)])],
  ['ELU with alpha 0.7', (rng, dtype) => new nn.Sequential([dense(rng, dtype, 4, WIDTH), new nn.ELU(0.7)])],
  ['PReLU with one shared slope', (rng, dtype) => new nn.Sequential([dense(rng, dtype, 4, WIDTH), new nn.PReLU({ dtype })])],
  ['PReLU with a slope per unit', (rng, dtype) => new nn.Sequential([dense(rng, dtype, 4, WIDTH), new nn.PReLU({ numParameters: WIDTH, dtype })])],
  ['Softmax over the last axis', (rng, dtype) => new nn.Sequential([dense(rng, dtype, 4, WIDTH), new nn.Softmax()])],
  ['Softmax over the batch (axis 0)', (rng, dtype) => new nn.Sequential([dense(rng, dtype, 4, WIDTH), new nn.Softmax(0)])],
  ['Dropout (in training mode when exported)', (rng, dtype) => new nn.Sequential([dense(rng, dtype, 4, WIDTH, 'relu'), new nn.Dropout(0.5, { rng }), dense(rng, dtype, WIDTH, 3)])],
  ['Residual around a Sequential', (rng, dtype) =>
    new nn.Sequential([dense(rng, dtype, 4, WIDTH, 'tanh'), new nn.Residual(new nn.Sequential([dense(rng, dtype, WIDTH, WIDTH, 'relu'), dense(rng, dtype, WIDTH, WIDTH)]))])],
  ['Highway with a ReLU transform', (rng, dtype) => new nn.Sequential([dense(rng, dtype, 4, WIDTH), new nn.Highway(WIDTH, { rng, dtype })])],
  ['Highway with a tanh transform', (rng, dtype) => new nn.Sequential([dense(rng, dtype, 4, WIDTH), new nn.Highway(WIDTH, { activation: 'tanh', rng, dtype })])],
];

/** A random stack: a dense layer in, six layers of any exportable kind, a linear dense layer out. */
export function randomModel(rng: Generator, dtype: DType): nn.Module {
  const pick = <T>(items: readonly T[]): T => items[rng.integer(0, items.length)];
  const activation = () => pick(nn.ACTIVATIONS);
  const kinds: (() => nn.Module)[] = [
    () => dense(rng, dtype, WIDTH, WIDTH, activation(), rng.uniform() < 0.8),
    () => new nn.Residual(dense(rng, dtype, WIDTH, WIDTH, activation())),
    () => new nn.Highway(WIDTH, { activation: activation(), rng, dtype }),
    () => new nn.PReLU({ numParameters: pick([1, WIDTH]), dtype }),
    () => new nn.LeakyReLU(rng.uniform(0, 0.5)),
    () => new nn.ELU(rng.uniform(0.1, 2)),
    () => new nn.Activation(activation()),
    () => new nn.Dropout(0.3, { rng }),
    () => new nn.Sequential([dense(rng, dtype, WIDTH, WIDTH, activation()), new nn.Activation(activation())]),
  ];
  const layers: nn.Module[] = [dense(rng, dtype, 3, WIDTH, activation())];
  for (let i = 0; i < 6; i++) layers.push(pick(kinds)());
  layers.push(dense(rng, dtype, WIDTH, 2)); // linear: an output that is never all zeros
  return new nn.Sequential(layers);
}

export const RANDOM_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** Every parameter drawn from N(0, 0.8²), so biases, gates and slopes are not their defaults. */
export function randomizeParameters(model: nn.Module, rng: Generator): void {
  for (const p of model.parameters()) p.data.set(randomNormal(p.shape, rng, 0, 0.8, p.dtype).data);
}

/** The model's output in nnlab (evaluation mode) and in onnxruntime from the exported bytes, on 7 rows of N(0, scale²). */
export async function bothOutputs(model: nn.Module, rng: Generator, scale: number): Promise<{ bytes: Uint8Array; nnlab: Tensor; onnx: Tensor }> {
  const [, first] = model.namedParameters()[0];
  const x = randomNormal([7, first.shape[0]], rng, 0, scale, first.dtype);
  const bytes = exportOnnx(model); // before eval(): export writes evaluation mode whatever the model's mode
  model.eval();
  const nnlab = noGrad(() => model.forward(x));
  return { bytes, nnlab, onnx: await runInOnnxRuntime(bytes, x) };
}

