/** The HMAC suite, shared by the SHA-1 and SHA-256 files. */
import { hex, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import type { HashAlgorithm } from '../../provider.js';
import { testProviders } from '../test-providers.js';
import { loadCases, num, str } from './support.js';

/**
 * Groups with tagSize below the hash length check truncated tags (SRTP's
 * HMAC_SHA1_80 / _32, RFC 3711 §4.2): compare the leading tagSize/8 bytes.
 * A valid tag must match; an invalid (ModifiedTag) one must not. No skips.
 */
export function hmacSuite(file: string, hash: HashAlgorithm, expected: number) {
  const { cases, numberOfTests } = loadCases(file);

  describe.each(testProviders())(`$name: Wycheproof ${file}`, (provider) => {
    let ran = 0;

    it.for(cases)('$label', ({ group, test }) => {
      ran++;
      const tagLength = num(group, 'tagSize') / 8;
      const mac = provider.hmac(hash, hex(str(test, 'key')), hex(str(test, 'msg')));
      const computed = toHex(mac.subarray(0, tagLength));
      const tag = str(test, 'tag');
      if (test.result === 'valid') expect(computed).toBe(tag);
      else expect(computed).not.toBe(tag);
      // hmacKey: the same tag from a reusable keyed MAC, message in two parts written at an
      // offset, then again whole (the MAC resets after each digest).
      const keyed = provider.hmacKey(hash, hex(str(test, 'key')));
      const msg = hex(str(test, 'msg'));
      const out = new Uint8Array(3 + keyed.length);
      keyed.update(msg.subarray(0, msg.length >> 1)).update(msg.subarray(msg.length >> 1));
      keyed.digestInto(out, 3);
      expect(toHex(out.subarray(3))).toBe(toHex(mac));
      keyed.update(msg).digestInto(out, 3);
      expect(toHex(out.subarray(3))).toBe(toHex(mac));
    });

    it(`ran all ${expected} vectors`, () => {
      expect(numberOfTests).toBe(expected);
      expect(ran).toBe(expected);
    });
  });
}
