/**
 * A small, strict DER reader and writer (X.690 §10) for the structures where we
 * need exact bytes or stricter rules than @peculiar/asn1-schema gives: the
 * signed TBSCertificate span, raw issuer/subject names for exact matching,
 * BIT STRING unused-bit checks, key encodings (SPKI, PKCS#8, SEC1) and
 * RSASSA-PSS parameters. The peculiar parser is BER-lenient and ignores
 * trailing bytes, so every certificate first passes `checkDerStructure`.
 */
import { DecodeError, Reader } from '@x/wire';
import { CryptoError } from '../errors.js';

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag [n], constructed (EXPLICIT or IMPLICIT over a constructed type). */
export const contextConstructed = (n: number): number => 0xa0 | n;
/** Context-specific tag [n], primitive (IMPLICIT over a primitive type). */
export const contextPrimitive = (n: number): number => 0x80 | n;

export function badEncoding(message: string): CryptoError {
  return new CryptoError('bad_encoding', message);
}

/**
 * Runs a decoder and turns anything it throws that is not already a CryptoError
 * (DecodeError from @x/wire, asn1js / peculiar exceptions, RangeError) into
 * CryptoError('bad_encoding'), so callers only ever see the SDK's typed error.
 */
export function decoding<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    const detail = e instanceof Error ? e.message : String(e);
    throw badEncoding(`${what}: ${detail}`);
  }
}

/** One tag-length-value, with views into the input (no copies). */
export interface Tlv {
  readonly tag: number;
  /** The whole encoding: identifier, length and contents. */
  readonly der: Uint8Array;
  /** The contents octets. */
  readonly value: Uint8Array;
}

/** A cursor over a run of TLVs (the contents of a SEQUENCE or SET, or a whole input). */
export class DerReader {
  readonly #r: Reader;
  readonly #what: string;

  constructor(bytes: Uint8Array, what: string) {
    this.#r = new Reader(bytes);
    this.#what = what;
  }

  get done(): boolean {
    return this.#r.done;
  }

  /** The tag of the next TLV, or undefined at the end. */
  peekTag(): number | undefined {
    return this.#r.done ? undefined : this.#r.bytes[this.#r.offset];
  }

