import type { CryptoProvider } from '@x/crypto';
import { constantTimeEqual, equalBytes } from '@x/wire';
import { QuicError, TransportError } from '../errors.js';
import type { NewConnectionIdFrame } from '../frame/new-connection-id.js';

/** RFC 9000 §10.3: a stateless reset token is 16 bytes. */
const TOKEN_LENGTH = 16;

/**
 * RFC 9000 §10.3.2: a token derived from a static key and the connection ID
 * ("HMAC(static_key, connection_id)" is the RFC's example), so a server can send
 * a stateless reset after losing state. Truncated to 16 bytes.
 */
export function statelessResetToken(
  provider: CryptoProvider,
  staticKey: Uint8Array,
  connectionId: Uint8Array,
): Uint8Array {
  return provider.hmac('SHA-256', staticKey, connectionId).subarray(0, TOKEN_LENGTH);
}

export interface IssuedCid {
  readonly sequenceNumber: number;
  readonly connectionId: Uint8Array;
  readonly statelessResetToken: Uint8Array;
}

/**
 * Our connection IDs, the ones the peer uses to reach us (RFC 9000 §5.1). We
 * keep as many active as the peer's active_connection_id_limit allows, issue
 * replacements in NEW_CONNECTION_ID frames, and drop those it retires.
 */
