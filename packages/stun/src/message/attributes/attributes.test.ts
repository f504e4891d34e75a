import { DecodeError } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onlyDecodeError } from '../../test-support/properties.js';
import {
  decodeAddress,
  decodeXorAddress,
  encodeAddress,
  encodeXorAddress,
  ipBytes,
} from './address.js';
import { decodeErrorCode, encodeErrorCode } from './error-code.js';
import {
  decodePriority,
  decodeTiebreaker,
  decodeUseCandidate,
  encodePriority,
  encodeTiebreaker,
} from './ice.js';
import {
  decodePasswordAlgorithm,
  decodePasswordAlgorithms,
  encodePasswordAlgorithm,
  encodePasswordAlgorithms,
} from './password-algorithms.js';
import { decodeText, decodeUserhash, encodeText } from './strings.js';
import { decodeUnknownAttributes, encodeUnknownAttributes } from './unknown-attributes.js';

const txid = fc.uint8Array({ minLength: 12, maxLength: 12 });
const anyBytes = fc.uint8Array({ maxLength: 64 });

describe('address attributes (RFC 8489 §14.1, §14.2)', () => {
  it('round trip IPv4 and IPv6, plain and XOR', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.ipV4(), fc.ipV6()),
        fc.integer({ min: 0, max: 65535 }),
        txid,
        (ip, port, id) => {
          const family = ip.includes(':') ? 'IPv6' : 'IPv4';
          const a = { address: ip, port, family } as const;
          for (const back of [
            decodeAddress(encodeAddress(a)),
            decodeXorAddress(encodeXorAddress(a, id), id),
          ]) {
            expect(back.port).toBe(port);
            expect(back.family).toBe(family);
            expect(ipBytes(back.address)).toEqual(ipBytes(ip));
          }
          // The XOR form never shows the port in clear unless port ^ 0x2112 == port (impossible).
          expect(encodeXorAddress(a, id).subarray(2, 4)).not.toEqual(
            encodeAddress(a).subarray(2, 4),
          );
        },
      ),
    );
  });

  it('arbitrary values raise only DecodeError', () => {
    fc.assert(
      fc.property(anyBytes, txid, (b, id) => {
        onlyDecodeError(() => decodeAddress(b));
        onlyDecodeError(() => decodeXorAddress(b, id));
      }),
    );
    expect(() => decodeAddress(Uint8Array.of(0, 3, 0, 1, 1, 2, 3, 4))).toThrow(DecodeError);
    expect(() => decodeAddress(Uint8Array.of(0, 1, 0, 1, 1, 2, 3))).toThrow(DecodeError);
  });
});

describe('text attributes and USERHASH', () => {
  it('round trip any string under 509 bytes; reject invalid UTF-8 and oversize values', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (s) => {
        const bytes = new TextEncoder().encode(s);
        if (bytes.length > 508) return;
        expect(decodeText(encodeText(s))).toBe(s);
      }),
    );
    expect(() => decodeText(Uint8Array.of(0xc3))).toThrow(DecodeError);
    expect(() => decodeText(new Uint8Array(764).fill(0x61))).toThrow(DecodeError);
    expect(decodeText(new Uint8Array(763).fill(0x61))).toHaveLength(763);
    expect(() => encodeText('a'.repeat(509))).toThrow(RangeError);
    expect(() => decodeUserhash(new Uint8Array(31))).toThrow(DecodeError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 800 }), (b) => onlyDecodeError(() => decodeText(b))),
    );
  });
});

describe('ERROR-CODE (RFC 8489 §14.8)', () => {
  it('round trips codes 300..699 with their reason', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 699 }),
        fc.string({ maxLength: 60 }),
        (code, reason) => {
          expect(decodeErrorCode(encodeErrorCode(code, reason))).toEqual({ code, reason });
        },
      ),
    );
  });

  it('rejects classes outside 3..6 and numbers above 99; arbitrary bytes raise only DecodeError', () => {
    expect(() => decodeErrorCode(Uint8Array.of(0, 0, 2, 0))).toThrow(DecodeError);
    expect(() => decodeErrorCode(Uint8Array.of(0, 0, 7, 0))).toThrow(DecodeError);
    expect(() => decodeErrorCode(Uint8Array.of(0, 0, 4, 100))).toThrow(DecodeError);
    // Reserved bits are ignored (§14.8).
    expect(decodeErrorCode(Uint8Array.of(0xff, 0xff, 0xfc, 20)).code).toBe(420);
    fc.assert(fc.property(anyBytes, (b) => onlyDecodeError(() => decodeErrorCode(b))));
  });
});

describe('UNKNOWN-ATTRIBUTES, PASSWORD-ALGORITHM(S), ICE attributes', () => {
  it('round trip', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 10 }),
        fc.array(
          fc.record({
            algorithm: fc.integer({ min: 0, max: 0xffff }),
            parameters: fc.uint8Array({ maxLength: 9 }),
          }),
          {
            maxLength: 5,
          },
        ),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        (types, algs, priority, tiebreaker) => {
          expect(decodeUnknownAttributes(encodeUnknownAttributes(types))).toEqual(types);
          expect(decodePasswordAlgorithms(encodePasswordAlgorithms(algs))).toEqual(algs);
          for (const a of algs)
            expect(decodePasswordAlgorithm(encodePasswordAlgorithm(a))).toEqual(a);
          expect(decodePriority(encodePriority(priority))).toBe(priority);
          expect(decodeTiebreaker(encodeTiebreaker(tiebreaker))).toBe(tiebreaker);
        },
      ),
    );
  });

  it('arbitrary values raise only DecodeError', () => {
    fc.assert(
      fc.property(anyBytes, (b) => {
        onlyDecodeError(() => decodeUnknownAttributes(b));
        onlyDecodeError(() => decodePasswordAlgorithms(b));
        onlyDecodeError(() => decodePasswordAlgorithm(b));
        onlyDecodeError(() => decodePriority(b));
        onlyDecodeError(() => decodeTiebreaker(b));
        onlyDecodeError(() => decodeUseCandidate(b));
      }),
    );
    expect(() => decodeUnknownAttributes(Uint8Array.of(0, 1, 2))).toThrow(DecodeError);
    // A parameters length past the end, and a missing padding byte.
    expect(() => decodePasswordAlgorithms(Uint8Array.of(0, 1, 0, 8, 1, 2, 3, 4))).toThrow(
      DecodeError,
    );
    expect(() => decodePasswordAlgorithm(Uint8Array.of(0, 1, 0, 1, 9))).toThrow(DecodeError);
  });
});
