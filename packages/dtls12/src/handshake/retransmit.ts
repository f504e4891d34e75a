/**
 * RFC 6347 §4.2.4 retransmission timer: armed when a flight is sent, doubled
 * on each expiry (§4.2.4.1: "double the value ... up to a maximum of at
 * least 60 seconds"), reset to the initial value once a flight completes.
 * Sans-I/O: it only computes deadlines from the `now` it is given.
 */
export interface RetransmitOptions {
  /** First timeout, ms (RFC 6347 recommends 1 s; WebRTC stacks use ~100 ms on lossy links). */
  readonly initialMs?: number;
  /** Upper bound for the doubling, ms. */
  readonly maxMs?: number;
  /** Expiries without progress before the handshake is abandoned. */
  readonly maxRetransmissions?: number;
}

export class RetransmitTimer {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly maxRetransmissions: number;
  #current: number;
  #deadline: number | undefined;
  #count = 0;

  constructor(options: RetransmitOptions = {}) {
    this.initialMs = options.initialMs ?? 1000;
    this.maxMs = options.maxMs ?? 60_000;
    this.maxRetransmissions = options.maxRetransmissions ?? 12;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs)) {
      throw new RangeError('retransmit timer: need 0 < initialMs <= maxMs');
    }
    this.#current = this.initialMs;
  }

  get deadline(): number | undefined {
    return this.#deadline;
  }

  /** The timeout the next arm() uses. */
  get currentMs(): number {
    return this.#current;
  }

  get retransmissions(): number {
    return this.#count;
  }

  /** A new flight was sent (progress): start from the initial value. */
  start(now: number): void {
    this.#current = this.initialMs;
    this.#count = 0;
    this.#deadline = now + this.#current;
  }

  /** The timer expired and the flight was resent: double (capped) and re-arm. False once the budget is spent. */
  backoff(now: number): boolean {
    this.#count++;
    if (this.#count > this.maxRetransmissions) {
      this.#deadline = undefined;
      return false;
    }
    this.#current = Math.min(this.#current * 2, this.maxMs);
    this.#deadline = now + this.#current;
    return true;
  }

  stop(): void {
    this.#deadline = undefined;
  }

  expired(now: number): boolean {
    return this.#deadline !== undefined && now >= this.#deadline;
  }
}