export class LocalCids {
  readonly #active = new Map<number, IssuedCid>();
  #nextSequence = 0;
  #peerLimit = 2;
  readonly #generate: (sequenceNumber: number) => {
    connectionId: Uint8Array;
    statelessResetToken: Uint8Array;
  };

  /**
   * `initial` is the Source Connection ID of our first Initial (sequence 0, §5.1.1);
   * `generate` makes each further ID and its reset token.
   */
  constructor(
    initial: Uint8Array,
    generate: (sequenceNumber: number) => {
      connectionId: Uint8Array;
      statelessResetToken: Uint8Array;
    },
    initialResetToken: Uint8Array = new Uint8Array(TOKEN_LENGTH),
  ) {
    this.#generate = generate;
    this.#active.set(0, {
      sequenceNumber: 0,
      connectionId: initial,
      statelessResetToken: initialResetToken,
    });
    this.#nextSequence = 1;
  }

  get active(): readonly IssuedCid[] {
    return [...this.#active.values()];
  }

  has(connectionId: Uint8Array): boolean {
    for (const c of this.#active.values())
      if (equalBytes(c.connectionId, connectionId)) return true;
    return false;
  }

  /** The peer's active_connection_id_limit (§18.2; at least 2). */
  setPeerLimit(limit: number): void {
    this.#peerLimit = Math.max(2, limit);
  }

  /**
   * The NEW_CONNECTION_ID frames to send so the peer holds `active_connection_id_limit`
   * of our IDs (§5.1.1: "An endpoint MUST NOT provide more connection IDs than the
   * peer's limit"). A zero-length ID is never replaced (§5.1.1).
   */
  replenish(retirePriorTo = 0): NewConnectionIdFrame[] {
    const first = this.#active.get(0);
    if (first !== undefined && first.connectionId.length === 0) return [];
    const frames: NewConnectionIdFrame[] = [];
    while (this.#active.size < this.#peerLimit) {
      const sequenceNumber = this.#nextSequence++;
      const { connectionId, statelessResetToken } = this.#generate(sequenceNumber);
      this.#active.set(sequenceNumber, { sequenceNumber, connectionId, statelessResetToken });
      frames.push({
        type: 'new_connection_id',
        sequenceNumber,
        retirePriorTo,
        connectionId,
        statelessResetToken,
      });
    }
    return frames;
  }

  /**
   * RETIRE_CONNECTION_ID (§19.16). `packetDcid` is the Destination Connection ID
   * of the packet that carried it. Returns the retired ID (to stop routing it).
   */
  retire(sequenceNumber: number, packetDcid: Uint8Array): IssuedCid | undefined {
    // §19.16: a sequence number never sent, or the ID the frame arrived on, is a
    // PROTOCOL_VIOLATION.
    if (sequenceNumber >= this.#nextSequence) {
      throw new QuicError(
        TransportError.PROTOCOL_VIOLATION,
        `RETIRE_CONNECTION_ID for sequence ${sequenceNumber}, never issued`,
        0x19,
      );
    }
    const c = this.#active.get(sequenceNumber);
    if (c === undefined) return undefined;
    if (equalBytes(c.connectionId, packetDcid)) {
      throw new QuicError(
        TransportError.PROTOCOL_VIOLATION,
        'RETIRE_CONNECTION_ID retires the connection ID it was sent to',
        0x19,
      );
    }
    this.#active.delete(sequenceNumber);
    return c;
  }
}

/**
 * The peer's connection IDs, the ones we send to (RFC 9000 §5.1.1, §19.15): those
 * it issued, retirement on Retire Prior To, the limit we advertised, and
 * stateless reset detection by their tokens (§10.3.1).
 */
export class PeerCids {
  readonly #active = new Map<number, IssuedCid>();
  readonly #limit: number;
  #retirePriorTo = 0;
  #current = 0;
  readonly #toRetire: number[] = [];
  #tokens: readonly Uint8Array[] | undefined;

  /** `initial` is the peer's first Source Connection ID; `limit` our active_connection_id_limit. */
  constructor(initial: Uint8Array, limit: number) {
    this.#limit = limit;
    this.#active.set(0, {
      sequenceNumber: 0,
      connectionId: initial,
      statelessResetToken: new Uint8Array(0),
    });
  }

  /** The connection ID to put in our packets' Destination Connection ID. */
  get current(): IssuedCid {
    return this.#active.get(this.#current)!;
  }

  get activeCount(): number {
    return this.#active.size;
  }

  /**
   * The stateless reset tokens of the active peer IDs. A new array whenever
   * the set changes, so an endpoint indexing them can tell by identity.
   */
  get resetTokens(): readonly Uint8Array[] {
    this.#tokens ??= [...this.#active.values()]
      .map((c) => c.statelessResetToken)
      .filter((t) => t.length === TOKEN_LENGTH);
    return this.#tokens;
  }

  /** §18.2 stateless_reset_token of the server's handshake ID (sequence 0). */
  setInitialResetToken(token: Uint8Array): void {
    const c = this.#active.get(0);
    if (c === undefined) return;
    this.#tokens = undefined;
    this.#active.set(0, { ...c, statelessResetToken: token });
  }

  /** Sequence numbers to send RETIRE_CONNECTION_ID for (and forget). */
  takeRetirements(): number[] {
    return this.#toRetire.splice(0);
  }

  onNewConnectionId(f: NewConnectionIdFrame): void {
    const existing = this.#active.get(f.sequenceNumber);
    if (existing !== undefined) {
      // §19.15: a repeated sequence number must carry the same ID and token.
      if (
        !equalBytes(existing.connectionId, f.connectionId) ||
        (existing.statelessResetToken.length > 0 &&
          !equalBytes(existing.statelessResetToken, f.statelessResetToken))
      ) {
        throw new QuicError(
          TransportError.PROTOCOL_VIOLATION,
          `sequence ${f.sequenceNumber} reused for a different connection ID`,
          0x18,
        );
      }
      return;
    }
    for (const c of this.#active.values()) {
      if (equalBytes(c.connectionId, f.connectionId)) {
        throw new QuicError(
          TransportError.PROTOCOL_VIOLATION,
          'connection ID issued twice with different sequence numbers',
          0x18,
        );
      }
    }
    if (f.sequenceNumber < this.#retirePriorTo) {
      // §19.15: already retired by an earlier Retire Prior To: retire it at once.
      this.#toRetire.push(f.sequenceNumber);
      return;
    }
    this.#tokens = undefined;
    this.#active.set(f.sequenceNumber, {
      sequenceNumber: f.sequenceNumber,
      connectionId: f.connectionId,
      statelessResetToken: f.statelessResetToken,
    });
    if (f.retirePriorTo > this.#retirePriorTo) {
      this.#retirePriorTo = f.retirePriorTo;
      for (const seq of [...this.#active.keys()]) {
        if (seq < f.retirePriorTo) {
          this.#tokens = undefined;
          this.#active.delete(seq);
          this.#toRetire.push(seq);
        }
      }
      if (!this.#active.has(this.#current)) this.#current = Math.min(...this.#active.keys());
    }
    // §5.1.1: more active IDs than our limit is a CONNECTION_ID_LIMIT_ERROR.
    if (this.#active.size > this.#limit) {
      throw new QuicError(
        TransportError.CONNECTION_ID_LIMIT_ERROR,
        `peer provided ${this.#active.size} connection IDs, over our limit of ${this.#limit}`,
        0x18,
      );
    }
  }

  /** Switches to an unused connection ID (e.g. on migration); false if none is left. */
  rotate(): boolean {
    const next = [...this.#active.keys()].filter((s) => s > this.#current).sort((a, b) => a - b)[0];
    if (next === undefined) return false;
    this.#toRetire.push(this.#current);
    this.#tokens = undefined;
    this.#active.delete(this.#current);
    this.#current = next;
    return true;
  }

  /**
   * RFC 9000 §10.3.1: a datagram whose last 16 bytes equal a stateless reset
   * token of an active peer connection ID is a stateless reset (compared in
   * constant time). Only called on datagrams that failed to decrypt.
   */
  isStatelessReset(datagram: Uint8Array): boolean {
    // §10.3: a stateless reset is at least 21 bytes (5 + 16).
    if (datagram.length < 21) return false;
    const tail = datagram.subarray(datagram.length - TOKEN_LENGTH);
    let match = false;
    for (const c of this.#active.values()) {
      if (
        c.statelessResetToken.length === TOKEN_LENGTH &&
        constantTimeEqual(c.statelessResetToken, tail)
      ) {
        match = true;
      }
    }
    return match;
  }
}

/**
 * RFC 9000 §10.3: a stateless reset: a short-header-looking datagram of random
 * bytes ending in the token, smaller than the packet that triggered it (§10.3.3)
 * and at least 21 bytes. Returns undefined when `triggerLength` is too small to
 * answer without risking a loop.
 */
export function encodeStatelessReset(
  provider: CryptoProvider,
  token: Uint8Array,
  triggerLength: number,
  maxLength = 43,
): Uint8Array | undefined {
  const length = Math.min(maxLength, triggerLength - 1);
  if (length < 21) return undefined;
  const out = provider.randomBytes(length);
  // §10.3: first bits 01 (a short header with the fixed bit set).
  out[0] = (out[0]! & 0x3f) | 0x40;
  out.set(token, length - TOKEN_LENGTH);
  return out;
}
