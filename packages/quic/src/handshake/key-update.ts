import { type CryptoProvider, HASH_LENGTH, hkdfExpandLabel, type Tls13Suite } from '@x/crypto';
import type { PacketProtection } from '../packet/protection.js';

const EMPTY = new Uint8Array(0);

/**
 * RFC 9001 §6.1: secret_<n+1> = HKDF-Expand-Label(secret_<n>, "quic ku", "",
 * Hash.length), with the hash of the negotiated suite.
 */
export function nextTrafficSecret(
  provider: CryptoProvider,
  suite: Tls13Suite,
  secret: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(provider, suite.hash, secret, 'quic ku', EMPTY, HASH_LENGTH[suite.hash]);
}

/**
 * One direction's 1-RTT keys across key updates: the current generation and the
 * next one (derived ahead so a packet in the new phase can be tried without a
 * pause, RFC 9001 §6.3). Header protection stays the same in every generation.
 */
export class KeyGenerations {
  #secret: Uint8Array;
  #current: PacketProtection;
  #nextSecret: Uint8Array | undefined;
  #next: PacketProtection | undefined;
  #phase: 0 | 1 = 0;
  readonly #provider: CryptoProvider;

  constructor(provider: CryptoProvider, secret: Uint8Array, current: PacketProtection) {
    this.#provider = provider;
    this.#secret = secret;
    this.#current = current;
  }

  get keyPhase(): 0 | 1 {
    return this.#phase;
  }

  get current(): PacketProtection {
    return this.#current;
  }

  /** The next generation's protection (derived once, on first use). */
  get next(): PacketProtection {
    if (this.#next === undefined) {
      this.#nextSecret = nextTrafficSecret(this.#provider, this.#current.suite, this.#secret);
      this.#next = this.#current.withUpdatedKeys(this.#nextSecret);
    }
    return this.#next;
  }

  /** Moves to the next generation, flipping the Key Phase bit. */
  update(): void {
    const next = this.next;
    this.#secret = this.#nextSecret!;
    this.#current = next;
    this.#next = undefined;
    this.#nextSecret = undefined;
    this.#phase = this.#phase === 0 ? 1 : 0;
  }
}
