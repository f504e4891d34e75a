import type { Reader, Writer } from '@x/wire';
import { FrameType, malformed } from './common.js';

/** An inclusive range of acknowledged packet numbers. */
export interface AckRange {
  readonly smallest: number;
  readonly largest: number;
}

/** RFC 9000 §19.3.2: ECN counts of an ACK frame of type 0x03. */
export interface EcnCounts {
  readonly ect0: number;
  readonly ect1: number;
  readonly ce: number;
}

/**
 * RFC 9000 §19.3. `ranges` are in descending order, the first holding the
 * Largest Acknowledged; `ackDelay` is the encoded value (microseconds shifted
 * right by the sender's ack_delay_exponent, §19.3).
 */
export interface AckFrame {
  readonly type: 'ack';
  readonly ackDelay: number;
  readonly ranges: readonly AckRange[];
  readonly ecn?: EcnCounts;
}

/**
 * RFC 9000 §19.3: the ACK Delay field in milliseconds: field * 2^ack_delay_exponent
 * microseconds, with the sender's exponent (3 unless its transport parameters say).
 */
export function ackDelayMillis(f: AckFrame, ackDelayExponent: number): number {
  return (f.ackDelay * 2 ** ackDelayExponent) / 1000;
}

export function decodeAck(r: Reader, frameType: number): AckFrame {
  const largest = r.varint('Largest Acknowledged');
  const ackDelay = r.varint('ACK Delay');
  const count = r.varint('ACK Range Count');
  const firstRange = r.varint('First ACK Range');
  // §19.3.1: "If any computed packet number is negative, an endpoint MUST
  // generate a connection error of type FRAME_ENCODING_ERROR."
  if (firstRange > largest) throw malformed(frameType, 'First ACK Range below packet 0');
  // Each further range needs at least two bytes, so a huge count fails as truncation.
  if (count > r.remaining / 2) throw malformed(frameType, `ACK Range Count ${count} too large`);
  const ranges: AckRange[] = [{ smallest: largest - firstRange, largest }];
  let smallest = largest - firstRange;
  for (let i = 0; i < count; i++) {
    const gap = r.varint('Gap');
    const length = r.varint('ACK Range Length');
    // §19.3.1: largest = previous smallest - gap - 2.
    const next = smallest - gap - 2;
    if (next < 0 || length > next) throw malformed(frameType, 'ACK range below packet 0');
    smallest = next - length;
    ranges.push({ smallest, largest: next });
  }
  if (frameType === FrameType.ACK_ECN) {
    const ect0 = r.varint('ECT0 Count');
    const ect1 = r.varint('ECT1 Count');
    const ce = r.varint('ECN-CE Count');
    return { type: 'ack', ackDelay, ranges, ecn: { ect0, ect1, ce } };
  }
  return { type: 'ack', ackDelay, ranges };
}

export function encodeAck(w: Writer, f: AckFrame): void {
  const ranges = f.ranges;
  if (ranges.length === 0) throw new RangeError('an ACK frame needs at least one range');
  const first = ranges[0]!;
  if (first.smallest > first.largest || first.smallest < 0) throw new RangeError('bad ACK range');
  w.varint(f.ecn ? FrameType.ACK_ECN : FrameType.ACK);
  w.varint(first.largest);
  w.varint(f.ackDelay);
  w.varint(ranges.length - 1);
  w.varint(first.largest - first.smallest);
  let smallest = first.smallest;
  for (let i = 1; i < ranges.length; i++) {
    const range = ranges[i]!;
    const gap = smallest - range.largest - 2;
    if (gap < 0 || range.smallest > range.largest || range.smallest < 0) {
      throw new RangeError('ACK ranges must be descending and separated by a gap');
    }
    w.varint(gap);
    w.varint(range.largest - range.smallest);
    smallest = range.smallest;
  }
  if (f.ecn) w.varint(f.ecn.ect0).varint(f.ecn.ect1).varint(f.ecn.ce);
}
