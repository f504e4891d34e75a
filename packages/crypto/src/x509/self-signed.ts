/**
 * Self-signed end-entity certificates for DTLS-SRTP (RFC 8827 §6.5: the peer
 * authenticates them by fingerprint) and for local TLS/QUIC servers. The
 * profile follows what browsers and OpenSSL expect from such certificates:
 * v3, a random positive 127-bit serial (RFC 5280 §4.1.2.2), UTF8String CN,
 * basicConstraints cA=false, keyUsage digitalSignature, extKeyUsage
 * serverAuth + clientAuth (DTLS peers take both roles), and the names as SANs.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyUsage,
  KeyUsageFlags,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { CryptoError } from '../errors.js';
import type { CryptoProvider, PrivateKey, PublicKey, SignatureAlgorithm } from '../provider.js';
import { type Certificate, parseCertificate } from './certificate.js';
import { encodeBitString, encodeSequence } from './der.js';
import { formatIpAddress, parseIpAddress } from './ip.js';
import { encodeCommonNameOnly } from './names.js';
import { OID } from './oids.js';
import { encodeSignatureAlgorithm } from './signature-algorithm.js';
import { encodeSubjectPublicKeyInfo } from './spki.js';
import { encodeTime } from './time.js';
import { verifyCertificateSignature } from './verify.js';

export interface SigningKeyPair {
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey;
}

export interface SelfSignedCertificateOptions {
  /** The subject (and issuer) CN. */
  readonly commonName: string;
  /** dNSName SANs (ASCII; IDNs as A-labels). */
  readonly dnsNames?: readonly string[];
  /** iPAddress SANs, as text ("127.0.0.1", "::1") or 4 / 16 raw bytes. */
  readonly ipAddresses?: readonly (string | Uint8Array)[];
  /** Validity bounds (ms since the epoch or Date), truncated to whole seconds. */
  readonly notBefore: number | Date;
  readonly notAfter: number | Date;
  /** The key pair to certify; a new P-256 key is generated when absent. */
  readonly key?: SigningKeyPair;
  /** Serial number as a big-endian positive integer (1..20 bytes); random when absent. */
  readonly serial?: Uint8Array;
}

export interface SelfSignedCertificate {
  readonly certificate: Certificate;
  readonly der: Uint8Array;
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey;
}

/**
 * The signature each key type makes: the curve's own hash for ECDSA (RFC 5758 §3.2),
 * sha256WithRSAEncryption for RSA (what `openssl req -x509` writes).
 */
function signatureAlgorithmFor(key: PrivateKey): SignatureAlgorithm {
  if (key.kind === 'ed25519') return { name: 'ed25519' };
  if (key.kind === 'rsa') return { name: 'rsa-pkcs1', hash: 'SHA-256' };
  return { name: 'ecdsa', hash: key.curve === 'P-384' ? 'SHA-384' : 'SHA-256' };
}

const invalid = (message: string): CryptoError => new CryptoError('bad_encoding', message);

/** INTEGER contents for a positive serial (RFC 5280 §4.1.2.2: positive, at most 20 octets). */
function serialContents(provider: CryptoProvider, serial: Uint8Array | undefined): Uint8Array {
  let magnitude: Uint8Array;
  if (serial === undefined) {
    // 16 random bytes with the top bit cleared and the next set: positive, always
    // 16 octets, and 126 bits of entropy (CA/B Baseline Requirements ask for 64).
    magnitude = provider.randomBytes(16);
    magnitude[0] = (magnitude[0]! & 0x7f) | 0x40;
  } else {
    let i = 0;
    while (i < serial.length && serial[i] === 0) i++;
    magnitude = serial.subarray(i);
    if (magnitude.length === 0) throw invalid('certificate serial must be positive');
  }
  const body = magnitude[0]! & 0x80 ? Uint8Array.of(0, ...magnitude) : magnitude;
  if (body.length > 20)
    throw invalid('certificate serial is longer than 20 octets (RFC 5280 §4.1.2.2)');
  return body;
}

