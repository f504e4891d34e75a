import { hex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import type { PublicKey } from '../../provider.js';
import { testProviders } from '../test-providers.js';
import { expectRejected, loadCases, num, obj, str } from './support.js';

const FILE = 'rsa_pss_2048_sha256_mgf1_32_test.json';
const { cases, numberOfTests } = loadCases(FILE);
const EXPECTED = 108;

/** rsa_pss_rsae_sha256 exactly (RFC 8446 §4.2.3): SHA-256, MGF1-SHA-256, 32-byte salt. No skips. */
describe.each(testProviders())(
  '$name: Wycheproof RSASSA-PSS 2048 SHA-256 MGF1 salt 32',
  (provider) => {
    let ran = 0;

    it.for(cases)('$label', ({ group, test }) => {
      ran++;
      // The interface has MGF1 over the signing hash only; check the file agrees.
      expect([str(group, 'sha'), str(group, 'mgf'), str(group, 'mgfSha')]).toEqual([
        'SHA-256',
        'MGF1',
        'SHA-256',
      ]);
      const publicKey = obj(group, 'publicKey');
      const key: PublicKey = {
        kind: 'rsa',
        modulus: hex(str(publicKey, 'modulus')),
        exponent: hex(str(publicKey, 'publicExponent')),
      };
      const algorithm = {
        name: 'rsa-pss',
        hash: 'SHA-256',
        saltLength: num(group, 'sLen'),
      } as const;
      const verify = () =>
        provider.verify(algorithm, key, hex(str(test, 'msg')), hex(str(test, 'sig')));
      if (test.result === 'valid') expect(verify()).toBe(true);
      else expectRejected(verify);
    });

    it(`ran all ${EXPECTED} vectors`, () => {
      expect(numberOfTests).toBe(EXPECTED);
      expect(ran).toBe(EXPECTED);
    });
  },
);
