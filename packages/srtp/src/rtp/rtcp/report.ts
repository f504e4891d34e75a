import { EncodeError } from '@x/wire';
import { need, type Out, u24, u32 } from './bytes.js';
import type { ReceiverReport, ReportBlock, SenderReport } from './types.js';

/** RFC 3550 §6.4.1: 24 bytes per report block. */
export const REPORT_BLOCK_SIZE = 24;

export function parseReportBlocks(
  body: Uint8Array,
  at: number,
  count: number,
  base: number,
): ReportBlock[] {
  need(body, at, count * REPORT_BLOCK_SIZE, `${count} report blocks`, base);
  const out: ReportBlock[] = [];
  for (let i = 0; i < count; i++, at += REPORT_BLOCK_SIZE) {
    const lost = u24(body, at + 5);
    out.push({
      ssrc: u32(body, at),
      fractionLost: body[at + 4]!,
      packetsLost: lost & 0x800000 ? lost - 0x1000000 : lost,
      highestSequence: u32(body, at + 8),
      jitter: u32(body, at + 12),
      lastSenderReport: u32(body, at + 16),
      delaySinceLastSenderReport: u32(body, at + 20),
    });
  }
  return out;
}

export function writeReportBlocks(w: Out, blocks: readonly ReportBlock[]): void {
  for (const b of blocks) {
    if (b.packetsLost < -0x800000 || b.packetsLost > 0x7fffff) {
      throw new EncodeError('cumulative packets lost is a signed 24-bit value');
    }
    w.u32(b.ssrc)
      .u8(b.fractionLost)
      .u24(b.packetsLost & 0xffffff)
      .u32(b.highestSequence)
      .u32(b.jitter)
      .u32(b.lastSenderReport)
      .u32(b.delaySinceLastSenderReport);
  }
}

/** SR body after the common header (RFC 3550 §6.4.1). */
export function parseSenderReport(body: Uint8Array, count: number, base: number): SenderReport {
  need(body, 0, 24, 'sender info', base);
  const reports = parseReportBlocks(body, 24, count, base);
  return {
    type: 'sr',
    ssrc: u32(body, 0),
    ntpTimestamp: (BigInt(u32(body, 4)) << 32n) | BigInt(u32(body, 8)),
    rtpTimestamp: u32(body, 12),
    packetCount: u32(body, 16),
    octetCount: u32(body, 20),
    reports,
    profileExtension: body.subarray(24 + count * REPORT_BLOCK_SIZE),
  };
}

/** RR body after the common header (RFC 3550 §6.4.2). */
export function parseReceiverReport(body: Uint8Array, count: number, base: number): ReceiverReport {
  need(body, 0, 4, 'reporter SSRC', base);
  const reports = parseReportBlocks(body, 4, count, base);
  return {
    type: 'rr',
    ssrc: u32(body, 0),
    reports,
    profileExtension: body.subarray(4 + count * REPORT_BLOCK_SIZE),
  };
}
