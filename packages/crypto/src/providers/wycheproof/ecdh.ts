/**
 * The ECDH ecpoint suite, shared by the P-256 and P-384 files: the public key
 * is a raw SEC1 point exactly as in a TLS 1.3 key_share (RFC 8446 §4.2.8.2).
 */
import { hex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import type { EcdheGroup } from '../../provider.js';
import { testProviders } from '../test-providers.js';
import { expectBytes, expectCryptoError, loadCases, str } from './support.js';

/** `private` is a big-endian integer that may carry a leading 00 or be short: fix it to `length` bytes. */
export function fixedScalar(s: string, length: number): Uint8Array {
  const raw = hex(s);
  let start = 0;
  while (raw.length - start > length && raw[start] === 0) start++;
  if (raw.length - start > length) throw new Error(`private key longer than ${length} bytes`);
  const out = new Uint8Array(length);
  out.set(raw.subarray(start), length - (raw.length - start));
  return out;
}

/**
 * Policy: the one `acceptable` vector is a compressed point, which TLS 1.3 and
 * RFC 8422 §5.1.2 forbid in a key share: reject it, like every `invalid` one,
 * with CryptoError('invalid_public_key').
 */
export function ecdhSuite(file: string, group: EcdheGroup, scalarLength: number, expected: number) {
  const { cases, numberOfTests } = loadCases(file);

  describe.each(testProviders())(`$name: Wycheproof ${file}`, (provider) => {
    let ran = 0;

    it.for(cases)('$label', ({ test }) => {
      ran++;
      const priv = fixedScalar(str(test, 'private'), scalarLength);
      const pub = hex(str(test, 'public'));
      const derive = () => provider.deriveSharedSecret(group, priv, pub);
      if (test.result === 'valid') {
        expectBytes(derive(), hex(str(test, 'shared')));
      } else {
        expectCryptoError(derive, 'invalid_public_key');
      }
    });

    it(`ran all ${expected} vectors`, () => {
      expect(numberOfTests).toBe(expected);
      expect(ran).toBe(expected);
    });
  });
}
