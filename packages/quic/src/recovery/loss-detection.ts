import type { CongestionController } from '../congestion/controller.js';
import { QuicError, TransportError } from '../errors.js';
import type { AckFrame } from '../frame/ack.js';
import { inPersistentCongestion, persistentCongestionDuration } from './persistent-congestion.js';
import { kGranularity, RttEstimator } from './rtt.js';
import { type SentPacket, SentPackets } from './sent-packets.js';

/** RFC 9002 §6.1.1: kPacketThreshold. */
export const kPacketThreshold = 3;
/** RFC 9002 §6.1.2: kTimeThreshold, as an RTT multiplier. */
export const kTimeThreshold = 9 / 8;

/** RFC 9002 Appendix A.2 kPacketNumberSpace. */
export type PacketNumberSpace = 'initial' | 'handshake' | 'application';
const SPACES: readonly PacketNumberSpace[] = ['initial', 'handshake', 'application'];

interface SpaceState<F> {
  readonly sent: SentPackets<F>;
  largestAcked: number | undefined;
  lossTime: number | undefined;
  timeOfLastAckEliciting: number | undefined;
  ecnCe: number;
}

export interface AckResult<F> {
  /** Newly acknowledged packets, ascending. */
  readonly acked: SentPacket<F>[];
  /** Packets declared lost by this acknowledgment. */
  readonly lost: SentPacket<F>[];
  readonly persistentCongestion: boolean;
}

export type TimeoutAction<F> =
  /** Time-threshold loss (§6.1.2): these packets are lost; retransmit their frames. */
  | { readonly kind: 'loss'; readonly space: PacketNumberSpace; readonly lost: SentPacket<F>[] }
  /** PTO (§6.2.4): send one or two ack-eliciting probe packets in `space`. */
  | { readonly kind: 'pto'; readonly space: PacketNumberSpace; readonly probes: 1 | 2 }
  /** Client anti-deadlock (§6.2.2.1): a padded Initial, or a Handshake packet when keys exist. */
  | { readonly kind: 'anti-deadlock'; readonly space: 'initial' | 'handshake' };

export interface LossDetectionOptions {
  readonly role: 'client' | 'server';
  readonly congestion: CongestionController;
  /** The peer's max_ack_delay (ms); 25 until transport parameters arrive. */
  readonly maxAckDelay?: number;
  readonly initialRtt?: number;
}

/**
 * RFC 9002 loss detection (Appendix A), sans-I/O: every call takes `now` and the
 * connection reads `lossDetectionTimer` to know when to call `onTimeout`. It
 * drives a pluggable congestion controller (Appendix B) as the RFC does.
 */
export class LossDetection<F = unknown> {
  readonly rtt: RttEstimator;
  readonly congestion: CongestionController;
  readonly role: 'client' | 'server';
  maxAckDelay: number;
  ptoCount = 0;
  handshakeConfirmed = false;
  hasHandshakeKeys = false;
  /** Client: a Handshake-space ACK was received (§8.1: the server validated us). */
  receivedHandshakeAck = false;
  /** Server: blocked by the 3x anti-amplification limit (§6.2.2.1 / Appendix A.8). */
  atAntiAmplificationLimit = false;
  #timer: number | undefined = undefined;
  readonly #spaces: Record<PacketNumberSpace, SpaceState<F>>;

  constructor(options: LossDetectionOptions) {
    this.role = options.role;
    this.congestion = options.congestion;
    this.maxAckDelay = options.maxAckDelay ?? 25;
    this.rtt = new RttEstimator(options.initialRtt);
    const space = (): SpaceState<F> => ({
      sent: new SentPackets<F>(),
      largestAcked: undefined,
      lossTime: undefined,
      timeOfLastAckEliciting: undefined,
      ecnCe: 0,
    });
    this.#spaces = { initial: space(), handshake: space(), application: space() };
  }

  /** When `onTimeout` must be called, or undefined when no timer is armed. */
  get lossDetectionTimer(): number | undefined {
    return this.#timer;
  }

  sentPackets(space: PacketNumberSpace): SentPackets<F> {
    return this.#spaces[space].sent;
  }

  largestAcked(space: PacketNumberSpace): number | undefined {
    return this.#spaces[space].largestAcked;
  }

  /** Appendix A.8 PeerCompletedAddressValidation. */
  peerCompletedAddressValidation(): boolean {
    if (this.role === 'server') return true;
    return this.receivedHandshakeAck || this.handshakeConfirmed;
  }

  /** Appendix A.5 OnPacketSent. */
  onPacketSent(space: PacketNumberSpace, packet: SentPacket<F>, now: number): void {
    const s = this.#spaces[space];
    s.sent.add(packet);
    if (packet.inFlight) {
      if (packet.ackEliciting) s.timeOfLastAckEliciting = packet.timeSent;
      this.congestion.onPacketSent(packet.sentBytes, now);
      this.#setTimer(now);
    }
  }

