import type { HashAlgorithm, PublicKey, SignatureAlgorithm } from '@x/crypto';
import { Reader, type Writer } from '@x/wire';
import { type Extension, ExtensionType, extension } from './extension.js';

/**
 * TLS 1.2 SignatureAndHashAlgorithm (RFC 5246 §7.4.1.4.1), written as the
 * 16-bit SignatureScheme code points TLS 1.3 later named (hash << 8 | sig).
 */
export const SignatureScheme = {
  ecdsa_secp256r1_sha256: 0x0403,
  ecdsa_secp384r1_sha384: 0x0503,
  ecdsa_secp521r1_sha512: 0x0603,
  ed25519: 0x0807,
  rsa_pss_rsae_sha256: 0x0804,
  rsa_pss_rsae_sha384: 0x0805,
  rsa_pss_rsae_sha512: 0x0806,
  rsa_pkcs1_sha256: 0x0401,
  rsa_pkcs1_sha384: 0x0501,
  rsa_pkcs1_sha512: 0x0601,
} as const;

/** What we offer and accept, most preferred first. */
export const DEFAULT_SIGNATURE_SCHEMES: readonly number[] = [
  SignatureScheme.ecdsa_secp256r1_sha256,
  SignatureScheme.ecdsa_secp384r1_sha384,
  SignatureScheme.ed25519,
  SignatureScheme.rsa_pss_rsae_sha256,
  SignatureScheme.rsa_pss_rsae_sha384,
  SignatureScheme.rsa_pkcs1_sha256,
  SignatureScheme.rsa_pkcs1_sha384,
  SignatureScheme.rsa_pkcs1_sha512,
];

const HASH_BYTE: Readonly<Record<number, HashAlgorithm>> = {
  2: 'SHA-1',
  4: 'SHA-256',
  5: 'SHA-384',
  6: 'SHA-512',
};

/**
 * The provider algorithm for a scheme, or undefined when we cannot use it.
 * In TLS 1.2 the ECDSA hash is not bound to the curve (RFC 5246 §7.4.1.4.1).
 */
export function signatureAlgorithmOf(scheme: number): SignatureAlgorithm | undefined {
  if (scheme === SignatureScheme.ed25519) return { name: 'ed25519' };
  if (scheme >= 0x0804 && scheme <= 0x0806) {
    const hash = HASH_BYTE[scheme - 0x0800]!;
    return {
      name: 'rsa-pss',
      hash,
      saltLength: hash === 'SHA-256' ? 32 : hash === 'SHA-384' ? 48 : 64,
    };
  }
  const hash = HASH_BYTE[scheme >> 8];
  if (hash === undefined || hash === 'SHA-1') return undefined;
  if ((scheme & 0xff) === 3) return { name: 'ecdsa', hash };
  if ((scheme & 0xff) === 1) return { name: 'rsa-pkcs1', hash };
  return undefined;
}

/** Whether `scheme` can verify with this certificate key. */
export function schemeFitsKey(scheme: number, key: PublicKey): boolean {
  const alg = signatureAlgorithmOf(scheme);
  if (!alg) return false;
  if (key.kind === 'ec') return alg.name === 'ecdsa';
  if (key.kind === 'ed25519') return alg.name === 'ed25519';
  return alg.name === 'rsa-pss' || alg.name === 'rsa-pkcs1';
}

/** supported_signature_algorithms<2..2^16-2> (also the body of CertificateRequest's list). */
export function decodeSchemeList(r: Reader, what = 'supported_signature_algorithms'): number[] {
  const list = r.subReader(2, what);
  if (list.remaining < 2 || list.remaining % 2 !== 0) r.fail(`${what}<2..2^16-2> of uint16`);
  const out: number[] = [];
  while (!list.done) out.push(list.u16('SignatureAndHashAlgorithm'));
  return out;
}

export function writeSchemeList(w: Writer, schemes: readonly number[]): void {
  w.withLength(2, (b) => {
    for (const s of schemes) b.u16(s);
  });
}

export function decodeSignatureAlgorithms(data: Uint8Array): number[] {
  const r = new Reader(data);
  const out = decodeSchemeList(r);
  r.expectEnd('end of signature_algorithms');
  return out;
}

export function signatureAlgorithmsExtension(schemes: readonly number[]): Extension {
  return extension(ExtensionType.signature_algorithms, (w) => writeSchemeList(w, schemes));
}
