import type { CryptoProvider, Mac, SrtpProfile } from '@x/crypto';
import type { SessionKeys } from '../kdf.js';
import { AesCmKeystream } from './aes-cm-keystream.js';
import { copyBytes, tagsEqual, writeU32 } from './bytes.js';
import type { SrtpCipher, SrtpCipherOptions, SrtpTransform } from './transform.js';

/**
 * RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), with the
 * 14-byte session salt in bytes 0..13 and the 48-bit index i in bytes 8..13.
 * `hi` is the ROC (SRTP) or 0 (SRTCP), `lo16` the SEQ (SRTP), and for SRTCP the
 * 31-bit index spans bytes 10..13 (hi carries its top 16 bits).
 */
export function aesCmIv(
  salt: Uint8Array,
  ssrc: number,
  indexHigh32: number,
  indexLow16: number,
  out: Uint8Array,
): void {
  out.set(salt, 0);
  out[14] = 0;
  out[15] = 0;
  out[4]! ^= ssrc >>> 24;
  out[5]! ^= ssrc >>> 16;
  out[6]! ^= ssrc >>> 8;
  out[7]! ^= ssrc & 0xff;
  out[8]! ^= indexHigh32 >>> 24;
  out[9]! ^= indexHigh32 >>> 16;
  out[10]! ^= indexHigh32 >>> 8;
  out[11]! ^= indexHigh32 & 0xff;
  out[12]! ^= indexLow16 >>> 8;
  out[13]! ^= indexLow16 & 0xff;
}

/**
 * AES-CM encryption with HMAC-SHA1 authentication (RFC 3711 §4.1.1, §4.2.1):
 * SRTP_AES128_CM_HMAC_SHA1_80 and _32. Packet layouts (RFC 3711 §3.1, §3.4):
 *   SRTP:  header | encrypted payload | [MKI] | tag, tag over header|payload|ROC
 *   SRTCP: header(8) | encrypted | E|index | [MKI] | tag, tag over header..index
 */
class AesCmHmacCipher implements SrtpCipher {
  readonly rtpOverhead: number;
  readonly rtcpOverhead: number;
  readonly rtpMkiFromEnd: number;
  readonly rtcpMkiFromEnd: number;
  readonly esrtcpFromEnd: number;
  readonly #keystream: AesCmKeystream;
  readonly #salt: Uint8Array;
  readonly #mac: Mac;
  readonly #rtpTag: number;
  readonly #rtcpTag: number;
  readonly #mki: Uint8Array;
  readonly #encrypt: boolean;
  readonly #iv = new Uint8Array(16);
  /** The full HMAC output and the ROC word, reused for every packet. */
  readonly #tag = new Uint8Array(20);
  readonly #word = new Uint8Array(4);
  /** The last prefix view handed to the MAC, reused while the buffer and length repeat. */
  #prefixOf: Uint8Array | null = null;
  #prefix: Uint8Array = new Uint8Array(0);

  constructor(p: CryptoProvider, profile: SrtpProfile, keys: SessionKeys, o: SrtpCipherOptions) {
    this.#keystream = new AesCmKeystream(p.aesBlock(keys.encryptionKey), keys.salt);
    this.#salt = keys.salt;
    this.#mac = p.hmacKey('SHA-1', keys.authenticationKey);
    this.#rtpTag = profile.srtpTagLength;
    this.#rtcpTag = profile.srtcpTagLength;
    this.#mki = o.mki;
    this.#encrypt = o.encrypt;
    this.rtpOverhead = this.#rtpTag + o.mki.length;
    this.rtcpOverhead = 4 + this.#rtcpTag + o.mki.length;
    this.rtpMkiFromEnd = this.rtpOverhead;
    this.rtcpMkiFromEnd = this.#rtcpTag + o.mki.length;
    this.esrtcpFromEnd = this.rtcpOverhead;
  }

