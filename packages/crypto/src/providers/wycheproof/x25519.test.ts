import { hex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { testProviders } from '../test-providers.js';
import { expectBytes, expectCryptoError, isAllZero, loadCases, str } from './support.js';

const FILE = 'x25519_test.json';
const { cases, numberOfTests } = loadCases(FILE);
const EXPECTED = 518;

/**
 * Policy for the `acceptable` vectors (README rule 5):
 * - reject: an all-zero shared secret (LowOrderPublic / ZeroSharedSecret), as
 *   RFC 7748 §6.1 and RFC 8446 §7.4.2 require, with CryptoError('low_order_point');
 * - accept: Twist, NonCanonicalPublic, SmallPublicKey, ... (RFC 7748 §5 says to
 *   mask bit 255 and reduce u mod p), and then the output must equal `shared`.
 */
describe.each(testProviders())('$name: Wycheproof X25519', (provider) => {
  let ran = 0;

  it.for(cases)('$label', ({ test }) => {
    ran++;
    const priv = hex(str(test, 'private'));
    const pub = hex(str(test, 'public'));
    const shared = hex(str(test, 'shared'));
    const derive = () => provider.deriveSharedSecret('x25519', priv, pub);
    if (isAllZero(shared)) {
      expect(test.result).not.toBe('valid');
      expectCryptoError(derive, 'low_order_point');
    } else if (test.result === 'valid') {
      expectBytes(derive(), shared);
    } else {
      // acceptable; there are no `invalid` X25519 vectors in this file.
      expect(test.result).toBe('acceptable');
      let out: Uint8Array | undefined;
      try {
        out = derive();
      } catch {
        // refusing is allowed for acceptable vectors
      }
      if (out !== undefined) expectBytes(out, shared);
    }
  });

  it(`ran all ${EXPECTED} vectors`, () => {
    expect(numberOfTests).toBe(EXPECTED);
    expect(ran).toBe(EXPECTED);
  });
});
