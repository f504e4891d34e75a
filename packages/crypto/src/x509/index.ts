/** X.509 for the transports: parsing, PEM and key files, chain and hostname validation, self-signed certificates, fingerprints. */
export { type Certificate, parseCertificate, parseCertificatesPem } from './certificate.js';
export { type VerifyChainOptions, verifyChain } from './chain.js';
export type { CertificateExtension, KeyUsageName, SubjectAltNames } from './extensions.js';
export {
  type CertificateFingerprint,
  certificateFingerprint,
  fingerprintMatches,
  formatFingerprint,
  parseFingerprint,
} from './fingerprint.js';
export { matchesHostname } from './hostname.js';
export { formatIpAddress, parseIpAddress } from './ip.js';
export { commonName, type DistinguishedName, type NameAttribute } from './names.js';
export { derToPem, type PemBlock, pemToDer, readPemBlocks } from './pem.js';
export {
  encodePkcs8PrivateKey,
  type PrivateKeyInfo,
  parsePkcs1PrivateKey,
  parsePkcs8PrivateKey,
  parsePrivateKeyPem,
  parseSec1PrivateKey,
  privateKeyMatches,
  privateKeyToPem,
} from './private-key.js';
export {
  createSelfSignedCertificate,
  type SelfSignedCertificate,
  type SelfSignedCertificateOptions,
  type SigningKeyPair,
} from './self-signed.js';
export { encodeSubjectPublicKeyInfo, parseSubjectPublicKeyInfo } from './spki.js';
export { verifyCertificateSignature } from './verify.js';
