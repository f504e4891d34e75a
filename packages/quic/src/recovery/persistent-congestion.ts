import type { RttEstimator } from './rtt.js';
import { kGranularity } from './rtt.js';
import type { SentPacket } from './sent-packets.js';

/** RFC 9002 §7.6.1: kPersistentCongestionThreshold. */
export const kPersistentCongestionThreshold = 3;

/**
 * RFC 9002 §7.6.1: (smoothed_rtt + max(4*rttvar, kGranularity) + max_ack_delay) *
 * kPersistentCongestionThreshold. Unlike the PTO, max_ack_delay is always included.
 */
export function persistentCongestionDuration(rtt: RttEstimator, maxAckDelay: number): number {
  return (
    (rtt.smoothedRtt + Math.max(4 * rtt.rttvar, kGranularity) + maxAckDelay) *
    kPersistentCongestionThreshold
  );
}

/**
 * RFC 9002 §7.6.2: persistent congestion is established when two ack-eliciting
 * packets are declared lost, none of the packets sent between them was
 * acknowledged, they were sent more than `duration` apart, and an RTT sample
 * existed when both were sent (Appendix B.8: time_sent > first_rtt_sample).
 *
 * `lost` is the packets declared lost by one ACK, in packet number order, from one
 * packet number space (§7.6.2 allows one space). A gap in their packet numbers
 * means a packet in between was acknowledged (or declared lost earlier), and ends
 * the run: a conservative reading that can miss persistent congestion but never
 * declares it wrongly.
 */
export function inPersistentCongestion(
  lost: readonly SentPacket[],
  duration: number,
  firstRttSample: number | undefined,
): boolean {
  if (firstRttSample === undefined) return false;
  let runStart: SentPacket | undefined;
  let previousPn = -2;
  for (const p of lost) {
    if (p.timeSent <= firstRttSample) continue;
    if (p.packetNumber !== previousPn + 1) runStart = undefined;
    previousPn = p.packetNumber;
    if (!p.ackEliciting) continue;
    if (runStart === undefined) runStart = p;
    else if (p.timeSent - runStart.timeSent > duration) return true;
  }
  return false;
}
