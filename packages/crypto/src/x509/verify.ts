/** Checking one certificate's signature against an issuer's key (RFC 5280 §6.1.3 (a)(1)). */
import { CryptoError } from '../errors.js';
import type { CryptoProvider, PublicKey, SignatureAlgorithm } from '../provider.js';
import type { Certificate } from './certificate.js';

function keyFits(algorithm: SignatureAlgorithm, key: PublicKey): boolean {
  switch (algorithm.name) {
    case 'ecdsa':
      return key.kind === 'ec';
    case 'ed25519':
      return key.kind === 'ed25519';
    case 'rsa-pkcs1':
    case 'rsa-pss':
      return key.kind === 'rsa';
  }
}

/**
 * Whether `issuerPublicKey` signed `cert.tbsDer` with the certificate's
 * signature algorithm. False (never an exception) for a bad signature, a key
 * of the wrong type, or a key the provider rejects as unusable.
 */
export function verifyCertificateSignature(
  provider: CryptoProvider,
  cert: Certificate,
  issuerPublicKey: PublicKey,
): boolean {
  if (!keyFits(cert.signatureAlgorithm, issuerPublicKey)) return false;
  try {
    return provider.verify(cert.signatureAlgorithm, issuerPublicKey, cert.tbsDer, cert.signature);
  } catch (e) {
    if (e instanceof CryptoError) return false;
    throw e;
  }
}
