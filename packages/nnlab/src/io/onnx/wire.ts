/**
 * Protocol Buffers' wire format, the writing half that ONNX files need: varints, 32-bit floats
 * and length-delimited fields (strings, bytes, nested messages). A message is written field by
 * field into a ProtoWriter; a nested message is finished first and written as bytes. Runs
 * anywhere (no Node APIs, no dependencies).
 *
 * https://protobuf.dev/programming-guides/encoding/ describes the format.
 */

/** The wire types this writer emits: the low three bits of a field's tag. */
export const WireType = { varint: 0, fixed32: 5, lengthDelimited: 2 } as const;
export type WireType = (typeof WireType)[keyof typeof WireType];

const utf8 = new TextEncoder();

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private length = 0;

  /** An integer field (int32, int64, enum): `value` must be a safe integer; negatives take 10 bytes, as protobuf writes int64. */
  varint(field: number, value: number): this {
    this.tag(field, WireType.varint);
    this.rawVarint(value);
    return this;
  }

  /** A float field (fixed32, little-endian IEEE single). */
  float(field: number, value: number): this {
    this.tag(field, WireType.fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.append(bytes);
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** A bytes field, or a nested message already written to bytes. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.lengthDelimited);
    this.rawVarint(value.length);
    return this.append(value);
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private tag(field: number, wireType: WireType): void {
    if (!Number.isInteger(field) || field < 1) throw new Error(`protobuf: field number must be a positive integer, got ${field}`);
    this.rawVarint(field * 8 + wireType);
  }

  private rawVarint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new Error(`protobuf: varint must be a safe integer, got ${value}`);
    if (value < 0) return this.negativeVarint(value);
    let v = value;
    while (v >= 0x80) {
      this.pending.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.pending.push(v);
  }

  /** NOTE: a negative int64 is written as its 64-bit two's complement, always 10 bytes (protobuf's rule). */
  private negativeVarint(value: number): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.pending.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.pending.push(Number(v));
  }

  private append(bytes: Uint8Array): this {
    this.flush();
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.length += this.pending.length;
    this.pending = [];
  }
}
