import { DecodeError, EncodeError } from '@x/wire';
import { u16, u32 } from './rtcp/bytes.js';

/** An RTP header extension as carried (RFC 3550 §5.3.1): 16-bit profile and its data words. */
export interface RtpHeaderExtension {
  /** 0xBEDE for RFC 8285 one-byte elements, 0x100X for two-byte elements. */
  readonly profile: number;
  /** The extension data, a multiple of 4 bytes. */
  readonly data: Uint8Array;
}

/** The fixed RTP header with its CSRC list and extension (RFC 3550 §5.1). */
export interface RtpHeader {
  readonly padding: boolean;
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  readonly extension?: RtpHeaderExtension;
}

export interface RtpPacket {
  readonly header: RtpHeader;
  /** Bytes of the fixed header, CSRC list and extension. */
  readonly headerLength: number;
  /** The payload without padding (a view into the input). */
  readonly payload: Uint8Array;
  /** Padding octets at the end, including the count octet (0 when P is clear). */
  readonly paddingLength: number;
}

/**
 * Parses an RTP packet (RFC 3550 §5.1, the validity checks of Appendix A.1 that
 * do not need session state: version 2, CSRC list, extension and padding
 * within the packet). Raises DecodeError on anything else.
 */
export function parseRtpPacket(bytes: Uint8Array): RtpPacket {
  if (bytes.length < 12) throw new DecodeError('RTP fixed header (12 bytes)', bytes.length);
  const b0 = bytes[0]!;
  if (b0 >>> 6 !== 2) throw new DecodeError('RTP version 2', 0, `RTP version ${b0 >>> 6}`);
  const cc = b0 & 0x0f;
  let at = 12;
  if (at + 4 * cc > bytes.length) throw new DecodeError(`${cc} CSRC identifiers`, at);
  const csrcs: number[] = [];
  for (let i = 0; i < cc; i++, at += 4) csrcs.push(u32(bytes, at));
  let extension: RtpHeaderExtension | undefined;
  if ((b0 & 0x10) !== 0) {
    if (at + 4 > bytes.length) throw new DecodeError('RTP header extension header', at);
    const words = u16(bytes, at + 2);
    if (at + 4 + 4 * words > bytes.length)
      throw new DecodeError(`${words} extension words`, at + 4);
    extension = { profile: u16(bytes, at), data: bytes.subarray(at + 4, at + 4 + 4 * words) };
    at += 4 + 4 * words;
  }
  let paddingLength = 0;
  const padding = (b0 & 0x20) !== 0;
  if (padding) {
    paddingLength = bytes[bytes.length - 1]!;
    // §5.1: the last octet counts itself, so zero is invalid (Appendix A.1).
    if (paddingLength === 0 || at + paddingLength > bytes.length) {
      throw new DecodeError('RTP padding within the packet', bytes.length - 1);
    }
  }
  const header: RtpHeader = {
    padding,
    marker: (bytes[1]! & 0x80) !== 0,
    payloadType: bytes[1]! & 0x7f,
    sequenceNumber: u16(bytes, 2),
    timestamp: u32(bytes, 4),
    ssrc: u32(bytes, 8),
    csrcs,
    ...(extension === undefined ? {} : { extension }),
  };
  return {
    header,
    headerLength: at,
    payload: bytes.subarray(at, bytes.length - paddingLength),
    paddingLength,
  };
}

/** Length of the header serializeRtpPacket writes for `header`. */
export function rtpHeaderSize(header: RtpHeader): number {
  return 12 + 4 * header.csrcs.length + (header.extension ? 4 + header.extension.data.length : 0);
}

/**
 * Writes an RTP packet. `paddingLength` (including the count octet, 1..255)
 * sets P and appends zero octets and the count (RFC 3550 §5.1).
 */
export function serializeRtpPacket(
  header: RtpHeader,
  payload: Uint8Array,
  paddingLength = 0,
): Uint8Array {
  if (header.csrcs.length > 15) throw new EncodeError('at most 15 CSRC identifiers');
  if (header.payloadType < 0 || header.payloadType > 127)
    throw new EncodeError('payload type is 7 bits');
  if (!Number.isInteger(paddingLength) || paddingLength < 0 || paddingLength > 255) {
    throw new EncodeError('padding is 0..255 octets');
  }
  const ext = header.extension;
  if (ext && (ext.data.length % 4 !== 0 || ext.data.length > 4 * 0xffff)) {
    throw new EncodeError('extension data must be whole 32-bit words');
  }
  const hl = rtpHeaderSize(header);
  const out = new Uint8Array(hl + payload.length + paddingLength);
  out[0] = 0x80 | (paddingLength > 0 ? 0x20 : 0) | (ext ? 0x10 : 0) | header.csrcs.length;
  out[1] = (header.marker ? 0x80 : 0) | header.payloadType;
  const dv = new DataView(out.buffer);
  dv.setUint16(2, header.sequenceNumber & 0xffff);
  dv.setUint32(4, header.timestamp >>> 0);
  dv.setUint32(8, header.ssrc >>> 0);
  let at = 12;
  for (const c of header.csrcs) {
    dv.setUint32(at, c >>> 0);
    at += 4;
  }
  if (ext) {
    dv.setUint16(at, ext.profile & 0xffff);
    dv.setUint16(at + 2, ext.data.length / 4);
    out.set(ext.data, at + 4);
    at += 4 + ext.data.length;
  }
  out.set(payload, at);
  if (paddingLength > 0) out[out.length - 1] = paddingLength;
  return out;
}
