/**
 * RFC 8446 §4.4.1 transcript hash. A client learns the hash only from the
 * ServerHello, so messages before it are buffered; after a HelloRetryRequest the
 * first ClientHello is replaced by message_hash (type 254, Hash(ClientHello1)).
 */
import { type CryptoProvider, HASH_LENGTH, type HashAlgorithm, type Hasher } from '@x/crypto';

export class Transcript {
  #pending: Uint8Array[] = [];
  #hasher: Hasher | undefined;
  #provider: CryptoProvider;
  #hash: HashAlgorithm | undefined;

  constructor(provider: CryptoProvider) {
    this.#provider = provider;
  }

  get hashAlgorithm(): HashAlgorithm | undefined {
    return this.#hash;
  }

  /** Fixes the hash (at ServerHello / when the server picks the suite) and hashes what was buffered. */
  start(hash: HashAlgorithm): void {
    if (this.#hasher !== undefined) return;
    this.#hash = hash;
    this.#hasher = this.#provider.createHasher(hash);
    for (const m of this.#pending) this.#hasher.update(m);
    this.#pending = [];
  }

  add(message: Uint8Array): void {
    if (this.#hasher) this.#hasher.update(message);
    else this.#pending.push(message);
  }

  /** Transcript-Hash of everything added so far. */
  current(): Uint8Array {
    if (!this.#hasher) throw new Error('transcript: hash not chosen yet');
    return this.#hasher.digest();
  }

  /** The hash of what was added plus `extra`, without adding it (PSK binders, §4.2.11.2). */
  hashWith(extra: Uint8Array): Uint8Array {
    if (!this.#hasher) throw new Error('transcript: hash not chosen yet');
    return this.#hasher.clone().update(extra).digest();
  }

  /**
   * §4.4.1: on HelloRetryRequest, ClientHello1 becomes
   * message_hash(254) || 00 00 Hash.length || Hash(ClientHello1).
   */
  replaceWithMessageHash(hash: HashAlgorithm): void {
    let digest: Uint8Array;
    if (this.#hasher) digest = this.#hasher.digest();
    else {
      const h = this.#provider.createHasher(hash);
      for (const m of this.#pending) h.update(m);
      digest = h.digest();
    }
    const header = Uint8Array.of(254, 0, 0, HASH_LENGTH[hash]);
    this.#hash = hash;
    this.#hasher = this.#provider.createHasher(hash).update(header).update(digest);
    this.#pending = [];
  }
}
