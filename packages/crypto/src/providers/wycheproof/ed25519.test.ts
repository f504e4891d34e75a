import { hex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { testProviders } from '../test-providers.js';
import { expectRejected, loadCases, obj, str } from './support.js';

const FILE = 'ed25519_test.json';
const { cases, numberOfTests } = loadCases(FILE);
const EXPECTED = 151;

/**
 * RFC 8032 strictly (no ZIP-215): S >= L (SignatureMalleability) and
 * non-canonical R or A (InvalidEncoding, e.g. tcId 151) are rejected. No skips.
 */
describe.each(testProviders())('$name: Wycheproof Ed25519', (provider) => {
  let ran = 0;

  it.for(cases)('$label', ({ group, test }) => {
    ran++;
    const key = { kind: 'ed25519', key: hex(str(obj(group, 'publicKey'), 'pk')) } as const;
    const verify = () =>
      provider.verify({ name: 'ed25519' }, key, hex(str(test, 'msg')), hex(str(test, 'sig')));
    if (test.result === 'valid') expect(verify()).toBe(true);
    else expectRejected(verify);
  });

  it(`ran all ${EXPECTED} vectors`, () => {
    expect(numberOfTests).toBe(EXPECTED);
    expect(ran).toBe(EXPECTED);
  });
});
