import { DecodeError } from '@x/wire';
import { need, u16, u24, u32 } from './bytes.js';
import type { FirEntry, NackEntry, PayloadFeedback, Remb, RtpFeedback } from './types.js';

/** Feedback message types (RFC 4585 §6.2, §6.3; RFC 5104 §4.3; the REMB and transport-cc drafts). */
export const FEEDBACK_FMT = {
  NACK: 1,
  TRANSPORT_CC: 15,
  PLI: 1,
  FIR: 4,
  AFB: 15,
} as const;

const REMB_ID = [0x52, 0x45, 0x4d, 0x42]; // "REMB"

function common(body: Uint8Array, base: number) {
  need(body, 0, 8, 'feedback sender and media SSRC', base);
  return { senderSsrc: u32(body, 0), mediaSsrc: u32(body, 4), fci: body.subarray(8) };
}

/** RTPFB (PT 205): header for any FMT; NACK list and transport-cc header decoded. */
export function parseRtpFeedback(body: Uint8Array, fmt: number, base: number): RtpFeedback {
  const c = common(body, base);
  const fci = c.fci;
  if (fmt === FEEDBACK_FMT.NACK) {
    if (fci.length % 4 !== 0) throw new DecodeError('NACK FCI of whole 4-byte entries', base + 8);
    const nack: NackEntry[] = [];
    for (let at = 0; at < fci.length; at += 4) {
      nack.push({ packetId: u16(fci, at), lostBitmask: u16(fci, at + 2) });
    }
    return { type: 'rtpfb', fmt, ...c, nack };
  }
  if (fmt === FEEDBACK_FMT.TRANSPORT_CC) {
    need(fci, 0, 8, 'transport-cc header', base + 8);
    const ref = u24(fci, 4);
    return {
      type: 'rtpfb',
      fmt,
      ...c,
      transportCc: {
        baseSequence: u16(fci, 0),
        packetStatusCount: u16(fci, 2),
        referenceTime: ref & 0x800000 ? ref - 0x1000000 : ref,
        feedbackPacketCount: fci[7]!,
      },
    };
  }
  return { type: 'rtpfb', fmt, ...c };
}

/** PSFB (PT 206): PLI, FIR and REMB decoded; other FMTs kept as FCI. */
export function parsePayloadFeedback(body: Uint8Array, fmt: number, base: number): PayloadFeedback {
  const c = common(body, base);
  const fci = c.fci;
  if (fmt === FEEDBACK_FMT.PLI) return { type: 'psfb', fmt, ...c, pli: true };
  if (fmt === FEEDBACK_FMT.FIR) {
    if (fci.length % 8 !== 0) throw new DecodeError('FIR FCI of whole 8-byte entries', base + 8);
    const fir: FirEntry[] = [];
    for (let at = 0; at < fci.length; at += 8)
      fir.push({ ssrc: u32(fci, at), sequence: fci[at + 4]! });
    return { type: 'psfb', fmt, ...c, fir };
  }
  if (fmt === FEEDBACK_FMT.AFB && fci.length >= 4 && REMB_ID.every((b, i) => fci[i] === b)) {
    need(fci, 4, 4, 'REMB bitrate', base + 8);
    const n = fci[4]!;
    need(fci, 8, 4 * n, `${n} REMB SSRCs`, base + 8);
    const exp = fci[5]! >>> 2;
    const mantissa = ((fci[5]! & 3) << 16) | u16(fci, 6);
    const ssrcs: number[] = [];
    for (let i = 0; i < n; i++) ssrcs.push(u32(fci, 8 + 4 * i));
    const remb: Remb = { bitrate: mantissa * 2 ** exp, ssrcs };
    return { type: 'psfb', fmt, ...c, remb };
  }
  return { type: 'psfb', fmt, ...c };
}

/** FCI for a Generic NACK of these sequence numbers (grouped as PID + 16-bit BLP). */
export function nackFci(lost: readonly number[]): Uint8Array {
  const sorted = [...new Set(lost.map((s) => s & 0xffff))].sort((a, b) => a - b);
  const entries: NackEntry[] = [];
  for (const seq of sorted) {
    const last = entries.at(-1);
    const d = last === undefined ? -1 : (seq - last.packetId) & 0xffff;
    if (last !== undefined && d >= 1 && d <= 16) {
      entries[entries.length - 1] = { ...last, lostBitmask: last.lostBitmask | (1 << (d - 1)) };
    } else entries.push({ packetId: seq, lostBitmask: 0 });
  }
  const out = new Uint8Array(4 * entries.length);
  entries.forEach((e, i) => {
    out[4 * i] = e.packetId >>> 8;
    out[4 * i + 1] = e.packetId & 0xff;
    out[4 * i + 2] = e.lostBitmask >>> 8;
    out[4 * i + 3] = e.lostBitmask & 0xff;
  });
  return out;
}

/** The sequence numbers a NACK list reports lost. */
export function nackLostSequences(entries: readonly NackEntry[]): number[] {
  const out: number[] = [];
  for (const e of entries) {
    out.push(e.packetId);
    for (let b = 0; b < 16; b++)
      if (e.lostBitmask & (1 << b)) out.push((e.packetId + b + 1) & 0xffff);
  }
  return out;
}

/** FCI for a REMB message: bitrate as an 18-bit mantissa and 6-bit exponent. */
export function rembFci(bitrate: number, ssrcs: readonly number[]): Uint8Array {
  let exp = 0;
  let mantissa = Math.floor(bitrate);
  while (mantissa > 0x3ffff) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  const out = new Uint8Array(8 + 4 * ssrcs.length);
  out.set(REMB_ID, 0);
  out[4] = ssrcs.length;
  out[5] = (exp << 2) | (mantissa >>> 16);
  out[6] = (mantissa >>> 8) & 0xff;
  out[7] = mantissa & 0xff;
  const dv = new DataView(out.buffer);
  ssrcs.forEach((s, i) => {
    dv.setUint32(8 + 4 * i, s);
  });
  return out;
}

/** FCI for a FIR request. */
export function firFci(entries: readonly FirEntry[]): Uint8Array {
  const out = new Uint8Array(8 * entries.length);
  const dv = new DataView(out.buffer);
  entries.forEach((e, i) => {
    dv.setUint32(8 * i, e.ssrc);
    out[8 * i + 4] = e.sequence & 0xff;
  });
  return out;
}
