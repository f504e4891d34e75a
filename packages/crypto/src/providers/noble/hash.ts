import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { CryptoError } from '../../errors.js';
import type { HashAlgorithm, Hasher, Mac } from '../../provider.js';

/** The noble hash constructors, keyed by the provider's algorithm names. */
const HASHES = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

export type NobleHash = (typeof HASHES)[HashAlgorithm];

/** Resolves a hash name, rejecting anything outside the interface's list (callers may be untyped JS). */
export function nobleHashFor(algorithm: HashAlgorithm): NobleHash {
  const h = Object.hasOwn(HASHES, algorithm) ? HASHES[algorithm] : undefined;
  if (h === undefined) throw new CryptoError('unsupported', `unknown hash ${String(algorithm)}`);
  return h;
}

export function hash(algorithm: HashAlgorithm, data: Uint8Array): Uint8Array {
  return nobleHashFor(algorithm)(data);
}

export function hmacOf(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(nobleHashFor(algorithm), key, data);
}

/** The subset of a noble hash instance the Hasher wrapper relies on. */
interface HashState {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
  clone(): HashState;
}

/**
 * A transcript hash (RFC 8446 §4.4.1): digest() may be taken at every handshake
 * message without ending the running hash, so it finalises a copy; clone()
 * forks the state so two branches (e.g. HelloRetryRequest) evolve independently.
 */
class NobleHasher implements Hasher {
  readonly #state: HashState;

  constructor(state: HashState) {
    this.#state = state;
  }

  update(data: Uint8Array): this {
    this.#state.update(data);
    return this;
  }

  digest(): Uint8Array {
    return this.#state.clone().digest();
  }

  clone(): Hasher {
    return new NobleHasher(this.#state.clone());
  }
}

export function createHasher(algorithm: HashAlgorithm): Hasher {
  return new NobleHasher(nobleHashFor(algorithm).create());
}

/** The subset of noble's HMAC instance the Mac wrapper relies on. */
interface HmacState {
  readonly outputLen: number;
  update(data: Uint8Array): unknown;
  digestInto(out: Uint8Array): void;
  clone(): HmacState;
  /** Copies this state into `to` (reusing its objects) and returns it. */
  _cloneInto(to?: HmacState): HmacState;
}

/**
 * A keyed HMAC: the ipad/opad states are computed once and cloned per message
 * (two block compressions saved per message, and no key re-processing).
 */
class NobleMac implements Mac {
  readonly length: number;
  readonly #template: HmacState;
  #current: HmacState;

  constructor(algorithm: HashAlgorithm, key: Uint8Array) {
    this.#template = hmac.create(nobleHashFor(algorithm), key) as unknown as HmacState;
    this.#current = this.#template.clone();
    this.length = this.#template.outputLen;
  }

  update(data: Uint8Array): this {
    this.#current.update(data);
    return this;
  }

  digestInto(out: Uint8Array, offset: number): void {
    this.#current.digestInto(out.subarray(offset, offset + this.length));
    this.#current = this.#template._cloneInto(this.#current);
  }
}

export function hmacKey(algorithm: HashAlgorithm, key: Uint8Array): Mac {
  return new NobleMac(algorithm, key);
}
