import { rfcText } from '@x/test-helpers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacketNumber, packetNumberLength, truncatePacketNumber } from './number.js';

const appendixA = rfcText(9000).split('A.2.  Sample Packet Number Encoding Algorithm')[2]!;

describe('packet number encoding (RFC 9000 A.2)', () => {
  it('uses 16 bits then 24 bits in the RFC worked example', () => {
    const m =
      /acknowledgment for packet\s+(0x[0-9a-f]+) and is sending a packet with a number of (0x[0-9a-f]+)/.exec(
        appendixA,
      )!;
    const bits16 = /(\d+) bits are\s+required/.exec(appendixA)!;
    const second = /a number of (0x[0-9a-f]+) uses\s+the (\d+)-bit encoding/.exec(appendixA)!;
    const largestAcked = Number(m[1]);
    expect(packetNumberLength(Number(m[2]), largestAcked) * 8).toBe(Number(bits16[1]));
    expect(packetNumberLength(Number(second[1]), largestAcked) * 8).toBe(Number(second[2]));
  });

  it('uses one byte for the first packets and more as the unacknowledged range grows', () => {
    expect(packetNumberLength(0, undefined)).toBe(1);
    expect(packetNumberLength(100, 99)).toBe(1);
    expect(packetNumberLength(200, undefined)).toBe(2);
    expect(packetNumberLength(2 ** 40, 0)).toBe(4);
  });
});

describe('packet number decoding (RFC 9000 A.3)', () => {
  it('decodes the RFC worked example', () => {
    const m =
      /packet number of (0x[0-9a-f]+), then a packet containing a (\d+)-bit value\s+of (0x[0-9a-f]+) will be decoded as (0x[0-9a-f]+)/.exec(
        appendixA,
      )!;
    expect(decodePacketNumber(Number(m[1]), Number(m[3]), Number(m[2]))).toBe(Number(m[4]));
  });

  it('decodes the first packet of a space (largest = -1)', () => {
    expect(decodePacketNumber(-1, 0, 8)).toBe(0);
    expect(decodePacketNumber(-1, 2, 32)).toBe(2);
  });

  it('round-trips any packet number encoded with the length A.2 chooses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 50 }),
        fc.integer({ min: 1, max: 2 ** 20 }),
        (largestAcked, ahead) => {
          const pn = largestAcked + ahead;
          const len = packetNumberLength(pn, largestAcked);
          const truncated = truncatePacketNumber(pn, len);
          // The receiver's largest processed is at least the acknowledged one
          // and below pn.
          expect(decodePacketNumber(largestAcked, truncated, len * 8)).toBe(pn);
          expect(decodePacketNumber(pn - 1, truncated, len * 8)).toBe(pn);
        },
      ),
    );
  });

  it('handles a 32-bit truncation with the top bit set', () => {
    expect(decodePacketNumber(2 ** 32 + 5, 0xfffffff0, 32)).toBe(2 ** 32 - 16);
    expect(decodePacketNumber(0xfffffff0 - 1, 0xfffffff0, 32)).toBe(0xfffffff0);
  });
});
