import type { RttEstimator } from '../recovery/rtt.js';
import { BaseController, type CongestionPacket } from './controller.js';

/** RFC 9438 §5.1: C = 0.4 (segments / second^3). */
export const CUBIC_C = 0.4;
/** RFC 9438 §4.6: beta_cubic = 0.7. */
export const CUBIC_BETA = 0.7;
/** RFC 9438 §4.3: alpha_cubic = 3 * (1 - beta) / (1 + beta), the Reno-friendly increase. */
export const CUBIC_ALPHA = (3 * (1 - CUBIC_BETA)) / (1 + CUBIC_BETA);

/**
 * CUBIC (RFC 9438) for QUIC, a second controller beside NewReno. Windows are
 * in bytes and converted to segments of max_datagram_size for the cubic
 * function, whose time unit is seconds (§4.2 defines t and K in seconds).
 * Slow start, the recovery period and persistent congestion follow RFC 9002
 * (§4.10 of RFC 9438 keeps standard slow start).
 */
export class Cubic extends BaseController {
  readonly name = 'cubic';
  /** §4.1: W_max, the window (bytes) just before the last reduction. */
  wMax = 0;
  /** W_max before the last reduction, for fast convergence (§4.7). */
  #wLastMax = 0;
  /** §4.2: K, seconds from the epoch start until W_cubic reaches W_max. */
  k = 0;
  /** §4.2: the start of the current congestion avoidance stage (ms); undefined until set. */
  epochStart: number | undefined = undefined;
  /** cwnd_epoch: the window (bytes) at the start of the epoch. */
  #cwndEpoch = 0;
  /** §4.3: W_est, the Reno-friendly window estimate (bytes). */
  wEst = 0;
  /** The window when ssthresh was last set (cwnd_prior in §4.3). */
  #cwndPrior = 0;

  /** §4.2 Figure 1: W_cubic(t) = C * (t - K)^3 + W_max, t in seconds, result in bytes. */
  wCubic(tSeconds: number): number {
    const d = tSeconds - this.k;
    return CUBIC_C * d * d * d * this.maxDatagramSize + this.wMax;
  }

  protected reduceWindow(): void {
    const cwnd = this.congestionWindow;
    // §4.7 fast convergence: a flow whose W_max shrinks releases bandwidth sooner.
    if (cwnd < this.#wLastMax) {
      this.wMax = (cwnd * (1 + CUBIC_BETA)) / 2;
    } else {
      this.wMax = cwnd;
    }
    this.#wLastMax = cwnd;
    this.#cwndPrior = cwnd;
    // §4.6: ssthresh = cwnd * beta_cubic (flight size in TCP; QUIC's Appendix B uses cwnd).
    this.ssthresh = Math.max(cwnd * CUBIC_BETA, this.minimumWindow);
    this.congestionWindow = this.ssthresh;
    // A new congestion avoidance stage starts with the next acknowledgment.
    this.epochStart = undefined;
  }

  override onPersistentCongestion(now: number): void {
    // RFC 9438 §4.8: after a retransmission timeout, begin again from the minimum
    // window in slow start (ssthresh was already set by the congestion event that
    // came with these losses); a new cubic epoch starts once ssthresh is reached.
    super.onPersistentCongestion(now);
    this.epochStart = undefined;
  }

  /**
   * RFC 9438 §5.8: the time the window goes unused is not part of t, or growth
   * resumes as if the whole pause had been spent in congestion avoidance. The
   * next counted ACK starts a new epoch (as quic-go's OnApplicationLimited).
   */
  protected override onWindowUnused(_now: number): void {
    this.epochStart = undefined;
  }

  protected congestionAvoidance(p: CongestionPacket, now: number, rtt: RttEstimator): void {
    const mss = this.maxDatagramSize;
    if (this.epochStart === undefined) {
      // §4.2: t starts at the beginning of this congestion avoidance stage;
      // K = cubic_root((W_max - cwnd_epoch) / C), in segments.
      this.epochStart = now;
      this.#cwndEpoch = this.congestionWindow;
      this.wEst = this.congestionWindow;
      if (this.wMax < this.congestionWindow) this.wMax = this.congestionWindow;
      this.k = Math.cbrt((this.wMax - this.#cwndEpoch) / mss / CUBIC_C);
    }
    const cwnd = this.congestionWindow;
    // §4.3: W_est += alpha * segments_acked / cwnd (in segments); alpha becomes 1
    // once W_est reaches the window at which ssthresh was last set.
    const alpha = this.wEst >= this.#cwndPrior ? 1 : CUBIC_ALPHA;
    this.wEst += (alpha * mss * p.sentBytes) / cwnd;
    const t = (now - this.epochStart) / 1000;
    const rttSeconds = rtt.smoothedRtt / 1000;
    if (this.wCubic(t) < this.wEst) {
      // §4.3 Reno-friendly region.
      this.congestionWindow = this.wEst;
      return;
    }
    // §4.4/§4.5 concave and convex regions: aim for W_cubic one RTT ahead,
    // clamped to [cwnd, 1.5 * cwnd] (§4.2).
    let target = this.wCubic(t + rttSeconds);
    if (target < cwnd) target = cwnd;
    else if (target > 1.5 * cwnd) target = 1.5 * cwnd;
    // cwnd += (target - cwnd) / cwnd per segment acknowledged.
    this.congestionWindow = cwnd + ((target - cwnd) / cwnd) * p.sentBytes;
  }
}
