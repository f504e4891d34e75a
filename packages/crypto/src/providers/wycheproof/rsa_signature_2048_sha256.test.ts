import { hex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import type { PublicKey } from '../../provider.js';
import { testProviders } from '../test-providers.js';
import { expectRejected, loadCases, obj, str } from './support.js';

const FILE = 'rsa_signature_2048_sha256_test.json';
const { cases, numberOfTests } = loadCases(FILE);
const EXPECTED = 259;

/**
 * RSASSA-PKCS1-v1_5 with SHA-256. Policy for the one `acceptable` vector,
 * MissingNull (tcId 8, DigestInfo without the NULL parameter): either outcome
 * is allowed; the noble provider re-encodes the DigestInfo with NULL
 * (RFC 8017 §9.2 note 1) and so rejects it, as OpenSSL does. No skips.
 */
describe.each(testProviders())('$name: Wycheproof RSASSA-PKCS1-v1_5 2048 SHA-256', (provider) => {
  let ran = 0;

  it.for(cases)('$label', ({ group, test }) => {
    ran++;
    expect(str(group, 'sha')).toBe('SHA-256');
    const publicKey = obj(group, 'publicKey');
    const key: PublicKey = {
      kind: 'rsa',
      modulus: hex(str(publicKey, 'modulus')),
      exponent: hex(str(publicKey, 'publicExponent')),
    };
    const verify = () =>
      provider.verify(
        { name: 'rsa-pkcs1', hash: 'SHA-256' },
        key,
        hex(str(test, 'msg')),
        hex(str(test, 'sig')),
      );
    if (test.result === 'valid') {
      expect(verify()).toBe(true);
    } else if (test.result === 'invalid') {
      expectRejected(verify);
    } else {
      // acceptable: true, false or CryptoError are all fine; anything else is not.
      expect(test.flags).toEqual(['MissingNull']);
      try {
        expect(typeof verify()).toBe('boolean');
      } catch (e) {
        expectRejected(() => {
          throw e;
        });
      }
    }
  });

  it(`ran all ${EXPECTED} vectors`, () => {
    expect(numberOfTests).toBe(EXPECTED);
    expect(ran).toBe(EXPECTED);
  });
});
