import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

describe('CRC-32 (ITU V.42, RFC 1952 §8)', () => {
  it('equals zlib.crc32 on arbitrary bytes and sub-ranges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (b, x, y) => {
        const start = b.length === 0 ? 0 : x % (b.length + 1);
        const end = start + (b.length === 0 ? 0 : y % (b.length - start + 1));
        expect(crc32(b, start, end)).toBe(zlibCrc32(b.subarray(start, end)) >>> 0);
      }),
      { numRuns: 500 },
    );
  });
});
