import type { CryptoProvider } from './provider.js';
import { nodeProvider } from './providers/node/index.js';

/**
 * node:crypto on Node (OpenSSL, AES-NI). Code that must run elsewhere imports
 * `@x/crypto/noble` and passes `nobleProvider` explicitly.
 */
export const defaultProvider: CryptoProvider = nodeProvider;
