import type { HashAlgorithm } from '../provider.js';
import type { AeadFactory } from './aead-factory.js';
import { BUILTIN_SUITES } from './builtin.js';

export type SuiteFamily = 'tls13' | 'tls12' | 'srtp';

interface SuiteBase {
  /** IANA code point: TLS cipher suite (RFC 8446 B.4, TLS registry) or DTLS-SRTP profile (RFC 5764 §4.1.2). */
  readonly id: number;
  /** IANA name, e.g. TLS_AES_128_GCM_SHA256 or SRTP_AEAD_AES_128_GCM. */
  readonly name: string;
  readonly family: SuiteFamily;
}

/** RFC 8446 §5.3: per-record nonce = iv XOR sequence; QUIC v1 uses the same rule. */
export interface Tls13Suite extends SuiteBase {
  readonly family: 'tls13';
  readonly hash: HashAlgorithm;
  readonly aead: AeadFactory;
  /** Header-protection cipher for QUIC (RFC 9001 §5.4.3/§5.4.4). */
  readonly headerProtection: 'aes' | 'chacha20';
}

/** TLS/DTLS 1.2 AEAD suites (RFC 5288 GCM with explicit nonce, RFC 7905 ChaCha20 with XOR nonce). */
export interface Tls12Suite extends SuiteBase {
  readonly family: 'tls12';
  readonly hash: HashAlgorithm;
  readonly aead: AeadFactory;
  readonly keyExchange: 'ECDHE';
  readonly authentication: 'ECDSA' | 'RSA';
  /** Bytes of the key block IV ("salt" for GCM, the whole IV for ChaCha20). */
  readonly fixedIvLength: number;
  /** Explicit nonce bytes carried in each record (8 for GCM, 0 for ChaCha20). */
  readonly recordIvLength: number;
}

/** SRTP protection profiles (RFC 3711, RFC 7714); the transforms live in @x/srtp. */
export interface SrtpProfile extends SuiteBase {
  readonly family: 'srtp';
  readonly cipher: 'AES-CM' | 'AES-GCM';
  readonly masterKeyLength: number;
  readonly masterSaltLength: number;
  /** Authentication tag length of SRTP packets. */
  readonly srtpTagLength: number;
  /** Authentication tag length of SRTCP packets (80 bits even for the _32 profile, RFC 5764 §4.1.2). */
  readonly srtcpTagLength: number;
  /** HMAC-SHA1 session authentication key length (AES-CM profiles). */
  readonly authKeyLength?: number;
  readonly aead?: AeadFactory;
}

export type CipherSuite = Tls13Suite | Tls12Suite | SrtpProfile;
type SuiteOf<F extends SuiteFamily> = Extract<CipherSuite, { family: F }>;

const byFamily: { [F in SuiteFamily]: Map<number, SuiteOf<F>> } = {
  tls13: new Map(),
  tls12: new Map(),
  srtp: new Map(),
};

/**
 * Adds a suite. The built-in suites are registered through this same call, so a
 * user suite is negotiated exactly like ours. Registering an existing code point
 * replaces it (so an application can swap in its own implementation).
 */
export function registerCipherSuite(suite: CipherSuite): void {
  if (!Number.isInteger(suite.id) || suite.id < 0 || suite.id > 0xffff) {
    throw new RangeError(`cipher suite code point out of range: ${suite.id}`);
  }
  (byFamily[suite.family] as Map<number, CipherSuite>).set(suite.id, suite);
}

export function unregisterCipherSuite(family: SuiteFamily, id: number): boolean {
  return byFamily[family].delete(id);
}

/** The suite for a code point, or undefined: an unknown code point is simply not offered or accepted. */
export function getCipherSuite<F extends SuiteFamily>(
  family: F,
  id: number,
): SuiteOf<F> | undefined {
  return byFamily[family].get(id) as SuiteOf<F> | undefined;
}

export function findCipherSuite<F extends SuiteFamily>(
  family: F,
  name: string,
): SuiteOf<F> | undefined {
  for (const s of byFamily[family].values()) if (s.name === name) return s as SuiteOf<F>;
  return undefined;
}

/** Registered suites of a family, in registration order (the default preference order). */
export function listCipherSuites<F extends SuiteFamily>(family: F): SuiteOf<F>[] {
  return [...byFamily[family].values()] as SuiteOf<F>[];
}

for (const suite of BUILTIN_SUITES) registerCipherSuite(suite);
