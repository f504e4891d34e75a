/**
 * Ogg (RFC 3533) pages carrying Opus (RFC 7845): an identification header
 * page (OpusHead, BOS), a comment header page (OpusTags), then audio pages
 * whose granule position counts 48 kHz samples.
 */

/** RFC 3533 §6: CRC-32 with polynomial 0x04c11db7, not reflected, initial 0. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

export function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  return crc;
}

export const OGG_BOS = 0x02;
export const OGG_EOS = 0x04;

/** One page holding one packet (we never need more than 255 lacing values: packets < 65025 bytes). */
export function oggPage(
  packet: Uint8Array,
  granule: bigint,
  serial: number,
  sequence: number,
  flags: number,
): Uint8Array {
  const lacing: number[] = [];
  let n = packet.length;
  while (n >= 255) {
    lacing.push(255);
    n -= 255;
  }
  lacing.push(n);
  const page = new Uint8Array(27 + lacing.length + packet.length);
  const v = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53]); // OggS
  page[4] = 0;
  page[5] = flags;
  v.setBigInt64(6, granule, true);
  v.setUint32(14, serial, true);
  v.setUint32(18, sequence, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  page.set(packet, 27 + lacing.length);
  v.setUint32(22, oggCrc(page), true);
  return page;
}

/** RFC 7845 §5.1: OpusHead for stereo at 48 kHz, pre-skip 3840 (80 ms, as libopus encoders use). */
export function opusHead(channels = 2, preSkip = 3840): Uint8Array {
  const b = new Uint8Array(19);
  const v = new DataView(b.buffer);
  b.set(new TextEncoder().encode('OpusHead'));
  b[8] = 1;
  b[9] = channels;
  v.setUint16(10, preSkip, true);
  v.setUint32(12, 48000, true);
  v.setInt16(16, 0, true);
  b[18] = 0;
  return b;
}

/** RFC 7845 §5.2: OpusTags with a vendor string and no comments. */
export function opusTags(vendor = 'webrtc-peer'): Uint8Array {
  const vend = new TextEncoder().encode(vendor);
  const b = new Uint8Array(8 + 4 + vend.length + 4);
  const v = new DataView(b.buffer);
  b.set(new TextEncoder().encode('OpusTags'));
  v.setUint32(8, vend.length, true);
  b.set(vend, 12);
  v.setUint32(12 + vend.length, 0, true);
  return b;
}

/** RFC 6716 §3.1: samples at 48 kHz in one Opus packet, from its TOC byte (0 if unreadable). */
export function opusPacketSamples(packet: Uint8Array): number {
  if (packet.length < 1) return 0;
  const toc = packet[0]!;
  const config = toc >> 3;
  let per: number; // samples per frame at 48 kHz
  if (config < 12) per = [480, 960, 1920, 2880][config & 3]!;
  else if (config < 16) per = [480, 960][config & 1]!;
  else per = [120, 240, 480, 960][config & 3]!;
  const c = toc & 3;
  const frames = c === 0 ? 1 : c === 3 ? (packet.length < 2 ? 0 : packet[1]! & 0x3f) : 2;
  return per * frames;
}
