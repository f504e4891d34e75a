import type { AckFrame, AckRange } from '../frame/ack.js';

/**
 * A set of packet numbers as disjoint inclusive ranges, kept in descending order
 * (the order of an ACK frame). Insertions near the top, the common case, touch
 * only the first ranges.
 */
export class AckRanges {
  /** [smallest, largest] pairs, descending, separated by at least one missing number. */
  readonly #ranges: { smallest: number; largest: number }[] = [];

  get length(): number {
    return this.#ranges.length;
  }

  get largest(): number | undefined {
    return this.#ranges[0]?.largest;
  }

  get smallest(): number | undefined {
    return this.#ranges[this.#ranges.length - 1]?.smallest;
  }

  ranges(): readonly AckRange[] {
    return this.#ranges;
  }

  has(pn: number): boolean {
    for (const r of this.#ranges) {
      if (pn > r.largest) return false;
      if (pn >= r.smallest) return true;
    }
    return false;
  }

  /** Adds a packet number; false if it was already there (a duplicate). */
  insert(pn: number): boolean {
    const rs = this.#ranges;
    let i = 0;
    while (i < rs.length && rs[i]!.smallest > pn + 1) i++;
    // rs[i] is now the first range starting at or below pn + 1, if any.
    if (i === rs.length) {
      rs.push({ smallest: pn, largest: pn });
      return true;
    }
    const r = rs[i]!;
    if (pn >= r.smallest && pn <= r.largest) return false;
    if (pn === r.smallest - 1) {
      r.smallest = pn;
      // Merge with the next (lower) range if now adjacent.
      const next = rs[i + 1];
      if (next !== undefined && next.largest + 1 === pn) {
        r.smallest = next.smallest;
        rs.splice(i + 1, 1);
      }
      return true;
    }
    // Ranges before i start above pn + 1, so extending r upwards never touches them.
    if (pn === r.largest + 1) {
      r.largest = pn;
      return true;
    }
    // pn > r.largest + 1: a new range between rs[i-1] and r.
    rs.splice(i, 0, { smallest: pn, largest: pn });
    return true;
  }

  /** Forgets every number below `pn` (after the peer acknowledged our ACK of them). */
  removeBelow(pn: number): void {
    const rs = this.#ranges;
    while (rs.length > 0 && rs[rs.length - 1]!.largest < pn) rs.pop();
    const last = rs[rs.length - 1];
    if (last !== undefined && last.smallest < pn) last.smallest = pn;
  }

  /** Keeps only the `max` highest ranges (bounding ACK frame size and memory). */
  truncate(max: number): void {
    if (this.#ranges.length > max) this.#ranges.length = max;
  }
}

/** RFC 9000 §13.2.2: acknowledge at least every second ack-eliciting packet. */
export const kAckElicitingThreshold = 2;

/**
 * Received packets of one packet number space and when to acknowledge them
 * (RFC 9000 §13.2). Initial and Handshake packets are acknowledged at once
 * (§13.2.1); 1-RTT ones after two ack-eliciting packets or max_ack_delay.
 */
export class ReceivedPackets {
  readonly received = new AckRanges();
  readonly #immediate: boolean;
  readonly #maxAckDelay: number;
  readonly #maxRanges: number;
  #largestReceivedTime = 0;
  #largestAckEliciting = -1;
  #unackedAckEliciting = 0;
  #ackDeadline: number | undefined = undefined;
  #ackNow = false;

  /**
   * `maxAckDelay` is our own max_ack_delay (ms); `space` decides whether ACKs may
   * be delayed at all.
   */
  constructor(space: 'initial' | 'handshake' | 'application', maxAckDelay = 25, maxRanges = 32) {
    this.#immediate = space !== 'application';
    this.#maxAckDelay = maxAckDelay;
    this.#maxRanges = maxRanges;
  }

  /** The time an ACK frame must go out by; `now` or earlier means at once. */
  get ackDeadline(): number | undefined {
    return this.#ackNow ? 0 : this.#ackDeadline;
  }

  /** Whether an ACK should be sent in the next packet. */
  ackRequired(now: number): boolean {
    return this.#ackNow || (this.#ackDeadline !== undefined && now >= this.#ackDeadline);
  }

  /** Whether anything was received that an ACK could report. */
  get hasAnything(): boolean {
    return this.received.length > 0;
  }

  /** Duplicate check before processing (RFC 9000 §12.3: a duplicate is dropped). */
  isDuplicate(pn: number): boolean {
    return this.received.has(pn);
  }

  /**
   * Records a packet that was processed. `ceMarked`: it arrived with ECN-CE
   * (§13.2.1: acknowledge immediately).
   */
  onPacketReceived(pn: number, ackEliciting: boolean, now: number, ceMarked = false): void {
    const largestBefore = this.received.largest;
    if (!this.received.insert(pn)) return;
    if (largestBefore === undefined || pn > largestBefore) this.#largestReceivedTime = now;
    this.received.truncate(this.#maxRanges);
    if (!ackEliciting) return;
    // §13.2.1: acknowledge at once a packet below an earlier ack-eliciting one,
    // or one above the largest with a gap before it.
    const outOfOrder =
      pn < this.#largestAckEliciting || (largestBefore !== undefined && pn > largestBefore + 1);
    this.#largestAckEliciting = Math.max(this.#largestAckEliciting, pn);
    this.#unackedAckEliciting++;
    if (
      this.#immediate ||
      outOfOrder ||
      ceMarked ||
      this.#unackedAckEliciting >= kAckElicitingThreshold
    ) {
      this.#ackNow = true;
    } else if (this.#ackDeadline === undefined) {
      // §13.2.1: no later than max_ack_delay after the first unacknowledged one.
      this.#ackDeadline = now + this.#maxAckDelay;
    }
  }

  /**
   * The ACK frame to send now. ACK Delay (§19.3) is the time since the largest
   * packet was received, in microseconds scaled down by `ackDelayExponent`; 0 for
   * Initial and Handshake (§13.2.5 allows that, and peers ignore it there).
   */
  buildAck(now: number, ackDelayExponent: number, ecn?: AckFrame['ecn']): AckFrame | undefined {
    if (this.received.length === 0) return undefined;
    const delayMicros = this.#immediate ? 0 : Math.max(0, (now - this.#largestReceivedTime) * 1000);
    const ackDelay = Math.floor(delayMicros / 2 ** ackDelayExponent);
    const ranges = this.received
      .ranges()
      .map((r) => ({ smallest: r.smallest, largest: r.largest }));
    return ecn ? { type: 'ack', ackDelay, ranges, ecn } : { type: 'ack', ackDelay, ranges };
  }

  /** An ACK frame went out: nothing is pending until the next ack-eliciting packet. */
  onAckSent(): void {
    this.#ackNow = false;
    this.#ackDeadline = undefined;
    this.#unackedAckEliciting = 0;
  }

  /**
   * The peer acknowledged a packet of ours that carried an ACK up to
   * `largestAcked`: stop repeating ranges below it (RFC 9000 §13.2.4).
   */
  onAckAcknowledged(largestAcked: number): void {
    this.received.removeBelow(largestAcked);
  }
}
