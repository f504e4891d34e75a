import type { RttEstimator } from '../recovery/rtt.js';

/** The fields of a sent packet a congestion controller reads. */
export interface CongestionPacket {
  readonly timeSent: number;
  readonly inFlight: boolean;
  readonly sentBytes: number;
}

/**
 * A pluggable congestion controller (RFC 9002 §7, Appendix B). Loss detection
 * calls it; the connection asks it how much may be sent. Bytes in flight live
 * here because every controller needs them.
 */
export interface CongestionController {
  readonly name: string;
  readonly congestionWindow: number;
  readonly bytesInFlight: number;
  readonly ssthresh: number;
  readonly maxDatagramSize: number;
  /** Bytes that may be sent now: congestion window minus bytes in flight (never negative). */
  readonly available: number;
  /** Appendix B.4: an in-flight packet was sent. */
  onPacketSent(sentBytes: number, now: number): void;
  /** Appendix B.5: packets newly acknowledged, in packet number order. */
  onPacketsAcked(acked: readonly CongestionPacket[], now: number, rtt: RttEstimator): void;
  /** Appendix B.8: packets declared lost. Starts a congestion event if any were in flight. */
  onPacketsLost(lost: readonly CongestionPacket[], now: number): void;
  /** Appendix B.7: the peer reported more ECN-CE marks; `sentTime` of the largest acknowledged. */
  onEcnCongestion(sentTime: number, now: number): void;
  /** Appendix B.8 / §7.6.2: persistent congestion: collapse to the minimum window. */
  onPersistentCongestion(now: number): void;
  /** Appendix B.9: keys discarded, so these packets leave bytes in flight. */
  removeFromBytesInFlight(packets: readonly CongestionPacket[]): void;
  /** §7.8: the sender is application- or flow-control-limited; the window must not grow. */
  setAppLimited(limited: boolean): void;
  /** §14: the path MTU changed. */
  setMaxDatagramSize(size: number): void;
}

/** RFC 9002 §7.2: kInitialWindow = min(10 * max_datagram_size, max(14720, 2 * max_datagram_size)). */
export function initialWindow(maxDatagramSize: number): number {
  return Math.min(10 * maxDatagramSize, Math.max(14720, 2 * maxDatagramSize));
}

/** RFC 9002 §7.2: kMinimumWindow = 2 * max_datagram_size. */
export function minimumWindow(maxDatagramSize: number): number {
  return 2 * maxDatagramSize;
}

/**
 * What NewReno and CUBIC share (RFC 9002 Appendix B): bytes in flight, slow start,
 * the recovery period and the minimum window. Subclasses decide the window after
 * a congestion event and the growth in congestion avoidance.
 */
export abstract class BaseController implements CongestionController {
  abstract readonly name: string;
  congestionWindow: number;
  bytesInFlight = 0;
  ssthresh = Number.POSITIVE_INFINITY;
  maxDatagramSize: number;
  /** Appendix B.2; undefined when not in a recovery period. */
  congestionRecoveryStartTime: number | undefined = undefined;
  protected appLimited = false;
  /**
   * Bytes in flight right after the last packet sent: how much of the window
   * the sender used. Read at ACK time instead of the current figure, which the
   * ACKs of one receive batch (and losses) lower one by one before we send.
   */
  #inFlightAtLastSend = 0;

  constructor(maxDatagramSize = 1200) {
    this.maxDatagramSize = maxDatagramSize;
    this.congestionWindow = initialWindow(maxDatagramSize);
  }

  get available(): number {
    return Math.max(0, this.congestionWindow - this.bytesInFlight);
  }

  get minimumWindow(): number {
    return minimumWindow(this.maxDatagramSize);
  }

  /** Appendix B.5 InCongestionRecovery. */
  inCongestionRecovery(sentTime: number): boolean {
    return (
      this.congestionRecoveryStartTime !== undefined && sentTime <= this.congestionRecoveryStartTime
    );
  }

  onPacketSent(sentBytes: number, _now: number): void {
    this.bytesInFlight += sentBytes;
    this.#inFlightAtLastSend = this.bytesInFlight;
  }

  /**
   * §7.8: whether the window was used when these packets were acknowledged. A
   * window the sender does not fill (the application, flow control or an idle
   * period held it back) must not grow, or it balloons and the next burst
   * overruns the path. As quic-go: in flight at least the window, or over half
   * of it in slow start, or within three datagrams of it (pacing sends a
   * little under the window).
   */
  protected windowUtilized(priorInFlight: number): boolean {
    const cwnd = this.congestionWindow;
    if (priorInFlight >= cwnd) return true;
    if (cwnd < this.ssthresh && priorInFlight > cwnd / 2) return true;
    return cwnd - priorInFlight <= 3 * this.maxDatagramSize;
  }

  onPacketsAcked(acked: readonly CongestionPacket[], now: number, rtt: RttEstimator): void {
    const limited = this.appLimited || !this.windowUtilized(this.#inFlightAtLastSend);
    if (limited) this.onWindowUnused(now);
    for (const p of acked) {
      if (!p.inFlight) continue;
      this.bytesInFlight -= p.sentBytes;
      // §7.8: do not grow the window when application or flow-control limited.
      if (limited) continue;
      // §7.3.2: no growth for packets sent before the recovery period started.
      if (this.inCongestionRecovery(p.timeSent)) continue;
      if (this.congestionWindow < this.ssthresh) {
        // §7.3.1 slow start: grow by the bytes acknowledged.
        this.congestionWindow += p.sentBytes;
      } else {
        this.congestionAvoidance(p, now, rtt);
      }
    }
  }

  onPacketsLost(lost: readonly CongestionPacket[], now: number): void {
    let sentTimeOfLastLoss: number | undefined;
    for (const p of lost) {
      if (!p.inFlight) continue;
      this.bytesInFlight -= p.sentBytes;
      sentTimeOfLastLoss = Math.max(sentTimeOfLastLoss ?? p.timeSent, p.timeSent);
    }
    if (sentTimeOfLastLoss !== undefined) this.onCongestionEvent(sentTimeOfLastLoss, now);
  }

  onEcnCongestion(sentTime: number, now: number): void {
    this.onCongestionEvent(sentTime, now);
  }

  /** Appendix B.6: one reduction per recovery period. */
  onCongestionEvent(sentTime: number, now: number): void {
    if (this.inCongestionRecovery(sentTime)) return;
    this.congestionRecoveryStartTime = now;
    this.reduceWindow(now);
  }

  onPersistentCongestion(_now: number): void {
    this.congestionWindow = this.minimumWindow;
    this.congestionRecoveryStartTime = undefined;
  }

  removeFromBytesInFlight(packets: readonly CongestionPacket[]): void {
    for (const p of packets) if (p.inFlight) this.bytesInFlight -= p.sentBytes;
  }

  setAppLimited(limited: boolean): void {
    this.appLimited = limited;
  }

  setMaxDatagramSize(size: number): void {
    if (size < 1200) throw new RangeError('max_datagram_size is at least 1200');
    this.maxDatagramSize = size;
    this.congestionWindow = Math.max(this.congestionWindow, this.minimumWindow);
  }

  /** ACKs arrived while the window was not used (§7.8); time-based growth must not count this time. */
  protected onWindowUnused(_now: number): void {}

  /** Sets ssthresh and the window when a congestion event starts. */
  protected abstract reduceWindow(now: number): void;
  /** Window growth for one acknowledged packet outside slow start and recovery. */
  protected abstract congestionAvoidance(p: CongestionPacket, now: number, rtt: RttEstimator): void;
}
