import { DecodeError } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classOf,
  decodeHeader,
  looksLikeStun,
  messageType,
  methodOf,
  type StunClass,
} from './header.js';

const classes: StunClass[] = ['request', 'indication', 'success', 'error'];

describe('STUN message type (RFC 8489 §5)', () => {
  it('encodes the examples of §5: Binding request 0x0001, Binding success response 0x0101', () => {
    expect(messageType(0x001, 'request')).toBe(0x0001);
    expect(messageType(0x001, 'success')).toBe(0x0101);
    // C0 is bit 4 and C1 bit 8: indication 0x0011, error response 0x0111.
    expect(messageType(0x001, 'indication')).toBe(0x0011);
    expect(messageType(0x001, 'error')).toBe(0x0111);
  });

  it('method and class round trip for every 12-bit method', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xfff }), fc.constantFrom(...classes), (m, c) => {
        const t = messageType(m, c);
        expect(t & 0xc000).toBe(0);
        expect(methodOf(t)).toBe(m);
        expect(classOf(t)).toBe(c);
      }),
    );
  });

  it('rejects headers with the top bits set, no magic cookie, or a wrong length', () => {
    const ok = new Uint8Array(20);
    ok.set([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]);
    expect(decodeHeader(ok).class).toBe('request');
    expect(looksLikeStun(ok)).toBe(true);
    const cases: [number, number][] = [
      [0, 0x80],
      [4, 0x22],
      [3, 0x04],
    ];
    for (const [i, v] of cases) {
      const bad = ok.slice();
      bad[i] = v;
      expect(() => decodeHeader(bad)).toThrow(DecodeError);
      expect(looksLikeStun(bad)).toBe(false);
    }
    expect(() => decodeHeader(ok.subarray(0, 19))).toThrow(DecodeError);
  });
});