  /** Appendix A.6: a datagram arrived; it may unblock a server at the amplification limit. */
  onDatagramReceived(now: number): TimeoutAction<F> | undefined {
    if (!this.atAntiAmplificationLimit) return undefined;
    this.atAntiAmplificationLimit = false;
    this.#setTimer(now);
    if (this.#timer !== undefined && this.#timer < now) return this.onTimeout(now);
    return undefined;
  }

  /**
   * Appendix A.7 OnAckReceived. `ackDelay` is the decoded ACK Delay in ms
   * (§19.3: the field times 2^ack_delay_exponent microseconds); it is ignored
   * for Initial and Handshake ACKs (§5.3: those are not delayed).
   */
  onAckReceived(
    space: PacketNumberSpace,
    ack: AckFrame,
    ackDelay: number,
    now: number,
  ): AckResult<F> {
    const s = this.#spaces[space];
    const largest = ack.ranges[0]!.largest;
    // RFC 9000 §13.1: acknowledging a packet never sent is a PROTOCOL_VIOLATION.
    if (largest > s.sent.largestSent) {
      throw new QuicError(
        TransportError.PROTOCOL_VIOLATION,
        `ACK of packet ${largest} in ${space}, never sent (largest sent ${s.sent.largestSent})`,
        0x02,
      );
    }
    s.largestAcked = s.largestAcked === undefined ? largest : Math.max(s.largestAcked, largest);
    if (space === 'handshake') this.receivedHandshakeAck = true;
    const acked = s.sent.removeAcked(ack.ranges);
    if (acked.length === 0) return { acked, lost: [], persistentCongestion: false };
    const newest = acked[acked.length - 1]!;
    if (newest.packetNumber === largest && acked.some((p) => p.ackEliciting)) {
      const delay = space === 'application' ? ackDelay : 0;
      this.rtt.update(now - newest.timeSent, delay, now, this.handshakeConfirmed, this.maxAckDelay);
    }
    // Appendix B.7: a higher ECN-CE count is a congestion signal.
    if (ack.ecn && ack.ecn.ce > s.ecnCe) {
      s.ecnCe = ack.ecn.ce;
      if (newest.packetNumber === largest) this.congestion.onEcnCongestion(newest.timeSent, now);
    }
    const lost = this.#detectAndRemoveLostPackets(space, now);
    let persistentCongestion = false;
    if (lost.length > 0) persistentCongestion = this.#onPacketsLost(lost, now);
    this.congestion.onPacketsAcked(acked, now, this.rtt);
    // Reset pto_count unless the client is unsure the server validated its address.
    if (this.peerCompletedAddressValidation()) this.ptoCount = 0;
    this.#setTimer(now);
    return { acked, lost, persistentCongestion };
  }

  #onPacketsLost(allLost: SentPacket<F>[], now: number): boolean {
    let lost = allLost;
    if (lost.some((p) => p.pmtuProbe === true)) {
      // RFC 9000 §14.4: a lost PMTU probe is no congestion signal; it only leaves the flight.
      this.congestion.removeFromBytesInFlight(lost.filter((p) => p.pmtuProbe === true));
      lost = lost.filter((p) => p.pmtuProbe !== true);
      if (lost.length === 0) return false;
    }
    this.congestion.onPacketsLost(lost, now);
    const duration = persistentCongestionDuration(this.rtt, this.maxAckDelay);
    if (inPersistentCongestion(lost, duration, this.rtt.firstRttSample)) {
      this.congestion.onPersistentCongestion(now);
      return true;
    }
    return false;
  }

