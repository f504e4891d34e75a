import { varintLength, Writer } from '@x/wire';
import { encodeFrame, type Frame, isAckEliciting } from '../frame/codec.js';
import { type LongHeaderFields, writeLongHeader, writeShortHeader } from './header.js';
import { packetNumberLength, truncatePacketNumber } from './number.js';
import type { PacketProtection } from './protection.js';

/** RFC 9000 §14.1: datagrams carrying a client Initial are padded to at least 1200 bytes. */
export const MIN_INITIAL_DATAGRAM_SIZE = 1200;

export interface BuildPacketOptions {
  /** Long header fields, or a short header's DCID and key phase. */
  readonly header:
    | LongHeaderFields
    | {
        readonly type: '1rtt';
        readonly dcid: Uint8Array;
        readonly keyPhase: 0 | 1;
        readonly spin?: 0 | 1;
      };
  readonly packetNumber: number;
  /** Largest packet number the peer acknowledged in this space (A.2), if any. */
  readonly largestAcked: number | undefined;
  readonly frames: readonly Frame[];
  readonly protection: PacketProtection;
  /** Pad with PADDING frames until the protected packet is at least this long. */
  readonly minSize?: number;
  /** Force a packet number length (tests, or to leave room for growth). */
  readonly pnLength?: 1 | 2 | 3 | 4;
}

export interface BuiltPacket {
  readonly packet: Uint8Array;
  readonly ackEliciting: boolean;
  /** RFC 9002 §2: ack-eliciting or padded packets count toward bytes in flight. */
  readonly inFlight: boolean;
}

// Scratch writers reused by every call (buildPacket copies out of them before
// returning): three fewer allocations per packet on the send path.
const BODY = new Writer(1500);
const TAIL = new Writer(1500);
const HEADER = new Writer(64);

/**
 * Encodes frames into one protected packet. Adds PADDING so that the header
 * protection sample fits (RFC 9001 §5.4.2) and the packet reaches `minSize`
 * (RFC 9000 §14.1 for Initial datagrams). Frames with data to the end of the
 * packet (STREAM or DATAGRAM without a Length) must come last; padding then
 * goes before them.
 */
export function buildPacket(o: BuildPacketOptions): BuiltPacket {
  const pnLength = o.pnLength ?? packetNumberLength(o.packetNumber, o.largestAcked);
  const tag = o.protection.aead.tagLength;
  const body = BODY;
  body.reset();
  let ackEliciting = false;
  let padded = false;
  const last = o.frames[o.frames.length - 1];
  const lastRunsToEnd =
    last !== undefined &&
    (last.type === 'stream' || last.type === 'datagram') &&
    last.explicitLength === false;
  const leading = lastRunsToEnd ? o.frames.slice(0, -1) : o.frames;
  for (const f of leading) {
    encodeFrame(body, f);
    ackEliciting ||= isAckEliciting(f);
    padded ||= f.type === 'padding';
  }
  const tail = TAIL;
  tail.reset();
  if (lastRunsToEnd) {
    encodeFrame(tail, last);
    ackEliciting = true;
  }
  const h = o.header;
  const payloadLength = () => body.length + tail.length;
  const headerLength = () => {
    if (h.type === '1rtt') return 1 + h.dcid.length + pnLength;
    const tokenLength = h.type === 'initial' ? (h.token?.length ?? 0) : 0;
    const tokenField = h.type === 'initial' ? varintLength(tokenLength) + tokenLength : 0;
    const length = pnLength + payloadLength() + tag;
    return (
      1 +
      4 +
      1 +
      h.dcid.length +
      1 +
      h.scid.length +
      tokenField +
      (length < 16384 ? 2 : 4) +
      pnLength
    );
  };
  // RFC 9001 §5.4.2: packet number + payload + tag must cover 4 + 16 bytes for the sample.
  let padding = Math.max(0, 20 - tag - pnLength - payloadLength());
  if (o.minSize !== undefined) {
    padding = Math.max(padding, o.minSize - (headerLength() + payloadLength() + tag));
  }
  if (padding > 0) {
    body.zeros(padding);
    padded = true;
  }
  // A view of the BODY scratch: protect() copies it into the packet before the next build.
  if (tail.length > 0) body.bytes(tail.finish());
  const payload = body.finish();
  const w = HEADER;
  w.reset();
  const truncated = truncatePacketNumber(o.packetNumber, pnLength);
  const pnOffset =
    h.type === '1rtt'
      ? writeShortHeader(w, h.dcid, truncated, pnLength, h.keyPhase, h.spin ?? 0)
      : writeLongHeader(w, h, truncated, pnLength, payload.length + tag);
  const packet = o.protection.protect(w.finish(), pnOffset, o.packetNumber, payload);
  return { packet, ackEliciting, inFlight: ackEliciting || padded };
}
