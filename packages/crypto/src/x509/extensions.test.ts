import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contextConstructed,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  encodeTlv,
  parseTlv,
  TAG,
} from './der.js';
import { readExtensions } from './extensions.js';
import { formatIpAddress } from './ip.js';

const field = (...extensions: Uint8Array[]) =>
  parseTlv(
    encodeTlv(contextConstructed(3), encodeSequence(...extensions)),
    contextConstructed(3),
    'extensions',
  );
const extension = (oid: string, value: Uint8Array, critical?: boolean) =>
  encodeSequence(
    encodeOid(oid),
    ...(critical === undefined ? [] : [Uint8Array.of(TAG.BOOLEAN, 1, critical ? 0xff : 0)]),
    encodeOctetString(value),
  );

describe('extensions (RFC 5280 §4.2)', () => {
  it('reads the critical flag, its DEFAULT FALSE, and keeps unknown extensions', () => {
    const ext = readExtensions(
      field(extension('1.2.3', Uint8Array.of(5, 0), true), extension('1.2.4', Uint8Array.of(5, 0))),
    );
    expect(ext.list.map((e) => [e.oid, e.critical, Array.from(e.value)])).toEqual([
      ['1.2.3', true, [5, 0]],
      ['1.2.4', false, [5, 0]],
    ]);
    expect(readExtensions(undefined)).toMatchObject({ list: [], isCA: false, keyUsage: undefined });
  });

  it('reads an empty list as no extensions (RFC 5280 says SIZE (1..MAX); OpenSSL accepts it)', () => {
    expect(readExtensions(field())).toMatchObject({ list: [], isCA: false, keyUsage: undefined });
  });

  it('refuses a negative pathLen and malformed values', () => {
    const negative = encodeSequence(
      Uint8Array.of(TAG.BOOLEAN, 1, 0xff),
      Uint8Array.of(TAG.INTEGER, 1, 0xff),
    );
    expect(() => readExtensions(field(extension('2.5.29.19', negative)))).toThrow(
      /pathLenConstraint/,
    );
    expect(() =>
      readExtensions(field(extension('2.5.29.17', Uint8Array.of(0x30, 0x80, 0, 0)))),
    ).toThrow(/indefinite/);
    // An 8-octet iPAddress is a name-constraint range, not an address (§4.2.1.6).
    const range = encodeSequence(encodeTlv(0x87, new Uint8Array(8).fill(1)));
    expect(() => readExtensions(field(extension('2.5.29.17', range)))).toThrow(/iPAddress/);
  });

  it('recovers every iPAddress SAN byte for byte through the peculiar decoder', () => {
    const address = fc.oneof(
      fc.uint8Array({ minLength: 4, maxLength: 4 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
    );
    fc.assert(
      fc.property(fc.array(address, { minLength: 1, maxLength: 4 }), (ips) => {
        const san = new SubjectAlternativeName(
          ips.map((ip) => new GeneralName({ iPAddress: formatIpAddress(ip) })),
        );
        const value = new Uint8Array(AsnConvert.serialize(san));
        // The encoding holds the raw octets, and decoding gives them back.
        expect(parseTlv(value, TAG.SEQUENCE, 'san').value).toEqual(
          Uint8Array.from(ips.flatMap((ip) => [0x87, ip.length, ...ip])),
        );
        expect(readExtensions(field(extension('2.5.29.17', value))).subjectAltNames.ip).toEqual(
          ips,
        );
      }),
      { numRuns: 300 },
    );
  });
});
