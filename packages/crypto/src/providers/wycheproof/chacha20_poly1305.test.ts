import { hex } from '@x/test-helpers';
import { concatBytes } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { testProviders } from '../test-providers.js';
import { expectBytes, expectCryptoError, expectRejected, loadCases, num, str } from './support.js';

const FILE = 'chacha20_poly1305_test.json';
const { cases, numberOfTests } = loadCases(FILE);
// No skips: RFC 8439 fixes the nonce at 12 bytes, and the 9 InvalidNonceSize
// vectors must be refused with CryptoError('invalid_nonce') (RFC 8439 §2.8).
const EXPECTED = 325;

describe.each(testProviders())('$name: Wycheproof ChaCha20-Poly1305', (provider) => {
  let ran = 0;

  it.for(cases)('$label', ({ group, test }) => {
    ran++;
    const aead = provider.aead('CHACHA20-POLY1305', hex(str(test, 'key')));
    const iv = hex(str(test, 'iv'));
    const aad = hex(str(test, 'aad'));
    const msg = hex(str(test, 'msg'));
    const sealed = concatBytes(hex(str(test, 'ct')), hex(str(test, 'tag')));
    if (num(group, 'ivSize') !== 96) {
      expect(test.result).toBe('invalid');
      expectCryptoError(() => aead.open(iv, sealed, aad), 'invalid_nonce');
      expectCryptoError(() => aead.seal(iv, msg, aad), 'invalid_nonce');
    } else if (test.result === 'valid') {
      expectBytes(aead.seal(iv, msg, aad), sealed);
      expectBytes(aead.open(iv, sealed, aad), msg);
    } else {
      expectRejected(() => aead.open(iv, sealed, aad));
    }
  });

  it(`ran all ${EXPECTED} vectors`, () => {
    expect(numberOfTests).toBe(EXPECTED);
    expect(cases.length).toBe(EXPECTED);
    expect(ran).toBe(EXPECTED);
  });
});
