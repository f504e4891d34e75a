import { createHash, createHmac, type Hash } from 'node:crypto';
import type { HashAlgorithm, Hasher } from '../../provider.js';
import { buf, NODE_HASH, u8 } from './convert.js';

class NodeHasher implements Hasher {
  readonly #h: Hash;
  constructor(h: Hash) {
    this.#h = h;
  }
  update(data: Uint8Array): this {
    this.#h.update(data);
    return this;
  }
  digest(): Uint8Array {
    // Hash.digest() finalises; digest a copy so the running transcript stays usable.
    return u8(this.#h.copy().digest());
  }
  clone(): Hasher {
    return new NodeHasher(this.#h.copy());
  }
}

export function hash(algorithm: HashAlgorithm, data: Uint8Array): Uint8Array {
  return u8(createHash(NODE_HASH[algorithm]).update(data).digest());
}

export function createHasher(algorithm: HashAlgorithm): Hasher {
  return new NodeHasher(createHash(NODE_HASH[algorithm]));
}

export function hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  return u8(createHmac(NODE_HASH[algorithm], buf(key)).update(data).digest());
}
