/**
 * MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) and MESSAGE-INTEGRITY-SHA256
 * (§14.6). The HMAC covers the message up to the attribute, with the header's
 * Length field adjusted to end at the integrity attribute: attributes after it
 * (MESSAGE-INTEGRITY-SHA256, FINGERPRINT) are not counted.
 */
import type { CryptoProvider } from '@x/crypto';
import { constantTimeEqual } from '@x/wire';
import { AttributeType } from './attributes/types.js';
import { HEADER_LENGTH } from './header.js';
import { findAttribute } from './lookup.js';
import type { DecodedAttribute, DecodedStunMessage } from './message.js';

export type IntegrityAlgorithm = 'SHA-1' | 'SHA-256';

export const MESSAGE_INTEGRITY_LENGTH = 20;
export const MESSAGE_INTEGRITY_SHA256_LENGTH = 32;

/**
 * HMAC of `message[0..attributeOffset)` with the Length field set as if the
 * message ended after an integrity attribute of `valueLength` bytes at
 * `attributeOffset`. The two length bytes are patched in place and restored,
 * so verifying a received datagram allocates nothing but the HMAC.
 */
export function integrityHmac(
  provider: CryptoProvider,
  algorithm: IntegrityAlgorithm,
  key: Uint8Array,
  message: Uint8Array,
  attributeOffset: number,
  valueLength: number,
): Uint8Array {
  const b2 = message[2]!;
  const b3 = message[3]!;
  const adjusted = attributeOffset + 4 + valueLength - HEADER_LENGTH;
  message[2] = adjusted >>> 8;
  message[3] = adjusted & 0xff;
  try {
    return provider.hmac(algorithm, key, message.subarray(0, attributeOffset));
  } finally {
    message[2] = b2;
    message[3] = b3;
  }
}

/**
 * Which integrity attribute RFC 8489 §9.1.3 says to check: MESSAGE-INTEGRITY-SHA256
 * when present, otherwise MESSAGE-INTEGRITY; undefined when there is neither.
 */
export function integrityAlgorithmOf(message: DecodedStunMessage): IntegrityAlgorithm | undefined {
  if (findAttribute(message, AttributeType.MESSAGE_INTEGRITY_SHA256)) return 'SHA-256';
  if (findAttribute(message, AttributeType.MESSAGE_INTEGRITY)) return 'SHA-1';
  return undefined;
}

function validLength(algorithm: IntegrityAlgorithm, a: DecodedAttribute): boolean {
  const n = a.value.length;
  // §14.6: at least 16 bytes, at most 32, a multiple of 4 (a truncated HMAC-SHA256).
  return algorithm === 'SHA-1' ? n === MESSAGE_INTEGRITY_LENGTH : n >= 16 && n <= 32 && n % 4 === 0;
}

/**
 * Verifies the message's integrity attribute for `algorithm` (by default the one
 * §9.1.3 picks) with `key`. False when the attribute is absent, malformed or wrong.
 */
export function verifyIntegrity(
  message: DecodedStunMessage,
  key: Uint8Array,
  provider: CryptoProvider,
  algorithm: IntegrityAlgorithm | undefined = integrityAlgorithmOf(message),
): boolean {
  if (algorithm === undefined) return false;
  const type =
    algorithm === 'SHA-1'
      ? AttributeType.MESSAGE_INTEGRITY
      : AttributeType.MESSAGE_INTEGRITY_SHA256;
  const attr = findAttribute(message, type);
  if (!attr || !validLength(algorithm, attr)) return false;
  const mac = integrityHmac(provider, algorithm, key, message.raw, attr.offset, attr.value.length);
  return constantTimeEqual(mac.subarray(0, attr.value.length), attr.value);
}
