import { type Certificate, fingerprintMatches, type PrivateKey, parseCertificate } from '@x/crypto';
import { AlertDescription, DtlsError } from '../errors.js';
import type { HandshakeContext } from './context.js';
import { schemeFitsKey, signatureAlgorithmOf } from './messages/extensions/signature-algorithms.js';

/**
 * Checks the peer's chain: parses the leaf, applies the WebRTC fingerprint
 * rule (RFC 8827 §6.5: a self-signed certificate is accepted only by its
 * fingerprint) and the application's hook. Raises DtlsError(bad_certificate).
 */
export function acceptPeerChain(ctx: HandshakeContext, chain: readonly Uint8Array[]): void {
  const first = chain[0];
  if (first === undefined)
    throw new DtlsError(AlertDescription.bad_certificate, 'empty certificate list');
  let leaf: Certificate;
  try {
    // werift's certificates carry an empty extension list; @x/crypto accepts it as OpenSSL does.
    leaf = parseCertificate(first);
  } catch (e) {
    throw new DtlsError(
      AlertDescription.bad_certificate,
      `peer certificate does not parse: ${(e as Error).message}`,
    );
  }
  const { fingerprint, verifyPeerCertificate } = ctx.options;
  if (fingerprint !== undefined && !fingerprintMatches(ctx.provider, first, fingerprint)) {
    throw new DtlsError(
      AlertDescription.bad_certificate,
      'peer certificate does not match the expected fingerprint',
    );
  }
  if (verifyPeerCertificate !== undefined) {
    let ok: boolean | undefined;
    try {
      ok = verifyPeerCertificate({
        chain,
        leaf,
        role: ctx.role === 'client' ? 'server' : 'client',
      });
    } catch (e) {
      if (e instanceof DtlsError) throw e;
      throw new DtlsError(
        AlertDescription.bad_certificate,
        `certificate rejected: ${(e as Error).message}`,
      );
    }
    if (ok === false)
      throw new DtlsError(
        AlertDescription.bad_certificate,
        'certificate rejected by the verification hook',
      );
  }
  ctx.peerChain = chain;
  ctx.peerLeaf = leaf;
}

/** Verifies a digitally-signed struct made by the peer's leaf key. */
export function verifyPeerSignature(
  ctx: HandshakeContext,
  scheme: number,
  message: Uint8Array,
  signature: Uint8Array,
): void {
  const key = ctx.peerLeaf?.publicKey;
  if (key === undefined)
    throw new DtlsError(
      AlertDescription.unexpected_message,
      'signature without a peer certificate',
    );
  if (!ctx.options.signatureSchemes.includes(scheme) || !schemeFitsKey(scheme, key)) {
    throw new DtlsError(
      AlertDescription.illegal_parameter,
      `signature scheme 0x${scheme.toString(16)} not offered or not for this key`,
    );
  }
  const alg = signatureAlgorithmOf(scheme)!;
  let ok = false;
  try {
    ok = ctx.provider.verify(alg, key, message, signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new DtlsError(AlertDescription.decrypt_error, 'peer signature does not verify');
}

/** Whether a signature algorithm can be made with this private key. */
function algorithmFitsKey(key: PrivateKey, scheme: number): boolean {
  const alg = signatureAlgorithmOf(scheme);
  if (!alg) return false;
  switch (key.kind) {
    case 'ec':
      return alg.name === 'ecdsa';
    case 'ed25519':
      return alg.name === 'ed25519';
    case 'rsa':
      // rsa_pss_rsae_* (RFC 8446 §4.2.3, usable in TLS 1.2) or rsa_pkcs1_* (RFC 5246).
      return alg.name === 'rsa-pss' || alg.name === 'rsa-pkcs1';
  }
}

/**
 * The first scheme in the peer's list (its preference) that we offer and can
 * sign with this key. In TLS 1.2 the ECDSA hash is not bound to the curve.
 */
export function chooseSigningScheme(
  key: PrivateKey,
  peerSchemes: readonly number[] | undefined,
  ours: readonly number[],
): number | undefined {
  // RFC 5246 §7.4.1.4.1: without signature_algorithms the default is SHA-1 with
  // the key's algorithm; we do not sign with SHA-1, so fall back to SHA-256 (or
  // the curve's own hash), which is what peers that omit the extension accept.
  const list = peerSchemes ?? [
    key.kind === 'ec' && key.curve === 'P-384' ? 0x0503 : 0x0403,
    0x0807,
    0x0401,
  ];
  for (const s of list) if (ours.includes(s) && algorithmFitsKey(key, s)) return s;
  return undefined;
}

export function sign(
  ctx: HandshakeContext,
  key: PrivateKey,
  scheme: number,
  message: Uint8Array,
): Uint8Array {
  return ctx.provider.sign(signatureAlgorithmOf(scheme)!, key, message);
}
