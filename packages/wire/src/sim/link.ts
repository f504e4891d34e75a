/**
 * One direction of a simulated path: decides, from its conditions and its own
 * random stream, whether a datagram arrives, when, how many times and whether
 * damaged. It keeps no clock and no queue of events; the network does.
 */
import { addressKey, type SocketAddress } from '../endpoint/contract.js';
import { Rng } from './rng.js';

/** What a `drop` hook is told about each datagram offered to the link. */
export interface DropContext {
  /** 1-based count of datagrams offered to this direction of the link, this one included. */
  readonly index: number;
  readonly data: Uint8Array;
  readonly from: SocketAddress;
  readonly to: SocketAddress;
  readonly now: number;
}

export interface LinkConditions {
  /** One-way propagation delay, ms: the least time any datagram takes. */
  readonly delayMs: number;
  /** Extra delay drawn uniformly from [0, jitterMs) per datagram; it can reorder. */
  readonly jitterMs: number;
  /** Probability (0..1) that a datagram is lost. */
  readonly loss: number;
  /** Probability that a datagram is delivered twice; the copy never arrives before the original. */
  readonly duplicate: number;
  /** Probability that a datagram is held back by an extra `reorderDelayMs`. */
  readonly reorder: number;
  readonly reorderDelayMs: number;
  /** Probability that one random bit of a delivered copy is flipped. */
  readonly corrupt: number;
  /**
   * Serialization rate, bits per second: a datagram occupies the link for
   * size*8/bandwidthBps seconds and waits behind those sent before it.
   */
  readonly bandwidthBps: number;
  /** Bytes that may wait for the link; a datagram that would exceed it is tail-dropped. */
  readonly queueBytes: number;
  /** Largest datagram the path carries; bigger ones are dropped, as with DF set. */
  readonly mtu: number;
  /** Targeted drops: return true to drop this datagram (cause 'filter'). */
  readonly drop?: ((d: DropContext) => boolean) | undefined;
}

/** A perfect link: no delay, no loss, unlimited rate and size. */
export const IDEAL_LINK: Readonly<LinkConditions> = Object.freeze({
  delayMs: 0,
  jitterMs: 0,
  loss: 0,
  duplicate: 0,
  reorder: 0,
  reorderDelayMs: 10,
  corrupt: 0,
  bandwidthBps: Number.POSITIVE_INFINITY,
  queueBytes: Number.POSITIVE_INFINITY,
  mtu: Number.POSITIVE_INFINITY,
});

export type DropCause = 'filter' | 'mtu' | 'queue' | 'loss' | 'unroutable';

export interface LinkStats {
  /** Datagrams offered to the link. */
  sent: number;
  /** Copies handed to an endpoint (duplicates included). */
  delivered: number;
  /** Datagrams that got a second copy. */
  duplicated: number;
  /** Copies with a flipped bit. */
  corrupted: number;
  bytesSent: number;
  bytesDelivered: number;
  dropped: Record<DropCause, number>;
}

export function emptyStats(): LinkStats {
  return {
    sent: 0,
    delivered: 0,
    duplicated: 0,
    corrupted: 0,
    bytesSent: 0,
    bytesDelivered: 0,
    dropped: { filter: 0, mtu: 0, queue: 0, loss: 0, unroutable: 0 },
  };
}

/** One copy of a datagram on its way. */
export interface Transmission {
  readonly arrival: number;
  /** A private copy: receivers may decrypt in place without touching other copies. */
  readonly data: Uint8Array;
  readonly duplicate: boolean;
  /** Index of the flipped bit (0 = most significant bit of byte 0), if corrupted. */
  readonly corruptedBit: number | undefined;
}

export type Fate =
  | { readonly dropped: DropCause; readonly copies?: undefined }
  | { readonly dropped?: undefined; readonly copies: readonly Transmission[] };

const PROBABILITIES = ['loss', 'duplicate', 'reorder', 'corrupt'] as const;
const NON_NEGATIVE = ['delayMs', 'jitterMs', 'reorderDelayMs', 'queueBytes', 'mtu'] as const;

