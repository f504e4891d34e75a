import { serializeRtpPacket } from '../rtp/header.js';

/** A plain RTP packet for tests: fixed PT, the given SSRC and sequence number. */
export function rtp(seq: number, ssrc = 0x11223344, payload = new Uint8Array(32).fill(seq & 0xff)) {
  return serializeRtpPacket(
    {
      padding: false,
      marker: false,
      payloadType: 96,
      sequenceNumber: seq,
      timestamp: seq * 90,
      ssrc,
      csrcs: [],
    },
    payload,
  );
}

/** A minimal RTCP receiver report from `ssrc`. */
export function rtcpRr(ssrc: number): Uint8Array {
  const b = new Uint8Array(8);
  b[0] = 0x80;
  b[1] = 201;
  b[3] = 1;
  new DataView(b.buffer).setUint32(4, ssrc);
  return b;
}
