import { hex } from '@x/test-helpers';
import { concatBytes } from '@x/wire';
import { describe, expect, it } from 'vitest';
import type { AeadAlgorithm } from '../../provider.js';
import { testProviders } from '../test-providers.js';
import { expectBytes, expectRejected, loadCases, num, str } from './support.js';

const FILE = 'aes_gcm_test.json';
const { cases: all, numberOfTests } = loadCases(FILE);

/**
 * Skip: the provider's AEADs are the record-layer ones (TLS, DTLS, QUIC, SRTP-GCM),
 * which only ever use 96-bit IVs (RFC 5116 §3.2, RFC 8446 §5.3) and 128/256-bit
 * keys; the 183 vectors with other IV sizes or AES-192 cannot be expressed and
 * are left out by filter (README rule 6), not by tcId.
 */
const cases = all.filter((c) => num(c.group, 'ivSize') === 96 && num(c.group, 'keySize') !== 192);
const EXPECTED = 133;

const ALGORITHM: Record<number, AeadAlgorithm> = { 128: 'AES-128-GCM', 256: 'AES-256-GCM' };

describe.each(testProviders())('$name: Wycheproof AES-GCM', (provider) => {
  let ran = 0;

  it.for(cases)('$label', ({ group, test }) => {
    ran++;
    const algorithm = ALGORITHM[num(group, 'keySize')]!;
    const aead = provider.aead(algorithm, hex(str(test, 'key')));
    const iv = hex(str(test, 'iv'));
    const aad = hex(str(test, 'aad'));
    const msg = hex(str(test, 'msg'));
    const sealed = concatBytes(hex(str(test, 'ct')), hex(str(test, 'tag')));
    if (test.result === 'valid') {
      expectBytes(aead.seal(iv, msg, aad), sealed);
      expectBytes(aead.open(iv, sealed, aad), msg);
    } else {
      expectRejected(() => aead.open(iv, sealed, aad));
    }
  });

  it(`ran ${EXPECTED} of the file's ${numberOfTests} vectors`, () => {
    expect(cases.length).toBe(EXPECTED);
    expect(ran).toBe(EXPECTED);
  });
});
