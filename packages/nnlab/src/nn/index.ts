/**
 * Layers, losses and initialisers: `import { nn } from 'nnlab'`, then `new nn.Dense(2, 2)`.
 * @packageDocumentation
 */
export { Module } from './module.js';
export { Dense } from './layers/dense.js';
export type { DenseOptions } from './layers/dense.js';
export { Dropout } from './layers/dropout.js';
export type { DropoutOptions } from './layers/dropout.js';
export { Sequential } from './layers/sequential.js';
export { Residual, Highway } from './layers/skip.js';
export type { HighwayOptions } from './layers/skip.js';
export { Activation, Sigmoid, Tanh, ReLU, LeakyReLU, PReLU, Softplus, ELU, Softmax, ACTIVATIONS, activationInfo, applyActivation } from './layers/activation.js';
export type { ActivationName, ActivationDescription, PReLUOptions } from './layers/activation.js';
export { mseLoss, bceLoss, bceWithLogitsLoss, crossEntropyLoss } from './losses.js';
export type { Reduction, LossOptions, ClassTargets } from './losses.js';
export { moduleFromConfig, registerModuleType, moduleTypes } from './config.js';
export type { ModuleConfig, JsonValue, BuildContext } from './config.js';
export * as init from './init.js';
export type { Initializer, InitContext } from './init.js';
export { denseInto, denseIntoSupports, softmaxRowsInto } from './inference.js';
export { denseUnitsInto, softmaxUnitsInto } from './unit-major.js';
