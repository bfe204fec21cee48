/**
 * nnlab: tensors with reverse-mode autodiff, neural-network layers, losses and optimisers.
 *
 *     import { tensor, nn, optim, Generator } from 'nnlab';
 *
 * @packageDocumentation
 */
export { Tensor } from './tensor/tensor.js';
export type { NestedArray, TensorLike } from './tensor/tensor.js';
export type { DType, FloatArray } from './tensor/dtype.js';
export type { Shape } from './tensor/shape.js';
export { formatShape, broadcastShapes } from './tensor/shape.js';
export { tensor, scalar, full, zeros, ones, zerosLike, onesLike, linspace, arange, eye, oneHot, grid2d } from './tensor/create.js';
export type { GridOptions } from './tensor/create.js';

export { Generator, rng } from './random/generator.js';
export type { Seed } from './random/generator.js';
export { randomUniform, randomNormal, randomBernoulli } from './random/tensors.js';

export { noGrad, isGradEnabled } from './autograd/mode.js';
export { grad, valueAndGrad } from './autograd/functional.js';
export type { ValueAndGrads } from './autograd/functional.js';
export { defineOp, registeredOps } from './autograd/op.js';
export type { OpSpec, OpDefinition, BackwardContext } from './autograd/op.js';
export { defineElementwise } from './autograd/elementwise.js';
export type { ElementwiseSpec, GradRule, ActivationInfo } from './autograd/elementwise.js';
export type { OpKernel, Exec, Buf, KernelBackward, GemmBufOptions, CallArgument } from './autograd/kernel.js';

export * from './ops/index.js';

export { gradcheck, assertGradients } from './testing/gradcheck.js';
export type { GradcheckOptions, GradcheckResult, GradcheckMismatch } from './testing/gradcheck.js';

export * as nn from './nn/index.js';
export * as math from './math/index.js';
export * as optim from './optim/index.js';

export { fit, trainingEvents, NonFiniteError } from './train.js';
export type { FitOptions, TrainingEvent, TrainingContext, CapturedSteps } from './train.js';

export { ModelFileError, MODEL_FORMAT, MODEL_FORMAT_VERSION, SUPPORTED_MODEL_FORMAT_VERSIONS, DEFAULT_MAX_PARAMETERS } from './io/format.js';
export { serializeModel } from './io/write.js';
export { deserializeModel } from './io/read.js';
export type { SerializeOptions, DeserializeOptions, LoadedModel } from './io/format.js';
export { saveModel, loadModel } from './io/file.js';
export type { SaveOptions, LoadOptions } from './io/file.js';
export { exportOnnx, OnnxExportError, ONNX_OPSET } from './io/onnx/export.js';
export { captureStep, type CaptureOptions, type CapturedStep, type CaptureMode, type InputValues } from './capture/step.js';
export { CaptureRefusedError } from './capture/refused.js';
export { setGemmThreads, gemmThreads, hasRelaxedSimd, setWasmGemmFma } from './kernels/index.js';
