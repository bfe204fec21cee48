/**
 * ONNX's messages, the fields nnlab writes: each field's number and declared type as in the
 * official definition, `onnx.proto` beside this file (ONNX v1.22.0, Apache-2.0; see
 * ONNX-LICENSE). test/onnx/proto.test.ts parses that file and checks every entry here.
 * Runs anywhere (no Node APIs, no dependencies).
 */
import { ProtoWriter, WireType } from './wire.js';

/** A field's declared type: a scalar, or a message's name. */
type FieldType = 'int64' | 'int32' | 'float' | 'string' | 'bytes' | 'AttributeProto.AttributeType' | MessageName;
type MessageName =
  | 'ModelProto'
  | 'OperatorSetIdProto'
  | 'GraphProto'
  | 'NodeProto'
  | 'AttributeProto'
  | 'TensorProto'
  | 'ValueInfoProto'
  | 'TypeProto'
  | 'TypeProto.Tensor'
  | 'TensorShapeProto'
  | 'TensorShapeProto.Dimension';

export interface Field {
  readonly number: number;
  readonly type: FieldType;
  /** Repeated fields are written one entry per value (unpacked), as none of them is declared packed. */
  readonly repeated: boolean;
}

const one = (number: number, type: FieldType): Field => ({ number, type, repeated: false });
const many = (number: number, type: FieldType): Field => ({ number, type, repeated: true });

/** Every field nnlab writes, by message and by the field's name in onnx.proto. */
export const ONNX_FIELDS = {
  ModelProto: {
    ir_version: one(1, 'int64'),
    producer_name: one(2, 'string'),
    producer_version: one(3, 'string'),
    doc_string: one(6, 'string'),
    graph: one(7, 'GraphProto'),
    opset_import: many(8, 'OperatorSetIdProto'),
  },
  OperatorSetIdProto: { domain: one(1, 'string'), version: one(2, 'int64') },
  GraphProto: {
    node: many(1, 'NodeProto'),
    name: one(2, 'string'),
    initializer: many(5, 'TensorProto'),
    doc_string: one(10, 'string'),
    input: many(11, 'ValueInfoProto'),
    output: many(12, 'ValueInfoProto'),
    value_info: many(13, 'ValueInfoProto'),
  },
  NodeProto: {
    input: many(1, 'string'),
    output: many(2, 'string'),
    name: one(3, 'string'),
    op_type: one(4, 'string'),
    attribute: many(5, 'AttributeProto'),
    doc_string: one(6, 'string'),
  },
  AttributeProto: { name: one(1, 'string'), f: one(2, 'float'), i: one(3, 'int64'), type: one(20, 'AttributeProto.AttributeType') },
  TensorProto: { dims: many(1, 'int64'), data_type: one(2, 'int32'), name: one(8, 'string'), raw_data: one(9, 'bytes') },
  ValueInfoProto: { name: one(1, 'string'), type: one(2, 'TypeProto') },
  TypeProto: { tensor_type: one(1, 'TypeProto.Tensor') },
  'TypeProto.Tensor': { elem_type: one(1, 'int32'), shape: one(2, 'TensorShapeProto') },
  TensorShapeProto: { dim: many(1, 'TensorShapeProto.Dimension') },
  'TensorShapeProto.Dimension': { dim_value: one(1, 'int64'), dim_param: one(2, 'string') },
} as const satisfies Record<MessageName, Record<string, Field>>;

/** TensorProto.DataType values nnlab writes. */
export const DataType = { FLOAT: 1, DOUBLE: 11 } as const;
/** AttributeProto.AttributeType values nnlab writes. */
export const AttributeType = { FLOAT: 1, INT: 2 } as const;

/** The wire type a field's declared type is written with. */
export function wireTypeOf(type: FieldType): WireType {
  if (type === 'float') return WireType.fixed32;
  if (type === 'int64' || type === 'int32' || type === 'AttributeProto.AttributeType') return WireType.varint;
  return WireType.lengthDelimited; // strings, bytes and messages
}

type Value = number | string | Uint8Array;

/** Writes one value of `field` (or each of a repeated field's values) with its declared type's wire type. */
function put(w: ProtoWriter, field: Field, value: Value | readonly Value[]): void {
  const values = Array.isArray(value) ? value : [value as Value];
  if (values.length !== 1 && !field.repeated) throw new Error(`onnx: field ${field.number} holds one value, got ${values.length}`);
  for (const v of values) {
    const wire = wireTypeOf(field.type);
    if (wire === WireType.varint && typeof v === 'number') w.varint(field.number, v);
    else if (wire === WireType.fixed32 && typeof v === 'number') w.float(field.number, v);
    else if (wire === WireType.lengthDelimited && typeof v === 'string') w.string(field.number, v);
    else if (wire === WireType.lengthDelimited && v instanceof Uint8Array) w.bytes(field.number, v);
    else throw new Error(`onnx: field ${field.number} of type ${field.type} cannot hold ${typeof v}`);
  }
}

