/**
 * HMAC keys for STUN's two credential mechanisms (RFC 8489 §9.1.1, §9.2.2,
 * §18.5.1) and the USERHASH of §14.4.
 *
 * Strings are used exactly as given, encoded as UTF-8: the caller applies the
 * OpaqueString profile (RFC 8265) or, for RFC 5389 peers, SASLprep — the RFC
 * 5769 long-term vector's password is "TheMatrIX" only after SASLprep.
 * `opaqueString()` does the common part of OpaqueString (space mapping and NFC).
 */
import type { CryptoProvider } from '@x/crypto';
import { md5 } from './md5.js';
import { PasswordAlgorithm } from './message/attributes/password-algorithms.js';

const encoder = new TextEncoder();

/** RFC 8489 §9.1.1: the short-term key is the password itself. */
export function shortTermKey(password: string): Uint8Array {
  return encoder.encode(password);
}

export type LongTermAlgorithm = 'MD5' | 'SHA-256';

/**
 * RFC 8489 §9.2.2 / §18.5.1: MD5 (16 bytes) or SHA-256 (32 bytes) of
 * username ":" realm ":" password.
 */
export function longTermKey(
  provider: CryptoProvider,
  username: string,
  realm: string,
  password: string,
  algorithm: LongTermAlgorithm = 'MD5',
): Uint8Array {
  const input = encoder.encode(`${username}:${realm}:${password}`);
  return algorithm === 'MD5' ? md5(input) : provider.hash('SHA-256', input);
}

/** The algorithm name for a PASSWORD-ALGORITHM number, or undefined for one we do not know. */
export function longTermAlgorithmOf(algorithm: number): LongTermAlgorithm | undefined {
  if (algorithm === PasswordAlgorithm.MD5) return 'MD5';
  if (algorithm === PasswordAlgorithm.SHA_256) return 'SHA-256';
  return undefined;
}

/** RFC 8489 §14.4: userhash = SHA-256(username ":" realm). */
export function userHash(provider: CryptoProvider, username: string, realm: string): Uint8Array {
  return provider.hash('SHA-256', encoder.encode(`${username}:${realm}`));
}

/**
 * The mapping and normalization steps of the OpaqueString profile (RFC 8265
 * §4.2.2): non-ASCII spaces become U+0020, then Unicode NFC. The profile's
 * disallowed-code-point checks are not applied.
 */
export function opaqueString(text: string): string {
  return text.replace(/[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g, ' ').normalize('NFC');
}
