/**
 * RFC 8446 §4.2.3 SignatureScheme values and what each means for a key: the
 * schemes we sign with (ECDSA P-256/P-384, Ed25519, RSASSA-PSS rsae with an
 * rsaEncryption key) and the ones we verify (those plus rsa_pss_pss; PKCS#1
 * v1.5 only inside certificates).
 */
import type { PrivateKey, PublicKey, SignatureAlgorithm } from '@x/crypto';
import { tlsError } from './alerts.js';

export const SignatureScheme = {
  rsa_pkcs1_sha256: 0x0401,
  rsa_pkcs1_sha384: 0x0501,
  rsa_pkcs1_sha512: 0x0601,
  ecdsa_secp256r1_sha256: 0x0403,
  ecdsa_secp384r1_sha384: 0x0503,
  ecdsa_secp521r1_sha512: 0x0603,
  rsa_pss_rsae_sha256: 0x0804,
  rsa_pss_rsae_sha384: 0x0805,
  rsa_pss_rsae_sha512: 0x0806,
  ed25519: 0x0807,
  ed448: 0x0808,
  rsa_pss_pss_sha256: 0x0809,
  rsa_pss_pss_sha384: 0x080a,
  rsa_pss_pss_sha512: 0x080b,
} as const;

/** What we offer in signature_algorithms: every scheme we can verify in a CertificateVerify. */
export const VERIFY_SCHEMES: readonly number[] = [
  SignatureScheme.ecdsa_secp256r1_sha256,
  SignatureScheme.ecdsa_secp384r1_sha384,
  SignatureScheme.ed25519,
  SignatureScheme.rsa_pss_rsae_sha256,
  SignatureScheme.rsa_pss_rsae_sha384,
  SignatureScheme.rsa_pss_rsae_sha512,
  SignatureScheme.rsa_pss_pss_sha256,
  SignatureScheme.rsa_pss_pss_sha384,
  SignatureScheme.rsa_pss_pss_sha512,
];

/** For signature_algorithms_cert: also PKCS#1 v1.5, which CAs still use. */
export const CERT_SCHEMES: readonly number[] = [
  ...VERIFY_SCHEMES,
  SignatureScheme.rsa_pkcs1_sha256,
  SignatureScheme.rsa_pkcs1_sha384,
  SignatureScheme.rsa_pkcs1_sha512,
];

/**
 * RSA keys sign with rsa_pss_rsae_* only: §4.2.3 says rsa_pkcs1_* "refer solely
 * to signatures which appear in certificates", and §4.4.3 requires RSASSA-PSS in
 * CertificateVerify. rsa_pss_pss_* need an id-RSASSA-PSS key, which @x/crypto does not load.
 */
const RSA_SIGNING_SCHEMES: readonly number[] = [
  SignatureScheme.rsa_pss_rsae_sha256,
  SignatureScheme.rsa_pss_rsae_sha384,
  SignatureScheme.rsa_pss_rsae_sha512,
];

/**
 * The scheme our key signs a CertificateVerify with, given the peer's
 * signature_algorithms (its preference order), or undefined if none fits. EC
 * and Ed25519 keys make exactly one scheme (§4.2.3: the curve fixes the hash);
 * an RSA key takes the peer's first rsa_pss_rsae_* scheme.
 */
export function schemeForKey(key: PrivateKey, peerSchemes: readonly number[]): number | undefined {
  if (key.kind === 'rsa') return peerSchemes.find((s) => RSA_SIGNING_SCHEMES.includes(s));
  const scheme =
    key.kind === 'ed25519'
      ? SignatureScheme.ed25519
      : key.curve === 'P-384'
        ? SignatureScheme.ecdsa_secp384r1_sha384
        : SignatureScheme.ecdsa_secp256r1_sha256;
  return peerSchemes.includes(scheme) ? scheme : undefined;
}