export interface TensorSpec {
  name: string;
  dataType: number;
  dims: readonly number[];
  /** The values, little-endian. */
  rawData: Uint8Array;
}

/** A tensor's type: element type and shape, each dimension a size or a symbolic name ('batch'). */
export interface ValueInfoSpec {
  name: string;
  elemType: number;
  shape: readonly (number | string)[];
}

export type AttributeSpec = { name: string; float: number } | { name: string; int: number };

export interface NodeSpec {
  name: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: readonly AttributeSpec[];
  /** Which nnlab layer the node computes, for readers of the graph. */
  docString: string;
}

export interface GraphSpec {
  name: string;
  docString: string;
  nodes: readonly NodeSpec[];
  initializers: readonly TensorSpec[];
  inputs: readonly ValueInfoSpec[];
  outputs: readonly ValueInfoSpec[];
  valueInfo: readonly ValueInfoSpec[];
}

export interface ModelSpec {
  irVersion: number;
  opsets: readonly { domain: string; version: number }[];
  producerName: string;
  docString: string;
  graph: GraphSpec;
}

export function encodeModel(model: ModelSpec): Uint8Array {
  const f = ONNX_FIELDS.ModelProto;
  const w = new ProtoWriter();
  put(w, f.ir_version, model.irVersion);
  put(w, f.producer_name, model.producerName);
  put(w, f.doc_string, model.docString);
  put(w, f.graph, encodeGraph(model.graph));
  put(w, f.opset_import, model.opsets.map(encodeOpset));
  return w.finish();
}

function encodeOpset(opset: { domain: string; version: number }): Uint8Array {
  const f = ONNX_FIELDS.OperatorSetIdProto;
  const w = new ProtoWriter();
  put(w, f.domain, opset.domain);
  put(w, f.version, opset.version);
  return w.finish();
}

function encodeGraph(graph: GraphSpec): Uint8Array {
  const f = ONNX_FIELDS.GraphProto;
  const w = new ProtoWriter();
  put(w, f.node, graph.nodes.map(encodeNode));
  put(w, f.name, graph.name);
  put(w, f.initializer, graph.initializers.map(encodeTensor));
  put(w, f.doc_string, graph.docString);
  put(w, f.input, graph.inputs.map(encodeValueInfo));
  put(w, f.output, graph.outputs.map(encodeValueInfo));
  put(w, f.value_info, graph.valueInfo.map(encodeValueInfo));
  return w.finish();
}

function encodeNode(node: NodeSpec): Uint8Array {
  const f = ONNX_FIELDS.NodeProto;
  const w = new ProtoWriter();
  put(w, f.input, node.inputs);
  put(w, f.output, node.outputs);
  put(w, f.name, node.name);
  put(w, f.op_type, node.opType);
  put(w, f.attribute, node.attributes.map(encodeAttribute));
  put(w, f.doc_string, node.docString);
  return w.finish();
}

function encodeAttribute(attribute: AttributeSpec): Uint8Array {
  const f = ONNX_FIELDS.AttributeProto;
  const w = new ProtoWriter();
  put(w, f.name, attribute.name);
  if ('float' in attribute) {
    put(w, f.f, attribute.float);
    put(w, f.type, AttributeType.FLOAT);
  } else {
    put(w, f.i, attribute.int);
    put(w, f.type, AttributeType.INT);
  }
  return w.finish();
}

function encodeTensor(tensor: TensorSpec): Uint8Array {
  const f = ONNX_FIELDS.TensorProto;
  const w = new ProtoWriter();
  put(w, f.dims, tensor.dims);
  put(w, f.data_type, tensor.dataType);
  put(w, f.name, tensor.name);
  put(w, f.raw_data, tensor.rawData);
  return w.finish();
}

function encodeValueInfo(info: ValueInfoSpec): Uint8Array {
  const dimension = (d: number | string): Uint8Array => {
    const fd = ONNX_FIELDS['TensorShapeProto.Dimension'];
    const w = new ProtoWriter();
    if (typeof d === 'number') put(w, fd.dim_value, d);
    else put(w, fd.dim_param, d);
    return w.finish();
  };
  const shape = new ProtoWriter();
  put(shape, ONNX_FIELDS.TensorShapeProto.dim, info.shape.map(dimension));
  const tensorType = new ProtoWriter();
  put(tensorType, ONNX_FIELDS['TypeProto.Tensor'].elem_type, info.elemType);
  put(tensorType, ONNX_FIELDS['TypeProto.Tensor'].shape, shape.finish());
  const type = new ProtoWriter();
  put(type, ONNX_FIELDS.TypeProto.tensor_type, tensorType.finish());
  const w = new ProtoWriter();
  put(w, ONNX_FIELDS.ValueInfoProto.name, info.name);
  put(w, ONNX_FIELDS.ValueInfoProto.type, type.finish());
  return w.finish();
}
