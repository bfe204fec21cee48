/**
 * exportOnnx(model) → the bytes of an ONNX model (opset 17) computing what model.forward does in
 * evaluation mode, for inputs [batch, width] of the model's dtype: float32 or float64, as its
 * parameters are. Written by nnlab's own protobuf writer (wire.ts, proto.ts), so the library
 * keeps zero runtime dependencies; runs in Node and browsers alike.
 *
 *     writeFileSync('xor.onnx', exportOnnx(model));
 */
import type { DType } from '../../tensor/dtype.js';
import type { Module } from '../../nn/module.js';
import { GraphBuilder, INPUT_NAME } from './graph.js';
import { inputWidthOf, lowerLayer } from './layers.js';
import { encodeModel } from './proto.js';

/** Opset 17 (ONNX 1.12, 2022): every op nnlab writes has had its present meaning since, and runtimes from then on read it. */
export const ONNX_OPSET = 17;
/** The IR version that goes with opset 17. */
export const ONNX_IR_VERSION = 8;

/** A model exportOnnx cannot write: `problems` names each layer (or mismatch) in the way, one sentence each. */
export class OnnxExportError extends Error {
  /** `'OnnxExportError'`: error reports and logs show it. */
  override readonly name = 'OnnxExportError';

  constructor(
    /** Each layer (or mismatch) in the way, one sentence each. */
    readonly problems: readonly string[],
    what: string,
  ) {
    super(`exportOnnx: cannot export ${what}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * The model's ONNX file, as bytes: one input 'input' [batch, width] and one output 'output',
 * the parameters as initializers named as in the state dict ('hidden.weight'). Dropout is
 * written as in evaluation mode (Identity), whatever the model's mode, as an exported model is
 * for inference. Throws OnnxExportError naming every layer it cannot write.
 */
export function exportOnnx(model: Module): Uint8Array {
  const parameters = model.namedParameters(); // also names unnamed layers by their path
  const problems: string[] = [];
  const dtypes = [...new Set(parameters.map(([, p]) => p.dtype))];
  if (dtypes.length > 1) {
    const first = (dtype: DType) => parameters.find(([, p]) => p.dtype === dtype)![0];
    problems.push(`its parameters mix float32 ('${first('float32')}') and float64 ('${first('float64')}'); an ONNX model has one input type`);
  }
  const graph = new GraphBuilder(dtypes[0] ?? 'float32', new Map(parameters.map(([name, p]) => [p, name])));
  const input = { name: INPUT_NAME, width: inputWidthOf(model) };
  const output = lowerLayer(model, input, graph);
  problems.push(...graph.problems);
  if (problems.length > 0) throw new OnnxExportError(problems, model.describe());
  return encodeModel({
    irVersion: ONNX_IR_VERSION,
    opsets: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'nnlab',
    docString: `${model.describe()}, exported by nnlab's exportOnnx`,
    graph: graph.finish(input, output, model.describe()),
  });
}
