/** The ECDSA DER-signature suite, shared by the P-256/SHA-256 and P-384/SHA-384 files. */
import { hex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import type { HashAlgorithm, PublicKey } from '../../provider.js';
import { testProviders } from '../test-providers.js';
import { expectRejected, loadCases, obj, str } from './support.js';

/**
 * Valid vectors (71 / 89 of them high-S) must verify: the providers accept
 * high S, since OpenSSL and browsers produce it. Invalid ones (BER/DER
 * laxity, r or s out of range, modified integers, ...) must return false or
 * throw CryptoError. No skips, no acceptable vectors.
 */
export function ecdsaSuite(
  file: string,
  curve: 'P-256' | 'P-384',
  hash: HashAlgorithm,
  expected: number,
) {
  const { cases, numberOfTests } = loadCases(file);

  describe.each(testProviders())(`$name: Wycheproof ${file}`, (provider) => {
    let ran = 0;

    it.for(cases)('$label', ({ group, test }) => {
      ran++;
      expect(str(group, 'sha')).toBe(hash);
      // The group's uncompressed SEC1 point (its wx/wy carry DER sign bytes).
      const key: PublicKey = {
        kind: 'ec',
        curve,
        point: hex(str(obj(group, 'publicKey'), 'uncompressed')),
      };
      const verify = () =>
        provider.verify({ name: 'ecdsa', hash }, key, hex(str(test, 'msg')), hex(str(test, 'sig')));
      if (test.result === 'valid') expect(verify()).toBe(true);
      else expectRejected(verify);
    });

    it(`ran all ${expected} vectors`, () => {
      expect(numberOfTests).toBe(expected);
      expect(ran).toBe(expected);
    });
  });
}
