import { QuicError, TransportError } from '../errors.js';

/** RFC 9000 §2.1: the two low bits of a stream ID. */
export function isClientInitiated(streamId: number): boolean {
  return streamId % 2 === 0;
}

export function isBidirectional(streamId: number): boolean {
  return Math.floor(streamId / 2) % 2 === 0;
}

/** The stream's position among those of its type (its ID without the two type bits). */
export function streamIndex(streamId: number): number {
  return Math.floor(streamId / 4);
}

/** The ID of the `index`-th stream of a type (§2.1). */
export function streamId(index: number, clientInitiated: boolean, bidirectional: boolean): number {
  return index * 4 + (bidirectional ? 0 : 2) + (clientInitiated ? 0 : 1);
}

/** Whether a frame acts on the sending or the receiving part of the stream, from our side. */
export type StreamPart = 'send' | 'receive';

/**
 * Stream IDs of one connection and the MAX_STREAMS limits in both directions
 * (RFC 9000 §2.1, §3, §4.6). It opens our streams within the peer's limits,
 * and opens the peer's streams (with every lower-numbered one of the same type,
 * §3.2) as their frames arrive, within ours. Streams are whatever `S` the
 * caller keeps; created through `create`.
 */
export class StreamMap<S> {
  readonly #streams = new Map<number, S>();
  readonly #isClient: boolean;
  readonly #create: (id: number, local: boolean) => S;
  /** Peer's MAX_STREAMS for streams we open: [bidi, uni]. */
  readonly #localLimit = [0, 0];
  readonly #localOpened = [0, 0];
  /** Our MAX_STREAMS for streams the peer opens. */
  readonly #remoteLimit = [0, 0];
  readonly #remoteOpened = [0, 0];
  readonly #remoteClosed = [0, 0];
  readonly #remoteWindow: [number, number];

  constructor(options: {
    role: 'client' | 'server';
    /** Our initial_max_streams_bidi / _uni: how many the peer may open. */
    maxRemoteBidi: number;
    maxRemoteUni: number;
    create: (id: number, local: boolean) => S;
  }) {
    this.#isClient = options.role === 'client';
    this.#create = options.create;
    this.#remoteLimit[0] = options.maxRemoteBidi;
    this.#remoteLimit[1] = options.maxRemoteUni;
    this.#remoteWindow = [options.maxRemoteBidi, options.maxRemoteUni];
  }

  get size(): number {
    return this.#streams.size;
  }

  get(id: number): S | undefined {
    return this.#streams.get(id);
  }

  [Symbol.iterator](): IterableIterator<[number, S]> {
    return this.#streams.entries();
  }

  /** The peer's initial_max_streams_* or a MAX_STREAMS frame (smaller values are ignored, §4.6). */
  onMaxStreams(bidirectional: boolean, maximumStreams: number): void {
    const k = bidirectional ? 0 : 1;
    this.#localLimit[k] = Math.max(this.#localLimit[k]!, maximumStreams);
  }

  /**
   * The peer's limit replaced, lower or not (it refused our 0-RTT). Streams we
   * opened beyond it wait (`withinLimit`) until MAX_STREAMS covers them.
   */
  resetLocalLimit(bidirectional: boolean, maximumStreams: number): void {
    this.#localLimit[bidirectional ? 0 : 1] = maximumStreams;
  }

  /** How many streams of a type we opened. */
  localOpened(bidirectional: boolean): number {
    return this.#localOpened[bidirectional ? 0 : 1]!;
  }

  /** Whether the peer's limit allows one of our streams to carry frames (it may not after a refused 0-RTT). */
  withinLimit(id: number): boolean {
    return Math.floor(id / 4) < this.#localLimit[isBidirectional(id) ? 0 : 1]!;
  }

  /** How many more streams of this type we may open now. */
  available(bidirectional: boolean): number {
    const k = bidirectional ? 0 : 1;
    return Math.max(0, this.#localLimit[k]! - this.#localOpened[k]!);
  }

  /**
   * Opens our next stream of a type, or returns undefined when the peer's limit is
   * reached (the caller sends STREAMS_BLOCKED with `localLimit`).
   */
  open(bidirectional: boolean): { id: number; stream: S } | undefined {
    const k = bidirectional ? 0 : 1;
    if (this.#localOpened[k]! >= this.#localLimit[k]!) return undefined;
    const id = streamId(this.#localOpened[k]!, this.#isClient, bidirectional);
    this.#localOpened[k]!++;
    const stream = this.#create(id, true);
    this.#streams.set(id, stream);
    return { id, stream };
  }

  localLimit(bidirectional: boolean): number {
    return this.#localLimit[bidirectional ? 0 : 1]!;
  }

  /**
   * The stream a peer frame refers to, opening it (and lower ones) if the peer
   * initiated it. `part` says which part of the stream the frame acts on from our
   * point of view: STREAM, RESET_STREAM and STREAM_DATA_BLOCKED act on our
   * receiving part; MAX_STREAM_DATA and STOP_SENDING on our sending part.
   * Raises STREAM_STATE_ERROR for a part that does not exist or a local stream
   * not yet opened, and STREAM_LIMIT_ERROR beyond our MAX_STREAMS (§4.6, §19).
   * Returns undefined for a stream that was already closed and forgotten.
   */
  forPeerFrame(id: number, part: StreamPart, frameType: number): S | undefined {
    const local = isClientInitiated(id) === this.#isClient;
    const bidi = isBidirectional(id);
    // A unidirectional stream has only a sending part at its initiator.
    if (!bidi && (local ? part === 'receive' : part === 'send')) {
      throw new QuicError(
        TransportError.STREAM_STATE_ERROR,
        `stream ${id} has no ${part === 'receive' ? 'receiving' : 'sending'} part here`,
        frameType,
      );
    }
    const existing = this.#streams.get(id);
    if (existing !== undefined) return existing;
    const k = bidi ? 0 : 1;
    const index = streamIndex(id);
    if (local) {
      if (index >= this.#localOpened[k]!) {
        throw new QuicError(
          TransportError.STREAM_STATE_ERROR,
          `stream ${id} was not opened by us`,
          frameType,
        );
      }
      return undefined; // closed already
    }
    if (index >= this.#remoteLimit[k]!) {
      throw new QuicError(
        TransportError.STREAM_LIMIT_ERROR,
        `stream ${id} exceeds the limit of ${this.#remoteLimit[k]} streams`,
        frameType,
      );
    }
    if (index < this.#remoteOpened[k]!) return undefined; // closed already
    // §3.2: opening a stream opens every lower-numbered stream of its type.
    let stream: S | undefined;
    for (let i = this.#remoteOpened[k]!; i <= index; i++) {
      const sid = streamId(i, !this.#isClient, bidi);
      stream = this.#create(sid, false);
      this.#streams.set(sid, stream);
    }
    this.#remoteOpened[k] = index + 1;
    return stream;
  }

  /**
   * A stream is finished in both directions and can be forgotten. For a peer
   * stream, returns the new MAX_STREAMS value to send once half the window's
   * streams have closed, else undefined.
   */
  close(id: number): number | undefined {
    if (!this.#streams.delete(id)) return undefined;
    if (isClientInitiated(id) === this.#isClient) return undefined;
    const k = isBidirectional(id) ? 0 : 1;
    this.#remoteClosed[k]!++;
    const target = this.#remoteClosed[k]! + this.#remoteWindow[k]!;
    if (target - this.#remoteLimit[k]! >= Math.max(1, this.#remoteWindow[k]! / 2)) {
      this.#remoteLimit[k] = target;
      return target;
    }
    return undefined;
  }
}
