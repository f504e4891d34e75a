import type { CryptoProvider } from '../provider.js';
import { nobleProvider } from './noble/index.js';
import { nodeProvider } from './node/index.js';

/** Every provider the shared vector suites run against: each must pass them all. */
export function testProviders(): CryptoProvider[] {
  return [nobleProvider, nodeProvider];
}
