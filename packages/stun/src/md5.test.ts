import { createHash } from 'node:crypto';
import { rfcText, toHex } from '@x/test-helpers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5 } from './md5.js';

describe('md5 (RFC 1321)', () => {
  it("gives RFC 8489 §9.2.2's key for 'user:realm:pass'", () => {
    const text = rfcText(8489).replace(/\s+/g, ' ');
    const m =
      /performing an MD5 hash on the string '([^']+)', the resulting hash being 0x([0-9a-f]{32})/.exec(
        text,
      )!;
    expect(toHex(md5(new TextEncoder().encode(m[1]!)))).toBe(m[2]);
  });

  it('equals node:crypto MD5 for every length across the padding boundaries', () => {
    for (let n = 0; n < 200; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      expect(toHex(md5(data))).toBe(createHash('md5').update(data).digest('hex'));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (data) => {
        expect(toHex(md5(data))).toBe(createHash('md5').update(data).digest('hex'));
      }),
    );
  });
});
