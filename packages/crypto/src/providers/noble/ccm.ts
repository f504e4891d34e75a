/**
 * AES-CCM (RFC 3610, NIST SP 800-38C) on noble's AES block function, which
 * @noble/ciphers 2.x does not provide itself. Written for every parameter the
 * standards allow (nonce 7..13 bytes, tag 4..16 bytes and even, AES-128/192/256)
 * so the Wycheproof file can exercise it in full; the provider only exposes
 * the TLS profiles (RFC 6655 / RFC 8446: 12-byte nonce, 16- or 8-byte tag).
 */
import { unsafe } from '@noble/ciphers/aes.js';
import { constantTimeEqual } from '@x/wire';
import { CryptoError } from '../../errors.js';
import { requireLength } from './bytes.js';

export interface CcmCipher {
  readonly tagLength: number;
  /** Returns ciphertext || tag. */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /** Returns the plaintext, or null when the input cannot be authentic. */
  open(nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array): Uint8Array | null;
}

const BLOCK = 16;

/** Applies the AES forward cipher in place to a 16-byte, 4-byte-aligned block. */
type EncryptInPlace = (block: Uint8Array) => void;

/**
 * CBC-MAC absorber (RFC 3610 §2.2): XORs a byte stream into the chaining value X
 * and encrypts each time a block fills, so B_0, the AAD length header, the AAD
 * and the message are chained without building the padded concatenation.
 */
class CbcMac {
  readonly x = new Uint8Array(BLOCK);
  readonly #encrypt: EncryptInPlace;
  #pos = 0;

  constructor(encrypt: EncryptInPlace) {
    this.#encrypt = encrypt;
  }

  absorb(data: Uint8Array): void {
    for (const byte of data) {
      this.x[this.#pos]! ^= byte;
      if (++this.#pos === BLOCK) {
        this.#encrypt(this.x);
        this.#pos = 0;
      }
    }
  }

  /** Zero-pads to a block boundary (padding XORs zeros, so it only needs the encryption). */
  pad(): void {
    if (this.#pos !== 0) {
      this.#encrypt(this.x);
      this.#pos = 0;
    }
  }
}

/** The l(a) prefix of RFC 3610 §2.2 / SP 800-38C A.2.2, by the size class of the AAD. */
function encodeAadLength(length: number): Uint8Array {
  if (length < 0xff00) return Uint8Array.of(length >>> 8, length & 0xff);
  if (length <= 0xffffffff) {
    const out = Uint8Array.of(0xff, 0xfe, 0, 0, 0, 0);
    new DataView(out.buffer).setUint32(2, length);
    return out;
  }
  const out = Uint8Array.of(0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0);
  new DataView(out.buffer).setBigUint64(2, BigInt(length));
  return out;
}

/**
 * An AES-CCM instance for one key and tag length. Throws CryptoError
 * ('invalid_key') for a key that is not 16/24/32 bytes and ('unsupported') for
 * a tag length RFC 3610 §2 does not define (M in {4, 6, ..., 16}).
 */
export function aesCcm(key: Uint8Array, tagLength: number): CcmCipher {
  requireLength(key, [16, 24, 32], 'invalid_key', 'AES-CCM key');
  if (!Number.isInteger(tagLength) || tagLength < 4 || tagLength > 16 || tagLength % 2 !== 0) {
    throw new CryptoError('unsupported', `AES-CCM tag length ${tagLength} (must be 4..16, even)`);
  }
  const xk = unsafe.expandKeyLE(key);
  const encrypt: EncryptInPlace = (block) => {
    unsafe.encryptBlock(xk, block);
  };
  const M = tagLength;

  /** L = 15 - nonce length (RFC 3610 §2: 2 <= L <= 8), and the longest message L allows. */
  function lengthField(nonce: Uint8Array): { L: number; maxLength: number } {
    requireLength(nonce, [7, 8, 9, 10, 11, 12, 13], 'invalid_nonce', 'AES-CCM nonce');
    const L = 15 - nonce.length;
    // l(m) < 2^(8L); beyond L = 6 the bound exceeds any JavaScript array.
    return { L, maxLength: L >= 7 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * L) - 1 };
  }

