import { DecodeError } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeQuicSessionTicket, encodeQuicSessionTicket } from './early-data.js';

const sample = {
  suite: 0x1301,
  ticket: Uint8Array.of(1, 2, 3),
  psk: new Uint8Array(32).fill(9),
  ticketAgeAdd: 0x01020304,
  lifetime: 7200,
  receivedAt: 1_790_000_000_000,
  maxEarlyData: 0xffffffff,
  alpn: 'quic-echo-example',
  serverName: 'localhost',
  transportParameters: Uint8Array.of(0x04, 0x01, 0x20),
};

describe('QuicSessionTicket bytes (the ticket and the remembered transport parameters)', () => {
  it('round-trips', () => {
    expect(decodeQuicSessionTicket(encodeQuicSessionTicket(sample))).toEqual(sample);
  });

  it('random bytes and every truncation only ever raise DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        try {
          decodeQuicSessionTicket(b);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }),
    );
    const bytes = encodeQuicSessionTicket(sample);
    for (let n = 0; n < bytes.length; n++)
      expect(() => decodeQuicSessionTicket(bytes.subarray(0, n))).toThrow(DecodeError);
  });
});
