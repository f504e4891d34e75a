import { DecodeError } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSessionTicket, encodeSessionTicket } from './ticket-codec.js';
import type { SessionTicket } from './tickets.js';

const ticket: fc.Arbitrary<SessionTicket> = fc.record({
  suite: fc.integer({ min: 0, max: 0xffff }),
  ticket: fc.uint8Array({ minLength: 1, maxLength: 600 }),
  psk: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  ticketAgeAdd: fc.integer({ min: 0, max: 0xffffffff }),
  lifetime: fc.integer({ min: 0, max: 604800 }),
  receivedAt: fc.integer({ min: 0, max: 2 ** 47 }),
  maxEarlyData: fc.integer({ min: 0, max: 0xffffffff }),
  alpn: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  serverName: fc.option(fc.domain(), { nil: undefined }),
});

/** Decodes or throws DecodeError: never anything else. */
function decodeOrDecodeError(bytes: Uint8Array): void {
  try {
    decodeSessionTicket(bytes);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
}

describe('session ticket codec', () => {
  it('round-trips every field', () => {
    fc.assert(
      fc.property(ticket, (t) => {
        expect(decodeSessionTicket(encodeSessionTicket(t))).toEqual(t);
      }),
    );
  });

  it('random bytes and every truncation only ever raise DecodeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => decodeOrDecodeError(b)));
    fc.assert(
      fc.property(ticket, fc.nat(), (t, cut) => {
        const bytes = encodeSessionTicket(t);
        const n = cut % bytes.length;
        expect(() => decodeSessionTicket(bytes.subarray(0, n))).toThrow(DecodeError);
      }),
    );
  });

  it('every single-bit flip is refused (the checksum), not decoded into a wrong ticket', () => {
    fc.assert(
      fc.property(ticket, fc.nat(), fc.integer({ min: 0, max: 7 }), (t, at, bit) => {
        const bytes = encodeSessionTicket(t);
        bytes[at % bytes.length]! ^= 1 << bit;
        expect(() => decodeSessionTicket(bytes)).toThrow(DecodeError);
      }),
    );
  });

  it('refuses a damaged format byte and trailing bytes', () => {
    const bytes = encodeSessionTicket({
      suite: 0x1301,
      ticket: Uint8Array.of(1),
      psk: Uint8Array.of(2),
      ticketAgeAdd: 3,
      lifetime: 7200,
      receivedAt: 1000,
      maxEarlyData: 0,
      alpn: 'h3',
      serverName: undefined,
    });
    // Any damage fails the checksum, so a damaged store means a full handshake.
    expect(() => decodeSessionTicket(Uint8Array.of(2, ...bytes.subarray(1)))).toThrow(/damaged/);
    expect(() => decodeSessionTicket(Uint8Array.of(...bytes, 0))).toThrow(DecodeError);
  });
});