function extension(oid: string, critical: boolean, value: unknown): Extension {
  return new Extension({
    extnID: oid,
    critical,
    extnValue: new OctetString(AsnConvert.serialize(value)),
  });
}

function subjectAltNames(options: SelfSignedCertificateOptions): GeneralName[] {
  const names: GeneralName[] = [];
  for (const dns of options.dnsNames ?? []) {
    if (!/^(\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(dns))
      throw invalid(`invalid DNS name "${dns}"`);
    names.push(new GeneralName({ dNSName: dns }));
  }
  for (const ip of options.ipAddresses ?? []) {
    const bytes = typeof ip === 'string' ? parseIpAddress(ip) : ip;
    if (!bytes || (bytes.length !== 4 && bytes.length !== 16))
      throw invalid(`invalid IP address "${ip}"`);
    // peculiar's GeneralName takes the address as text and encodes its octets.
    names.push(new GeneralName({ iPAddress: formatIpAddress(bytes) }));
  }
  return names;
}

/**
 * Creates and signs a self-signed certificate. The dates are passed in (the
 * library never reads a clock): callers pass e.g. `Date.now() - 60_000` and
 * `Date.now() + 30 * 86_400_000`. The result is checked by parsing it and
 * verifying its signature with `key.publicKey`, so a mismatched key pair
 * raises CryptoError('invalid_key') instead of producing an unusable certificate.
 */
export function createSelfSignedCertificate(
  provider: CryptoProvider,
  options: SelfSignedCertificateOptions,
): SelfSignedCertificate {
  const notBefore = Number(options.notBefore);
  const notAfter = Number(options.notAfter);
  if (!Number.isFinite(notBefore) || !Number.isFinite(notAfter) || notBefore > notAfter) {
    throw invalid('notBefore and notAfter must be valid times with notBefore <= notAfter');
  }
  if (options.commonName.length === 0 || options.commonName.length > 64) {
    // RFC 5280 Appendix A.1: ub-common-name is 64.
    throw invalid('commonName must be 1 to 64 characters');
  }
  const { privateKey, publicKey } = options.key ?? provider.generateSigningKey('P-256');
  const algorithm = signatureAlgorithmFor(privateKey);
  const algorithmDer = encodeSignatureAlgorithm(algorithm);
  const spkiDer = encodeSubjectPublicKeyInfo(publicKey);
  const spki = AsnConvert.parse(spkiDer, SubjectPublicKeyInfo);
  const name = encodeCommonNameOnly(options.commonName);

  const extensions = [
    extension(OID.basicConstraints, true, new BasicConstraints({ cA: false })),
    extension(OID.keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature)),
    extension(OID.extKeyUsage, false, new ExtendedKeyUsage([OID.serverAuth, OID.clientAuth])),
    // RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.
    extension(
      OID.subjectKeyIdentifier,
      false,
      new SubjectKeyIdentifier(provider.hash('SHA-1', new Uint8Array(spki.subjectPublicKey))),
    ),
  ];
  const sans = subjectAltNames(options);
  // RFC 5280 §4.2.1.6: non-critical because the subject name is not empty.
  if (sans.length > 0)
    extensions.push(extension(OID.subjectAltName, false, new SubjectAlternativeName(sans)));

  const validity = new Validity();
  validity.notBefore = encodeTime(notBefore);
  validity.notAfter = encodeTime(notAfter);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serialContents(provider, options.serial).slice().buffer,
    signature: AsnConvert.parse(algorithmDer, AlgorithmIdentifier),
    issuer: name,
    validity,
    subject: name,
    subjectPublicKeyInfo: spki,
    extensions: new Extensions(extensions),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signature = provider.sign(algorithm, privateKey, tbsDer);
  // Assembled by hand so the embedded TBSCertificate is byte-for-byte what was signed.
  const der = encodeSequence(tbsDer, algorithmDer, encodeBitString(signature));
  const certificate = parseCertificate(der);
  if (!verifyCertificateSignature(provider, certificate, publicKey)) {
    throw new CryptoError('invalid_key', 'the private key does not match the public key');
  }
  return { certificate, der: certificate.der, privateKey, publicKey };
}
