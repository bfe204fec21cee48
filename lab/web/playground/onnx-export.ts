/**
 * The playground's network as an ONNX file, for the model panel's Export ONNX button and for
 * `nnlab export` of a playground download: whether a network can be exported, the file itself,
 * and what its input and output hold (the network reads the chosen features, not the point, and
 * for cross-entropy losses ends in logits). Browser and Node.
 *
 *     onnxExportBlocker(spec)   → null, or why Export ONNX is disabled
 *     onnxSignature(spec)       → 'input [batch, 2]: x₀, x₁; output [batch, 1]: the logit (P(class 1) = sigmoid(output))'
 */
import { Generator, OnnxExportError, deserializeModel, exportOnnx } from 'nnlab';
import { FEATURE_LABELS } from './features.js';
import { buildNetwork, featuresOf, outputUnits, specProblems, taskOf } from './spec.js';
import type { NetworkSpec } from './spec.js';

/**
 * onnxExportBlocker(spec) is why a network of this shape cannot be exported, or null when it
 * can. Only the layers decide, so a freshly built network stands in for the trained one.
 */
export function onnxExportBlocker(spec: NetworkSpec): string | null {
  const problems = specProblems(spec);
  if (problems.length > 0) return `the network cannot be built: ${problems.join('; ')}`;
  try {
    exportOnnx(buildNetwork(spec, new Generator(0)).model);
    return null;
  } catch (error) {
    if (error instanceof OnnxExportError) return `ONNX cannot express this network: ${error.problems.join('; ')}`;
    throw error;
  }
}

/**
 * onnxOfModelFile(text) is the ONNX file of the network in a model file's text (nnlab's format),
 * as saved, and the playground spec saved with it (null for other model files).
 */
export function onnxOfModelFile(text: string): { bytes: Uint8Array; spec: NetworkSpec | null } {
  const { model, config } = deserializeModel(text);
  return { bytes: exportOnnx(model), spec: playgroundSpecOf(config) };
}

/** What the exported file's input and output hold, in one line. */
export function onnxSignature(spec: NetworkSpec): string {
  const features = featuresOf(spec);
  const input = `input [batch, ${features.length}]: ${features.map((f) => FEATURE_LABELS[f]).join(', ')}`;
  return `${input}; output [batch, ${outputUnits(spec)}]: ${outputMeaning(spec)}`;
}

function outputMeaning(spec: NetworkSpec): string {
  if (taskOf(spec) === 'regression') return 'the predicted value';
  switch (spec.loss) {
    case 'mse': return 'P(class 1)';
    case 'bce': return 'the logit (P(class 1) = sigmoid(output))';
    case 'softmax': return 'logits (class probabilities = softmax(output))';
  }
}

/**
 * The playground's network spec saved in a model file's config (`{ playground: spec }`), or null
 * when the file is not a playground model (or its spec is not one the playground builds).
 */
export function playgroundSpecOf(config: unknown): NetworkSpec | null {
  if (typeof config !== 'object' || config === null || !Object.hasOwn(config, 'playground')) return null;
  const spec = (config as { playground: unknown }).playground as NetworkSpec;
  try {
    return typeof spec === 'object' && spec !== null && Array.isArray(spec.hidden) && specProblems(spec).length === 0 ? spec : null;
  } catch {
    return null;
  }
}
