import {
  type BlockCipher,
  type CryptoProvider,
  createRecordProtector,
  HASH_LENGTH,
  hkdfExpandLabel,
  type RecordProtector,
  type Tls13Suite,
} from '@x/crypto';
import { EncodeError } from '@x/wire';
import { QuicError, TransportError } from '../errors.js';
import { decodePacketNumber } from './number.js';

const EMPTY = new Uint8Array(0);
const FIVE_ZEROS = new Uint8Array(5);
/** RFC 9001 §5.4.2: the sample starts 4 bytes after the Packet Number field starts. */
const SAMPLE_OFFSET = 4;
const SAMPLE_LENGTH = 16;

/** The three values RFC 9001 §5.1 derives from a secret for one direction of one level. */
export interface PacketKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  readonly hp: Uint8Array;
}

/** RFC 9001 §5.1: key, iv and hp from a traffic secret with the "quic key/iv/hp" labels. */
export function derivePacketKeys(
  provider: CryptoProvider,
  suite: Tls13Suite,
  secret: Uint8Array,
): PacketKeys {
  const keyLength = suite.aead.keyLength;
  return {
    key: hkdfExpandLabel(provider, suite.hash, secret, 'quic key', EMPTY, keyLength),
    iv: hkdfExpandLabel(provider, suite.hash, secret, 'quic iv', EMPTY, suite.aead.nonceLength),
    // §5.4.3/§5.4.4: the hp key is as long as the AEAD key (16 or 32 bytes).
    hp: hkdfExpandLabel(provider, suite.hash, secret, 'quic hp', EMPTY, keyLength),
  };
}

/**
 * Header protection (RFC 9001 §5.4): a 5-byte mask from a 16-byte sample of the
 * protected payload, with AES-ECB (§5.4.3) or raw ChaCha20 (§5.4.4) as the suite's
 * `headerProtection` says. Header-protection keys survive key updates (§6).
 */
export class HeaderProtection {
  readonly #mask: (sample: Uint8Array) => Uint8Array;

  constructor(provider: CryptoProvider, algorithm: 'aes' | 'chacha20', hp: Uint8Array) {
    if (algorithm === 'aes') {
      const block: BlockCipher = provider.aesBlock(hp);
      this.#mask = (sample) => block.encryptBlock(sample);
    } else {
      const key = hp.slice();
      // §5.4.4: counter = sample[0..3] little-endian, nonce = sample[4..15],
      // mask = ChaCha20(hp_key, counter, nonce, {0,0,0,0,0}).
      this.#mask = (sample) => {
        const counter =
          (sample[0]! | (sample[1]! << 8) | (sample[2]! << 16) | (sample[3]! << 24)) >>> 0;
        return provider.chacha20(key, counter, sample.subarray(4, 16), FIVE_ZEROS);
      };
    }
  }

  /** The mask for a 16-byte sample (at least 5 bytes long). */
  mask(sample: Uint8Array): Uint8Array {
    return this.#mask(sample);
  }
}

/** A packet whose header and payload protection were removed. */
export interface OpenedPacket {
  /** The full packet number (RFC 9000 A.3). */
  readonly packetNumber: number;
  readonly pnLength: 1 | 2 | 3 | 4;
  /** The unprotected first byte. */
  readonly firstByte: number;
  /** Short headers: the Key Phase bit (RFC 9001 §6). 0 for long headers. */
  readonly keyPhase: 0 | 1;
  /** The unprotected header, through the packet number (the AEAD's associated data). */
  readonly header: Uint8Array;
  /** The decrypted frames. */
  readonly payload: Uint8Array;
}

/** The result of removing only header protection (to choose keys by Key Phase first). */
export interface UnmaskedHeader {
  readonly packetNumber: number;
  readonly pnLength: 1 | 2 | 3 | 4;
  readonly firstByte: number;
  readonly keyPhase: 0 | 1;
  readonly header: Uint8Array;
}

/**
 * One direction of one encryption level: payload protection through @x/crypto's
 * RecordProtector (nonce = iv XOR packet number, RFC 9001 §5.3) plus header
 * protection.
 */
export class PacketProtection {
  readonly suite: Tls13Suite;
  readonly aead: RecordProtector;
  readonly headerProtection: HeaderProtection;
  readonly #provider: CryptoProvider;

  constructor(
    provider: CryptoProvider,
    suite: Tls13Suite,
    keys: { key: Uint8Array; iv: Uint8Array },
    headerProtection: HeaderProtection,
  ) {
    this.#provider = provider;
    this.suite = suite;
    this.aead = createRecordProtector(provider, suite.aead, keys.key, keys.iv);
    this.headerProtection = headerProtection;
  }

  /** RFC 9001 §5.1: packet protection for a traffic secret. */
  static fromSecret(
    provider: CryptoProvider,
    suite: Tls13Suite,
    secret: Uint8Array,
  ): PacketProtection {
    if (secret.length !== HASH_LENGTH[suite.hash]) {
      throw new RangeError(`${suite.name}: secret must be ${HASH_LENGTH[suite.hash]} bytes`);
    }
    return PacketProtection.fromKeys(provider, suite, derivePacketKeys(provider, suite, secret));
  }

