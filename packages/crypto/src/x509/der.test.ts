import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import {
  bitStringOctets,
  checkDerStructure,
  decodeOid,
  encodeOid,
  encodeTlv,
  encodeUnsignedInteger,
  integerBytes,
  parseTlv,
  smallInteger,
  TAG,
  unsignedInteger,
} from './der.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('strict DER reading (X.690 §10)', () => {
  it('reads short and long definite lengths', () => {
    expect(parseTlv(bytes(0x04, 0x01, 0xaa), TAG.OCTET_STRING, 't').value).toEqual(bytes(0xaa));
    const long = encodeTlv(TAG.OCTET_STRING, new Uint8Array(300));
    expect(Array.from(long.subarray(0, 4))).toEqual([0x04, 0x82, 0x01, 0x2c]);
    expect(parseTlv(long, TAG.OCTET_STRING, 't').value).toHaveLength(300);
  });

  it('refuses indefinite, non-minimal and oversized lengths, high tags and trailing bytes', () => {
    const refuse = (input: Uint8Array, pattern: RegExp) =>
      expect(() => checkDerStructure(input, 't')).toThrow(
        expect.objectContaining({ code: 'bad_encoding', message: expect.stringMatching(pattern) }),
      );
    refuse(bytes(0x30, 0x80, 0x00, 0x00), /indefinite/);
    refuse(bytes(0x04, 0x81, 0x01, 0xaa), /non-minimal length/);
    refuse(bytes(0x04, 0x82, 0x00, 0x81, ...new Uint8Array(0x81)), /non-minimal length/);
    refuse(bytes(0x04, 0x85, 1, 0, 0, 0, 0), /too long/);
    refuse(bytes(0x1f, 0x01, 0x00), /high tag/);
    refuse(bytes(0x04, 0x00, 0x00), /trailing/);
    refuse(bytes(0x30, 0x03, 0x04, 0x02, 0x00), /truncated/);
    refuse(bytes(0x30, 0x02, 0x04, 0x02, 0x00, 0x00), /trailing/);
  });

  it('takes BIT STRINGs of whole octets only', () => {
    expect(
      bitStringOctets(parseTlv(bytes(0x03, 0x02, 0x00, 0xaa), TAG.BIT_STRING, 'b'), 'b'),
    ).toEqual(bytes(0xaa));
    expect(() =>
      bitStringOctets(parseTlv(bytes(0x03, 0x02, 0x01, 0xaa), TAG.BIT_STRING, 'b'), 'b'),
    ).toThrow(/unused bits/);
    expect(() => bitStringOctets(parseTlv(bytes(0x03, 0x00), TAG.BIT_STRING, 'b'), 'b')).toThrow(
      /unused bits/,
    );
  });

  it('checks INTEGER minimality and sign', () => {
    const int = (...b: number[]) => parseTlv(bytes(0x02, b.length, ...b), TAG.INTEGER, 'i');
    expect(integerBytes(int(0x00, 0x80), 'i')).toEqual(bytes(0x00, 0x80));
    expect(() => integerBytes(int(0x00, 0x7f), 'i')).toThrow(/non-minimal/);
    expect(() => integerBytes(int(0xff, 0x80), 'i')).toThrow(/non-minimal/);
    expect(() => integerBytes(int(), 'i')).toThrow(/empty/);
    expect(unsignedInteger(int(0x00, 0x80), 'i')).toEqual(bytes(0x80));
    expect(() => unsignedInteger(int(0x80), 'i')).toThrow(/negative/);
    expect(smallInteger(int(0x01, 0x00), 'i')).toBe(256);
    expect(() => smallInteger(int(0x03), 'i', 2)).toThrow(/larger than 2/);
  });

  it('encodes and decodes OIDs and unsigned INTEGERs losslessly', () => {
    expect(Array.from(encodeOid('1.2.840.10045.3.1.7'))).toEqual([
      0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
    ]);
    expect(decodeOid(parseTlv(encodeOid('2.999.3'), TAG.OID, 'o'), 'o')).toBe('2.999.3');
    expect(() => decodeOid(parseTlv(bytes(0x06, 0x02, 0x2a, 0x80), TAG.OID, 'o'), 'o')).toThrow(
      /truncated/,
    );
    expect(() =>
      decodeOid(parseTlv(bytes(0x06, 0x03, 0x2a, 0x80, 0x01), TAG.OID, 'o'), 'o'),
    ).toThrow(/non-minimal/);
    const arc = fc.integer({ min: 0, max: 2 ** 40 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(arc, { maxLength: 6 }),
        (a, b, rest) => {
          const oid = [a, b, ...rest].join('.');
          expect(decodeOid(parseTlv(encodeOid(oid), TAG.OID, 'o'), 'o')).toBe(oid);
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (magnitude) => {
        const value = (b: Uint8Array) => b.reduce((n, x) => n * 256n + BigInt(x), 0n);
        const got = unsignedInteger(
          parseTlv(encodeUnsignedInteger(magnitude), TAG.INTEGER, 'i'),
          'i',
        );
        expect(value(got)).toBe(value(magnitude));
        expect(got.length === 1 || got[0] !== 0).toBe(true);
      }),
    );
  });

  it('only ever raises CryptoError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
        try {
          checkDerStructure(input, 'x');
        } catch (e) {
          if (!(e instanceof CryptoError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