  /** Reads the next TLV; with `tag`, it must have that tag. */
  next(tag?: number, field = 'element'): Tlv {
    const tlv = readTlv(this.#r, `${this.#what} ${field}`);
    if (tag !== undefined && tlv.tag !== tag) {
      throw badEncoding(
        `${this.#what}: expected ${field} (tag 0x${hex2(tag)}), found tag 0x${hex2(tlv.tag)}`,
      );
    }
    return tlv;
  }

  /** Reads the next TLV only if it has this tag (OPTIONAL and DEFAULT fields). */
  optional(tag: number, field?: string): Tlv | undefined {
    return this.peekTag() === tag ? this.next(tag, field) : undefined;
  }

  /** DER forbids trailing data inside a SEQUENCE (and after a whole encoding). */
  end(): void {
    if (!this.#r.done) {
      throw badEncoding(`${this.#what}: ${this.#r.remaining} unexpected trailing bytes`);
    }
  }
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

function readTlv(r: Reader, what: string): Tlv {
  try {
    const start = r.offset;
    const tag = r.u8();
    // X.690 §8.1.2.4: tag numbers >= 31 use a multi-byte identifier; nothing in
    // X.509 or the key formats uses one, so it can only be garbage.
    if ((tag & 0x1f) === 0x1f) throw badEncoding(`${what}: high tag numbers are not used here`);
    const first = r.u8();
    let length: number;
    if (first < 0x80) {
      length = first;
    } else if (first === 0x80) {
      // X.690 §10.1: DER uses the definite form only.
      throw badEncoding(`${what}: indefinite length is not DER`);
    } else {
      const n = first & 0x7f;
      if (n > 4) throw badEncoding(`${what}: length of ${n} octets is too long`);
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + r.u8();
      // X.690 §10.1: the length must use the fewest octets possible.
      if (length < 0x80 || length < 256 ** (n - 1)) {
        throw badEncoding(`${what}: non-minimal length encoding`);
      }
    }
    const value = r.bytesView(length, what);
    const end = value.byteOffset - r.bytes.byteOffset + value.length;
    return { tag, der: r.bytes.subarray(start, end), value };
  } catch (e) {
    if (e instanceof DecodeError) throw badEncoding(`${what}: truncated at offset ${e.offset}`);
    throw e;
  }
}

/** The input must be exactly one TLV with this tag. */
export function parseTlv(bytes: Uint8Array, tag: number, what: string): Tlv {
  const r = new DerReader(bytes, what);
  const tlv = r.next(tag, what);
  r.end();
  return tlv;
}

/** Reader over the contents of a constructed TLV. */
export function contents(tlv: Tlv, what: string): DerReader {
  return new DerReader(tlv.value, what);
}

const MAX_DEPTH = 24;

/**
 * Walks every constructed TLV of `bytes` and checks that it is one well-formed
 * DER value: definite minimal lengths, children exactly filling their parent,
 * nothing after the end. Depth is bounded so hostile nesting cannot exhaust the
 * stack (real certificates nest about 10 deep).
 */
export function checkDerStructure(bytes: Uint8Array, what: string): void {
  const walk = (data: Uint8Array, depth: number): void => {
    if (depth > MAX_DEPTH) throw badEncoding(`${what}: nested more than ${MAX_DEPTH} levels`);
    const r = new DerReader(data, what);
    while (!r.done) {
      const tlv = r.next();
      if (tlv.tag & 0x20) walk(tlv.value, depth + 1);
    }
  };
  const top = new DerReader(bytes, what);
  const tlv = top.next();
  top.end();
  if (tlv.tag & 0x20) walk(tlv.value, 1);
}

/** An INTEGER's contents, checked for DER minimality (X.690 §8.3.2). */
export function integerBytes(tlv: Tlv, what: string): Uint8Array {
  if (tlv.tag !== TAG.INTEGER) throw badEncoding(`${what}: not an INTEGER`);
  const v = tlv.value;
  if (v.length === 0) throw badEncoding(`${what}: empty INTEGER`);
  if (v.length > 1 && ((v[0] === 0 && v[1]! < 0x80) || (v[0] === 0xff && v[1]! >= 0x80))) {
    throw badEncoding(`${what}: non-minimal INTEGER`);
  }
  return v;
}

/** A non-negative INTEGER as its big-endian magnitude without the sign octet. */
export function unsignedInteger(tlv: Tlv, what: string): Uint8Array {
  const v = integerBytes(tlv, what);
  if (v[0]! & 0x80) throw badEncoding(`${what}: negative INTEGER`);
  return v[0] === 0 && v.length > 1 ? v.subarray(1) : v;
}

/** A small non-negative INTEGER (versions, path lengths, salt lengths). */
export function smallInteger(tlv: Tlv, what: string, max = 0x7fffffff): number {
  const v = unsignedInteger(tlv, what);
  if (v.length > 4) throw badEncoding(`${what}: INTEGER too large`);
  let n = 0;
  for (const b of v) n = n * 256 + b;
  if (n > max) throw badEncoding(`${what}: ${n} is larger than ${max}`);
  return n;
}

/**
 * A BIT STRING that carries whole octets (keys, signatures): X.509 and the key
 * formats never have unused bits there, so a non-zero count is malformed.
 */
export function bitStringOctets(tlv: Tlv, what: string): Uint8Array {
  if (tlv.tag !== TAG.BIT_STRING) throw badEncoding(`${what}: not a BIT STRING`);
  if (tlv.value.length === 0 || tlv.value[0] !== 0) {
    throw badEncoding(`${what}: BIT STRING must have zero unused bits`);
  }
  return tlv.value.subarray(1);
}

/** OBJECT IDENTIFIER contents to dotted form (X.690 §8.19). */
export function decodeOid(tlv: Tlv, what: string): string {
  if (tlv.tag !== TAG.OID) throw badEncoding(`${what}: not an OBJECT IDENTIFIER`);
  const v = tlv.value;
  if (v.length === 0 || v[v.length - 1]! & 0x80) throw badEncoding(`${what}: truncated OID`);
  const arcs: number[] = [];
  let n = 0;
  let fresh = true;
  for (const b of v) {
    // §8.19.2: each arc is minimal, so it cannot start with 0x80.
    if (fresh && b === 0x80) throw badEncoding(`${what}: non-minimal OID arc`);
    if (n > 2 ** 45) throw badEncoding(`${what}: OID arc too large`);
    n = n * 128 + (b & 0x7f);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      arcs.push(n);
      n = 0;
    }
  }
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

// ---------------------------------------------------------------- writing

function lengthOctets(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) out.unshift(x & 0xff);
  return [0x80 | out.length, ...out];
}

/** One TLV around the concatenated contents. */
export function encodeTlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const head = [tag, ...lengthOctets(n)];
  const out = new Uint8Array(head.length + n);
  out.set(head);
  let o = head.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const encodeSequence = (...parts: Uint8Array[]): Uint8Array =>
  encodeTlv(TAG.SEQUENCE, ...parts);

/** A non-negative INTEGER from a big-endian magnitude (leading zeros trimmed, sign octet added). */
export function encodeUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.length === 0 ? new Uint8Array(1) : magnitude.subarray(i);
  return m[0]! & 0x80 ? encodeTlv(TAG.INTEGER, new Uint8Array(1), m) : encodeTlv(TAG.INTEGER, m);
}

export const encodeSmallInteger = (n: number): Uint8Array => {
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return encodeUnsignedInteger(Uint8Array.from(bytes));
};

export const encodeOctetString = (v: Uint8Array): Uint8Array => encodeTlv(TAG.OCTET_STRING, v);

export const encodeBitString = (v: Uint8Array): Uint8Array =>
  encodeTlv(TAG.BIT_STRING, new Uint8Array(1), v);

export const encodeNull = (): Uint8Array => Uint8Array.of(TAG.NULL, 0);

export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = arcs;
  const out: number[] = [];
  for (const arc of [a * 40 + b, ...rest]) {
    const chunk = [arc & 0x7f];
    for (let x = Math.floor(arc / 128); x > 0; x = Math.floor(x / 128))
      chunk.unshift(0x80 | (x & 0x7f));
    out.push(...chunk);
  }
  return encodeTlv(TAG.OID, Uint8Array.from(out));
}
