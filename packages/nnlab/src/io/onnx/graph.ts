/**
 * GraphBuilder: collects an ONNX graph's nodes, initializers and value types while layers are
 * lowered, and gives every node and value a unique name. Every value is a batch of rows,
 * ['batch', width]; its width is known from the layers (or the symbolic 'features' where no
 * layer fixes it), so every value in the graph carries its type and shape.
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { DType, FloatArray } from '../../tensor/dtype.js';
import type { Module } from '../../nn/module.js';
import { DataType } from './proto.js';
import type { AttributeSpec, GraphSpec, NodeSpec, TensorSpec, ValueInfoSpec } from './proto.js';

/** A value in the graph: its name, and its width when the layers fix it. */
export interface Value {
  readonly name: string;
  readonly width: number | undefined;
}

export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'output';

export class GraphBuilder {
  /** Why the model cannot be exported, one sentence each (lowering goes on to find them all). */
  readonly problems: string[] = [];
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: TensorSpec[] = [];
  private readonly valueInfo: ValueInfoSpec[] = [];
  /** Node and value names given out: ONNX wants each unique (in its own namespace; one set serves both). */
  private readonly taken = new Set<string>([INPUT_NAME, OUTPUT_NAME]);
  private readonly initialized = new Map<Tensor | number, string>();

  constructor(
    readonly dtype: DType,
    /** Parameters by tensor, named as in the state dict ('hidden.weight'), which the initializers keep. */
    private readonly parameterNames: ReadonlyMap<Tensor, string>,
  ) {
    for (const name of parameterNames.values()) this.taken.add(name);
  }

  get elemType(): number {
    return this.dtype === 'float64' ? DataType.DOUBLE : DataType.FLOAT;
  }

  /** A parameter's initializer (written once, however many nodes read it), by its state-dict name. */
  parameter(p: Tensor): string {
    return this.initializer(p, () => this.parameterNames.get(p) ?? this.unique('parameter'), p.data, p.shape);
  }

  /** A scalar constant of the model's dtype, written once per value. */
  constant(value: number): string {
    return this.initializer(value, () => this.unique(`constant ${value}`), [value], []);
  }

  /** Adds `opType(inputs)` for `layer`; its output's width is the first input's unless given. */
  node(layer: Module, opType: string, inputs: [Value, ...string[]], attributes: AttributeSpec[] = [], width = inputs[0].width): Value {
    const name = this.unique(`${layer.name === '' ? layer.kind : layer.name}/${opType}`);
    const inputNames = inputs.map((input) => (typeof input === 'string' ? input : input.name));
    this.nodes.push({ name, opType, inputs: inputNames, outputs: [name], attributes, docString: layer.describe() });
    this.valueInfo.push(this.valueType(name, width));
    return { name, width };
  }

  /** The graph, with `result` renamed to the graph's output. */
  finish(input: Value, result: Value, docString: string): GraphSpec {
    if (result.name === INPUT_NAME) {
      this.nodes.push({ name: OUTPUT_NAME, opType: 'Identity', inputs: [INPUT_NAME], outputs: [OUTPUT_NAME], attributes: [], docString: 'the model computes the identity' });
    } else {
      const rename = (names: readonly string[]) => names.map((n) => (n === result.name ? OUTPUT_NAME : n));
      this.nodes.forEach((node, i) => (this.nodes[i] = { ...node, inputs: rename(node.inputs), outputs: rename(node.outputs) }));
      this.valueInfo.splice(this.valueInfo.findIndex((info) => info.name === result.name), 1);
    }
    return {
      name: 'nnlab',
      docString,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: [this.valueType(input.name, input.width)],
      outputs: [this.valueType(OUTPUT_NAME, result.width)],
      valueInfo: this.valueInfo,
    };
  }

  private valueType(name: string, width: number | undefined): ValueInfoSpec {
    return { name, elemType: this.elemType, shape: ['batch', width ?? 'features'] };
  }

  private initializer(key: Tensor | number, name: () => string, values: ArrayLike<number>, dims: readonly number[]): string {
    const known = this.initialized.get(key);
    if (known !== undefined) return known;
    const chosen = name();
    this.initializers.push({ name: chosen, dataType: this.elemType, dims, rawData: littleEndian(values, this.dtype) });
    this.initialized.set(key, chosen);
    return chosen;
  }

  private unique(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base} ${n}`;
    this.taken.add(name);
    return name;
  }
}

/** Values as ONNX's raw_data wants them: little-endian float32 or float64, whatever this machine's byte order. */
function littleEndian(values: ArrayLike<number> | FloatArray, dtype: DType): Uint8Array {
  const size = dtype === 'float64' ? 8 : 4;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    if (size === 8) view.setFloat64(i * size, values[i], true);
    else view.setFloat32(i * size, values[i], true);
  }
  return bytes;
}
