/** RFC 9002 §6.2.2: the RTT assumed before any sample (milliseconds). */
export const kInitialRtt = 333;
/** RFC 9002 §6.1.2: timer granularity, 1 ms. */
export const kGranularity = 1;

/**
 * RTT estimation, RFC 9002 §5 (Appendix A.7 UpdateRtt). Times are milliseconds,
 * fractional allowed.
 */
export class RttEstimator {
  latestRtt = 0;
  smoothedRtt = kInitialRtt;
  rttvar = kInitialRtt / 2;
  minRtt = 0;
  /** When the first sample was taken; undefined until then. */
  firstRttSample: number | undefined = undefined;

  constructor(initialRtt = kInitialRtt) {
    this.smoothedRtt = initialRtt;
    this.rttvar = initialRtt / 2;
  }

  get hasSample(): boolean {
    return this.firstRttSample !== undefined;
  }

  /**
   * A new sample: `latestRtt` is now minus the send time of the largest newly
   * acknowledged packet, `ackDelay` the peer's decoded ACK Delay (ms).
   */
  update(
    latestRtt: number,
    ackDelay: number,
    now: number,
    handshakeConfirmed: boolean,
    maxAckDelay: number,
  ): void {
    this.latestRtt = latestRtt;
    if (this.firstRttSample === undefined) {
      // §5.3: the first sample initialises the estimator.
      this.minRtt = latestRtt;
      this.smoothedRtt = latestRtt;
      this.rttvar = latestRtt / 2;
      this.firstRttSample = now;
      return;
    }
    // §5.2: min_rtt ignores acknowledgment delay.
    this.minRtt = Math.min(this.minRtt, latestRtt);
    // §5.3: limit ack_delay by max_ack_delay after handshake confirmation.
    const delay = handshakeConfirmed ? Math.min(ackDelay, maxAckDelay) : ackDelay;
    // Adjust for the acknowledgment delay only if the result stays above min_rtt.
    const adjustedRtt = latestRtt >= this.minRtt + delay ? latestRtt - delay : latestRtt;
    this.rttvar = (3 / 4) * this.rttvar + (1 / 4) * Math.abs(this.smoothedRtt - adjustedRtt);
    this.smoothedRtt = (7 / 8) * this.smoothedRtt + (1 / 8) * adjustedRtt;
  }

  /** RFC 9002 §6.2.1: smoothed_rtt + max(4 * rttvar, kGranularity), without max_ack_delay. */
  ptoBase(): number {
    return this.smoothedRtt + Math.max(4 * this.rttvar, kGranularity);
  }

  /** RFC 9002 §6.2.1: PTO = smoothed_rtt + max(4*rttvar, kGranularity) + max_ack_delay. */
  pto(maxAckDelay: number): number {
    return this.ptoBase() + maxAckDelay;
  }
}
