import { hex, openssl, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import type { HashAlgorithm } from '../provider.js';
import { testProviders } from '../providers/test-providers.js';
import { tls12Prf } from './tls12-prf.js';

// RFC 5246 publishes no PRF vectors, so OpenSSL's TLS1-PRF (its own, independent
// implementation) is the reference: it takes the label already prepended to the seed.
function opensslPrf(
  hash: HashAlgorithm,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): string {
  const labelSeed = toHex(new TextEncoder().encode(label)) + toHex(seed);
  const out = openssl([
    'kdf',
    '-keylen',
    String(length),
    '-kdfopt',
    `digest:${hash.replace('-', '')}`,
    '-kdfopt',
    `hexsecret:${toHex(secret)}`,
    '-kdfopt',
    `hexseed:${labelSeed}`,
    'TLS1-PRF',
  ]);
  return toHex(hex(out.trim().toLowerCase()));
}

const cases: Array<[HashAlgorithm, string, number]> = [
  ['SHA-256', 'master secret', 48],
  ['SHA-256', 'key expansion', 40],
  ['SHA-384', 'extended master secret', 48],
  ['SHA-384', 'client finished', 12],
  ['SHA-256', 'EXTRACTOR-dtls_srtp', 60],
  ['SHA-256', 'EXTRACTOR-dtls_srtp', 88],
  ['SHA-256', 'x', 1],
  ['SHA-384', 'key expansion', 200],
];

describe.each(testProviders())('TLS 1.2 PRF with the $name provider', (p) => {
  it.each(cases)('P_%s "%s" for %i bytes matches OpenSSL TLS1-PRF', (hash, label, length) => {
    const secret = p.randomBytes(48);
    const seed = p.randomBytes(64);
    expect(toHex(tls12Prf(p, hash, secret, label, seed, length))).toBe(
      opensslPrf(hash, secret, label, seed, length),
    );
  });
});
