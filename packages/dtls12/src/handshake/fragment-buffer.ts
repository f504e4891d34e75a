import {
  HANDSHAKE_HEADER_LENGTH,
  type HandshakeFragment,
  writeHandshakeHeader,
} from './messages/handshake-header.js';

/** A reassembled handshake message. */
export interface HandshakeMessage {
  readonly msgType: number;
  readonly messageSeq: number;
  readonly body: Uint8Array;
}

export type FragmentVerdict =
  /** Accepted (new bytes, or a harmless duplicate of a pending message). */
  | 'accepted'
  /** message_seq below next_receive_seq: part of a flight the peer is repeating (RFC 6347 §4.2.2). */
  | 'old'
  /** Dropped: too far ahead or too long. */
  | 'dropped';

interface Partial {
  readonly msgType: number;
  readonly body: Uint8Array;
  /** One flag per body byte; `filled` counts the set ones. Overlaps simply re-set flags. */
  readonly have: Uint8Array;
  filled: number;
}

export interface FragmentBufferOptions {
  /** Largest handshake message accepted (certificate chains included). */
  readonly maxMessageLength?: number;
  /** How many message_seq values ahead of next_receive_seq are queued (RFC 6347 §4.2.2 "SHOULD queue"). */
  readonly maxAhead?: number;
}

/**
 * RFC 6347 §4.2.3 reassembly: fragments may arrive out of order, duplicated
 * or overlapping; whole messages leave strictly in message_seq order. Memory
 * per message is bounded by the length its first fragment declares, itself
 * bounded by maxMessageLength.
 */
export class FragmentBuffer {
  nextReceiveSeq = 0;
  readonly #pending = new Map<number, Partial>();
  readonly #maxLength: number;
  readonly #maxAhead: number;

  constructor(options: FragmentBufferOptions = {}) {
    this.#maxLength = options.maxMessageLength ?? 128 * 1024;
    this.#maxAhead = options.maxAhead ?? 16;
  }

  push(f: HandshakeFragment): FragmentVerdict {
    if (f.messageSeq < this.nextReceiveSeq) return 'old';
    if (f.messageSeq >= this.nextReceiveSeq + this.#maxAhead) return 'dropped';
    if (f.length > this.#maxLength) return 'dropped';
    let p = this.#pending.get(f.messageSeq);
    if (p === undefined || p.msgType !== f.msgType || p.body.length !== f.length) {
      // A fragment that contradicts a partial message: one of them is damaged or forged (epoch 0 has
      // no integrity). Start over from the newest, so the peer's retransmissions can repair it.
      p = {
        msgType: f.msgType,
        body: new Uint8Array(f.length),
        have: new Uint8Array(f.length),
        filled: 0,
      };
      this.#pending.set(f.messageSeq, p);
    }
    const end = f.fragmentOffset + f.body.length;
    p.body.set(f.body, f.fragmentOffset);
    const have = p.have;
    for (let i = f.fragmentOffset; i < end; i++) {
      if (have[i] === 0) {
        have[i] = 1;
        p.filled++;
      }
    }
    return 'accepted';
  }

  /** The next whole message in order, or undefined. */
  pop(): HandshakeMessage | undefined {
    const seq = this.nextReceiveSeq;
    const p = this.#pending.get(seq);
    if (p === undefined || p.filled !== p.body.length) return undefined;
    this.#pending.delete(seq);
    this.nextReceiveSeq = seq + 1;
    return { msgType: p.msgType, messageSeq: seq, body: p.body };
  }

  /** Forgets queued messages (e.g. after HelloVerifyRequest restarts the exchange). */
  clear(): void {
    this.#pending.clear();
  }
}

/** One fragment to put in a record: header + body slice, written on demand. */
export interface FragmentSpec {
  readonly offset: number;
  readonly length: number;
}

/**
 * RFC 6347 §4.2.3: splits a message body into fragments so that each
 * handshake header + fragment is at most `maxFragmentBytes` (header included).
 * An empty body still yields one (empty) fragment.
 */
export function planFragments(bodyLength: number, maxFragmentBytes: number): FragmentSpec[] {
  const room = maxFragmentBytes - HANDSHAKE_HEADER_LENGTH;
  if (room < 1)
    throw new RangeError(`fragment room ${maxFragmentBytes} too small for a handshake header`);
  if (bodyLength === 0) return [{ offset: 0, length: 0 }];
  const out: FragmentSpec[] = [];
  for (let o = 0; o < bodyLength; o += room)
    out.push({ offset: o, length: Math.min(room, bodyLength - o) });
  return out;
}

/** Header + body[offset, offset+length) as one fragment's bytes. */
export function encodeFragment(
  msgType: number,
  messageSeq: number,
  body: Uint8Array,
  offset: number,
  length: number,
): Uint8Array {
  const out = new Uint8Array(HANDSHAKE_HEADER_LENGTH + length);
  writeHandshakeHeader(out, 0, msgType, body.length, messageSeq, offset, length);
  out.set(body.subarray(offset, offset + length), HANDSHAKE_HEADER_LENGTH);
  return out;
}
