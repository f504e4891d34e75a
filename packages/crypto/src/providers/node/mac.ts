import { hash as oneShotHash } from 'node:crypto';
import { HASH_BLOCK_LENGTH, HASH_LENGTH, type HashAlgorithm, type Mac } from '../../provider.js';
import { NODE_HASH } from './convert.js';
import { hash } from './hash.js';

/**
 * HMAC (RFC 2104) with the key processed once. Measured on Node 20 for a
 * 1204-byte SRTP message: createHmac per message costs ~3.0 µs. The one-shot
 * crypto.hash() is much cheaper when it returns a string (~0.8 µs for ipad ||
 * message, ~0.3 µs for the outer 84 bytes) than with 'buffer' output (~1.5 and
 * ~1.1 µs, a slower path in Node 20), so each message is gathered behind a
 * precomputed ipad block and both hashes come back as 'binary' (latin1) strings, whose
 * char codes are the digest bytes.
 */
class NodeMac implements Mac {
  readonly length: number;
  readonly #name: string;
  readonly #block: number;
  #buf: Buffer;
  #len: number;
  /** opad block || inner digest. */
  readonly #outer: Buffer;

  constructor(algorithm: HashAlgorithm, key: Uint8Array) {
    const block = HASH_BLOCK_LENGTH[algorithm];
    this.#name = NODE_HASH[algorithm];
    this.#block = block;
    this.length = HASH_LENGTH[algorithm];
    const k = key.length > block ? hash(algorithm, key) : key;
    this.#buf = Buffer.alloc(block + 1536);
    this.#outer = Buffer.alloc(block + this.length);
    for (let i = 0; i < block; i++) {
      this.#buf[i] = (k[i] ?? 0) ^ 0x36;
      this.#outer[i] = (k[i] ?? 0) ^ 0x5c;
    }
    this.#len = block;
  }

  update(data: Uint8Array): this {
    const need = this.#len + data.length;
    if (need > this.#buf.length) {
      const grown = Buffer.alloc(Math.max(need, this.#buf.length * 2));
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    this.#buf.set(data, this.#len);
    this.#len = need;
    return this;
  }

  digestInto(out: Uint8Array, offset: number): void {
    const inner = oneShotHash(this.#name, this.#buf.subarray(0, this.#len), 'binary');
    this.#len = this.#block;
    const outer = this.#outer;
    const b = this.#block;
    const n = this.length;
    for (let i = 0; i < n; i++) outer[b + i] = inner.charCodeAt(i);
    const tag = oneShotHash(this.#name, outer, 'binary');
    for (let i = 0; i < n; i++) out[offset + i] = tag.charCodeAt(i);
  }
}

export function hmacKey(algorithm: HashAlgorithm, key: Uint8Array): Mac {
  return new NodeMac(algorithm, key);
}
