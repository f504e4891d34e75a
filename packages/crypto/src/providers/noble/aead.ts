import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { CryptoError } from '../../errors.js';
import { AEAD_SPECS, type Aead, type AeadAlgorithm } from '../../provider.js';
import { requireLength } from './bytes.js';
import { aesCcm } from './ccm.js';

/** seal/open on already-validated key, nonce and lengths. */
interface AeadCore {
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /** May throw on a bad tag (noble does); the wrapper turns that into null. */
  open(nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array): Uint8Array | null;
}

function core(algorithm: AeadAlgorithm, key: Uint8Array): AeadCore {
  switch (algorithm) {
    case 'AES-128-GCM':
    case 'AES-256-GCM':
      return {
        seal: (nonce, plaintext, aad) => gcm(key, nonce, aad).encrypt(plaintext),
        open: (nonce, sealed, aad) => gcm(key, nonce, aad).decrypt(sealed),
      };
    case 'CHACHA20-POLY1305':
      return {
        seal: (nonce, plaintext, aad) => chacha20poly1305(key, nonce, aad).encrypt(plaintext),
        open: (nonce, sealed, aad) => chacha20poly1305(key, nonce, aad).decrypt(sealed),
      };
    case 'AES-128-CCM':
      return aesCcm(key, 16);
    case 'AES-128-CCM-8':
      return aesCcm(key, 8);
  }
}

/**
 * An AEAD bound to one key. Key and nonce lengths are checked here rather than
 * left to noble: GCM accepts any nonce length (RFC 5116 §5.1 allows it, but no
 * protocol we speak uses anything but 12 bytes), and every protocol nonce is
 * 12 bytes (RFC 8446 §5.3, RFC 9001 §5.3, RFC 7714 §8.1), so anything else is a
 * caller bug reported as CryptoError('invalid_nonce').
 */
export function aead(algorithm: AeadAlgorithm, key: Uint8Array): Aead {
  const spec = Object.hasOwn(AEAD_SPECS, algorithm) ? AEAD_SPECS[algorithm] : undefined;
  if (spec === undefined) throw new CryptoError('unsupported', `unknown AEAD ${String(algorithm)}`);
  requireLength(key, [spec.keyLength], 'invalid_key', `${algorithm} key`);
  // Own copy: a caller that later wipes or reuses its key buffer must not change this AEAD.
  const impl = core(algorithm, Uint8Array.from(key));
  const { keyLength, nonceLength, tagLength } = spec;
  const checkNonce = (nonce: Uint8Array) =>
    requireLength(nonce, [nonceLength], 'invalid_nonce', `${algorithm} nonce`);
  return {
    algorithm,
    keyLength,
    nonceLength,
    tagLength,
    seal(nonce, plaintext, aad) {
      checkNonce(nonce);
      return impl.seal(nonce, plaintext, aad);
    },
    sealInto(nonce, plaintext, aad, out, offset) {
      const total = plaintext.length + tagLength;
      if (!(offset >= 0 && offset + total <= out.length)) {
        throw new CryptoError(
          'output_too_long',
          `sealInto: ${total} bytes do not fit at ${offset}`,
        );
      }
      checkNonce(nonce);
      // noble returns a fresh array, so sealing in place is safe; one copy into the record.
      out.set(impl.seal(nonce, plaintext, aad), offset);
      return total;
    },
    open(nonce, ciphertextAndTag, aad) {
      checkNonce(nonce);
      if (ciphertextAndTag.length < tagLength) return null;
      try {
        return impl.open(nonce, ciphertextAndTag, aad);
      } catch {
        // Inputs are validated above, so the only failure left is authentication.
        return null;
      }
    },
  };
}
