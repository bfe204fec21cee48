/**
 * Loss functions. Each compares predictions with targets elementwise and reduces: 'mean'
 * (default), 'sum', or 'none' (one value per element, or per row for cross entropy).
 * Predictions and targets must have the same shape: silently broadcasting [4, 1] against [4]
 * to [4, 4] is a classic bug, so it is an error here.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, squaredDifference } from '../ops/losses.js';
import { logSoftmax } from '../ops/activations.js';
import { checkClassIndices, pickPerRow } from '../ops/pick.js';
import { describeValue, expectTensor } from '../tensor/arguments.js';

/** How a loss reduces its terms: 'mean' (the default), 'sum', or 'none' (every term, unreduced). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of the losses. */
export interface LossOptions {
  /** Default 'mean'. */
  reduction?: Reduction;
}

function reduce(op: string, values: Tensor, options: LossOptions): Tensor {
  if (typeof options !== 'object' || options === null) throw new Error(`${op}: options must be an object such as { reduction: 'sum' }, got ${describeValue(options)}`);
  const reduction: Reduction = options.reduction === undefined ? 'mean' : options.reduction;
  switch (reduction) {
    case 'mean': return values.mean();
    case 'sum': return values.sum();
    case 'none': return values;
    default: throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${typeof reduction === 'string' ? `'${reduction}'` : describeValue(reduction)}`);
  }
}

function checkSameShape(op: string, predictions: Tensor, targets: Tensor): void {
  if (!(predictions instanceof Tensor && targets instanceof Tensor)) {
    expectTensor(op, 'predictions', predictions);
    expectTensor(op, 'targets', targets);
  }
  if (!sameShape(predictions.shape, targets.shape)) {
    throw new Error(`${op}: predictions ${formatShape(predictions.shape)} and targets ${formatShape(targets.shape)} must have the same shape`);
  }
}

/** Mean squared error: mean of (y − t)² over every element (the chapter's MSE). */
export function mseLoss(predictions: Tensor, targets: Tensor, options: LossOptions = {}): Tensor {
  checkSameShape('mseLoss', predictions, targets);
  return reduce('mseLoss', squaredDifference(predictions, targets), options);
}

/**
 * Binary cross entropy of probabilities p against targets t in [0, 1]. At p = 0 or 1 each log
 * term is floored at −100, so the loss is at most 100 per element instead of Infinity, and the
 * gradient is large but finite. Train on logits with `bceWithLogitsLoss` where you can.
 */
export function bceLoss(probabilities: Tensor, targets: Tensor, options: LossOptions = {}): Tensor {
  checkSameShape('bceLoss', probabilities, targets);
  return reduce('bceLoss', binaryCrossEntropy(probabilities, targets), options);
}

/**
 * Binary cross entropy of sigmoid(z) against t, from the logits z in the stable form
 * max(z, 0) − z·t + ln(1 + e^−|z|): finite for any z, with gradient sigmoid(z) − t.
 */
export function bceWithLogitsLoss(logits: Tensor, targets: Tensor, options: LossOptions = {}): Tensor {
  checkSameShape('bceWithLogitsLoss', logits, targets);
  return reduce('bceWithLogitsLoss', binaryCrossEntropyWithLogits(logits, targets), options);
}

/** Class indices (one per row) or a tensor of the same shape as the logits holding probabilities. */
export type ClassTargets = readonly number[] | Int32Array | Tensor;

/**
 * Categorical cross entropy from logits [n, classes]: −Σ_c t_c · log softmax(z)_c per row.
 * Targets are class indices (a list, or a tensor of shape [n]) or a probability / one-hot
 * tensor of shape [n, classes]. With 'none' the result has one value per row.
 */
export function crossEntropyLoss(logits: Tensor, targets: ClassTargets, options: LossOptions = {}): Tensor {
  expectTensor('crossEntropyLoss', 'logits', logits);
  if (!(targets instanceof Tensor) && !(targets instanceof Int32Array) && !Array.isArray(targets)) {
    throw new Error(`crossEntropyLoss: targets must be class indices (an array, an Int32Array or a Tensor) or a Tensor of probabilities, got ${describeValue(targets)}`);
  }
  if (logits.rank !== 2) throw new Error(`crossEntropyLoss: logits must be [n, classes], got ${formatShape(logits.shape)}`);
  const [n, classes] = logits.shape;
  const logProbabilities = logSoftmax(logits, -1); // [n, classes]
  if (targets instanceof Tensor && targets.rank === 2) {
    checkSameShape('crossEntropyLoss', logits, targets);
    return reduce('crossEntropyLoss', logProbabilities.mul(targets).sum(-1).neg(), options);
  }
  const count = targets instanceof Tensor ? targets.size : targets.length;
  if ((targets instanceof Tensor && targets.rank !== 1) || count !== n) {
    const shape = targets instanceof Tensor ? formatShape(targets.shape) : `${count} indices`;
    throw new Error(`crossEntropyLoss: expected ${n} class indices (one per row of logits ${formatShape(logits.shape)}), got ${shape}`);
  }
  checkClassIndices('crossEntropyLoss', targets instanceof Tensor ? targets.data : targets, classes);
  // Picking −log p[target] directly (not multiplying by a one-hot) keeps a −Infinity logit
  // of another class from turning the loss into 0·(−Infinity) = NaN. A labels tensor is the
  // op's input as it is, so a captured step reads the labels again at every replay.
  const labels = targets instanceof Tensor ? targets : new Tensor(Float64Array.from(targets), [n]);
  const picked = pickPerRow(logProbabilities, labels, 'crossEntropyLoss'); // [n]
  return reduce('crossEntropyLoss', picked.neg(), options);
}
