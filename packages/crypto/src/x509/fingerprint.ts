/**
 * Certificate fingerprints in the SDP a=fingerprint form (RFC 8122 §5,
 * formerly RFC 4572): a hash name and upper-case hex pairs joined by ':'.
 * DTLS-SRTP authenticates the peer's self-signed certificate by this value.
 */
import { constantTimeEqual } from '@x/wire';
import { CryptoError } from '../errors.js';
import { type CryptoProvider, HASH_LENGTH, type HashAlgorithm } from '../provider.js';

export interface CertificateFingerprint {
  readonly hash: HashAlgorithm;
  readonly value: Uint8Array;
}

/** RFC 8122 §5 hash-func tokens (the IANA "Hash Function Textual Names"). */
const SDP_NAME: Readonly<Record<HashAlgorithm, string>> = {
  'SHA-1': 'sha-1',
  'SHA-256': 'sha-256',
  'SHA-384': 'sha-384',
  'SHA-512': 'sha-512',
};
const BY_SDP_NAME: ReadonlyMap<string, HashAlgorithm> = new Map(
  Object.entries(SDP_NAME).map(([alg, name]) => [name, alg as HashAlgorithm]),
);

function hexPairs(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':');
}

/** "AB:CD:..." — the hash of the DER certificate as upper-case hex pairs. */
export function certificateFingerprint(
  provider: CryptoProvider,
  der: Uint8Array,
  hash: HashAlgorithm = 'SHA-256',
): string {
  return hexPairs(provider.hash(hash, der));
}

/** "sha-256 AB:CD:..." — the value of an SDP a=fingerprint attribute. */
export function formatFingerprint(fingerprint: CertificateFingerprint): string {
  return `${SDP_NAME[fingerprint.hash]} ${hexPairs(fingerprint.value)}`;
}

/**
 * Parses "sha-256 AB:CD:..." (the a=fingerprint value). The hash name is
 * case-insensitive (RFC 8122 §5); hex digits are accepted in either case.
 * Unknown hashes (md5, sha-224) raise CryptoError('unsupported').
 */
export function parseFingerprint(text: string): CertificateFingerprint {
  const m = /^\s*(\S+)\s+([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*)\s*$/.exec(text);
  if (!m)
    throw new CryptoError(
      'bad_encoding',
      `fingerprint: expected "<hash> XX:XX:...", got "${text}"`,
    );
  const name = m[1]!.toLowerCase();
  const hash = BY_SDP_NAME.get(name);
  if (hash === undefined)
    throw new CryptoError('unsupported', `fingerprint: unsupported hash "${name}"`);
  const value = Uint8Array.from(m[2]!.split(':'), (pair) => Number.parseInt(pair, 16));
  if (value.length !== HASH_LENGTH[hash]) {
    throw new CryptoError(
      'bad_encoding',
      `fingerprint: ${name} is ${HASH_LENGTH[hash]} bytes, got ${value.length}`,
    );
  }
  return { hash, value };
}

/** Whether the DER certificate has this fingerprint (constant-time comparison). */
export function fingerprintMatches(
  provider: CryptoProvider,
  der: Uint8Array,
  fingerprint: CertificateFingerprint,
): boolean {
  return constantTimeEqual(provider.hash(fingerprint.hash, der), fingerprint.value);
}