  /** A_i = Flags(L-1) || N || i (RFC 3610 §2.3); returns A_0, the caller increments it. */
  function counterBlock(nonce: Uint8Array, L: number): Uint8Array {
    const a = new Uint8Array(BLOCK);
    a[0] = L - 1;
    a.set(nonce, 1);
    return a;
  }

  /** Increments the L-byte big-endian counter field; it never wraps for l(m) < 2^(8L). */
  function increment(a: Uint8Array, L: number): void {
    for (let i = BLOCK - 1; i >= BLOCK - L; i--) {
      a[i] = (a[i]! + 1) & 0xff;
      if (a[i] !== 0) break;
    }
  }

  /** CTR encryption of the payload starting at A_1 (RFC 3610 §2.3). */
  function ctr(nonce: Uint8Array, L: number, input: Uint8Array): Uint8Array {
    const out = new Uint8Array(input.length);
    const a = counterBlock(nonce, L);
    const s = new Uint8Array(BLOCK);
    for (let off = 0; off < input.length; off += BLOCK) {
      increment(a, L);
      s.set(a);
      encrypt(s);
      const end = Math.min(BLOCK, input.length - off);
      for (let j = 0; j < end; j++) out[off + j] = input[off + j]! ^ s[j]!;
    }
    return out;
  }

  /** U = first M bytes of T XOR S_0, where T is the CBC-MAC (RFC 3610 §2.2, §2.3). */
  function tag(nonce: Uint8Array, L: number, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const b0 = new Uint8Array(BLOCK);
    // Flags = 64*Adata + 8*M' + L', with M' = (M-2)/2 and L' = L-1.
    b0[0] = (aad.length > 0 ? 0x40 : 0) | (((M - 2) / 2) << 3) | (L - 1);
    b0.set(nonce, 1);
    let len = plaintext.length;
    for (let i = BLOCK - 1; i > nonce.length; i--) {
      b0[i] = len % 256;
      len = Math.floor(len / 256);
    }
    const mac = new CbcMac(encrypt);
    mac.absorb(b0);
    if (aad.length > 0) {
      mac.absorb(encodeAadLength(aad.length));
      mac.absorb(aad);
      mac.pad();
    }
    mac.absorb(plaintext);
    mac.pad();
    const s0 = counterBlock(nonce, L);
    encrypt(s0);
    const u = new Uint8Array(M);
    for (let i = 0; i < M; i++) u[i] = mac.x[i]! ^ s0[i]!;
    return u;
  }

  return {
    tagLength: M,
    seal(nonce, plaintext, aad) {
      const { L, maxLength } = lengthField(nonce);
      if (plaintext.length > maxLength) {
        throw new CryptoError(
          'unsupported',
          `AES-CCM: message too long for a ${nonce.length}-byte nonce`,
        );
      }
      const out = new Uint8Array(plaintext.length + M);
      out.set(ctr(nonce, L, plaintext));
      out.set(tag(nonce, L, aad, plaintext), plaintext.length);
      return out;
    },
    open(nonce, ciphertextAndTag, aad) {
      const { L, maxLength } = lengthField(nonce);
      const n = ciphertextAndTag.length - M;
      if (n < 0 || n > maxLength) return null;
      const plaintext = ctr(nonce, L, ciphertextAndTag.subarray(0, n));
      // RFC 3610 §2.5: recompute the tag over the decrypted payload, compare in
      // constant time, and release nothing (not even the plaintext) on mismatch.
      if (constantTimeEqual(tag(nonce, L, aad, plaintext), ciphertextAndTag.subarray(n))) {
        return plaintext;
      }
      plaintext.fill(0);
      return null;
    },
  };
}
