import { createCipheriv } from 'node:crypto';
import { CryptoError } from '../../errors.js';
import type { BlockCipher } from '../../provider.js';
import { u8 } from './convert.js';

function aesName(key: Uint8Array, mode: 'ecb' | 'ctr'): string {
  if (key.length === 16) return `aes-128-${mode}`;
  if (key.length === 32) return `aes-256-${mode}`;
  throw new CryptoError('invalid_key', `AES needs a 16- or 32-byte key, got ${key.length}`);
}

/**
 * ECB is stateless per block, so one cipher context serves every header-protection
 * sample of a key: no per-packet cipher construction.
 */
export function aesBlock(key: Uint8Array): BlockCipher {
  const c = createCipheriv(aesName(key, 'ecb'), key, null).setAutoPadding(false);
  return {
    encryptBlock(block: Uint8Array): Uint8Array {
      if (block.length !== 16)
        throw new CryptoError('invalid_nonce', `AES block must be 16 bytes, got ${block.length}`);
      return u8(c.update(block));
    },
    encryptBlocks(blocks: Uint8Array): Uint8Array {
      if (blocks.length % 16 !== 0)
        throw new CryptoError(
          'invalid_nonce',
          `AES blocks must be a multiple of 16 bytes, got ${blocks.length}`,
        );
      return u8(c.update(blocks));
    },
  };
}

export function aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (iv.length !== 16)
    throw new CryptoError(
      'invalid_nonce',
      `AES-CTR needs a 16-byte counter block, got ${iv.length}`,
    );
  return u8(createCipheriv(aesName(key, 'ctr'), key, iv).update(data));
}

/** OpenSSL's chacha20 takes a 16-byte IV: the 32-bit little-endian block counter, then the nonce. */
export function chacha20(
  key: Uint8Array,
  counter: number,
  nonce: Uint8Array,
  data: Uint8Array,
): Uint8Array {
  if (key.length !== 32)
    throw new CryptoError('invalid_key', `ChaCha20 needs a 32-byte key, got ${key.length}`);
  if (nonce.length !== 12)
    throw new CryptoError('invalid_nonce', `ChaCha20 needs a 12-byte nonce, got ${nonce.length}`);
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff) {
    throw new CryptoError('invalid_nonce', `ChaCha20 counter out of range: ${counter}`);
  }
  // OpenSSL would carry a wrapped block counter into the nonce; RFC 8439 has a 32-bit counter, so refuse.
  if (counter + Math.ceil(data.length / 64) > 0x100000000) {
    throw new CryptoError('invalid_nonce', 'ChaCha20 block counter would wrap');
  }
  const iv = new Uint8Array(16);
  new DataView(iv.buffer).setUint32(0, counter, true);
  iv.set(nonce, 4);
  return u8(createCipheriv('chacha20', key, iv).update(data));
}
