import { DecodeError, EncodeError, Reader, type Writer } from '@x/wire';

/** QUIC version 1 (RFC 9000). */
export const QUIC_V1 = 0x00000001;
/** RFC 9000 §17.2: in QUIC v1 connection IDs are at most 20 bytes. */
export const MAX_CID_LENGTH = 20;
/** RFC 8999 §5.1: version-independent long headers allow IDs up to 255 bytes. */
const MAX_INVARIANT_CID_LENGTH = 255;
/** RFC 9001 §5.4.2: a header-protection sample is 16 bytes, 4 bytes after the PN start. */
const MIN_PROTECTED_TAIL = 4 + 16;
/** RFC 9001 §5.8: the Retry Integrity Tag is 16 bytes. */
export const RETRY_TAG_LENGTH = 16;

export type LongPacketType = 'initial' | '0rtt' | 'handshake' | 'retry';
export type PacketType = LongPacketType | '1rtt' | 'version-negotiation' | 'unsupported-version';

/** RFC 9000 §17.2 Table 5: the two type bits of a v1 long header. */
const LONG_TYPES: readonly LongPacketType[] = ['initial', '0rtt', 'handshake', 'retry'];
const LONG_TYPE_BITS: Readonly<Record<LongPacketType, number>> = {
  initial: 0,
  '0rtt': 1,
  handshake: 2,
  retry: 3,
};

/**
 * The fields of one packet's header as parsed before header protection is
 * removed. Offsets are absolute positions in the datagram; byte fields are views.
 */
export interface PacketHeader {
  readonly type: PacketType;
  readonly long: boolean;
  /** The first byte as received (its low bits are still header-protected). */
  readonly firstByte: number;
  /** The version field; undefined for short headers. 0 for Version Negotiation. */
  readonly version: number | undefined;
  readonly dcid: Uint8Array;
  /** Empty for short headers. */
  readonly scid: Uint8Array;
  /** The Initial token or the Retry token; empty otherwise. */
  readonly token: Uint8Array;
  /** Where this packet starts in the datagram. */
  readonly start: number;
  /** Where its Packet Number field starts (protected packets), or its payload (VN, Retry). */
  readonly pnOffset: number;
  /** One past its last byte: a long header's Length decides it; others run to the datagram's end. */
  readonly end: number;
}

function typeOfFirstByte(b: number): LongPacketType {
  return LONG_TYPES[(b >> 4) & 0x03]!;
}

/**
 * Parses the packet header at `start`. Raises DecodeError for anything that is
 * not a valid QUIC packet (RFC 9000 §17): truncation, a zero fixed bit in v1, a
 * connection ID over 20 bytes in v1, a Length past the datagram, a protected
 * packet too short to sample for header protection, a Retry with no token or
 * a Version Negotiation packet whose version list is empty or ragged.
 * `shortDcidLength` is the length of our own connection IDs (short headers do
 * not carry it).
 */
export function parsePacketHeader(
  datagram: Uint8Array,
  start: number,
  shortDcidLength: number,
): PacketHeader {
  const r = new Reader(datagram, start);
  const firstByte = r.u8('first byte');
  if ((firstByte & 0x80) === 0) {
    // RFC 9000 §17.3.1: 1-RTT short header.
    if ((firstByte & 0x40) === 0) r.fail('fixed bit', 'fixed bit of a short header is 0');
    const dcid = r.bytesView(shortDcidLength, 'destination connection id');
    const pnOffset = r.offset;
    if (r.remaining < MIN_PROTECTED_TAIL) {
      r.fail('protected payload', 'packet too short to sample for header protection');
    }
    return {
      type: '1rtt',
      long: false,
      firstByte,
      version: undefined,
      dcid,
      scid: EMPTY,
      token: EMPTY,
      start,
      pnOffset,
      end: datagram.length,
    };
  }
  const version = r.u32('version');
  if (version !== QUIC_V1) {
    // RFC 8999 §5.1 invariants only: connection IDs up to 255 bytes.
    const dcid = r.vector8('destination connection id');
    const scid = r.vector8('source connection id');
    const pnOffset = r.offset;
    if (version === 0) {
      // RFC 9000 §17.2.1: a list of 32-bit versions, at least one.
      if (r.remaining === 0 || r.remaining % 4 !== 0) {
        r.fail('supported versions', `version list of ${r.remaining} bytes`);
      }
    }
    return {
      type: version === 0 ? 'version-negotiation' : 'unsupported-version',
      long: true,
      firstByte,
      version,
      dcid,
      scid,
      token: EMPTY,
      start,
      pnOffset,
      end: datagram.length,
    };
  }
  // RFC 9000 §17.2: "Packets containing a zero value for this bit are not valid
  // packets in this version and MUST be discarded."
  if ((firstByte & 0x40) === 0) r.fail('fixed bit', 'fixed bit of a long header is 0');
  const dcid = readCid(r, 'destination connection id');
  const scid = readCid(r, 'source connection id');
  const type = typeOfFirstByte(firstByte);
  if (type === 'retry') {
    // RFC 9000 §17.2.5: Retry Token (to the tag), Retry Integrity Tag (16 bytes).
    const tokenLength = r.remaining - RETRY_TAG_LENGTH;
    if (tokenLength <= 0) {
      // A client MUST discard a Retry packet with a zero-length Retry Token (§17.2.5.2).
      r.fail('retry token', 'Retry packet without a token');
    }
    const token = r.bytesView(tokenLength, 'retry token');
    return {
      type,
      long: true,
      firstByte,
      version,
      dcid,
      scid,
      token,
      start,
      pnOffset: r.offset,
      end: datagram.length,
    };
  }
  const token = type === 'initial' ? r.varintVector('token') : EMPTY;
  const lengthAt = r.offset;
  const length = r.varint('length');
  const pnOffset = r.offset;
  if (length > r.remaining) {
    throw new DecodeError(
      'length',
      lengthAt,
      `Length ${length} exceeds the ${r.remaining} bytes left`,
    );
  }
  if (length < MIN_PROTECTED_TAIL) {
    throw new DecodeError(
      'length',
      lengthAt,
      `Length ${length} too short to sample for header protection`,
    );
  }
  return {
    type,
    long: true,
    firstByte,
    version,
    dcid,
    scid,
    token,
    start,
    pnOffset,
    end: pnOffset + length,
  };
}

