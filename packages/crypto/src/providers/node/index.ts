import type { CryptoProvider } from '../../provider.js';
import { createAead } from './aead.js';
import { aesBlock, aesCtr, chacha20 } from './ciphers.js';
import { deriveSharedSecret, generateKeyPair } from './ecdhe.js';
import { createHasher, hash, hmac } from './hash.js';
import { hmacKey } from './mac.js';
import { randomBytes } from './random.js';
import { generateSigningKey, sign, verify } from './signatures.js';

/** The node:crypto (OpenSSL) provider: AES-NI AEADs, native ECDHE and signatures. The default on Node. */
export const nodeProvider: CryptoProvider = {
  name: 'node',
  randomBytes,
  hash,
  createHasher,
  hmac,
  hmacKey,
  aead: createAead,
  aesBlock,
  aesCtr,
  chacha20,
  generateKeyPair,
  deriveSharedSecret,
  sign,
  verify,
  generateSigningKey,
};