  static fromKeys(provider: CryptoProvider, suite: Tls13Suite, keys: PacketKeys): PacketProtection {
    return new PacketProtection(
      provider,
      suite,
      keys,
      new HeaderProtection(provider, suite.headerProtection, keys.hp),
    );
  }

  /**
   * RFC 9001 §6: the next key phase's packet protection from the next secret.
   * The header-protection key is not updated.
   */
  withUpdatedKeys(nextSecret: Uint8Array): PacketProtection {
    const keys = derivePacketKeys(this.#provider, this.suite, nextSecret);
    return new PacketProtection(this.#provider, this.suite, keys, this.headerProtection);
  }

  /**
   * Protects a packet: `header` is the unprotected header through the packet
   * number (as written by writeLongHeader/writeShortHeader), `pnOffset` where its
   * Packet Number field starts. Returns header || AEAD(payload) with header
   * protection applied. RFC 9001 §5.4.2: the packet number, payload and tag must
   * reach 4 bytes past the sample start plus the 16-byte sample (with a 16-byte
   * tag: packet number + payload >= 4); pad with PADDING frames otherwise.
   */
  protect(
    header: Uint8Array,
    pnOffset: number,
    packetNumber: number,
    payload: Uint8Array,
  ): Uint8Array {
    const pnLength = ((header[0]! & 0x03) + 1) as 1 | 2 | 3 | 4;
    if (pnOffset + pnLength !== header.length) {
      throw new EncodeError(`header of ${header.length} bytes does not end with its packet number`);
    }
    if (pnLength + payload.length + this.aead.tagLength < SAMPLE_OFFSET + SAMPLE_LENGTH) {
      throw new EncodeError('payload too short to sample for header protection: add PADDING');
    }
    // Seal straight into the packet: one allocation per packet, no copy of the body.
    const packet = new Uint8Array(header.length + payload.length + this.aead.tagLength);
    packet.set(header);
    this.aead.sealInto(packetNumber, header, payload, packet, header.length);
    const sampleAt = pnOffset + SAMPLE_OFFSET;
    const mask = this.headerProtection.mask(packet.subarray(sampleAt, sampleAt + SAMPLE_LENGTH));
    // §5.4.1: 4 bits of a long header's first byte, 5 of a short header's.
    packet[0] = packet[0]! ^ (mask[0]! & ((packet[0]! & 0x80) !== 0 ? 0x0f : 0x1f));
    for (let i = 0; i < pnLength; i++) packet[pnOffset + i] = packet[pnOffset + i]! ^ mask[1 + i]!;
    return packet;
  }

  /**
   * Removes header protection from `packet` (one packet: the datagram cut at the
   * packet's start and end) without touching it, and recovers the full packet
   * number against `largestPn` (-1 when none yet). Null when the packet is too
   * short to sample.
   */
  removeHeaderProtection(
    packet: Uint8Array,
    pnOffset: number,
    largestPn: number,
  ): UnmaskedHeader | null {
    const sampleAt = pnOffset + SAMPLE_OFFSET;
    if (packet.length < sampleAt + SAMPLE_LENGTH) return null;
    const mask = this.headerProtection.mask(packet.subarray(sampleAt, sampleAt + SAMPLE_LENGTH));
    const long = (packet[0]! & 0x80) !== 0;
    const firstByte = packet[0]! ^ (mask[0]! & (long ? 0x0f : 0x1f));
    const pnLength = ((firstByte & 0x03) + 1) as 1 | 2 | 3 | 4;
    const header = packet.slice(0, pnOffset + pnLength);
    header[0] = firstByte;
    let truncated = 0;
    for (let i = 0; i < pnLength; i++) {
      const b = header[pnOffset + i]! ^ mask[1 + i]!;
      header[pnOffset + i] = b;
      truncated = truncated * 256 + b;
    }
    return {
      packetNumber: decodePacketNumber(largestPn, truncated, pnLength * 8),
      pnLength,
      firstByte,
      keyPhase: long ? 0 : (((firstByte >> 2) & 1) as 0 | 1),
      header,
    };
  }

  /**
   * Opens the payload of a packet whose header protection was removed. Null when
   * it does not authenticate. RFC 9000 §17.2/§17.3.1: non-zero reserved bits after
   * both protections are removed are a PROTOCOL_VIOLATION.
   */
  openPayload(packet: Uint8Array, unmasked: UnmaskedHeader): OpenedPacket | null {
    const payload = this.aead.open(
      unmasked.packetNumber,
      unmasked.header,
      packet.subarray(unmasked.header.length),
    );
    if (payload === null) return null;
    const reserved = unmasked.firstByte & ((unmasked.firstByte & 0x80) !== 0 ? 0x0c : 0x18);
    if (reserved !== 0) {
      throw new QuicError(TransportError.PROTOCOL_VIOLATION, 'reserved header bits are not zero');
    }
    return { ...unmasked, payload };
  }

  /** Both steps: header protection, then the payload. Null if either fails. */
  unprotect(packet: Uint8Array, pnOffset: number, largestPn: number): OpenedPacket | null {
    const unmasked = this.removeHeaderProtection(packet, pnOffset, largestPn);
    return unmasked === null ? null : this.openPayload(packet, unmasked);
  }
}