  /** Appendix A.10 DetectAndRemoveLostPackets. */
  #detectAndRemoveLostPackets(space: PacketNumberSpace, now: number): SentPacket<F>[] {
    const s = this.#spaces[space];
    const largestAcked = s.largestAcked;
    s.lossTime = undefined;
    const lost: SentPacket<F>[] = [];
    if (largestAcked === undefined) return lost;
    // §6.1.2: loss_delay = max(kTimeThreshold * max(latest_rtt, smoothed_rtt), kGranularity).
    const lossDelay = Math.max(
      kTimeThreshold * Math.max(this.rtt.latestRtt, this.rtt.smoothedRtt),
      kGranularity,
    );
    for (const p of s.sent) {
      if (p.packetNumber > largestAcked) break;
      // Compare timeSent + lossDelay with now, the same sum the loss timer is armed
      // with: `timeSent <= now - lossDelay` can differ by a rounding error and
      // re-arm the timer at `now` forever.
      if (p.timeSent + lossDelay <= now || largestAcked >= p.packetNumber + kPacketThreshold) {
        lost.push(p);
      } else {
        const t = p.timeSent + lossDelay;
        s.lossTime = s.lossTime === undefined ? t : Math.min(s.lossTime, t);
      }
    }
    for (const p of lost) s.sent.remove(p.packetNumber);
    return lost;
  }

  /** Appendix A.8 GetLossTimeAndSpace. */
  #lossTimeAndSpace(): [number | undefined, PacketNumberSpace] {
    let time: number | undefined;
    let space: PacketNumberSpace = 'initial';
    for (const sp of SPACES) {
      const t = this.#spaces[sp].lossTime;
      if (t !== undefined && (time === undefined || t < time)) {
        time = t;
        space = sp;
      }
    }
    return [time, space];
  }

  #ackElicitingInFlight(): boolean {
    return SPACES.some((sp) => this.#spaces[sp].sent.ackElicitingInFlight > 0);
  }

  /** Appendix A.8 GetPtoTimeAndSpace. */
  ptoTimeAndSpace(now: number): [number | undefined, PacketNumberSpace] {
    const backoff = 2 ** this.ptoCount;
    let duration = this.rtt.ptoBase() * backoff;
    // Anti-deadlock PTO starts from the current time.
    if (!this.#ackElicitingInFlight()) {
      return [now + duration, this.hasHandshakeKeys ? 'handshake' : 'initial'];
    }
    let ptoTimeout: number | undefined;
    let ptoSpace: PacketNumberSpace = 'initial';
    for (const sp of SPACES) {
      const s = this.#spaces[sp];
      if (s.sent.ackElicitingInFlight === 0) continue;
      if (sp === 'application') {
        if (!this.handshakeConfirmed) {
          // A.8 skips Application Data until the handshake is confirmed: a probe
          // there may not be decryptable yet. But a client with only 0-RTT in
          // flight then arms no timer at all, and a window full of it blocks its
          // Finished for good (the server's ACKs of it came in 1-RTT packets we
          // could not open yet). A client probes the handshake instead.
          if (ptoTimeout !== undefined || this.role === 'server') return [ptoTimeout, ptoSpace];
          const t = (s.timeOfLastAckEliciting ?? now) + duration;
          return [t, this.hasHandshakeKeys ? 'handshake' : 'initial'];
        }
        // Include max_ack_delay and backoff for Application Data.
        duration += this.maxAckDelay * backoff;
      }
      const t = (s.timeOfLastAckEliciting ?? now) + duration;
      if (ptoTimeout === undefined || t < ptoTimeout) {
        ptoTimeout = t;
        ptoSpace = sp;
      }
    }
    return [ptoTimeout, ptoSpace];
  }

  /** Appendix A.8 SetLossDetectionTimer. */
  #setTimer(now: number): void {
    const [lossTime] = this.#lossTimeAndSpace();
    if (lossTime !== undefined) {
      this.#timer = lossTime;
      return;
    }
    if (this.atAntiAmplificationLimit) {
      this.#timer = undefined;
      return;
    }
    if (!this.#ackElicitingInFlight() && this.peerCompletedAddressValidation()) {
      this.#timer = undefined;
      return;
    }
    this.#timer = this.ptoTimeAndSpace(now)[0];
  }

  /** Appendix A.9 OnLossDetectionTimeout. Returns what the connection must do. */
  onTimeout(now: number): TimeoutAction<F> | undefined {
    const [lossTime, lossSpace] = this.#lossTimeAndSpace();
    if (lossTime !== undefined) {
      const lost = this.#detectAndRemoveLostPackets(lossSpace, now);
      if (lost.length > 0) this.#onPacketsLost(lost, now);
      this.#setTimer(now);
      return { kind: 'loss', space: lossSpace, lost };
    }
    if (this.#timer === undefined) return undefined;
    let action: TimeoutAction<F>;
    if (!this.#ackElicitingInFlight()) {
      action = { kind: 'anti-deadlock', space: this.hasHandshakeKeys ? 'handshake' : 'initial' };
    } else {
      // §6.2.4: send one or two ack-eliciting packets; two make a single loss less costly.
      action = { kind: 'pto', space: this.ptoTimeAndSpace(now)[1], probes: 2 };
    }
    this.ptoCount++;
    this.#setTimer(now);
    return action;
  }

  /** Appendix A.11 OnPacketNumberSpaceDiscarded (Initial or Handshake keys dropped). */
  discardSpace(space: 'initial' | 'handshake', now: number): void {
    this.abandonSpace(space, now);
  }

  /**
   * Packets of a space that will never be acknowledged, though the space lives
   * on: 0-RTT the server refused (RFC 9002 §6.4: their recovery state is
   * discarded), or sent before a Retry (§6.3). Not a congestion signal: they
   * leave bytes in flight and are returned, so their frames can go again.
   */
  abandonSpace(space: PacketNumberSpace, now: number): SentPacket<F>[] {
    const s = this.#spaces[space];
    const abandoned = s.sent.clear();
    this.congestion.removeFromBytesInFlight(abandoned);
    s.timeOfLastAckEliciting = undefined;
    s.lossTime = undefined;
    this.ptoCount = 0;
    this.#setTimer(now);
    return abandoned;
  }
}
