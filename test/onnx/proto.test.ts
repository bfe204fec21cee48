/**
 * nnlab's protobuf writer against the references: every ONNX field it writes has the number,
 * type and repetition the official onnx.proto declares (read by protobufjs), is written with
 * that type's wire type, and what the writer emits reads back in protobufjs as written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import protobuf from 'protobufjs';
import { AttributeType, DataType, ONNX_FIELDS, wireTypeOf } from '../../packages/nnlab/src/io/onnx/proto.js';
import { ProtoWriter } from '../../packages/nnlab/src/io/onnx/wire.js';
import { onnxRoot } from './onnx-tools.js';

const fields = Object.entries(ONNX_FIELDS).flatMap(([message, byName]) =>
  Object.entries(byName).map(([name, field]) => ({ label: `${message}.${name}`, message, name, field: field as { number: number; type: string; repeated: boolean } })),
);

/** The wire type protobuf gives a field of this declared type. */
function protobufWireType(field: protobuf.Field): number {
  const basic = (protobuf.types.basic as Record<string, number | undefined>)[field.type];
  if (basic !== undefined) return basic;
  return field.resolvedType instanceof protobuf.Enum ? 0 : 2;
}

describe('ONNX_FIELDS against onnx.proto (ONNX v1.22.0)', () => {
  it('lists the fields of every message nnlab writes', () => {
    expect(fields.length).toBeGreaterThan(30);
  });

  it.each(fields)('$label has the number, type and repetition onnx.proto declares, and its wire type', ({ message, name, field }) => {
    const declared = onnxRoot.lookupType(`onnx.${message}`).fields[name];
    expect(declared, `onnx.proto has no ${message}.${name}`).toBeDefined();
    declared.resolve();
    expect(field.number).toBe(declared.id);
    expect(declared.resolvedType === null ? declared.type : declared.resolvedType.fullName.replace(/^\.onnx\./, '')).toBe(field.type);
    expect(field.repeated).toBe(declared.repeated);
    // Repeated values are written one field each, the encoding onnx.proto implies when it does not declare them packed.
    if (declared.repeated) expect(declared.packed).toBe(false);
    expect(wireTypeOf(field.type as never)).toBe(protobufWireType(declared));
  });

  it('DataType and AttributeType values are the enums in onnx.proto', () => {
    expect(DataType).toEqual({ FLOAT: onnxRoot.lookupEnum('onnx.TensorProto.DataType').values.FLOAT, DOUBLE: onnxRoot.lookupEnum('onnx.TensorProto.DataType').values.DOUBLE });
    const attributeTypes = onnxRoot.lookupEnum('onnx.AttributeProto.AttributeType').values;
    expect(AttributeType).toEqual({ FLOAT: attributeTypes.FLOAT, INT: attributeTypes.INT });
  });
});

describe('ProtoWriter, read back by protobufjs', () => {
  const VARINTS = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER, -1, -300, Number.MIN_SAFE_INTEGER];

  it.each(VARINTS)('varint(1, %d) reads back as that int64', (value) => {
    const reader = protobuf.Reader.create(new ProtoWriter().varint(1, value).finish());
    expect(reader.uint32()).toBe((1 << 3) | 0);
    expect(Number(reader.int64())).toBe(value);
    expect(reader.pos).toBe(reader.len);
  });

  it('float, string and bytes fields read back with their field numbers, in order', () => {
    const bytes = new ProtoWriter().float(2, 0.01).string(3, 'ε → 1').bytes(15, Uint8Array.of(0, 255, 7)).finish();
    const reader = protobuf.Reader.create(bytes);
    expect([reader.uint32(), reader.float()]).toEqual([(2 << 3) | 5, Math.fround(0.01)]);
    expect([reader.uint32(), reader.string()]).toEqual([(3 << 3) | 2, 'ε → 1']);
    expect([reader.uint32(), Array.from(reader.bytes())]).toEqual([(15 << 3) | 2, [0, 255, 7]]);
    expect(reader.pos).toBe(reader.len);
  });

  it('refuses numbers a varint cannot hold exactly, and field numbers below 1', () => {
    expect(() => new ProtoWriter().varint(1, 2 ** 53)).toThrow('protobuf: varint must be a safe integer, got 9007199254740992');
    expect(() => new ProtoWriter().varint(1, 0.5)).toThrow('protobuf: varint must be a safe integer, got 0.5');
    expect(() => new ProtoWriter().varint(0, 1)).toThrow('protobuf: field number must be a positive integer, got 0');
  });
});

describe('src/io/onnx', () => {
  it('imports only nnlab\'s own files: no package (the library has no runtime dependency) and no node: module', () => {
    const folder = fileURLToPath(new URL('../../packages/nnlab/src/io/onnx/', import.meta.url));
    const sources = readdirSync(folder).filter((file) => file.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(3);
    const outside = sources.flatMap((file) =>
      [...readFileSync(folder + file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]).filter((s) => !s.startsWith('.')).map((s) => `${file}: ${s}`),
    );
    expect(outside).toEqual([]);
  });
});
