import { concatBytes, DecodeError, EncodeError } from '@x/wire';
import { byeBodySize, parseBye, writeBye } from './bye.js';
import { Out, u16 } from './bytes.js';
import { parsePayloadFeedback, parseRtpFeedback } from './feedback.js';
import {
  parseReceiverReport,
  parseSenderReport,
  REPORT_BLOCK_SIZE,
  writeReportBlocks,
} from './report.js';
import { parseSdes, sdesChunkSize, writeSdes } from './sdes.js';
import { RTCP_PT, type RtcpPacket } from './types.js';

/**
 * Parses a compound RTCP packet (RFC 3550 §6.1) into its packets. Each packet
 * must be version 2 and lie within the datagram; padding (P) is honoured on
 * any packet. Raises DecodeError (with the byte offset) on anything malformed.
 */
export function parseRtcpCompound(bytes: Uint8Array): RtcpPacket[] {
  if (bytes.length < 4) throw new DecodeError('RTCP header', bytes.length);
  const out: RtcpPacket[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 4 > bytes.length) throw new DecodeError('RTCP header', at);
    const b0 = bytes[at]!;
    if (b0 >>> 6 !== 2) throw new DecodeError('RTCP version 2', at, `RTCP version ${b0 >>> 6}`);
    const length = (u16(bytes, at + 2) + 1) * 4;
    if (at + length > bytes.length) throw new DecodeError(`${length}-byte RTCP packet`, at);
    let end = at + length;
    if (b0 & 0x20) {
      const pad = bytes[end - 1]!;
      if (pad === 0 || pad > length - 4)
        throw new DecodeError('RTCP padding within the packet', end - 1);
      end -= pad;
    }
    out.push(parseOne(bytes.subarray(at + 4, end), bytes[at + 1]!, b0 & 0x1f, at + 4));
    at += length;
  }
  return out;
}

function parseOne(body: Uint8Array, pt: number, count: number, base: number): RtcpPacket {
  switch (pt) {
    case RTCP_PT.SR:
      return parseSenderReport(body, count, base);
    case RTCP_PT.RR:
      return parseReceiverReport(body, count, base);
    case RTCP_PT.SDES:
      return parseSdes(body, count, base);
    case RTCP_PT.BYE:
      return parseBye(body, count, base);
    case RTCP_PT.RTPFB:
      return parseRtpFeedback(body, count, base);
    case RTCP_PT.PSFB:
      return parsePayloadFeedback(body, count, base);
    default:
      return { type: 'other', packetType: pt, count, body };
  }
}

function bodySize(p: RtcpPacket): number {
  switch (p.type) {
    case 'sr':
      return 24 + REPORT_BLOCK_SIZE * p.reports.length + p.profileExtension.length;
    case 'rr':
      return 4 + REPORT_BLOCK_SIZE * p.reports.length + p.profileExtension.length;
    case 'sdes':
      return p.chunks.reduce((n, c) => n + sdesChunkSize(c), 0);
    case 'bye':
      return byeBodySize(p);
    case 'rtpfb':
    case 'psfb':
      return 8 + p.fci.length;
    case 'other':
      return p.body.length;
  }
}

function header(p: RtcpPacket): { pt: number; count: number } {
  switch (p.type) {
    case 'sr':
      return { pt: RTCP_PT.SR, count: p.reports.length };
    case 'rr':
      return { pt: RTCP_PT.RR, count: p.reports.length };
    case 'sdes':
      return { pt: RTCP_PT.SDES, count: p.chunks.length };
    case 'bye':
      return { pt: RTCP_PT.BYE, count: p.ssrcs.length };
    case 'rtpfb':
      return { pt: RTCP_PT.RTPFB, count: p.fmt };
    case 'psfb':
      return { pt: RTCP_PT.PSFB, count: p.fmt };
    case 'other':
      return { pt: p.packetType, count: p.count };
  }
}

/** Writes one RTCP packet; its body must be a whole number of 32-bit words. */
export function serializeRtcpPacket(p: RtcpPacket): Uint8Array {
  const size = 4 + bodySize(p);
  const { pt, count } = header(p);
  if (count > 31) throw new EncodeError('RTCP count / FMT is 5 bits');
  if (size % 4 !== 0 || size / 4 - 1 > 0xffff) {
    throw new EncodeError('RTCP packet must be whole 32-bit words, at most 2^16 of them');
  }
  const w = new Out(size);
  w.u8(0x80 | count)
    .u8(pt)
    .u16(size / 4 - 1);
  switch (p.type) {
    case 'sr':
      w.u32(p.ssrc)
        .u32(Number(p.ntpTimestamp >> 32n) >>> 0)
        .u32(Number(p.ntpTimestamp & 0xffffffffn) >>> 0)
        .u32(p.rtpTimestamp)
        .u32(p.packetCount)
        .u32(p.octetCount);
      writeReportBlocks(w, p.reports);
      w.raw(p.profileExtension);
      break;
    case 'rr':
      w.u32(p.ssrc);
      writeReportBlocks(w, p.reports);
      w.raw(p.profileExtension);
      break;
    case 'sdes':
      writeSdes(w, p.chunks);
      break;
    case 'bye':
      writeBye(w, p);
      break;
    case 'rtpfb':
    case 'psfb':
      w.u32(p.senderSsrc).u32(p.mediaSsrc).raw(p.fci);
      break;
    case 'other':
      w.raw(p.body);
      break;
  }
  return w.bytes;
}

/** Writes a compound RTCP packet (RFC 3550 §6.1: it should start with an SR or RR). */
export function serializeRtcpCompound(packets: readonly RtcpPacket[]): Uint8Array {
  return concatBytes(...packets.map(serializeRtcpPacket));
}
