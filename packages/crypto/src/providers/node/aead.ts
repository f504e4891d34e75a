import {
  type CipherCCMTypes,
  type CipherChaCha20Poly1305Types,
  type CipherGCMTypes,
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
} from 'node:crypto';
import { CryptoError } from '../../errors.js';
import { AEAD_SPECS, type Aead, type AeadAlgorithm } from '../../provider.js';
import { u8 } from './convert.js';

type NodeAeadName = CipherGCMTypes | CipherCCMTypes | CipherChaCha20Poly1305Types;

const NODE_NAME: Record<AeadAlgorithm, NodeAeadName> = {
  'AES-128-GCM': 'aes-128-gcm',
  'AES-256-GCM': 'aes-256-gcm',
  'CHACHA20-POLY1305': 'chacha20-poly1305',
  'AES-128-CCM': 'aes-128-ccm',
  'AES-128-CCM-8': 'aes-128-ccm',
};

/**
 * node:crypto has no reusable AEAD context, so each call builds a cipher; holding
 * the key as a KeyObject at least skips re-importing it per packet.
 */
class NodeAead implements Aead {
  readonly algorithm: AeadAlgorithm;
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
  readonly #key: KeyObject;
  readonly #name: NodeAeadName;
  readonly #ccm: boolean;

  constructor(algorithm: AeadAlgorithm, key: Uint8Array) {
    const spec = AEAD_SPECS[algorithm];
    if (key.length !== spec.keyLength) {
      throw new CryptoError(
        'invalid_key',
        `${algorithm} needs a ${spec.keyLength}-byte key, got ${key.length}`,
      );
    }
    this.algorithm = algorithm;
    this.keyLength = spec.keyLength;
    this.nonceLength = spec.nonceLength;
    this.tagLength = spec.tagLength;
    this.#key = createSecretKey(key);
    this.#name = NODE_NAME[algorithm];
    this.#ccm = algorithm.startsWith('AES-128-CCM');
  }

  #checkNonce(nonce: Uint8Array): void {
    if (nonce.length !== this.nonceLength) {
      throw new CryptoError(
        'invalid_nonce',
        `${this.algorithm} needs a ${this.nonceLength}-byte nonce, got ${nonce.length}`,
      );
    }
  }

  #cipher(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) {
    this.#checkNonce(nonce);
    // The cast picks one overload; the name decides the mode at run time.
    const c = createCipheriv(this.#name as CipherGCMTypes, this.#key, nonce, {
      authTagLength: this.tagLength,
    });
    if (this.#ccm)
      (c as unknown as { setAAD(a: Uint8Array, o: object): void }).setAAD(aad, {
        plaintextLength: plaintext.length,
      });
    else c.setAAD(aad);
    return c;
  }

  seal(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    const out = new Uint8Array(plaintext.length + this.tagLength);
    this.sealInto(nonce, plaintext, aad, out, 0);
    return out;
  }

  sealInto(
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
    out: Uint8Array,
    offset: number,
  ): number {
    const total = plaintext.length + this.tagLength;
    if (!(offset >= 0 && offset + total <= out.length)) {
      throw new CryptoError('output_too_long', `sealInto: ${total} bytes do not fit at ${offset}`);
    }
    const c = this.#cipher(nonce, plaintext, aad);
    // update() returns a fresh buffer, so sealing in place (plaintext at out[offset]) is safe.
    const head = c.update(plaintext);
    out.set(head, offset);
    let n = head.length;
    const tail = c.final();
    if (tail.length > 0) {
      out.set(tail, offset + n);
      n += tail.length;
    }
    out.set(c.getAuthTag(), offset + n);
    return total;
  }

  open(nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array): Uint8Array | null {
    this.#checkNonce(nonce);
    const n = ciphertextAndTag.length - this.tagLength;
    if (n < 0) return null;
    try {
      const d = createDecipheriv(this.#name as CipherGCMTypes, this.#key, nonce, {
        authTagLength: this.tagLength,
      });
      d.setAuthTag(ciphertextAndTag.subarray(n));
      if (this.#ccm)
        (d as unknown as { setAAD(a: Uint8Array, o: object): void }).setAAD(aad, {
          plaintextLength: n,
        });
      else d.setAAD(aad);
      const head = d.update(ciphertextAndTag.subarray(0, n));
      const tail = d.final();
      if (tail.length === 0) return u8(head);
      const out = new Uint8Array(head.length + tail.length);
      out.set(head, 0);
      out.set(tail, head.length);
      return out;
    } catch {
      // OpenSSL reports a bad tag as an exception; the contract says null.
      return null;
    }
  }
}

export function createAead(algorithm: AeadAlgorithm, key: Uint8Array): Aead {
  if (!(algorithm in NODE_NAME)) throw new CryptoError('unsupported', `unknown AEAD ${algorithm}`);
  return new NodeAead(algorithm, key);
}
