import type { CryptoProvider } from '@x/crypto';
import { constantTimeEqual } from '@x/wire';
import { kInitialRtt } from '../recovery/rtt.js';

/**
 * One path validation (RFC 9000 §8.2): PATH_CHALLENGE frames with fresh 8-byte
 * data, success on a PATH_RESPONSE echoing any of them, failure on a timer of
 * three times the larger of the current PTO and the new path's initial PTO
 * (§8.2.4, with kInitialRtt).
 */
export class PathValidation {
  readonly #provider: CryptoProvider;
  readonly #challenges: Uint8Array[] = [];
  readonly deadline: number;
  #state: 'pending' | 'validated' | 'failed' = 'pending';

  constructor(provider: CryptoProvider, now: number, currentPto: number) {
    this.#provider = provider;
    // The new path's PTO with kInitialRtt: 333 + 4 * 333/2 (RFC 9002 §6.2.2).
    const initialPto = kInitialRtt + 4 * (kInitialRtt / 2);
    this.deadline = now + 3 * Math.max(currentPto, initialPto);
  }

  get state(): 'pending' | 'validated' | 'failed' {
    return this.#state;
  }

  /** A new PATH_CHALLENGE payload to send (§8.2.1: unpredictable, one per frame). */
  challenge(): Uint8Array {
    const data = this.#provider.randomBytes(8);
    this.#challenges.push(data);
    return data;
  }

  /** §8.2.3: a PATH_RESPONSE matching any challenge sent validates the path. */
  onPathResponse(data: Uint8Array): boolean {
    if (this.#state !== 'pending') return false;
    if (this.#challenges.some((c) => constantTimeEqual(c, data))) {
      this.#state = 'validated';
      return true;
    }
    return false;
  }

  onTimeout(now: number): boolean {
    if (this.#state === 'pending' && now >= this.deadline) this.#state = 'failed';
    return this.#state === 'failed';
  }
}
