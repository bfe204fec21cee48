/**
 * Optimisers, clipping and learning-rate schedules: `import { optim } from 'nnlab'`. An optimiser
 * keeps its float32 parameters and their state in the wasm kernels' memory (resident.ts).
 * @packageDocumentation
 */
export { Optimizer } from './optimizer.js';
export type { PenaltyOptions, ParamGroup, UpdateContext } from './optimizer.js';
export { SGD } from './sgd.js';
export type { SGDOptions } from './sgd.js';
export { RMSProp, Adam, AdamW } from './adaptive.js';
export type { RMSPropOptions, AdamOptions } from './adaptive.js';
export { clipGradNorm, clipGradValue, globalGradNorm } from './clip.js';
export * as schedules from './schedules.js';
export type { Schedule } from './schedules.js';