function readCid(r: Reader, what: string): Uint8Array {
  const at = r.offset;
  const cid = r.vector8(what);
  if (cid.length > MAX_CID_LENGTH) {
    throw new DecodeError(what, at, `${what} of ${cid.length} bytes exceeds ${MAX_CID_LENGTH}`);
  }
  return cid;
}

/**
 * Reads only the Destination Connection ID of a packet, for routing a datagram to
 * its connection (RFC 8999 invariants: works for every version).
 */
export function peekDestinationCid(
  datagram: Uint8Array,
  shortDcidLength: number,
): Uint8Array | undefined {
  if (datagram.length === 0) return undefined;
  if ((datagram[0]! & 0x80) === 0) {
    return datagram.length >= 1 + shortDcidLength
      ? datagram.subarray(1, 1 + shortDcidLength)
      : undefined;
  }
  if (datagram.length < 6) return undefined;
  const n = datagram[5]!;
  if (n > MAX_INVARIANT_CID_LENGTH || datagram.length < 6 + n) return undefined;
  return datagram.subarray(6, 6 + n);
}

export interface LongHeaderFields {
  readonly type: 'initial' | '0rtt' | 'handshake';
  readonly version: number;
  readonly dcid: Uint8Array;
  readonly scid: Uint8Array;
  /** Initial packets only. */
  readonly token?: Uint8Array;
}

/**
 * Writes an unprotected long header (RFC 9000 §17.2) ending with the truncated
 * packet number, and returns the offset of the Packet Number field. `payloadLength`
 * is the protected payload's length (frames plus AEAD tag); the Length field
 * covers it and the packet number. Length is written in 2 bytes when it fits, so
 * a packet builder can size the payload before the header is final.
 */
export function writeLongHeader(
  w: Writer,
  h: LongHeaderFields,
  truncatedPn: number,
  pnLength: 1 | 2 | 3 | 4,
  payloadLength: number,
): number {
  checkCid(h.dcid);
  checkCid(h.scid);
  w.u8(0xc0 | (LONG_TYPE_BITS[h.type] << 4) | (pnLength - 1));
  w.u32(h.version);
  w.vector8(h.dcid);
  w.vector8(h.scid);
  if (h.type === 'initial') w.varintVector(h.token ?? EMPTY);
  const length = pnLength + payloadLength;
  w.varint(length, length < 16384 ? 2 : 4);
  const pnOffset = w.length;
  writePacketNumber(w, truncatedPn, pnLength);
  return pnOffset;
}

/**
 * Writes an unprotected short header (RFC 9000 §17.3.1) and returns the offset of
 * the Packet Number field.
 */
export function writeShortHeader(
  w: Writer,
  dcid: Uint8Array,
  truncatedPn: number,
  pnLength: 1 | 2 | 3 | 4,
  keyPhase: 0 | 1,
  spin: 0 | 1 = 0,
): number {
  checkCid(dcid);
  w.u8(0x40 | (spin << 5) | (keyPhase << 2) | (pnLength - 1));
  w.bytes(dcid);
  const pnOffset = w.length;
  writePacketNumber(w, truncatedPn, pnLength);
  return pnOffset;
}

function writePacketNumber(w: Writer, truncatedPn: number, pnLength: 1 | 2 | 3 | 4): void {
  if (pnLength === 1) w.u8(truncatedPn);
  else if (pnLength === 2) w.u16(truncatedPn);
  else if (pnLength === 3) w.u24(truncatedPn);
  else w.u32(truncatedPn);
}

function checkCid(cid: Uint8Array): void {
  if (cid.length > MAX_CID_LENGTH) {
    throw new EncodeError(`connection ID of ${cid.length} bytes exceeds ${MAX_CID_LENGTH}`);
  }
}

const EMPTY = new Uint8Array(0);
