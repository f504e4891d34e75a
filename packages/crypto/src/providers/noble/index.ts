/**
 * The pure-JavaScript CryptoProvider on @noble/* (runs in browsers, workers,
 * Deno, Bun). What noble lacks is written here: AES-CCM (ccm.ts), RSA
 * verification (rsa.ts), and the provider's policies (nonce lengths, point
 * formats, low-order rejection, high-S acceptance, strict Ed25519).
 */
import { randomBytes as nobleRandomBytes } from '@noble/hashes/utils.js';
import { CryptoError } from '../../errors.js';
import type { CryptoProvider } from '../../provider.js';
import { aead } from './aead.js';
import { aesBlock, aesCtr } from './aes.js';
import { chacha20 } from './chacha20.js';
import { deriveSharedSecret, generateKeyPair } from './ecdhe.js';
import { createHasher, hash, hmacKey, hmacOf } from './hash.js';
import { generateSigningKey, sign, verify } from './signatures.js';

/** WebCrypto's getRandomValues caps one call at 65536 bytes (WebCrypto §10.1.1), so larger requests are split. */
const RANDOM_CHUNK = 65536;

function randomBytes(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new CryptoError('unsupported', `randomBytes: bad length ${length}`);
  }
  if (length <= RANDOM_CHUNK) return nobleRandomBytes(length);
  const out = new Uint8Array(length);
  for (let off = 0; off < length; off += RANDOM_CHUNK) {
    out.set(nobleRandomBytes(Math.min(RANDOM_CHUNK, length - off)), off);
  }
  return out;
}

export const nobleProvider: CryptoProvider = Object.freeze({
  name: 'noble',
  randomBytes,
  hash,
  createHasher,
  hmac: hmacOf,
  hmacKey,
  aead,
  aesBlock,
  aesCtr,
  chacha20,
  generateKeyPair,
  deriveSharedSecret,
  sign,
  verify,
  generateSigningKey,
});

export { aesCcm, type CcmCipher } from './ccm.js';
