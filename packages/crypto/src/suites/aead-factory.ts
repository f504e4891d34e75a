import type { Aead, AeadAlgorithm, CryptoProvider } from '../provider.js';
import { AEAD_SPECS } from '../provider.js';

/**
 * How to build the AEAD a suite uses. Built-in suites name a provider AEAD; a user
 * suite may bring any factory (its own cipher, a hardware module, ...).
 */
export interface AeadFactory {
  readonly name: string;
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
  create(provider: CryptoProvider, key: Uint8Array): Aead;
}

export function providerAead(algorithm: AeadAlgorithm): AeadFactory {
  const spec = AEAD_SPECS[algorithm];
  return { name: algorithm, ...spec, create: (p, key) => p.aead(algorithm, key) };
}
