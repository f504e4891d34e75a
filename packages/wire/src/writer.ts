import { EncodeError } from './errors.js';
import { type VarintLength, varintLength } from './varint.js';

const TWO32 = 4294967296;
const MAX_FOR_LENGTH: Record<VarintLength, number> = {
  1: 63,
  2: 16383,
  4: 1073741823,
  8: Number.MAX_SAFE_INTEGER,
};

/**
 * An append-only byte builder. A growable writer doubles its buffer; a fixed one
 * (`Writer.into(buffer)`) writes into caller-owned memory and throws EncodeError
 * when full, for hot paths that must not allocate.
 *
 * A call that throws leaves the writer as it was before the call, so a packet
 * builder can try a frame, catch the overflow and send what it has.
 */
export class Writer {
  #buf: Uint8Array;
  #pos = 0;
  #fixed = false;

  constructor(initialCapacity = 256) {
    this.#buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** A writer over caller-owned memory; it never allocates and throws EncodeError when full. */
  static into(buffer: Uint8Array): Writer {
    const w = new Writer(0);
    w.#buf = buffer;
    w.#fixed = true;
    return w;
  }

  get length(): number {
    return this.#pos;
  }

  /**
   * Reserves n bytes and returns where they start. It may swap in a bigger
   * buffer, so callers read #buf only after calling it.
   */
  #room(n: number): number {
    const at = this.#pos;
    const need = at + n;
    if (need > this.#buf.length) {
      if (this.#fixed) {
        throw new EncodeError(`Writer: ${n} bytes do not fit (${this.#buf.length - at} left)`);
      }
      let cap = this.#buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
    }
    this.#pos = need;
    return at;
  }

  // A Uint8Array store silently keeps the low bits, so without these checks an
  // out-of-range length or code point would go on the wire truncated.
  u8(v: number): this {
    if ((v & 0xff) !== v) throw new EncodeError(`uint8 out of range: ${v}`);
    const i = this.#room(1);
    this.#buf[i] = v;
    return this;
  }

