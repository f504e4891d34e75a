import { DecodeError } from './errors.js';

const TWO32 = 4294967296;

/**
 * A bounds-checked cursor over a Uint8Array. Every read either returns a value or
 * throws DecodeError with the offset and what was expected; byte slices are
 * zero-copy views into the input.
 */
export class Reader {
  readonly bytes: Uint8Array;
  #pos: number;
  readonly #end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    if (start < 0 || end > bytes.length || start > end) {
      throw new RangeError(`Reader: window ${start}..${end} outside 0..${bytes.length}`);
    }
    this.bytes = bytes;
    this.#pos = start;
    this.#end = end;
  }

  /** Absolute offset of the next byte in `bytes`. */
  get offset(): number {
    return this.#pos;
  }

  get end(): number {
    return this.#end;
  }

  get remaining(): number {
    return this.#end - this.#pos;
  }

  get done(): boolean {
    return this.#pos >= this.#end;
  }

  #need(n: number, expected: string): number {
    const at = this.#pos;
    if (this.#end - at < n) throw new DecodeError(expected, at);
    this.#pos = at + n;
    return at;
  }

  // Lengths that come from the caller (often arithmetic on decoded fields) are
  // checked here: a negative or fractional n would move the cursor backwards or
  // off the byte grid instead of failing.
  #needLength(n: number, expected: string): number {
    if (!Number.isInteger(n) || n < 0) {
      throw new DecodeError(expected, this.#pos, `invalid length ${n}`);
    }
    return this.#need(n, expected);
  }

  u8(expected = 'uint8'): number {
    return this.bytes[this.#need(1, expected)]!;
  }

  u16(expected = 'uint16'): number {
    const i = this.#need(2, expected);
    const b = this.bytes;
    return (b[i]! << 8) | b[i + 1]!;
  }

  u24(expected = 'uint24'): number {
    const i = this.#need(3, expected);
    const b = this.bytes;
    return (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
  }

  u32(expected = 'uint32'): number {
    return u32At(this.bytes, this.#need(4, expected));
  }

  /** 48-bit unsigned (DTLS sequence numbers); exact as a number. */
  u48(expected = 'uint48'): number {
    const i = this.#need(6, expected);
    return ((this.bytes[i]! << 8) | this.bytes[i + 1]!) * TWO32 + u32At(this.bytes, i + 2);
  }

  u64(expected = 'uint64'): bigint {
    const i = this.#need(8, expected);
    return (BigInt(u32At(this.bytes, i)) << 32n) | BigInt(u32At(this.bytes, i + 4));
  }

  /**
   * RFC 9000 §16 variable-length integer as a number. Values above 2^53 (only
   * "unlimited"-style limits in practice) come back as the nearest double; use
   * varintBig() where such values must be exact.
   */
  varint(expected = 'varint'): number {
    const at = this.#pos;
    if (at >= this.#end) throw new DecodeError(expected, at);
    const b = this.bytes;
    const first = b[at]!;
    const len = 1 << (first >> 6);
    this.#need(len, expected);
    if (len === 1) return first;
    if (len === 2) return ((first & 0x3f) << 8) | b[at + 1]!;
    const top = ((first & 0x3f) << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
    if (len === 4) return top;
    // Both halves are exact, so the one addition rounds once, to the nearest
    // double; folding byte by byte would round twice above 2^53.
    return top * TWO32 + u32At(b, at + 4);
  }

  varintBig(expected = 'varint'): bigint {
    const at = this.#pos;
    if (at >= this.#end) throw new DecodeError(expected, at);
    const b = this.bytes;
    const first = b[at]!;
    const len = 1 << (first >> 6);
    this.#need(len, expected);
    let v = BigInt(first & 0x3f);
    for (let i = 1; i < len; i++) v = (v << 8n) | BigInt(b[at + i]!);
    return v;
  }

  /** n bytes as a view into the input. */
  bytesView(n: number, expected = `${n} bytes`): Uint8Array {
    const i = this.#needLength(n, expected);
    return this.bytes.subarray(i, i + n);
  }

  /** Everything left, as a view. */
  rest(): Uint8Array {
    const i = this.#pos;
    this.#pos = this.#end;
    return this.bytes.subarray(i, this.#end);
  }

  skip(n: number, expected = `${n} bytes`): void {
    this.#needLength(n, expected);
  }

  /** A TLS-style vector whose length prefix is 1, 2 or 3 bytes. */
  vector(lengthBytes: 1 | 2 | 3, expected = `vector<${lengthBytes}>`): Uint8Array {
    const n =
      lengthBytes === 1
        ? this.u8(expected)
        : lengthBytes === 2
          ? this.u16(expected)
          : this.u24(expected);
    return this.bytesView(n, expected);
  }

  vector8(expected = 'vector<0..2^8-1>'): Uint8Array {
    return this.vector(1, expected);
  }

  vector16(expected = 'vector<0..2^16-1>'): Uint8Array {
    return this.vector(2, expected);
  }

  vector24(expected = 'vector<0..2^24-1>'): Uint8Array {
    return this.vector(3, expected);
  }

  /** A QUIC-style byte string with a varint length. */
  varintVector(expected = 'varint-prefixed bytes'): Uint8Array {
    return this.bytesView(this.varint(expected), expected);
  }

  /** A sub-reader over a length-prefixed body, with offsets still relative to the whole input. */
  subReader(lengthBytes: 1 | 2 | 3, expected = `vector<${lengthBytes}>`): Reader {
    const body = this.vector(lengthBytes, expected);
    return new Reader(
      this.bytes,
      body.byteOffset - this.bytes.byteOffset,
      body.byteOffset - this.bytes.byteOffset + body.length,
    );
  }

  /** A sub-reader over the next n bytes. */
  take(n: number, expected = `${n} bytes`): Reader {
    const i = this.#needLength(n, expected);
    return new Reader(this.bytes, i, i + n);
  }

  /** Throws unless every byte was consumed (trailing garbage is malformed in every protocol here). */
  expectEnd(what = 'end of input'): void {
    if (this.#pos !== this.#end) {
      throw new DecodeError(what, this.#pos, `${this.#end - this.#pos} unexpected trailing bytes`);
    }
  }

  /** Raises a DecodeError at the current offset for a semantic violation the caller found. */
  fail(expected: string, detail?: string): never {
    throw new DecodeError(expected, this.#pos, detail);
  }
}

function u32At(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) >>> 0) + ((b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!);
}
