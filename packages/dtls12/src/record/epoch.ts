import type { RecordProtector } from '@x/crypto';
import { ReplayWindow } from './replay-window.js';

/** RFC 6347 §4.1: 48-bit record sequence numbers; a connection must not wrap one. */
export const MAX_SEQUENCE_NUMBER = 2 ** 48 - 1;

/**
 * One direction-pair of one epoch: the protectors (absent for epoch 0, which is
 * unprotected), the next write sequence number and the read replay window.
 */
export class Epoch {
  readonly epoch: number;
  readonly reader: RecordProtector | undefined;
  readonly writer: RecordProtector | undefined;
  readonly replay = new ReplayWindow();
  nextSequence = 0;

  constructor(epoch: number, reader?: RecordProtector, writer?: RecordProtector) {
    this.epoch = epoch;
    this.reader = reader;
    this.writer = writer;
  }

  /** The next write sequence number; throws past 2^48-1 (RFC 6347 §4.1: must rekey, we renegotiate never). */
  takeSequence(): number {
    const s = this.nextSequence;
    if (s > MAX_SEQUENCE_NUMBER) throw new RangeError('DTLS sequence number space exhausted');
    this.nextSequence = s + 1;
    return s;
  }
}

/**
 * RFC 6347 §4.1.2.1 with RFC 5246 §6.2.3.3: the AEAD additional data is
 * epoch(2) || sequence_number(6) || type(1) || version(2) || length(2), where
 * length is the plaintext length. Written into `out` (13 bytes, reused).
 */
export function writeAdditionalData(
  out: Uint8Array,
  epoch: number,
  sequenceNumber: number,
  type: number,
  version: number,
  length: number,
): Uint8Array {
  out[0] = epoch >>> 8;
  out[1] = epoch & 0xff;
  const hi = Math.floor(sequenceNumber / 0x100000000);
  const lo = sequenceNumber >>> 0;
  out[2] = hi >>> 8;
  out[3] = hi & 0xff;
  out[4] = lo >>> 24;
  out[5] = (lo >>> 16) & 0xff;
  out[6] = (lo >>> 8) & 0xff;
  out[7] = lo & 0xff;
  out[8] = type;
  out[9] = version >>> 8;
  out[10] = version & 0xff;
  out[11] = length >>> 8;
  out[12] = length & 0xff;
  return out;
}

/** RFC 7905 §2 for DTLS: the 64-bit "sequence number" in the nonce is epoch || sequence_number. */
export function nonceSequence(epoch: number, sequenceNumber: number): number {
  return epoch * 2 ** 48 + sequenceNumber;
}