export function signingAlgorithm(scheme: number): SignatureAlgorithm {
  switch (scheme) {
    case SignatureScheme.ecdsa_secp256r1_sha256:
      return { name: 'ecdsa', hash: 'SHA-256' };
    case SignatureScheme.ecdsa_secp384r1_sha384:
      return { name: 'ecdsa', hash: 'SHA-384' };
    case SignatureScheme.ed25519:
      return { name: 'ed25519' };
    // §4.2.3: RSASSA-PSS with MGF1 over the same hash, salt as long as the digest.
    case SignatureScheme.rsa_pss_rsae_sha256:
      return { name: 'rsa-pss', hash: 'SHA-256', saltLength: 32 };
    case SignatureScheme.rsa_pss_rsae_sha384:
      return { name: 'rsa-pss', hash: 'SHA-384', saltLength: 48 };
    case SignatureScheme.rsa_pss_rsae_sha512:
      return { name: 'rsa-pss', hash: 'SHA-512', saltLength: 64 };
    default:
      throw tlsError('internal_error', `cannot sign with scheme 0x${scheme.toString(16)}`);
  }
}

/**
 * The algorithm to verify a CertificateVerify made with `scheme` by `key`, or an
 * illegal_parameter error when the scheme is not one we offered or does not fit
 * the key (§4.4.3: "the signature algorithm MUST be one offered").
 */
export function verifyingAlgorithm(scheme: number, key: PublicKey): SignatureAlgorithm {
  const pss = (hash: 'SHA-256' | 'SHA-384' | 'SHA-512', len: number): SignatureAlgorithm => ({
    name: 'rsa-pss',
    hash,
    saltLength: len,
  });
  const mismatch = () =>
    tlsError(
      'illegal_parameter',
      `signature scheme 0x${scheme.toString(16)} does not fit the certificate key`,
    );
  switch (scheme) {
    case SignatureScheme.ecdsa_secp256r1_sha256:
      if (key.kind !== 'ec' || key.curve !== 'P-256') throw mismatch();
      return { name: 'ecdsa', hash: 'SHA-256' };
    case SignatureScheme.ecdsa_secp384r1_sha384:
      if (key.kind !== 'ec' || key.curve !== 'P-384') throw mismatch();
      return { name: 'ecdsa', hash: 'SHA-384' };
    case SignatureScheme.ed25519:
      if (key.kind !== 'ed25519') throw mismatch();
      return { name: 'ed25519' };
    case SignatureScheme.rsa_pss_rsae_sha256:
    case SignatureScheme.rsa_pss_pss_sha256:
      if (key.kind !== 'rsa') throw mismatch();
      return pss('SHA-256', 32);
    case SignatureScheme.rsa_pss_rsae_sha384:
    case SignatureScheme.rsa_pss_pss_sha384:
      if (key.kind !== 'rsa') throw mismatch();
      return pss('SHA-384', 48);
    case SignatureScheme.rsa_pss_rsae_sha512:
    case SignatureScheme.rsa_pss_pss_sha512:
      if (key.kind !== 'rsa') throw mismatch();
      return pss('SHA-512', 64);
    default:
      throw tlsError(
        'illegal_parameter',
        `signature scheme 0x${scheme.toString(16)} was not offered`,
      );
  }
}

const SPACES = new Uint8Array(64).fill(0x20);
const encoder = new TextEncoder();
const SERVER_CONTEXT = encoder.encode('TLS 1.3, server CertificateVerify');
const CLIENT_CONTEXT = encoder.encode('TLS 1.3, client CertificateVerify');

/** §4.4.3: 64 spaces || context string || 0x00 || Transcript-Hash. */
export function certificateVerifyContent(server: boolean, transcriptHash: Uint8Array): Uint8Array {
  const ctx = server ? SERVER_CONTEXT : CLIENT_CONTEXT;
  const out = new Uint8Array(64 + ctx.length + 1 + transcriptHash.length);
  out.set(SPACES);
  out.set(ctx, 64);
  out.set(transcriptHash, 64 + ctx.length + 1);
  return out;
}
