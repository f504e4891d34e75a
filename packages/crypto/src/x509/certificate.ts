/**
 * parseCertificate: DER X.509 v1/v3 certificate (RFC 5280 §4.1) to a plain,
 * read-only value. The outer structure is split with the strict DER reader so
 * `tbsDer`, names and the public key are the exact bytes that were signed;
 * names and extension values are decoded with @peculiar/asn1-x509.
 */
import { toHex } from '@x/wire';
import type { PublicKey, SignatureAlgorithm } from '../provider.js';
import {
  badEncoding,
  bitStringOctets,
  checkDerStructure,
  contents,
  contextConstructed,
  contextPrimitive,
  DerReader,
  decoding,
  integerBytes,
  smallInteger,
  TAG,
} from './der.js';
import {
  type CertificateExtension,
  type KeyUsageName,
  readExtensions,
  type SubjectAltNames,
} from './extensions.js';
import { type DistinguishedName, readName } from './names.js';
import { pemToDer } from './pem.js';
import { readSignatureAlgorithm } from './signature-algorithm.js';
import { readSubjectPublicKeyInfo } from './spki.js';
import { readTime } from './time.js';

export interface Certificate {
  /** The whole certificate (a private copy of the input). */
  readonly der: Uint8Array;
  /** The TBSCertificate exactly as encoded: the bytes the signature covers. */
  readonly tbsDer: Uint8Array;
  /** 1 or 3 (2 is accepted but never seen). */
  readonly version: 1 | 2 | 3;
  /** Lower-case hex of the serial's two's-complement octets, without a leading 00 sign octet. */
  readonly serialNumber: string;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  /** Validity bounds in ms since the epoch, both inclusive (RFC 5280 §4.1.2.5). */
  readonly notBefore: number;
  readonly notAfter: number;
  /** The SubjectPublicKeyInfo DER (for SPKI pinning, RFC 7250 raw keys). */
  readonly subjectPublicKeyInfo: Uint8Array;
  readonly publicKey: PublicKey;
  readonly signatureAlgorithm: SignatureAlgorithm;
  /** For ECDSA, DER (r, s); for RSA and Ed25519, the raw signature. */
  readonly signature: Uint8Array;
  readonly subjectAltNames: SubjectAltNames;
  /** basicConstraints cA (false when the extension is absent). */
  readonly isCA: boolean;
  /** basicConstraints pathLenConstraint, when present. */
  readonly pathLen: number | undefined;
  /** keyUsage bits, or undefined when the extension is absent (any use allowed). */
  readonly keyUsage: readonly KeyUsageName[] | undefined;
  /** extKeyUsage purpose OIDs, or undefined when absent. */
  readonly extendedKeyUsage: readonly string[] | undefined;
  /** Every extension in order, including ones not decoded here. */
  readonly extensions: readonly CertificateExtension[];
}

const MAX_CERTIFICATE_BYTES = 64 * 1024;

function parse(input: Uint8Array): Certificate {
  if (input.length > MAX_CERTIFICATE_BYTES) {
    throw badEncoding(`certificate: ${input.length} bytes is larger than ${MAX_CERTIFICATE_BYTES}`);
  }
  // A private copy: the caller may reuse its buffer, and every field below is a view into this one.
  const der = input.slice();
  checkDerStructure(der, 'certificate');

  const outer = new DerReader(der, 'Certificate');
  const cert = contents(outer.next(TAG.SEQUENCE, 'Certificate'), 'Certificate');
  outer.end();
  const tbs = cert.next(TAG.SEQUENCE, 'tbsCertificate');
  const outerAlgorithm = cert.next(TAG.SEQUENCE, 'signatureAlgorithm');
  const signature = bitStringOctets(cert.next(TAG.BIT_STRING, 'signatureValue'), 'signatureValue');
  cert.end();

  const t = contents(tbs, 'TBSCertificate');
  const versionField = t.optional(contextConstructed(0), 'version');
  let version: 1 | 2 | 3 = 1;
  if (versionField) {
    const v = contents(versionField, 'version');
    // Version ::= INTEGER { v1(0), v2(1), v3(2) }
    version = (smallInteger(v.next(TAG.INTEGER), 'version', 2) + 1) as 1 | 2 | 3;
    v.end();
  }
  const serial = integerBytes(t.next(TAG.INTEGER, 'serialNumber'), 'serialNumber');
  const innerAlgorithm = t.next(TAG.SEQUENCE, 'signature');
  const issuer = t.next(TAG.SEQUENCE, 'issuer');
  const validity = contents(t.next(TAG.SEQUENCE, 'validity'), 'Validity');
  const notBefore = readTime(validity.next(undefined, 'notBefore'), 'notBefore');
  const notAfter = readTime(validity.next(undefined, 'notAfter'), 'notAfter');
  validity.end();
  const subject = t.next(TAG.SEQUENCE, 'subject');
  const spki = t.next(TAG.SEQUENCE, 'subjectPublicKeyInfo');
  // RFC 5280 §4.1.2.8: unique identifiers are obsolete but still legal in v2/v3.
  t.optional(contextPrimitive(1), 'issuerUniqueID');
  t.optional(contextPrimitive(2), 'subjectUniqueID');
  const extensionsField = t.optional(contextConstructed(3), 'extensions');
  t.end();
  if (extensionsField && version !== 3)
    throw badEncoding('certificate: extensions require version 3');

  // RFC 5280 §4.1.1.2: signatureAlgorithm MUST equal the TBSCertificate's signature
  // field; a mismatch would let an attacker change the algorithm outside the signature.
  if (toHex(outerAlgorithm.der) !== toHex(innerAlgorithm.der)) {
    throw badEncoding('certificate: signatureAlgorithm differs from tbsCertificate.signature');
  }
  const ext = readExtensions(extensionsField);
  return {
    der,
    tbsDer: tbs.der,
    version,
    serialNumber: toHex(serial[0] === 0 && serial.length > 1 ? serial.subarray(1) : serial),
    issuer: readName(issuer.der),
    subject: readName(subject.der),
    notBefore,
    notAfter,
    subjectPublicKeyInfo: spki.der,
    publicKey: readSubjectPublicKeyInfo(spki),
    signatureAlgorithm: readSignatureAlgorithm(outerAlgorithm),
    signature,
    subjectAltNames: ext.subjectAltNames,
    isCA: ext.isCA,
    pathLen: ext.pathLen,
    keyUsage: ext.keyUsage,
    extendedKeyUsage: ext.extendedKeyUsage,
    extensions: ext.list,
  };
}

/**
 * Parses one DER certificate. Malformed input raises CryptoError('bad_encoding');
 * a well-formed certificate with a key or signature algorithm this SDK does not
 * implement raises CryptoError('unsupported'). Nothing else escapes.
 */
export function parseCertificate(der: Uint8Array): Certificate {
  return decoding('certificate', () => parse(der));
}

/** Every CERTIFICATE block of a PEM text (a chain file: leaf first). */
export function parseCertificatesPem(text: string): Certificate[] {
  return pemToDer(text, 'CERTIFICATE').map(parseCertificate);
}