  u16(v: number): this {
    if ((v & 0xffff) !== v) throw new EncodeError(`uint16 out of range: ${v}`);
    const i = this.#room(2);
    put16(this.#buf, i, v);
    return this;
  }

  u24(v: number): this {
    if ((v & 0xffffff) !== v) throw new EncodeError(`uint24 out of range: ${v}`);
    const i = this.#room(3);
    put24(this.#buf, i, v);
    return this;
  }

  u32(v: number): this {
    if (v >>> 0 !== v) throw new EncodeError(`uint32 out of range: ${v}`);
    const i = this.#room(4);
    put32(this.#buf, i, v);
    return this;
  }

  u48(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** 48) {
      throw new EncodeError(`uint48 out of range: ${v}`);
    }
    const i = this.#room(6);
    put16(this.#buf, i, Math.floor(v / TWO32));
    put32(this.#buf, i + 2, v >>> 0);
    return this;
  }

  u64(v: bigint | number): this {
    if (typeof v === 'number' && !Number.isInteger(v)) {
      throw new EncodeError(`uint64 out of range: ${v}`);
    }
    const b = BigInt(v);
    if (b < 0n || b >= 1n << 64n) throw new EncodeError(`uint64 out of range: ${v}`);
    const i = this.#room(8);
    put32(this.#buf, i, Number(b >> 32n));
    put32(this.#buf, i + 4, Number(b & 0xffffffffn));
    return this;
  }

  /**
   * RFC 9000 §16 varint, minimal unless `length` forces a longer encoding (used
   * for length fields that are back-patched, like the long-header Length).
   */
  varint(v: number | bigint, length?: VarintLength): this {
    const min = varintLength(v);
    const len = length ?? min;
    if (len !== 1 && len !== 2 && len !== 4 && len !== 8) {
      throw new EncodeError(`varint length must be 1, 2, 4 or 8, not ${len}`);
    }
    if (len < min) throw new EncodeError(`varint ${v} does not fit in ${len} bytes`);
    const i = this.#room(len);
    if (typeof v === 'number') {
      writeVarintAt(this.#buf, i, v, len);
      return this;
    }
    const buf = this.#buf;
    let x = v;
    for (let k = len - 1; k >= 0; k--) {
      buf[i + k] = Number(x & 0xffn);
      x >>= 8n;
    }
    buf[i] = buf[i]! | (Math.log2(len) << 6);
    return this;
  }

  bytes(b: Uint8Array): this {
    const i = this.#room(b.length);
    this.#buf.set(b, i);
    return this;
  }

  zeros(n: number): this {
    if (!Number.isInteger(n) || n < 0) throw new EncodeError(`zeros: invalid count ${n}`);
    const i = this.#room(n);
    this.#buf.fill(0, i, i + n);
    return this;
  }

  /** TLS-style vector: a 1-, 2- or 3-byte length, then the bytes. */
  vector(lengthBytes: 1 | 2 | 3, b: Uint8Array): this {
    const n = b.length;
    if (n >= 2 ** (8 * lengthBytes)) {
      throw new EncodeError(`vector of ${n} bytes exceeds a ${lengthBytes}-byte length`);
    }
    const i = this.#room(lengthBytes + n);
    const buf = this.#buf;
    if (lengthBytes === 1) buf[i] = n;
    else if (lengthBytes === 2) put16(buf, i, n);
    else put24(buf, i, n);
    buf.set(b, i + lengthBytes);
    return this;
  }

  vector8(b: Uint8Array): this {
    return this.vector(1, b);
  }

  vector16(b: Uint8Array): this {
    return this.vector(2, b);
  }

  vector24(b: Uint8Array): this {
    return this.vector(3, b);
  }

  /** QUIC-style byte string with a varint length. */
  varintVector(b: Uint8Array): this {
    const len = varintLength(b.length);
    const i = this.#room(len + b.length);
    writeVarintAt(this.#buf, i, b.length, len);
    this.#buf.set(b, i + len);
    return this;
  }

  /**
   * Writes a length-prefixed body built by `body`, back-patching the length once
   * the body is known. `lengthBytes` 1/2/3 is a TLS length, `{ varint: n }` a QUIC
   * varint of forced length n. If the body throws, or is too long for the length,
   * everything from the length field on is taken back.
   */
  withLength(lengthBytes: 1 | 2 | 3 | { varint: VarintLength }, body: (w: this) => void): this {
    const isVarint = typeof lengthBytes === 'object';
    const size = isVarint ? lengthBytes.varint : lengthBytes;
    const max = isVarint ? MAX_FOR_LENGTH[size as VarintLength] : 2 ** (8 * size) - 1;
    if (max === undefined || (!isVarint && size !== 1 && size !== 2 && size !== 3)) {
      throw new EncodeError(`withLength: invalid length size ${size}`);
    }
    const at = this.#room(size);
    try {
      body(this);
    } catch (e) {
      this.#pos = at;
      throw e;
    }
    const n = this.#pos - at - size;
    if (n > max) {
      this.#pos = at;
      throw new EncodeError(`body of ${n} bytes exceeds a ${size}-byte length`);
    }
    const buf = this.#buf;
    if (isVarint) writeVarintAt(buf, at, n, size as VarintLength);
    else if (size === 1) buf[at] = n;
    else if (size === 2) put16(buf, at, n);
    else put24(buf, at, n);
    return this;
  }

  /** The bytes written so far, as a view of the internal buffer (no copy). */
  finish(): Uint8Array {
    return this.#buf.subarray(0, this.#pos);
  }

  /** Forget what was written, keeping the buffer, for reuse on a hot path. */
  reset(): void {
    this.#pos = 0;
  }
}

function put16(buf: Uint8Array, i: number, v: number): void {
  buf[i] = v >>> 8;
  buf[i + 1] = v;
}

function put24(buf: Uint8Array, i: number, v: number): void {
  buf[i] = v >>> 16;
  buf[i + 1] = v >>> 8;
  buf[i + 2] = v;
}

function put32(buf: Uint8Array, i: number, v: number): void {
  buf[i] = v >>> 24;
  buf[i + 1] = v >>> 16;
  buf[i + 2] = v >>> 8;
  buf[i + 3] = v;
}

function writeVarintAt(buf: Uint8Array, i: number, v: number, len: VarintLength): void {
  if (len === 1) {
    buf[i] = v;
  } else if (len === 2) {
    put16(buf, i, 0x4000 | v);
  } else if (len === 4) {
    put32(buf, i, (0x80000000 | v) >>> 0);
  } else {
    put32(buf, i, (0xc0000000 | Math.floor(v / TWO32)) >>> 0);
    put32(buf, i + 4, v >>> 0);
  }
}
