/** RFC 9002 §7.7: pacing rate multiplier N (1.25 lets the window fill despite jitter). */
export const PACING_GAIN = 1.25;

/**
 * A token-bucket pacer (RFC 9002 §7.7): rate = N * congestion_window / smoothed_rtt,
 * with a burst of up to `burstPackets` datagrams (the initial window's worth,
 * §7.7 allows sending it at once). Sans-I/O: it only says when the next packet
 * may go.
 */
export class Pacer {
  #tokens: number;
  #lastUpdate: number | undefined = undefined;
  readonly #burstPackets: number;
  #maxDatagramSize: number;

  readonly #timerGranularity: number;

  /**
   * `timerGranularityMs`: how late the driver's timer may fire (Node's
   * setTimeout: about 1 ms). The bucket then also holds twice what the rate
   * releases in that time; otherwise pacing would cap the rate at one burst
   * per timer tick whatever the window.
   */
  constructor(maxDatagramSize = 1200, burstPackets = 10, timerGranularityMs = 0) {
    this.#maxDatagramSize = maxDatagramSize;
    this.#burstPackets = burstPackets;
    this.#timerGranularity = timerGranularityMs;
    this.#tokens = this.capacity;
  }

  get capacity(): number {
    return this.#burstPackets * this.#maxDatagramSize;
  }

  get tokens(): number {
    return this.#tokens;
  }

  setMaxDatagramSize(size: number): void {
    this.#maxDatagramSize = size;
  }

  /** Bytes per millisecond for this window and RTT. */
  static rate(congestionWindow: number, smoothedRtt: number): number {
    return (PACING_GAIN * congestionWindow) / Math.max(smoothedRtt, 0.001);
  }

  #refill(now: number, congestionWindow: number, smoothedRtt: number): void {
    if (this.#lastUpdate !== undefined && now > this.#lastUpdate) {
      const earned = (now - this.#lastUpdate) * Pacer.rate(congestionWindow, smoothedRtt);
      const cap = Math.max(
        this.capacity,
        2 * this.#timerGranularity * Pacer.rate(congestionWindow, smoothedRtt),
      );
      this.#tokens = Math.min(cap, this.#tokens + earned);
    }
    if (this.#lastUpdate === undefined || now > this.#lastUpdate) this.#lastUpdate = now;
  }

  /**
   * When a packet of `bytes` may be sent: `now` if the bucket holds enough,
   * otherwise the time at which it will.
   */
  nextSendTime(now: number, bytes: number, congestionWindow: number, smoothedRtt: number): number {
    this.#refill(now, congestionWindow, smoothedRtt);
    // A packet larger than the bucket waits only for a full bucket.
    const need = Math.min(bytes, this.capacity);
    if (this.#tokens >= need) return now;
    return now + (need - this.#tokens) / Pacer.rate(congestionWindow, smoothedRtt);
  }

  onPacketSent(now: number, bytes: number, congestionWindow: number, smoothedRtt: number): void {
    this.#refill(now, congestionWindow, smoothedRtt);
    this.#tokens = Math.max(0, this.#tokens - bytes);
  }
}
