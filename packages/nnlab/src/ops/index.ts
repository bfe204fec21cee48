/** Every op, as a plain function. `Tensor` methods call these. */
export { add, sub, mul, div, pow, maximum, minimum } from './arithmetic.js';
export { neg, exp, log, log1p, sqrt, square, abs, clamp, cast, defineUnary } from './unary.js';
export { sigmoid, tanh, relu, leakyRelu, prelu, softplus, elu, silu, softmax, logSoftmax, sigmoidValue } from './activations.js';
export { equal, notEqual, less, lessEqual, greater, greaterEqual, where } from './compare.js';
export { sum, mean, max, min, logsumexp, argmax } from './reduce.js';
export { matmul } from './matmul.js';
export { linear, isFusedActivation } from './linear.js';
export type { FusedActivation } from './linear.js';
export { reshape, transpose, swapLastAxes, broadcastTo, slice, concat, gather } from './shape.js';
export type { Indices } from './shape.js';
export { binaryCrossEntropy, binaryCrossEntropyWithLogits, squaredDifference } from './losses.js';
