/**
 * Interop with libsrtp 2 (Debian libsrtp2-dev) through tooling/libsrtp-harness:
 * libsrtp protects, we unprotect, and the reverse, for every profile, across a
 * sequence-number wrap with reordering around it, and for SRTCP.
 */
import { randomBytes } from 'node:crypto';
import { getCipherSuite } from '@x/crypto';
import { fromHex, toHex } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { SrtpError } from '../errors.js';
import { serializeHeaderExtensions } from '../rtp/extensions.js';
import { serializeRtpPacket } from '../rtp/header.js';
import { LIBSRTP_STATUS, runLibsrtp } from '../test-support/libsrtp.js';
import { SrtcpContext } from './srtcp-context.js';
import { SrtpContext } from './srtp-context.js';

const SSRC_A = 0xcafe0001;
const SSRC_B = 0x0badf00d;

/** Sequence numbers in send order: across the wrap, with one late packet from before it. */
const ORDER: [number, number][] = [
  [SSRC_A, 65530],
  [SSRC_A, 65531],
  [SSRC_B, 100],
  [SSRC_A, 65532],
  [SSRC_A, 65534],
  [SSRC_A, 65535],
  [SSRC_A, 0],
  [SSRC_A, 65533], // reordered: belongs to ROC 0 although s_l is now 0 with ROC 1
  [SSRC_B, 101],
  [SSRC_A, 1],
  [SSRC_A, 2],
  [SSRC_A, 5],
  [SSRC_A, 3],
];

function rtpPackets(): Uint8Array[] {
  return ORDER.map(([ssrc, seq], i) =>
    serializeRtpPacket(
      {
        padding: false,
        marker: i % 3 === 0,
        payloadType: 96 + (i % 4),
        sequenceNumber: seq,
        timestamp: 90000 + i * 3000,
        ssrc,
        csrcs: i % 4 === 1 ? [0x11111111, 0x22222222] : [],
        ...(i % 2 === 0
          ? {
              extension: serializeHeaderExtensions([
                { id: 1, data: Uint8Array.of(0x10 + i) },
                { id: 3, data: randomBytes(3) },
              ]),
            }
          : {}),
      },
      randomBytes([1200, 0, 1, 160, 17][i % 5]!),
    ),
  );
}

/** A compound RTCP packet: SR with one report block, then SDES with a CNAME. */
function rtcpCompound(ssrc: number, n: number): Uint8Array {
  const sr = new Uint8Array(52);
  const dv = new DataView(sr.buffer);
  sr[0] = 0x81;
  sr[1] = 200;
  dv.setUint16(2, 52 / 4 - 1);
  dv.setUint32(4, ssrc);
  sr.set(randomBytes(20), 8); // NTP, RTP timestamp, counts
  dv.setUint32(28, SSRC_B);
  sr.set(randomBytes(20), 32);
  const cname = new TextEncoder().encode(`user${n}@host`);
  const itemLen = 2 + cname.length + 1;
  const sdesLen = 8 + Math.ceil(itemLen / 4) * 4;
  const sdes = new Uint8Array(sdesLen);
  sdes[0] = 0x81;
  sdes[1] = 202;
  new DataView(sdes.buffer).setUint16(2, sdesLen / 4 - 1);
  new DataView(sdes.buffer).setUint32(4, ssrc);
  sdes[8] = 1;
  sdes[9] = cname.length;
  sdes.set(cname, 10);
  const out = new Uint8Array(sr.length + sdes.length);
  out.set(sr);
  out.set(sdes, sr.length);
  return out;
}

function reason(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SrtpError) return e.reason;
    throw e;
  }
  return 'ok';
}

const PROFILES = [1, 2, 7, 8] as const;