/** Fills in `partial` over `base` and checks every field. */
export function resolveConditions(
  partial: Partial<LinkConditions>,
  base: Readonly<LinkConditions> = IDEAL_LINK,
): LinkConditions {
  const c = { ...base, ...partial };
  for (const k of PROBABILITIES) {
    if (!(c[k] >= 0 && c[k] <= 1)) throw new RangeError(`link ${k} must be in 0..1, not ${c[k]}`);
  }
  for (const k of NON_NEGATIVE) {
    if (!(c[k] >= 0)) throw new RangeError(`link ${k} must be >= 0, not ${c[k]}`);
  }
  if (!(c.bandwidthBps > 0))
    throw new RangeError(`link bandwidthBps must be > 0, not ${c.bandwidthBps}`);
  return c;
}

export class Link {
  readonly from: SocketAddress;
  readonly to: SocketAddress;
  readonly stats: LinkStats = emptyStats();
  conditions: LinkConditions;
  readonly #rng: Rng;
  #offered = 0;
  /** When the transmitter finishes the last datagram it accepted. */
  #busyUntil = Number.NEGATIVE_INFINITY;

  constructor(from: SocketAddress, to: SocketAddress, conditions: LinkConditions, seed: number) {
    this.from = from;
    this.to = to;
    this.conditions = conditions;
    this.#rng = new Rng(seed, `${addressKey(from)}>${addressKey(to)}`);
  }

  /** Decides what becomes of `data`, sent at `now`. */
  offer(data: Uint8Array, now: number): Fate {
    const c = this.conditions;
    const size = data.length;
    const index = ++this.#offered;
    this.stats.sent++;
    this.stats.bytesSent += size;
    // Always the same draws in the same order, whatever the conditions, so
    // changing one setting does not reshuffle the outcomes of the others.
    const rng = this.#rng;
    const uLoss = rng.float();
    const uJitter = rng.float();
    const uReorder = rng.float();
    const uDuplicate = rng.float();
    const uDuplicateJitter = rng.float();
    const uCorrupt = [rng.float(), rng.float()] as const;
    const uBit = [rng.float(), rng.float()] as const;

    if (c.drop?.({ index, data, from: this.from, to: this.to, now })) return this.#drop('filter');
    if (size > c.mtu) return this.#drop('mtu');

    let departure = now;
    if (Number.isFinite(c.bandwidthBps)) {
      const start = Math.max(now, this.#busyUntil);
      const backlogBytes = ((start - now) * c.bandwidthBps) / 8000;
      if (backlogBytes + size > c.queueBytes) return this.#drop('queue');
      departure = start + (size * 8000) / c.bandwidthBps;
      this.#busyUntil = departure;
    }
    // Lost after it used the sender's link, as on a real path.
    if (uLoss < c.loss) return this.#drop('loss');

    let arrival = departure + c.delayMs + uJitter * c.jitterMs;
    if (uReorder < c.reorder) arrival += c.reorderDelayMs;
    const copies = [this.#copy(data, arrival, false, uCorrupt[0] < c.corrupt, uBit[0])];
    if (uDuplicate < c.duplicate) {
      this.stats.duplicated++;
      const later = arrival + uDuplicateJitter * c.jitterMs;
      copies.push(this.#copy(data, later, true, uCorrupt[1] < c.corrupt, uBit[1]));
    }
    return { copies };
  }

  #drop(cause: DropCause): Fate {
    this.stats.dropped[cause]++;
    return { dropped: cause };
  }

  #copy(
    data: Uint8Array,
    arrival: number,
    duplicate: boolean,
    corrupt: boolean,
    uBit: number,
  ): Transmission {
    const copy = data.slice();
    let corruptedBit: number | undefined;
    if (corrupt && copy.length > 0) {
      corruptedBit = Math.floor(uBit * copy.length * 8);
      copy[corruptedBit >> 3] = copy[corruptedBit >> 3]! ^ (0x80 >> (corruptedBit & 7));
      this.stats.corrupted++;
    }
    return { arrival, data: copy, duplicate, corruptedBit };
  }
}
