/**
 * FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message up to the attribute,
 * XOR 0x5354554e ("STUN"), computed with the header length already counting
 * the FINGERPRINT attribute, which must be the last one.
 */
import { AttributeType } from './attributes/types.js';
import { crc32 } from './crc32.js';
import type { DecodedStunMessage } from './message.js';

export const FINGERPRINT_XOR = 0x5354554e;
export const FINGERPRINT_LENGTH = 4;

/** The FINGERPRINT value for `message[0..end)`, whose length field already includes it. */
export function fingerprintValue(message: Uint8Array, end: number): number {
  return (crc32(message, 0, end) ^ FINGERPRINT_XOR) >>> 0;
}

/**
 * 'absent' when the message has no FINGERPRINT; 'ok' when it is the last
 * attribute and matches; 'bad' otherwise (wrong value, wrong size, or not last).
 */
export function checkFingerprint(message: DecodedStunMessage): 'ok' | 'absent' | 'bad' {
  const attrs = message.attributes;
  const index = attrs.findIndex((a) => a.type === AttributeType.FINGERPRINT);
  if (index < 0) return 'absent';
  const fp = attrs[index]!;
  if (index !== attrs.length - 1 || fp.value.length !== FINGERPRINT_LENGTH) return 'bad';
  const v = fp.value;
  const got = ((v[0]! << 24) | (v[1]! << 16) | (v[2]! << 8) | v[3]!) >>> 0;
  return got === fingerprintValue(message.raw, fp.offset) ? 'ok' : 'bad';
}
