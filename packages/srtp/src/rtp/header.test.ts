import { rfcHexBlockAfter, rfcText } from '@x/test-helpers';
import { DecodeError, toHex } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseHeaderExtensions,
  serializeHeaderExtensions,
  TWO_BYTE_PROFILE,
} from './extensions.js';
import { parseRtpPacket, serializeRtpPacket } from './header.js';
import { rtpHeaderLength } from './header-length.js';

const onlyDecodeError = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
};

const elementArb = fc.record({
  id: fc.integer({ min: 1, max: 255 }),
  data: fc.uint8Array({ maxLength: 40 }),
});

const headerArb = fc.record({
  padding: fc.constant(false),
  marker: fc.boolean(),
  payloadType: fc.integer({ min: 0, max: 127 }),
  sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
  timestamp: fc.integer({ min: 0, max: 0xffffffff }),
  ssrc: fc.integer({ min: 0, max: 0xffffffff }),
  csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 15 }),
});

describe('RTP header (RFC 3550 §5.1)', () => {
  it('parses the RFC 7714 §16 example packet', () => {
    const p = rfcHexBlockAfter(rfcText(7714), 'based upon the same RTP packet');
    const r = parseRtpPacket(p);
    expect(r.header).toMatchObject({
      marker: false,
      payloadType: 64,
      sequenceNumber: 0xf17b,
      timestamp: 0x8041f8d3,
      ssrc: 0x5501a0b2,
      csrcs: [],
    });
    expect(new TextDecoder().decode(r.payload)).toBe('Gallia est omnis divisa in partes tres');
  });

  it('round-trips random headers with CSRCs, RFC 8285 extensions and padding', () => {
    fc.assert(
      fc.property(
        headerArb,
        fc.option(fc.array(elementArb, { maxLength: 5 })),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 255 }),
        (h, elements, payload, pad) => {
          const extension = elements ? serializeHeaderExtensions(elements) : undefined;
          const header = { ...h, padding: pad > 0, ...(extension ? { extension } : {}) };
          const bytes = serializeRtpPacket(header, payload, pad);
          const parsed = parseRtpPacket(bytes);
          expect(parsed.header).toEqual(header);
          expect(toHex(parsed.payload)).toBe(toHex(payload));
          expect(parsed.paddingLength).toBe(pad);
          expect(rtpHeaderLength(bytes)).toBe(parsed.headerLength);
          if (elements) {
            const back = parseHeaderExtensions(parsed.header.extension!);
            expect(back.map((e) => [e.id, toHex(e.data)])).toEqual(
              elements.map((e) => [e.id, toHex(e.data)]),
            );
          }
          // Every truncation is either still valid or a DecodeError, never anything else.
          for (let n = 0; n < bytes.length; n += 7)
            onlyDecodeError(() => parseRtpPacket(bytes.subarray(0, n)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('raises only DecodeError on random bytes, and agrees with the hot-path length check', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        let ok = true;
        try {
          const p = parseRtpPacket(b);
          expect(rtpHeaderLength(b)).toBe(p.headerLength);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
          ok = false;
        }
        if (!ok && rtpHeaderLength(b) >= 0) {
          // Only padding can make the full parser stricter than the header-length check.
          expect(b[0]! & 0x20).toBe(0x20);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('RFC 8285 header extensions', () => {
  it('uses the one-byte form when it can, and the two-byte form otherwise', () => {
    const one = serializeHeaderExtensions([
      { id: 1, data: Uint8Array.of(0xaa) },
      { id: 14, data: new Uint8Array(16) },
    ]);
    expect(one.profile).toBe(0xbede);
    expect(toHex(one.data.subarray(0, 3))).toBe('10aaef');
    expect(one.data.length % 4).toBe(0);
    expect(serializeHeaderExtensions([{ id: 15, data: Uint8Array.of(1) }]).profile).toBe(
      TWO_BYTE_PROFILE,
    );
    expect(serializeHeaderExtensions([{ id: 2, data: new Uint8Array(0) }]).profile).toBe(
      TWO_BYTE_PROFILE,
    );
  });

  it('skips padding and stops at ID 15 in the one-byte form (§4.2)', () => {
    const ext = {
      profile: 0xbede,
      data: Uint8Array.of(0x10, 0xaa, 0x00, 0x00, 0x21, 1, 2, 0, 0xf0, 0x31, 9, 9),
    };
    const e = parseHeaderExtensions(ext);
    expect(e.map((x) => [x.id, toHex(x.data)])).toEqual([
      [1, 'aa'],
      [2, '0102'],
    ]);
  });

  it('raises DecodeError for a non-RFC 8285 profile or an element past the end', () => {
    expect(() => parseHeaderExtensions({ profile: 0x1234, data: new Uint8Array(4) })).toThrow(
      DecodeError,
    );
    expect(() =>
      parseHeaderExtensions({ profile: 0xbede, data: Uint8Array.of(0x13, 0, 0, 0) }),
    ).toThrow(DecodeError);
    expect(() =>
      parseHeaderExtensions({ profile: 0x1000, data: Uint8Array.of(5, 9, 0, 0) }),
    ).toThrow(DecodeError);
    fc.assert(
      fc.property(
        fc.constantFrom(0xbede, 0x1000, 0x100f),
        fc.uint8Array({ maxLength: 40 }),
        (profile, data) => {
          onlyDecodeError(() => parseHeaderExtensions({ profile, data }));
        },
      ),
    );
  });
});