  /** b[0..n) without creating a view per packet when the caller reuses its buffers. */
  #head(b: Uint8Array, n: number): Uint8Array {
    if (this.#prefixOf !== b || this.#prefix.length !== n) {
      this.#prefixOf = b;
      this.#prefix = b.subarray(0, n);
    }
    return this.#prefix;
  }

  #crypt(src: Uint8Array, from: number, to: number, out: Uint8Array): void {
    if (to > from) this.#keystream.xor(this.#iv, src, from, out, to - from);
  }

  protectRtp(
    packet: Uint8Array,
    hl: number,
    out: Uint8Array,
    ssrc: number,
    roc: number,
    seq: number,
  ): number {
    const n = packet.length;
    if (this.#encrypt) {
      aesCmIv(this.#salt, ssrc, roc, seq, this.#iv);
      this.#crypt(packet, hl, n, out);
      copyBytes(packet, 0, out, 0, hl);
    } else if (out !== packet) out.set(packet, 0);
    // §4.2: the tag is HMAC(k_a, packet || ROC), truncated. The ROC goes where the
    // MKI and tag go next, so the MAC takes one contiguous input.
    if (this.rtpOverhead >= 4) {
      writeU32(out, n, roc);
      this.#mac.update(this.#head(out, n + 4)).digestInto(this.#tag, 0);
    } else {
      writeU32(this.#word, 0, roc);
      this.#mac.update(this.#head(out, n)).update(this.#word).digestInto(this.#tag, 0);
    }
    const mki = this.#mki;
    if (mki.length > 0) out.set(mki, n);
    copyBytes(this.#tag, 0, out, n + mki.length, this.#rtpTag);
    return n + this.rtpOverhead;
  }

  unprotectRtp(
    packet: Uint8Array,
    hl: number,
    out: Uint8Array,
    ssrc: number,
    roc: number,
    seq: number,
  ): number {
    const end = packet.length - this.rtpOverhead;
    writeU32(this.#word, 0, roc);
    this.#mac.update(this.#head(packet, end)).update(this.#word).digestInto(this.#tag, 0);
    // §3.3 step 5: verify before anything of the payload is used.
    if (!tagsEqual(this.#tag, 0, packet, packet.length - this.#rtpTag, this.#rtpTag)) return -1;
    if (this.#encrypt) {
      aesCmIv(this.#salt, ssrc, roc, seq, this.#iv);
      this.#crypt(packet, hl, end, out);
    } else if (out !== packet) out.set(packet.subarray(hl, end), hl);
    copyBytes(packet, 0, out, 0, hl);
    return end;
  }

  protectRtcp(packet: Uint8Array, out: Uint8Array, ssrc: number, index: number): number {
    const n = packet.length;
    if (this.#encrypt) {
      aesCmIv(this.#salt, ssrc, index >>> 16, index & 0xffff, this.#iv);
      this.#crypt(packet, 8, n, out);
      copyBytes(packet, 0, out, 0, 8);
    } else if (out !== packet) out.set(packet, 0);
    writeU32(out, n, (this.#encrypt ? 0x80000000 : 0) | index);
    this.#mac.update(this.#head(out, n + 4)).digestInto(this.#tag, 0);
    out.set(this.#mki, n + 4);
    copyBytes(this.#tag, 0, out, n + 4 + this.#mki.length, this.#rtcpTag);
    return n + this.rtcpOverhead;
  }

  unprotectRtcp(
    packet: Uint8Array,
    out: Uint8Array,
    ssrc: number,
    index: number,
    encrypted: boolean,
    esrtcp: number,
  ): number {
    this.#mac.update(this.#head(packet, esrtcp + 4)).digestInto(this.#tag, 0);
    if (!tagsEqual(this.#tag, 0, packet, packet.length - this.#rtcpTag, this.#rtcpTag)) return -1;
    if (encrypted) {
      aesCmIv(this.#salt, ssrc, index >>> 16, index & 0xffff, this.#iv);
      this.#crypt(packet, 8, esrtcp, out);
    } else if (out !== packet) out.set(packet.subarray(8, esrtcp), 8);
    copyBytes(packet, 0, out, 0, 8);
    return esrtcp;
  }
}

export const aesCmHmacSha1Transform: SrtpTransform = {
  sessionKeyLengths: (profile) => ({
    key: profile.masterKeyLength,
    salt: 14,
    auth: profile.authKeyLength ?? 20,
  }),
  create: (provider, profile, keys, options) =>
    new AesCmHmacCipher(provider, profile, keys, options),
};
