import { QuicError, TransportError } from '../errors.js';

/**
 * The sending side of flow control (RFC 9000 §4.1) for a connection or a stream:
 * how many bytes (as an offset) the peer allows, and how many we used.
 */
export class SendCredit {
  #limit: number;
  #used = 0;
  #blockedReportedAt = -1;

  constructor(initialLimit: number) {
    this.#limit = initialLimit;
  }

  get limit(): number {
    return this.#limit;
  }

  get used(): number {
    return this.#used;
  }

  get available(): number {
    return Math.max(0, this.#limit - this.#used);
  }

  /** MAX_DATA / MAX_STREAM_DATA: a smaller value than before is ignored (§4.1). */
  onMaxData(limit: number): boolean {
    if (limit <= this.#limit) return false;
    this.#limit = limit;
    return true;
  }

  /**
   * Starts over under a new limit, lower or not: the server refused the 0-RTT
   * that used the remembered one (RFC 9001 §4.6.2), so nothing counts as sent.
   */
  restart(limit: number): void {
    this.#limit = limit;
    this.#used = 0;
    this.#blockedReportedAt = -1;
  }

  consume(bytes: number): void {
    if (bytes > this.available) throw new RangeError('flow-control credit exceeded');
    this.#used += bytes;
  }

  /**
   * §4.1: a sender SHOULD send DATA_BLOCKED / STREAM_DATA_BLOCKED when it has data
   * but no credit; once per limit. Returns the limit to report, or undefined.
   */
  blocked(): number | undefined {
    if (this.available > 0 || this.#blockedReportedAt === this.#limit) return undefined;
    this.#blockedReportedAt = this.#limit;
    return this.#limit;
  }
}

/**
 * The receiving side (RFC 9000 §4.1, §4.2): the limit we advertised, data
 * received against it, and when to raise it. The window auto-tunes (as quic-go
 * and Chromium do): if the application consumes a whole window in less than two
 * RTTs, the window doubles, up to `maxWindow`.
 */
export class ReceiveWindow {
  #window: number;
  readonly #maxWindow: number;
  #limit: number;
  #received = 0;
  #consumed = 0;
  #epochStart: number | undefined = undefined;
  #epochOffset = 0;

  constructor(initialWindow: number, maxWindow = initialWindow) {
    this.#window = initialWindow;
    this.#maxWindow = Math.max(initialWindow, maxWindow);
    this.#limit = initialWindow;
  }

  /** The current advertised limit (MAX_DATA / MAX_STREAM_DATA value). */
  get limit(): number {
    return this.#limit;
  }

  get window(): number {
    return this.#window;
  }

  get received(): number {
    return this.#received;
  }

  /**
   * The peer sent data up to a new highest offset (connection level: the sum of
   * highest offsets over streams). §4.1: beyond the limit is FLOW_CONTROL_ERROR.
   */
  onReceived(newBytes: number): void {
    if (this.#received + newBytes > this.#limit) {
      throw new QuicError(
        TransportError.FLOW_CONTROL_ERROR,
        `peer sent ${this.#received + newBytes} bytes, over the limit of ${this.#limit}`,
      );
    }
    this.#received += newBytes;
  }

  /**
   * The application consumed `bytes`. Returns a new limit to advertise when less
   * than half the window remains (§4.2: send updates early enough that the peer
   * is not blocked), otherwise undefined.
   */
  onConsumed(bytes: number, now: number, smoothedRtt: number): number | undefined {
    this.#consumed += bytes;
    if (this.#limit - this.#consumed > this.#window / 2) return undefined;
    this.#autoTune(now, smoothedRtt);
    this.#limit = this.#consumed + this.#window;
    return this.#limit;
  }

  #autoTune(now: number, smoothedRtt: number): void {
    if (this.#epochStart !== undefined) {
      const elapsed = now - this.#epochStart;
      const consumedInEpoch = this.#consumed - this.#epochOffset;
      // A window's worth consumed in under two RTTs: the window limits throughput.
      if (elapsed < 2 * smoothedRtt && consumedInEpoch >= this.#window / 2) {
        this.#window = Math.min(this.#maxWindow, this.#window * 2);
      }
    }
    this.#epochStart = now;
    this.#epochOffset = this.#consumed;
  }
}
