/**
 * The closing and draining states (RFC 9000 §10.2). Both last three times the
 * current PTO (§10.2: "for at least three times the current PTO interval").
 * In the closing state a CONNECTION_CLOSE is sent again in answer to incoming
 * packets, at a falling rate (§10.2.1: "an endpoint could wait for a
 * progressively increasing number of received packets"): after the 1st, 2nd,
 * 4th, 8th ... packet. In the draining state nothing is sent (§10.2.2).
 */
export class CloseState {
  readonly kind: 'closing' | 'draining';
  /** When the connection state can be discarded. */
  readonly deadline: number;
  #received = 0;
  #nextAnswer = 1;

  private constructor(kind: 'closing' | 'draining', deadline: number) {
    this.kind = kind;
    this.deadline = deadline;
  }

  /** We sent CONNECTION_CLOSE (an immediate close, §10.2.1). */
  static closing(now: number, pto: number): CloseState {
    return new CloseState('closing', now + 3 * pto);
  }

  /** We received CONNECTION_CLOSE (§10.2.2). */
  static draining(now: number, pto: number): CloseState {
    return new CloseState('draining', now + 3 * pto);
  }

  /** §10.2.2: a CONNECTION_CLOSE received while closing moves to draining, same deadline. */
  toDraining(): CloseState {
    return new CloseState('draining', this.deadline);
  }

  /** A packet arrived for the connection: whether to send the CONNECTION_CLOSE again. */
  onPacketReceived(): boolean {
    if (this.kind === 'draining') return false;
    this.#received++;
    if (this.#received < this.#nextAnswer) return false;
    this.#nextAnswer *= 2;
    return true;
  }

  expired(now: number): boolean {
    return now >= this.deadline;
  }
}
