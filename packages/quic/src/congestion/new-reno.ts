import type { RttEstimator } from '../recovery/rtt.js';
import { BaseController, type CongestionPacket } from './controller.js';

/** RFC 9002 §7.3.2: kLossReductionFactor. */
export const kLossReductionFactor = 0.5;

/** RFC 9002 §7 / Appendix B: NewReno. */
export class NewReno extends BaseController {
  readonly name = 'newreno';

  protected reduceWindow(): void {
    // Appendix B.6: ssthresh = cwnd * kLossReductionFactor; cwnd = max(ssthresh, kMinimumWindow).
    this.ssthresh = this.congestionWindow * kLossReductionFactor;
    this.congestionWindow = Math.max(this.ssthresh, this.minimumWindow);
  }

  protected congestionAvoidance(p: CongestionPacket, _now: number, _rtt: RttEstimator): void {
    // Appendix B.5: one max_datagram_size per congestion window acknowledged.
    this.congestionWindow += (this.maxDatagramSize * p.sentBytes) / this.congestionWindow;
  }
}
