/**
 * Distinguished names (RFC 5280 §4.1.2.4): the decoded RDN sequence, a display
 * string in RFC 4514 style, and the exact DER for matching. Chain building
 * compares issuer and subject by their DER bytes, the rule RFC 5280 §7.1
 * permits when the CA encodes names consistently (all real CAs do; OpenSSL
 * and Go also compare canonical or raw forms rather than implementing the
 * full X.520 caseIgnoreMatch).
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import { toHex } from '@x/wire';
import { OID } from './oids.js';

export interface NameAttribute {
  /** The attribute type OID, e.g. "2.5.4.3". */
  readonly type: string;
  /** RFC 4514 §3 short name ("CN", "O", ...) when there is one. */
  readonly shortName: string | undefined;
  /** The value as text; non-string values are "#" + hex of their DER (RFC 4514 §2.4). */
  readonly value: string;
}

export interface DistinguishedName {
  /** The exact DER of the Name, for byte-wise issuer/subject matching. */
  readonly der: Uint8Array;
  /** RDNs in encoding order (most general first, e.g. C, O, CN). */
  readonly rdns: readonly (readonly NameAttribute[])[];
  /** Display form, most specific first: "CN=localhost, O=Example, C=US". */
  readonly text: string;
}

// RFC 4514 §3, plus the two attributes OpenSSL also prints by name.
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

function attributeText(value: AttributeValue): string {
  if (value.anyValue !== undefined) return `#${toHex(new Uint8Array(value.anyValue))}`;
  return (
    value.utf8String ??
    value.printableString ??
    value.ia5String ??
    value.bmpString ??
    value.universalString ??
    value.teletexString ??
    ''
  );
}

/** RFC 4514 §2.4 escaping of an attribute value. */
function escapeValue(value: string): string {
  let out = value.replace(/[\\,+"<>;]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Builds the DistinguishedName of a Name's DER (already checked to be well-formed DER). */
export function readName(der: Uint8Array): DistinguishedName {
  const name = AsnConvert.parse(der, Name);
  const rdns = name.map((rdn) =>
    rdn.map(
      (atv): NameAttribute => ({
        type: atv.type,
        shortName: SHORT_NAMES[atv.type],
        value: attributeText(atv.value),
      }),
    ),
  );
  const text = [...name]
    .reverse()
    .map((rdn) =>
      rdn
        .map((atv) => {
          const value = attributeText(atv.value);
          // Hex-encoded values are already unambiguous and are not escaped.
          const shown = atv.value.anyValue !== undefined ? value : escapeValue(value);
          return `${SHORT_NAMES[atv.type] ?? atv.type}=${shown}`;
        })
        .join('+'),
    )
    .join(', ');
  return { der, rdns, text };
}

/** The most specific commonName, if the name has one. */
export function commonName(name: DistinguishedName): string | undefined {
  for (let i = name.rdns.length - 1; i >= 0; i--) {
    const cn = name.rdns[i]!.find((a) => a.type === OID.commonName);
    if (cn) return cn.value;
  }
  return undefined;
}

/** A Name with a single CN, as UTF8String (RFC 5280 §4.1.2.4 for new certificates). */
export function encodeCommonNameOnly(cn: string): Name {
  return new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({
        type: OID.commonName,
        value: new AttributeValue({ utf8String: cn }),
      }),
    ]),
  ]);
}
