/** RFC 9000 §8.1: before address validation a server sends at most 3x what it received. */
export const AMPLIFICATION_FACTOR = 3;

/**
 * The anti-amplification limit of a server towards an unvalidated client address
 * (RFC 9000 §8.1): bytes sent never exceed three times bytes received, counting
 * whole datagrams, until the address is validated.
 */
export class AmplificationLimit {
  #received = 0;
  #sent = 0;
  #validated: boolean;

  constructor(validated = false) {
    this.#validated = validated;
  }

  get validated(): boolean {
    return this.#validated;
  }

  get received(): number {
    return this.#received;
  }

  get sent(): number {
    return this.#sent;
  }

  /** Bytes that may be sent now (Infinity once validated). */
  get allowance(): number {
    return this.#validated
      ? Number.POSITIVE_INFINITY
      : AMPLIFICATION_FACTOR * this.#received - this.#sent;
  }

  /** Whether the server is blocked by the limit (RFC 9002 A.6, A.8). */
  get atLimit(): boolean {
    return this.allowance <= 0;
  }

  onDatagramReceived(bytes: number): void {
    this.#received += bytes;
  }

  /** Throws if `bytes` would exceed the limit: callers check `allowance` first. */
  onDatagramSent(bytes: number): void {
    if (bytes > this.allowance) throw new RangeError('anti-amplification limit exceeded');
    this.#sent += bytes;
  }

  /**
   * §8.1: the address is validated by a Handshake packet from the client, a valid
   * Retry or NEW_TOKEN token, or a path validation.
   */
  validate(): void {
    this.#validated = true;
  }
}
