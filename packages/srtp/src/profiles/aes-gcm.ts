import type { Aead, CryptoProvider, SrtpProfile } from '@x/crypto';
import type { SessionKeys } from '../kdf.js';
import { copyBytes, writeU32 } from './bytes.js';
import type { SrtpCipher, SrtpCipherOptions, SrtpTransform } from './transform.js';

/**
 * RFC 7714 §8.1 (SRTP) and §9.1 (SRTCP): the 12-byte IV is the session salt
 * XOR (0x0000 || SSRC || ROC || SEQ), or XOR (0x0000 || SSRC || 0x0000 || 0 || index).
 */
export function gcmIv(
  salt: Uint8Array,
  ssrc: number,
  high32: number,
  low16: number,
  out: Uint8Array,
): void {
  out.set(salt, 0);
  out[2]! ^= ssrc >>> 24;
  out[3]! ^= ssrc >>> 16;
  out[4]! ^= ssrc >>> 8;
  out[5]! ^= ssrc & 0xff;
  out[6]! ^= high32 >>> 24;
  out[7]! ^= high32 >>> 16;
  out[8]! ^= high32 >>> 8;
  out[9]! ^= high32 & 0xff;
  out[10]! ^= low16 >>> 8;
  out[11]! ^= low16 & 0xff;
}

/**
 * AEAD_AES_128_GCM / AEAD_AES_256_GCM (RFC 7714). Layouts:
 *   SRTP:  header (AAD) | cipher incl. tag | [MKI]                 (§8.2)
 *   SRTCP: header(8) | cipher incl. tag | E|index | [MKI]          (§9.2, AAD = header || E|index)
 * Authentication only puts the whole packet in the AAD (§16.1.3, §17.3).
 */
class AesGcmCipher implements SrtpCipher {
  readonly rtpOverhead: number;
  readonly rtcpOverhead: number;
  readonly rtpMkiFromEnd: number;
  readonly rtcpMkiFromEnd: number;
  readonly esrtcpFromEnd: number;
  readonly #aead: Aead;
  readonly #salt: Uint8Array;
  readonly #tag: number;
  readonly #mki: Uint8Array;
  readonly #encrypt: boolean;
  readonly #iv = new Uint8Array(12);
  readonly #rtcpAad = new Uint8Array(12);
  readonly #empty = new Uint8Array(0);

  constructor(p: CryptoProvider, profile: SrtpProfile, keys: SessionKeys, o: SrtpCipherOptions) {
    if (profile.aead === undefined) throw new TypeError(`${profile.name} has no AEAD`);
    this.#aead = profile.aead.create(p, keys.encryptionKey);
    this.#salt = keys.salt;
    this.#tag = this.#aead.tagLength;
    this.#mki = o.mki;
    this.#encrypt = o.encrypt;
    this.rtpOverhead = this.#tag + o.mki.length;
    this.rtcpOverhead = this.#tag + 4 + o.mki.length;
    this.rtpMkiFromEnd = o.mki.length;
    this.rtcpMkiFromEnd = o.mki.length;
    this.esrtcpFromEnd = 4 + o.mki.length;
  }

