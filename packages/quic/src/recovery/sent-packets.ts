import type { AckRange } from '../frame/ack.js';

/** RFC 9002 Appendix A.1.1: what a sender remembers about each packet. */
export interface SentPacket<F = unknown> {
  readonly packetNumber: number;
  readonly timeSent: number;
  readonly ackEliciting: boolean;
  /** Counts toward bytes in flight: ack-eliciting or carrying PADDING (RFC 9002 §2). */
  readonly inFlight: boolean;
  /** Bytes of the QUIC packet, including header and AEAD overhead. */
  readonly sentBytes: number;
  /** What the packet carried, for retransmission once it is declared lost. */
  readonly frames?: F;
  /** A PMTU probe (RFC 9000 §14.4): its loss says nothing about congestion. */
  readonly pmtuProbe?: boolean;
}

/**
 * The unacknowledged packets of one packet number space. Packet numbers only
 * grow, so a Map (iterating in insertion order) keeps them sorted.
 */
export class SentPackets<F = unknown> {
  readonly #packets = new Map<number, SentPacket<F>>();
  #ackElicitingInFlight = 0;
  #bytesInFlight = 0;
  #largestSent = -1;

  get size(): number {
    return this.#packets.size;
  }

  /** Ack-eliciting packets still in flight in this space. */
  get ackElicitingInFlight(): number {
    return this.#ackElicitingInFlight;
  }

  get bytesInFlight(): number {
    return this.#bytesInFlight;
  }

  get largestSent(): number {
    return this.#largestSent;
  }

  add(p: SentPacket<F>): void {
    if (p.packetNumber <= this.#largestSent) {
      throw new RangeError(`packet number ${p.packetNumber} not above ${this.#largestSent}`);
    }
    this.#largestSent = p.packetNumber;
    this.#packets.set(p.packetNumber, p);
    if (p.inFlight) {
      this.#bytesInFlight += p.sentBytes;
      if (p.ackEliciting) this.#ackElicitingInFlight++;
    }
  }

  get(packetNumber: number): SentPacket<F> | undefined {
    return this.#packets.get(packetNumber);
  }

  remove(packetNumber: number): SentPacket<F> | undefined {
    const p = this.#packets.get(packetNumber);
    if (p === undefined) return undefined;
    this.#packets.delete(packetNumber);
    if (p.inFlight) {
      this.#bytesInFlight -= p.sentBytes;
      if (p.ackEliciting) this.#ackElicitingInFlight--;
    }
    return p;
  }

  /**
   * Removes and returns the packets an ACK frame newly acknowledges, in
   * ascending packet number order (Appendix A.7 DetectAndRemoveAckedPackets).
   */
  removeAcked(ranges: readonly AckRange[]): SentPacket<F>[] {
    const acked: SentPacket<F>[] = [];
    // Ranges come in descending order; walk them from the lowest.
    for (let i = ranges.length - 1; i >= 0; i--) {
      const { smallest, largest } = ranges[i]!;
      if (largest - smallest + 1 <= this.#packets.size) {
        for (let pn = smallest; pn <= largest; pn++) {
          const p = this.remove(pn);
          if (p !== undefined) acked.push(p);
        }
      } else {
        for (const pn of this.#packets.keys()) {
          if (pn > largest) break;
          if (pn >= smallest) acked.push(this.remove(pn)!);
        }
      }
    }
    return acked;
  }

  [Symbol.iterator](): IterableIterator<SentPacket<F>> {
    return this.#packets.values();
  }

  /** Removes everything (keys discarded, RFC 9002 §6.4) and returns what was in flight. */
  clear(): SentPacket<F>[] {
    const all = [...this.#packets.values()];
    this.#packets.clear();
    this.#ackElicitingInFlight = 0;
    this.#bytesInFlight = 0;
    return all;
  }
}
