/**
 * RFC 7675 consent freshness, from the side that receives the checks. A
 * lite agent sends no checks of its own (RFC 8445 §2.5), so the peer's
 * Binding requests are its only proof of consent: when none arrived for the
 * consent timeout (§5.1: 30 seconds), the call is over and its state is freed.
 */
export const CONSENT_TIMEOUT_MS = 30_000;

export class ConsentTimer {
  readonly timeoutMs: number;
  #last: number;

  constructor(now: number, timeoutMs = CONSENT_TIMEOUT_MS) {
    this.timeoutMs = timeoutMs;
    this.#last = now;
  }

  /** A check that authenticated (MESSAGE-INTEGRITY with our ice-pwd) refreshes consent. */
  refresh(now: number): void {
    if (now > this.#last) this.#last = now;
  }

  get deadline(): number {
    return this.#last + this.timeoutMs;
  }

  expired(now: number): boolean {
    return now >= this.deadline;
  }
}
