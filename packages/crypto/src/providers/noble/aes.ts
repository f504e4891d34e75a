import { ctr, unsafe } from '@noble/ciphers/aes.js';
import { CryptoError } from '../../errors.js';
import type { BlockCipher } from '../../provider.js';
import { requireLength } from './bytes.js';

/**
 * AES-128 and AES-256 only, as the interface states: every profile we carry
 * (QUIC HP, SRTP AES_CM_128 / AES_256_CM) uses one of them, and the node
 * provider accepts the same two, so both refuse AES-192 alike.
 */
const AES_KEY_LENGTHS = [16, 32] as const;

/**
 * Single-block AES (QUIC header protection, RFC 9001 §5.4.3). The key schedule
 * is expanded once per key, since header protection runs once per packet.
 */
export function aesBlock(key: Uint8Array): BlockCipher {
  requireLength(key, AES_KEY_LENGTHS, 'invalid_key', 'AES key');
  const xk = unsafe.expandKeyLE(key);
  return {
    encryptBlock(block) {
      // The sample plays the nonce's role in header protection; it must be exactly one block.
      requireLength(block, [16], 'invalid_nonce', 'AES block');
      // Fresh buffer: noble encrypts in place and needs a 4-byte-aligned view.
      const out = Uint8Array.from(block);
      unsafe.encryptBlock(xk, out);
      return out;
    },
    encryptBlocks(blocks) {
      if (blocks.length % 16 !== 0)
        throw new CryptoError(
          'invalid_nonce',
          `AES blocks must be a multiple of 16 bytes, got ${blocks.length}`,
        );
      // ECB is AES per block: encrypt a fresh aligned copy block by block, in place.
      const out = Uint8Array.from(blocks);
      for (let i = 0; i < out.length; i += 16) unsafe.encryptBlock(xk, out.subarray(i, i + 16));
      return out;
    },
  };
}

/**
 * AES-CTR keystream XOR (NIST SP 800-38A §6.5; SRTP AES-CM, RFC 3711 §4.1.1).
 * The IV is the whole initial counter block and the counter is the full 128-bit
 * big-endian block, as in OpenSSL's aes-*-ctr; noble's `ctr` increments exactly so.
 */
export function aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  requireLength(key, AES_KEY_LENGTHS, 'invalid_key', 'AES-CTR key');
  requireLength(iv, [16], 'invalid_nonce', 'AES-CTR initial counter block');
  return ctr(key, iv).encrypt(data);
}
