import { nobleProvider, nodeProvider } from '@x/crypto';
import { DecodeError } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onlyDecodeError } from '../test-support/properties.js';
import { AttributeType as T } from './attributes/types.js';
import { checkFingerprint } from './fingerprint.js';
import type { StunClass } from './header.js';
import { type IntegrityAlgorithm, integrityAlgorithmOf, verifyIntegrity } from './integrity.js';
import { findAttribute, unknownComprehensionRequired } from './lookup.js';
import { decodeMessage, encodeMessage, type StunAttribute } from './message.js';

const INTEGRITY = new Set<number>([T.MESSAGE_INTEGRITY, T.MESSAGE_INTEGRITY_SHA256, T.FINGERPRINT]);
const attribute = fc.record({
  type: fc.integer({ min: 0, max: 0xffff }).filter((t) => !INTEGRITY.has(t)),
  value: fc.uint8Array({ maxLength: 40 }),
});
const message = fc.record({
  method: fc.integer({ min: 0, max: 0xfff }),
  class: fc.constantFrom<StunClass>('request', 'indication', 'success', 'error'),
  transactionId: fc.uint8Array({ minLength: 12, maxLength: 12 }),
  attributes: fc.array(attribute, { maxLength: 8 }),
});
const strip = (attrs: readonly StunAttribute[]) =>
  attrs.map(({ type, value }) => ({ type, value }));

describe('STUN message codec', () => {
  it('random attribute lists round trip, with integrity and fingerprint that verify', () => {
    const key = new TextEncoder().encode('swordfish');
    fc.assert(
      fc.property(
        message,
        fc.subarray<IntegrityAlgorithm>(['SHA-1', 'SHA-256']),
        fc.boolean(),
        fc.boolean(),
        (m, algorithms, fingerprint, noble) => {
          const provider = noble ? nobleProvider : nodeProvider;
          const bytes = encodeMessage(m, { integrity: { key, provider, algorithms }, fingerprint });
          const back = decodeMessage(bytes);
          expect(back.method).toBe(m.method);
          expect(back.class).toBe(m.class);
          expect(back.transactionId).toEqual(m.transactionId);
          const n = m.attributes.length;
          expect(strip(back.attributes.slice(0, n))).toEqual(strip(m.attributes));
          expect(back.attributes.length).toBe(n + algorithms.length + (fingerprint ? 1 : 0));
          expect(checkFingerprint(back)).toBe(fingerprint ? 'ok' : 'absent');
          for (const alg of algorithms) {
            expect(verifyIntegrity(back, key, provider, alg)).toBe(true);
            expect(verifyIntegrity(back, new Uint8Array(4), provider, alg)).toBe(false);
          }
          expect(integrityAlgorithmOf(back)).toBe(
            algorithms.includes('SHA-256') ? 'SHA-256' : algorithms.length ? 'SHA-1' : undefined,
          );
          // Re-encoding the decoded list (integrity attributes included, as opaque values) is identity.
          expect(encodeMessage(back)).toEqual(bytes);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random bytes and every truncation of valid messages raise only DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (b) =>
        onlyDecodeError(() => decodeMessage(b)),
      ),
    );
    // Random bytes behind a valid header, so the attribute parser is reached.
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 30 }).map((b) => b.subarray(0, b.length & ~3)),
        (body) => {
          const b = new Uint8Array(20 + body.length);
          b.set([0, 1, body.length >> 8, body.length & 0xff, 0x21, 0x12, 0xa4, 0x42]);
          b.set(body, 20);
          onlyDecodeError(() => decodeMessage(b));
        },
      ),
    );
    fc.assert(
      fc.property(message, (m) => {
        const bytes = encodeMessage(m, { fingerprint: true });
        for (let n = 0; n < bytes.length; n++) {
          expect(() => decodeMessage(bytes.subarray(0, n))).toThrow(DecodeError);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('an attribute that runs past the end is a DecodeError with its offset', () => {
    const b = encodeMessage({
      method: 1,
      class: 'request',
      transactionId: new Uint8Array(12),
      attributes: [{ type: T.USERNAME, value: new Uint8Array(5) }],
    });
    b[23] = 9; // USERNAME claims 9 bytes, 8 are there
    const e = (() => {
      try {
        decodeMessage(b);
      } catch (err) {
        return err as DecodeError;
      }
    })();
    expect(e).toBeInstanceOf(DecodeError);
    expect(e!.offset).toBe(22);
  });

  it('ignores attributes after MESSAGE-INTEGRITY except -SHA256 and FINGERPRINT (RFC 8489 §9)', () => {
    const provider = nodeProvider;
    const key = new Uint8Array(16);
    const signed = encodeMessage(
      {
        method: 1,
        class: 'request',
        transactionId: new Uint8Array(12),
        attributes: [{ type: T.PRIORITY, value: new Uint8Array(4) }],
      },
      { integrity: { key, provider } },
    );
    // Append a USERNAME and an unknown comprehension-required attribute after the MAC.
    const m = decodeMessage(signed);
    const tampered = encodeMessage({
      ...m,
      attributes: [
        ...m.attributes,
        { type: T.USERNAME, value: Uint8Array.of(0x61) },
        { type: 0x7777, value: new Uint8Array(0) },
      ],
    });
    const t = decodeMessage(tampered);
    expect(findAttribute(t, T.USERNAME)).toBeUndefined();
    expect(unknownComprehensionRequired(t)).toEqual([]);
    expect(verifyIntegrity(t, key, provider)).toBe(true);
    expect(
      unknownComprehensionRequired(
        decodeMessage(
          encodeMessage({
            ...m,
            attributes: [
              { type: 0x7777, value: new Uint8Array(0) },
              { type: 0xc001, value: new Uint8Array(0) },
            ],
          }),
        ),
      ),
    ).toEqual([0x7777]);
  });
});
