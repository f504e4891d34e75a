/**
 * RFC 9000 §10.1 idle timeout. The effective timeout is the smaller of the two
 * advertised max_idle_timeout values (ignoring zeros: 0 means none), raised to
 * at least three times the current PTO.
 */
export function effectiveIdleTimeout(local: number, peer: number, pto: number): number | undefined {
  const both = [local, peer].filter((t) => t > 0);
  if (both.length === 0) return undefined;
  return Math.max(Math.min(...both), 3 * pto);
}

/**
 * The idle timer (RFC 9000 §10.1): restarted when a packet from the peer is
 * processed, and when an ack-eliciting packet is sent if none was sent since
 * the last packet was received.
 */
export class IdleTimer {
  #lastActivity: number;
  #ackElicitingSentSinceReceive = false;

  constructor(now: number) {
    this.#lastActivity = now;
  }

  onPacketReceived(now: number): void {
    this.#lastActivity = now;
    this.#ackElicitingSentSinceReceive = false;
  }

  onAckElicitingSent(now: number): void {
    if (!this.#ackElicitingSentSinceReceive) this.#lastActivity = now;
    this.#ackElicitingSentSinceReceive = true;
  }

  /** When the connection is silently closed, or undefined if no idle timeout applies. */
  deadline(timeout: number | undefined): number | undefined {
    return timeout === undefined ? undefined : this.#lastActivity + timeout;
  }
}