describe.each(PROFILES)('libsrtp interop, profile %i', (id) => {
  const profile = getCipherSuite('srtp', id)!;
  const masterKey = randomBytes(profile.masterKeyLength);
  const masterSalt = randomBytes(profile.masterSaltLength);
  const opts = { profile: id, masterKey, masterSalt };
  const keyHex = toHex(masterKey);
  const saltHex = toHex(masterSalt);

  it(`${profile.name}: libsrtp protects, we unprotect, across the sequence wrap`, () => {
    const packets = rtpPackets();
    const theirs = runLibsrtp('protect', id, keyHex, saltHex, packets.map(toHex));
    expect(theirs).toHaveLength(packets.length);
    const rx = new SrtpContext(opts);
    theirs.forEach((line, i) => {
      const srtp = fromHex(line);
      expect(srtp.length).toBe(packets[i]!.length + profile.srtpTagLength);
      expect(toHex(rx.unprotect(srtp))).toBe(toHex(packets[i]!));
    });
    expect(rx.roc(SSRC_A)).toBe(1);
    expect(rx.roc(SSRC_B)).toBe(0);
    // A replayed and a tampered libsrtp packet are refused, and leave state alone.
    expect(reason(() => rx.unprotect(fromHex(theirs[3]!)))).toBe('replay');
    const tampered = fromHex(theirs[4]!);
    tampered[20]! ^= 1;
    const fresh = new SrtpContext(opts);
    expect(reason(() => fresh.unprotect(tampered))).toBe('auth');
    expect(fresh.roc(SSRC_A)).toBeUndefined();
    expect(toHex(fresh.unprotect(fromHex(theirs[4]!)))).toBe(toHex(packets[4]!));
  });

  it(`${profile.name}: we protect byte for byte as libsrtp does, and libsrtp unprotects it`, () => {
    const packets = rtpPackets();
    const tx = new SrtpContext(opts);
    const ours = packets.map((p) => toHex(tx.protect(p)));
    expect(tx.roc(SSRC_A)).toBe(1);
    expect(ours).toEqual(runLibsrtp('protect', id, keyHex, saltHex, packets.map(toHex)));
    const tampered = fromHex(ours[6]!);
    tampered[tampered.length - 1]! ^= 0x80;
    const back = runLibsrtp('unprotect', id, keyHex, saltHex, [...ours, toHex(tampered)]);
    expect(back.slice(0, packets.length)).toEqual(packets.map(toHex));
    expect(back.at(-1)).toBe(`error ${LIBSRTP_STATUS.replay_fail}`);
    const alone = runLibsrtp('unprotect', id, keyHex, saltHex, [toHex(tampered)]);
    expect(alone).toEqual([`error ${LIBSRTP_STATUS.auth_fail}`]);
  });

  it(`${profile.name}: SRTCP both ways, with the E flag and index`, () => {
    const packets = [0, 1, 2, 3].map((n) => rtcpCompound(n === 2 ? SSRC_B : SSRC_A, n));
    const theirs = runLibsrtp('protect_rtcp', id, keyHex, saltHex, packets.map(toHex));
    const rx = new SrtcpContext(opts);
    theirs.forEach((line, i) => {
      const srtcp = fromHex(line);
      expect(srtcp.length).toBe(packets[i]!.length + 4 + profile.srtcpTagLength);
      const word = new DataView(srtcp.buffer).getUint32(packets[i]!.length + (id >= 7 ? 16 : 0));
      expect(word >>> 31).toBe(1);
      expect(toHex(rx.unprotect(srtcp))).toBe(toHex(packets[i]!));
    });
    expect(reason(() => rx.unprotect(fromHex(theirs[1]!)))).toBe('replay');

    const tx = new SrtcpContext(opts);
    const ours = packets.map((p) => toHex(tx.protect(p)));
    expect(tx.nextIndex(SSRC_A)).toBe(3);
    const tampered = fromHex(ours[0]!);
    tampered[9]! ^= 2;
    const back = runLibsrtp('unprotect_rtcp', id, keyHex, saltHex, [toHex(tampered), ...ours]);
    expect(back[0]).toBe(`error ${LIBSRTP_STATUS.auth_fail}`);
    expect(back.slice(1)).toEqual(packets.map(toHex));
  });

  it(`${profile.name}: with an MKI, both ways, SRTP and SRTCP`, () => {
    const mki = Uint8Array.of(0x0a, 0x0b, 0x0c);
    const withMki = { ...opts, mki };
    const packets = rtpPackets().slice(0, 6);
    const tx = new SrtpContext(withMki);
    const ours = packets.map((p) => toHex(tx.protect(p)));
    const theirs = runLibsrtp('protect', id, keyHex, saltHex, packets.map(toHex), toHex(mki));
    expect(ours).toEqual(theirs);
    expect(runLibsrtp('unprotect', id, keyHex, saltHex, ours, toHex(mki))).toEqual(
      packets.map(toHex),
    );
    const rx = new SrtpContext(withMki);
    theirs.forEach((line, i) => {
      expect(toHex(rx.unprotect(fromHex(line)))).toBe(toHex(packets[i]!));
    });
    expect(
      reason(() =>
        new SrtpContext({ ...opts, mki: Uint8Array.of(1, 2, 3) }).unprotect(fromHex(theirs[0]!)),
      ),
    ).toBe('unknown_mki');
    const rtcp = [rtcpCompound(SSRC_A, 9), rtcpCompound(SSRC_A, 10)];
    const theirsRtcp = runLibsrtp('protect_rtcp', id, keyHex, saltHex, rtcp.map(toHex), toHex(mki));
    const rxRtcp = new SrtcpContext(withMki);
    theirsRtcp.forEach((line, i) => {
      expect(toHex(rxRtcp.unprotect(fromHex(line)))).toBe(toHex(rtcp[i]!));
    });
    const txRtcp = new SrtcpContext(withMki);
    const oursRtcp = rtcp.map((p) => toHex(txRtcp.protect(p)));
    const back = runLibsrtp('unprotect_rtcp', id, keyHex, saltHex, oursRtcp, toHex(mki));
    if (id === 2) {
      // libsrtp 2.5 looks for the SRTCP MKI using the SRTP tag length (4 here, while
      // SRTCP's is 10), so it refuses even its own packets with srtp_err_status_bad_mki.
      const own = runLibsrtp('unprotect_rtcp', id, keyHex, saltHex, theirsRtcp, toHex(mki));
      expect(own).toEqual(rtcp.map(() => `error ${LIBSRTP_STATUS.bad_mki}`));
      expect(back).toEqual(own);
    } else {
      expect(back).toEqual(rtcp.map(toHex));
    }
  });
});
