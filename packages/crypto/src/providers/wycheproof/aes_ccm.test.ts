import { hex } from '@x/test-helpers';
import { concatBytes } from '@x/wire';
import { describe, expect, it } from 'vitest';
import type { AeadAlgorithm } from '../../provider.js';
import { aesCcm } from '../noble/ccm.js';
import { testProviders } from '../test-providers.js';
import {
  type Case,
  expectBytes,
  expectCryptoError,
  expectRejected,
  loadCases,
  num,
  str,
} from './support.js';

const FILE = 'aes_ccm_test.json';
const { cases: all, numberOfTests } = loadCases(FILE);

/**
 * Interface level: the provider offers the TLS/DTLS profiles only (RFC 8446
 * §B.4, RFC 6655): AES-128, 12-byte nonce, 16-byte tag (AES-128-CCM) or 8-byte
 * tag (AES-128-CCM-8). Those vectors run as they are. The AES-128 vectors with
 * another nonce size are all `invalid` (InvalidNonceSize) except 36 valid ones
 * with 7..13-byte nonces; the invalid ones run and must throw
 * CryptoError('invalid_nonce') (the nonce is checked before anything else), the
 * valid ones are skipped here (the interface cannot express them) and run below
 * through the general CCM. Other tag sizes and AES-192/256 likewise run only below.
 */
const TAG_ALGORITHM: Record<number, AeadAlgorithm> = { 128: 'AES-128-CCM', 64: 'AES-128-CCM-8' };
const isProfile = (c: Case) =>
  num(c.group, 'ivSize') === 96 && num(c.group, 'tagSize') in TAG_ALGORITHM;
const isBadNonce = (c: Case) =>
  num(c.group, 'ivSize') !== 96 && c.test.flags.includes('InvalidNonceSize');
const interfaceCases = all.filter(
  (c) => num(c.group, 'keySize') === 128 && (isProfile(c) || isBadNonce(c)),
);
const INTERFACE_EXPECTED = 99; // 78 (tag 16) + 8 (tag 8) + 13 (bad nonce sizes)

describe.each(testProviders())(
  '$name: Wycheproof AES-CCM through the AEAD interface',
  (provider) => {
    let ran = 0;

    it.for(interfaceCases)('$label', (c) => {
      ran++;
      const { group, test } = c;
      const algorithm = TAG_ALGORITHM[num(group, 'tagSize')] ?? 'AES-128-CCM';
      const aead = provider.aead(algorithm, hex(str(test, 'key')));
      const iv = hex(str(test, 'iv'));
      const aad = hex(str(test, 'aad'));
      const msg = hex(str(test, 'msg'));
      const sealed = concatBytes(hex(str(test, 'ct')), hex(str(test, 'tag')));
      if (isBadNonce(c)) {
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

    it(`ran ${INTERFACE_EXPECTED} of the file's ${numberOfTests} vectors`, () => {
      expect(interfaceCases.length).toBe(INTERFACE_EXPECTED);
      expect(ran).toBe(INTERFACE_EXPECTED);
    });
  },
);

/**
 * noble's own CCM (ccm.ts) is written for every RFC 3610 parameter, so it runs
 * the whole file: all key sizes, nonces of 0..268 bytes (only 7..13 are legal),
 * and tags of 2..16 bytes (only even 4..16 are legal). No skips.
 */
describe('noble general AES-CCM (RFC 3610): every Wycheproof vector', () => {
  let ran = 0;

  it.for(all)('$label', ({ group, test }) => {
    ran++;
    const key = hex(str(test, 'key'));
    const tagLength = num(group, 'tagSize') / 8;
    const iv = hex(str(test, 'iv'));
    const aad = hex(str(test, 'aad'));
    const msg = hex(str(test, 'msg'));
    const sealed = concatBytes(hex(str(test, 'ct')), hex(str(test, 'tag')));
    if (test.result === 'valid') {
      const ccm = aesCcm(key, tagLength);
      expectBytes(ccm.seal(iv, msg, aad), sealed);
      expectBytes(ccm.open(iv, sealed, aad), msg);
    } else {
      // Refused at construction (tag size), at the nonce, or by the tag check.
      expectRejected(() => aesCcm(key, tagLength).open(iv, sealed, aad));
    }
  });

  it(`ran all ${numberOfTests} vectors`, () => {
    expect(all.length).toBe(552);
    expect(ran).toBe(552);
  });
});
