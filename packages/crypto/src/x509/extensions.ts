/**
 * Certificate extensions (RFC 5280 §4.2): the raw list, and the four the
 * validator acts on, decoded with @peculiar/asn1-x509.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  ExtendedKeyUsage,
  KeyUsage,
  KeyUsageFlags,
  SubjectAlternativeName,
} from '@peculiar/asn1-x509';
import {
  badEncoding,
  checkDerStructure,
  contents,
  contextConstructed,
  decodeOid,
  TAG,
  type Tlv,
} from './der.js';
import { parseIpAddress } from './ip.js';
import { OID } from './oids.js';

export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The DER inside extnValue. */
  readonly value: Uint8Array;
}

export interface SubjectAltNames {
  /** dNSName entries as written (IA5String, compare case-insensitively). */
  readonly dns: readonly string[];
  /** iPAddress entries: 4 bytes (IPv4) or 16 bytes (IPv6). */
  readonly ip: readonly Uint8Array[];
}

/** RFC 5280 §4.2.1.3 bit names. */
export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: readonly [KeyUsageName, number][] = [
  ['digitalSignature', KeyUsageFlags.digitalSignature],
  ['nonRepudiation', KeyUsageFlags.nonRepudiation],
  ['keyEncipherment', KeyUsageFlags.keyEncipherment],
  ['dataEncipherment', KeyUsageFlags.dataEncipherment],
  ['keyAgreement', KeyUsageFlags.keyAgreement],
  ['keyCertSign', KeyUsageFlags.keyCertSign],
  ['cRLSign', KeyUsageFlags.cRLSign],
  ['encipherOnly', KeyUsageFlags.encipherOnly],
  ['decipherOnly', KeyUsageFlags.decipherOnly],
];

/**
 * Extensions this module understands. RFC 5280 §4.2 requires rejecting a
 * certificate with any other extension marked critical; the chain validator
 * does that. Policies are accepted without policy processing (any-policy), as
 * Go and browsers do for TLS.
 */
export const UNDERSTOOD_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.certificatePolicies,
]);

export interface DecodedExtensions {
  readonly list: readonly CertificateExtension[];
  readonly subjectAltNames: SubjectAltNames;
  readonly isCA: boolean;
  readonly pathLen: number | undefined;
  readonly keyUsage: readonly KeyUsageName[] | undefined;
  readonly extendedKeyUsage: readonly string[] | undefined;
}

function readExtension(tlv: Tlv): CertificateExtension {
  const r = contents(tlv, 'Extension');
  const oid = decodeOid(r.next(TAG.OID, 'extnID'), 'Extension');
  const flag = r.optional(TAG.BOOLEAN, 'critical');
  if (flag && flag.value.length !== 1) throw badEncoding('Extension: malformed BOOLEAN');
  const value = r.next(TAG.OCTET_STRING, 'extnValue').value;
  r.end();
  // The extnValue is itself DER; check it before the lenient peculiar parser sees it.
  checkDerStructure(value, `extension ${oid}`);
  return { oid, critical: flag !== undefined && flag.value[0] !== 0, value };
}

function subjectAltNames(value: Uint8Array): SubjectAltNames {
  const dns: string[] = [];
  const ip: Uint8Array[] = [];
  for (const name of AsnConvert.parse(value, SubjectAlternativeName)) {
    if (name.dNSName !== undefined) dns.push(name.dNSName);
    if (name.iPAddress !== undefined) {
      // peculiar renders the 4 or 16 octets as text; anything else (a CIDR-style
      // mask, a wrong length) is malformed in a SAN (RFC 5280 §4.2.1.6).
      const bytes = parseIpAddress(name.iPAddress);
      if (!bytes) throw badEncoding(`subjectAltName: invalid iPAddress ${name.iPAddress}`);
      ip.push(bytes);
    }
  }
  return { dns, ip };
}

function keyUsage(value: Uint8Array): KeyUsageName[] {
  const flags = AsnConvert.parse(value, KeyUsage).toNumber();
  return KEY_USAGE_BITS.filter(([, bit]) => (flags & bit) !== 0).map(([name]) => name);
}

/** Decodes the [3] EXPLICIT Extensions field of a TBSCertificate (or its absence). */
export function readExtensions(field: Tlv | undefined): DecodedExtensions {
  const list: CertificateExtension[] = [];
  if (field) {
    if (field.tag !== contextConstructed(3)) throw badEncoding('extensions: wrong tag');
    const outer = contents(field, 'extensions');
    const seq = contents(outer.next(TAG.SEQUENCE, 'Extensions'), 'Extensions');
    outer.end();
    while (!seq.done) list.push(readExtension(seq.next(TAG.SEQUENCE, 'Extension')));
    // RFC 5280 §4.1 says Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension, but an
    // empty list (a3 02 30 00) is accepted as OpenSSL, GnuTLS and browsers do: werift,
    // and so WebRTC peers built on it, emit such certificates. It means no extensions.
  }
  const seen = new Set<string>();
  let san: SubjectAltNames = { dns: [], ip: [] };
  let isCA = false;
  let pathLen: number | undefined;
  let usage: KeyUsageName[] | undefined;
  let eku: string[] | undefined;
  for (const ext of list) {
    // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of an extension.
    if (seen.has(ext.oid)) throw badEncoding(`duplicate extension ${ext.oid}`);
    seen.add(ext.oid);
    switch (ext.oid) {
      case OID.subjectAltName:
        san = subjectAltNames(ext.value);
        break;
      case OID.basicConstraints: {
        const bc = AsnConvert.parse(ext.value, BasicConstraints);
        isCA = bc.cA;
        // §4.2.1.9: pathLenConstraint only means something when cA is asserted.
        pathLen = bc.cA ? bc.pathLenConstraint : undefined;
        if (pathLen !== undefined && (!Number.isSafeInteger(pathLen) || pathLen < 0)) {
          throw badEncoding('basicConstraints: invalid pathLenConstraint');
        }
        break;
      }
      case OID.keyUsage:
        usage = keyUsage(ext.value);
        break;
      case OID.extKeyUsage:
        eku = [...AsnConvert.parse(ext.value, ExtendedKeyUsage)];
        break;
    }
  }
  return {
    list,
    subjectAltNames: san,
    isCA,
    pathLen,
    keyUsage: usage,
    extendedKeyUsage: eku,
  };
}
