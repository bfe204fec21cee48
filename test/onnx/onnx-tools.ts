/**
 * What the ONNX export tests check exports with, none of it nnlab's own code: the official
 * onnx.proto read by protobufjs, and onnxruntime's CPU runtime (Node).
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { Tensor } from '../../packages/nnlab/src/index.js';

export const ONNX_PROTO = fileURLToPath(new URL('../../packages/nnlab/src/io/onnx/onnx.proto', import.meta.url));

/** onnx.proto as protobufjs reads it, with the file's own snake_case field names. */
export const onnxRoot = new protobuf.Root().loadSync(ONNX_PROTO, { keepCase: true });

/** A decoded ModelProto as plain objects: int64 as numbers, bytes as Uint8Array, absent fields absent. */
export type Decoded = { [field: string]: unknown };

export function decodeModel(bytes: Uint8Array): Decoded {
  const type = onnxRoot.lookupType('onnx.ModelProto');
  return type.toObject(type.decode(bytes), { longs: Number, enums: Number, bytes: Uint8Array, arrays: true }) as Decoded;
}

/** model(x) in onnxruntime, on one thread. */
export async function runInOnnxRuntime(bytes: Uint8Array, x: Tensor): Promise<Tensor> {
  const session = await InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const input = new OrtTensor(x.dtype, x.data, [...x.shape]);
    const { output } = await session.run({ [session.inputNames[0]]: input });
    return new Tensor(output.data as Float32Array | Float64Array, output.dims as number[]);
  } finally {
    await session.release();
  }
}

/** max |a − b| / max |b|: the largest difference relative to the reference output's scale (0 when equal, even all zeros). */
export function relativeDifference(actual: Tensor, reference: Tensor): number {
  if (actual.size !== reference.size) return Infinity;
  let difference = 0;
  let scale = 0;
  for (let i = 0; i < reference.size; i++) {
    difference = Math.max(difference, Math.abs(actual.data[i] - reference.data[i]));
    scale = Math.max(scale, Math.abs(reference.data[i]));
  }
  if (Number.isNaN(difference)) return Infinity;
  return difference === 0 ? 0 : difference / scale;
}

/** TensorProto.DataType of each dtype, and its size in bytes. */
const ELEMENT_TYPES: Record<string, number> = { float32: 1, float64: 11 };
const ELEMENT_SIZES: Record<number, number> = { 1: 4, 11: 8 };

interface ValueInfo { name: string; type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } } }
interface Node { name?: string; op_type?: string; input?: string[]; output?: string[]; attribute?: { name?: string; type?: number; f?: number; i?: number }[] }
interface Initializer { name?: string; data_type?: number; dims?: number[]; raw_data?: Uint8Array }

/**
 * Breaks of ONNX's structural rules (docs/IR.md): the IR version and opset declared; every
 * name unique, every value defined once before it is read (the nodes in topological order);
 * every value typed with the model's element type and a full shape; every initializer's data
 * as long as its dims say; every attribute's type set and its value in the matching field.
 */
export function structuralProblems(model: Decoded, dtype: 'float32' | 'float64'): string[] {
  const problems: string[] = [];
  const elemType = ELEMENT_TYPES[dtype];
  if (typeof model.ir_version !== 'number' || model.ir_version < 3) problems.push(`ir_version ${String(model.ir_version)}`);
  const opsets = (model.opset_import ?? []) as { domain?: string; version?: number }[];
  if (opsets.length !== 1 || (opsets[0].domain ?? '') !== '' || typeof opsets[0].version !== 'number') problems.push(`opset_import ${JSON.stringify(opsets)}`);
  const graph = model.graph as { node?: Node[]; initializer?: Initializer[]; input?: ValueInfo[]; output?: ValueInfo[]; value_info?: ValueInfo[] } | undefined;
  if (graph === undefined) return [...problems, 'no graph'];

  const defined = new Set<string>();
  const define = (name: string | undefined, what: string) => {
    if (name === undefined || name === '') problems.push(`${what} has no name`);
    else if (defined.has(name)) problems.push(`${what} '${name}' is defined twice`);
    else defined.add(name);
  };
  const typed = new Map<string, ValueInfo>();
  for (const info of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.value_info ?? [])]) {
    if (typed.has(info.name)) problems.push(`value '${info.name}' is typed twice`);
    typed.set(info.name, info);
    const tensorType = info.type?.tensor_type;
    if (tensorType?.elem_type !== elemType) problems.push(`value '${info.name}' has element type ${String(tensorType?.elem_type)}, not ${elemType}`);
    const dims = tensorType?.shape?.dim ?? [];
    if (dims.length !== 2 || dims.some((d) => d.dim_value === undefined && d.dim_param === undefined)) problems.push(`value '${info.name}' has shape ${JSON.stringify(dims)}`);
  }
  for (const input of graph.input ?? []) define(input.name, 'graph input');
  for (const t of graph.initializer ?? []) {
    define(t.name, 'initializer');
    const count = (t.dims ?? []).reduce((n, d) => n * d, 1);
    if (t.data_type !== elemType) problems.push(`initializer '${t.name}' has data_type ${String(t.data_type)}`);
    else if (t.raw_data?.length !== count * ELEMENT_SIZES[elemType]) problems.push(`initializer '${t.name}' holds ${t.raw_data?.length} bytes for dims ${JSON.stringify(t.dims)}`);
  }
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const nodeNames = new Set<string>();
  for (const node of graph.node ?? []) {
    if (node.name === undefined || nodeNames.has(node.name)) problems.push(`node name '${String(node.name)}' is missing or not unique`);
    else nodeNames.add(node.name);
    if (node.op_type === undefined) problems.push(`node '${node.name}' has no op_type`);
    for (const input of node.input ?? []) if (!defined.has(input)) problems.push(`node '${node.name}' reads '${input}' before it is defined`);
    for (const output of node.output ?? []) {
      define(output, `output of node '${node.name}'`);
      if (!typed.has(output)) problems.push(`value '${output}' has no type`);
    }
    for (const a of node.attribute ?? []) {
      const ok = (a.type === 1 && typeof a.f === 'number') || (a.type === 2 && typeof a.i === 'number');
      if (!ok) problems.push(`node '${node.name}' attribute '${a.name}' has type ${String(a.type)} with ${JSON.stringify(a)}`);
    }
  }
  for (const name of typed.keys()) if (!defined.has(name) || initializers.has(name)) problems.push(`typed value '${name}' is not a graph input or node output`);
  for (const output of graph.output ?? []) if (!defined.has(output.name)) problems.push(`graph output '${output.name}' is never computed`);
  return problems;
}
