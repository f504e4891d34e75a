/**
 * Properties of the noble AEADs (RFC 5116 §2): open inverts seal for any key,
 * nonce, AAD and plaintext, and any single flipped bit in the ciphertext, the
 * tag or the AAD makes open return null (INT-CTXT), never an exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AEAD_SPECS, type AeadAlgorithm } from '../../provider.js';
import { nobleProvider } from './index.js';

const ALGORITHMS = Object.keys(AEAD_SPECS) as AeadAlgorithm[];

const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });

function flipBit(data: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(data);
  out[bit >>> 3]! ^= 1 << (bit & 7);
  return out;
}

describe.each(ALGORITHMS)('noble %s properties', (algorithm) => {
  const { keyLength, nonceLength, tagLength } = AEAD_SPECS[algorithm];
  const input = fc.record({
    key: bytes(keyLength),
    nonce: bytes(nonceLength),
    aad: fc.uint8Array({ maxLength: 48 }),
    plaintext: fc.uint8Array({ maxLength: 200 }),
  });

  it('open(seal(p)) = p, and the output is |p| + tag long', () => {
    fc.assert(
      fc.property(input, ({ key, nonce, aad, plaintext }) => {
        const aead = nobleProvider.aead(algorithm, key);
        const sealed = aead.seal(nonce, plaintext, aad);
        expect(sealed.length).toBe(plaintext.length + tagLength);
        expect(aead.open(nonce, sealed, aad)).toEqual(plaintext);
      }),
      { numRuns: 100 },
    );
  });

  it('a single flipped bit of ciphertext or tag makes open return null', () => {
    fc.assert(
      fc.property(input, fc.nat(), ({ key, nonce, aad, plaintext }, seed) => {
        const aead = nobleProvider.aead(algorithm, key);
        const sealed = aead.seal(nonce, plaintext, aad);
        expect(aead.open(nonce, flipBit(sealed, seed % (sealed.length * 8)), aad)).toBeNull();
      }),
      { numRuns: 100 },
    );
  });

  it('a single flipped bit of the AAD makes open return null', () => {
    fc.assert(
      fc.property(
        input.filter(({ aad }) => aad.length > 0),
        fc.nat(),
        ({ key, nonce, aad, plaintext }, seed) => {
          const aead = nobleProvider.aead(algorithm, key);
          const sealed = aead.seal(nonce, plaintext, aad);
          expect(aead.open(nonce, sealed, flipBit(aad, seed % (aad.length * 8)))).toBeNull();
        },
      ),
      { numRuns: 100 },
    );
  });
});