  #sealInto(plaintext: Uint8Array, aad: Uint8Array, out: Uint8Array, at: number): void {
    const aead = this.#aead;
    if (aead.sealInto !== undefined) aead.sealInto(this.#iv, plaintext, aad, out, at);
    else out.set(aead.seal(this.#iv, plaintext, aad), at);
  }

  protectRtp(
    packet: Uint8Array,
    hl: number,
    out: Uint8Array,
    ssrc: number,
    roc: number,
    seq: number,
  ): number {
    gcmIv(this.#salt, ssrc, roc, seq, this.#iv);
    const n = packet.length;
    if (this.#encrypt) {
      // Sealed straight into the output after the header (the header is the AAD, §8.2).
      this.#sealInto(packet.subarray(hl), packet.subarray(0, hl), out, hl);
      copyBytes(packet, 0, out, 0, hl);
    } else {
      if (out !== packet) out.set(packet, 0);
      this.#sealInto(this.#empty, out.subarray(0, n), out, n);
    }
    out.set(this.#mki, n + this.#tag);
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
    gcmIv(this.#salt, ssrc, roc, seq, this.#iv);
    const end = packet.length - this.#mki.length;
    if (this.#encrypt) {
      const plain = this.#aead.open(this.#iv, packet.subarray(hl, end), packet.subarray(0, hl));
      if (plain === null) return -1;
      copyBytes(packet, 0, out, 0, hl);
      out.set(plain, hl);
      return hl + plain.length;
    }
    const body = end - this.#tag;
    const ok = this.#aead.open(this.#iv, packet.subarray(body, end), packet.subarray(0, body));
    if (ok === null) return -1;
    if (out !== packet) out.set(packet.subarray(0, body), 0);
    return body;
  }

  protectRtcp(packet: Uint8Array, out: Uint8Array, ssrc: number, index: number): number {
    // §9.1: 0x0000 || SSRC || 0x0000 || 0 || index (31 bits), split as gcmIv's fields.
    gcmIv(this.#salt, ssrc, index >>> 16, index & 0xffff, this.#iv);
    const n = packet.length;
    const word = (this.#encrypt ? 0x80000000 : 0) | index;
    let at: number;
    if (this.#encrypt) {
      const aad = this.#rtcpAad;
      aad.set(packet.subarray(0, 8), 0);
      writeU32(aad, 8, word);
      const sealed = this.#aead.seal(this.#iv, packet.subarray(8), aad);
      out.set(packet.subarray(0, 8), 0);
      out.set(sealed, 8);
      at = 8 + sealed.length;
    } else {
      // §17.3: AAD is the whole packet followed by the ESRTCP word.
      const aad = new Uint8Array(n + 4);
      aad.set(packet, 0);
      writeU32(aad, n, word);
      const tag = this.#aead.seal(this.#iv, this.#empty, aad);
      out.set(packet, 0);
      out.set(tag, n);
      at = n + tag.length;
    }
    writeU32(out, at, word);
    out.set(this.#mki, at + 4);
    return at + 4 + this.#mki.length;
  }

  unprotectRtcp(
    packet: Uint8Array,
    out: Uint8Array,
    ssrc: number,
    index: number,
    encrypted: boolean,
    esrtcp: number,
  ): number {
    // §9.1: 0x0000 || SSRC || 0x0000 || 0 || index (31 bits), split as gcmIv's fields.
    gcmIv(this.#salt, ssrc, index >>> 16, index & 0xffff, this.#iv);
    if (encrypted) {
      const aad = this.#rtcpAad;
      aad.set(packet.subarray(0, 8), 0);
      aad.set(packet.subarray(esrtcp, esrtcp + 4), 8);
      const plain = this.#aead.open(this.#iv, packet.subarray(8, esrtcp), aad);
      if (plain === null) return -1;
      out.set(packet.subarray(0, 8), 0);
      out.set(plain, 8);
      return 8 + plain.length;
    }
    const body = esrtcp - this.#tag;
    if (body < 8) return -1;
    const aad = new Uint8Array(body + 4);
    aad.set(packet.subarray(0, body), 0);
    aad.set(packet.subarray(esrtcp, esrtcp + 4), body);
    if (this.#aead.open(this.#iv, packet.subarray(body, esrtcp), aad) === null) return -1;
    if (out !== packet) out.set(packet.subarray(0, body), 0);
    return body;
  }
}

export const aesGcmTransform: SrtpTransform = {
  sessionKeyLengths: (profile) => ({ key: profile.masterKeyLength, salt: 12, auth: 0 }),
  create: (provider, profile, keys, options) => new AesGcmCipher(provider, profile, keys, options),
};
