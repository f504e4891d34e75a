/**
 * Generated media with known payloads: the payload of packet `seq` of a
 * stream is a function of (stream, seq), so the echo can be checked byte for
 * byte without keeping copies of what was sent.
 */
import { writeU32 } from '../call/mirror.js';

export interface StreamSpec {
  readonly name: 'audio' | 'video';
  readonly ssrc: number;
  readonly payloadType: number;
  readonly payloadSize: number;
  /** Packets per second. */
  readonly rate: number;
  readonly clockRate: number;
}

export function fillPayload(out: Uint8Array, stream: number, seq: number): void {
  let x = (Math.imul(seq + 1, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  for (let i = 0; i < out.length; i++) {
    // xorshift32: cheap, and different for every (stream, seq)
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
}

/** Writes RTP packet `seq` of `spec` (RFC 3550 §5.1 fixed header, no extensions) into a new buffer. */
export function generateRtp(
  spec: StreamSpec,
  index: number,
  seq: number,
  streamId: number,
  extra: number,
): Uint8Array {
  const p = new Uint8Array(12 + spec.payloadSize + extra);
  p[0] = 0x80;
  p[1] = (index % 10 === 9 ? 0x80 : 0) | spec.payloadType; // a marker now and then
  p[2] = (seq >>> 8) & 0xff;
  p[3] = seq & 0xff;
  writeU32(p, 4, Math.floor((index * spec.clockRate) / spec.rate) >>> 0);
  writeU32(p, 8, spec.ssrc);
  fillPayload(p.subarray(12, 12 + spec.payloadSize), streamId, seq);
  return p;
}

/** True when `payload` is what `generateRtp` put in packet `seq` of stream `streamId`. */
export function checkPayload(
  payload: Uint8Array,
  streamId: number,
  seq: number,
  scratch: Uint8Array,
): boolean {
  if (payload.length > scratch.length) return false;
  const want = scratch.subarray(0, payload.length);
  fillPayload(want, streamId, seq);
  for (let i = 0; i < payload.length; i++) if (payload[i] !== want[i]) return false;
  return true;
}
