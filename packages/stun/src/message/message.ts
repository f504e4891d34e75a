/**
 * A STUN message as a header plus an ordered attribute list (RFC 8489 §5, §14),
 * decoded zero-copy and encoded in one allocation, with MESSAGE-INTEGRITY,
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT computed as the last attributes.
 */
import type { CryptoProvider } from '@x/crypto';
import { DecodeError } from '@x/wire';
import { AttributeType } from './attributes/types.js';
import { FINGERPRINT_LENGTH, fingerprintValue } from './fingerprint.js';
import {
  decodeHeader,
  HEADER_LENGTH,
  MAGIC_COOKIE,
  messageType,
  type StunClass,
  TRANSACTION_ID_LENGTH,
} from './header.js';
import {
  type IntegrityAlgorithm,
  integrityHmac,
  MESSAGE_INTEGRITY_LENGTH,
  MESSAGE_INTEGRITY_SHA256_LENGTH,
} from './integrity.js';

export interface StunAttribute {
  readonly type: number;
  readonly value: Uint8Array;
}

export interface DecodedAttribute extends StunAttribute {
  /** Offset of the attribute's 4-byte header in the message. */
  readonly offset: number;
}

export interface StunMessage {
  readonly method: number;
  readonly class: StunClass;
  /** 96 bits. */
  readonly transactionId: Uint8Array;
  /** In wire order; duplicates allowed (only the first counts, §14). */
  readonly attributes: readonly StunAttribute[];
}

export interface DecodedStunMessage extends StunMessage {
  readonly attributes: readonly DecodedAttribute[];
  /** The datagram it was decoded from; attribute values are views into it. */
  readonly raw: Uint8Array;
}

/**
 * Decodes one STUN message that fills the whole datagram. Attribute values are
 * views into `bytes`. Throws DecodeError on a bad header or attribute framing;
 * attribute values are only checked by their own decoders.
 */
export function decodeMessage(bytes: Uint8Array): DecodedStunMessage {
  const header = decodeHeader(bytes);
  const attributes: DecodedAttribute[] = [];
  let at = HEADER_LENGTH;
  const end = bytes.length;
  while (at < end) {
    if (end - at < 4) throw new DecodeError('attribute header', at);
    const type = (bytes[at]! << 8) | bytes[at + 1]!;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const padded = (length + 3) & ~3;
    if (end - at - 4 < padded) {
      throw new DecodeError(
        'attribute value',
        at + 2,
        `attribute 0x${type.toString(16)} of ${length} bytes runs past the end of the message`,
      );
    }
    attributes.push({ type, value: bytes.subarray(at + 4, at + 4 + length), offset: at });
    at += 4 + padded;
  }
  return {
    method: header.method,
    class: header.class,
    transactionId: header.transactionId,
    attributes,
    raw: bytes,
  };
}

export interface IntegrityOptions {
  /** HMAC key: the password (short-term) or MD5/SHA-256 of username:realm:password (long-term). */
  readonly key: Uint8Array;
  readonly provider: CryptoProvider;
  /** Which attributes to add, in this order: SHA-1 = MESSAGE-INTEGRITY (default ['SHA-1']). */
  readonly algorithms?: readonly IntegrityAlgorithm[];
}

export interface EncodeOptions {
  /** Appends MESSAGE-INTEGRITY and/or MESSAGE-INTEGRITY-SHA256 after the attributes. */
  readonly integrity?: IntegrityOptions;
  /** Appends FINGERPRINT as the last attribute (RFC 8489 §7). */
  readonly fingerprint?: boolean;
  /** The padding byte (RFC 8489 §14: zero on sending; RFC 5769 pads some vectors with spaces). */
  readonly padding?: number;
}

/**
 * Encodes `message` (its attributes in order), then the integrity attributes
 * and FINGERPRINT if asked, into one new Uint8Array.
 */
export function encodeMessage(message: StunMessage, options: EncodeOptions = {}): Uint8Array {
  if (message.transactionId.length !== TRANSACTION_ID_LENGTH) {
    throw new RangeError(`a STUN transaction ID is 12 bytes, not ${message.transactionId.length}`);
  }
  const algorithms = options.integrity ? (options.integrity.algorithms ?? ['SHA-1']) : [];
  let size = HEADER_LENGTH;
  for (const a of message.attributes) {
    if (a.value.length > 0xffff)
      throw new RangeError(`attribute 0x${a.type.toString(16)} is too long`);
    size += 4 + ((a.value.length + 3) & ~3);
  }
  for (const alg of algorithms) {
    size += 4 + (alg === 'SHA-1' ? MESSAGE_INTEGRITY_LENGTH : MESSAGE_INTEGRITY_SHA256_LENGTH);
  }
  if (options.fingerprint) size += 4 + FINGERPRINT_LENGTH;
  if (size - HEADER_LENGTH > 0xffff) throw new RangeError('STUN message longer than 65535 bytes');

  const out = new Uint8Array(size);
  const pad = options.padding ?? 0;
  const type = messageType(message.method, message.class);
  out[0] = type >>> 8;
  out[1] = type & 0xff;
  out[4] = MAGIC_COOKIE >>> 24;
  out[5] = (MAGIC_COOKIE >>> 16) & 0xff;
  out[6] = (MAGIC_COOKIE >>> 8) & 0xff;
  out[7] = MAGIC_COOKIE & 0xff;
  out.set(message.transactionId, 8);
  let at = HEADER_LENGTH;
  const putHeader = (t: number, length: number) => {
    if (!Number.isInteger(t) || t < 0 || t > 0xffff) throw new RangeError(`attribute type ${t}`);
    out[at] = t >>> 8;
    out[at + 1] = t & 0xff;
    out[at + 2] = length >>> 8;
    out[at + 3] = length & 0xff;
  };
  for (const a of message.attributes) {
    putHeader(a.type, a.value.length);
    out.set(a.value, at + 4);
    const end = at + 4 + ((a.value.length + 3) & ~3);
    if (pad !== 0) out.fill(pad, at + 4 + a.value.length, end);
    at = end;
  }
  for (const alg of algorithms) {
    const { key, provider } = options.integrity!;
    const n = alg === 'SHA-1' ? MESSAGE_INTEGRITY_LENGTH : MESSAGE_INTEGRITY_SHA256_LENGTH;
    putHeader(
      alg === 'SHA-1' ? AttributeType.MESSAGE_INTEGRITY : AttributeType.MESSAGE_INTEGRITY_SHA256,
      n,
    );
    out.set(integrityHmac(provider, alg, key, out, at, n).subarray(0, n), at + 4);
    at += 4 + n;
  }
  const length = size - HEADER_LENGTH;
  out[2] = length >>> 8;
  out[3] = length & 0xff;
  if (options.fingerprint) {
    putHeader(AttributeType.FINGERPRINT, FINGERPRINT_LENGTH);
    const fp = fingerprintValue(out, at);
    out[at + 4] = fp >>> 24;
    out[at + 5] = (fp >>> 16) & 0xff;
    out[at + 6] = (fp >>> 8) & 0xff;
    out[at + 7] = fp & 0xff;
  }
  return out;
}
