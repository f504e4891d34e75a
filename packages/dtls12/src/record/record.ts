import { DecodeError, Reader } from '@x/wire';

/** RFC 5246 §6.2.1 ContentType. */
export const ContentType = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
} as const;

/** DTLS 1.2 on the wire is {254, 253}; DTLS 1.0 {254, 255} appears in first ClientHellos (RFC 6347 §4.1). */
export const DTLS1_2 = 0xfefd;
export const DTLS1_0 = 0xfeff;

/** RFC 6347 §4.1: type(1) version(2) epoch(2) sequence_number(6) length(2). */
export const RECORD_HEADER_LENGTH = 13;

/** RFC 6347 §4.1: a record fragment never exceeds 2^14 bytes of plaintext (+2048 for a ciphertext). */
export const MAX_CIPHERTEXT_LENGTH = 16384 + 2048;

/** One DTLSPlaintext / DTLSCiphertext; `fragment` is a view into the datagram. */
export interface DtlsRecord {
  readonly type: number;
  readonly version: number;
  readonly epoch: number;
  /** The 48-bit sequence_number, exact as a JS number. */
  readonly sequenceNumber: number;
  readonly fragment: Uint8Array;
}

/** Reads one record from `r`; raises DecodeError on a short or over-long record. */
export function decodeRecord(r: Reader): DtlsRecord {
  const type = r.u8('record content type');
  const version = r.u16('record version');
  if (version >> 8 !== 0xfe) r.fail('DTLS record version', `0x${version.toString(16)}`);
  const epoch = r.u16('epoch');
  const sequenceNumber = r.u48('sequence_number');
  const length = r.u16('record length');
  if (length > MAX_CIPHERTEXT_LENGTH) r.fail('record length <= 18432', String(length));
  const fragment = r.bytesView(length, 'record fragment');
  return { type, version, epoch, sequenceNumber, fragment };
}

/**
 * RFC 6347 §4.1: several records may share a datagram. Returns every whole
 * record; a malformed one raises DecodeError (callers drop the rest of the
 * datagram, as §4.1.2.7 lets them: invalid records are silently discarded).
 */
export function decodeRecords(datagram: Uint8Array): DtlsRecord[] {
  const r = new Reader(datagram);
  const out: DtlsRecord[] = [];
  while (!r.done) out.push(decodeRecord(r));
  return out;
}

/** Writes a 13-byte record header into `out` at `offset`. */
export function writeRecordHeader(
  out: Uint8Array,
  offset: number,
  type: number,
  version: number,
  epoch: number,
  sequenceNumber: number,
  length: number,
): void {
  out[offset] = type;
  out[offset + 1] = version >>> 8;
  out[offset + 2] = version & 0xff;
  out[offset + 3] = epoch >>> 8;
  out[offset + 4] = epoch & 0xff;
  const hi = Math.floor(sequenceNumber / 0x100000000);
  const lo = sequenceNumber >>> 0;
  out[offset + 5] = hi >>> 8;
  out[offset + 6] = hi & 0xff;
  out[offset + 7] = lo >>> 24;
  out[offset + 8] = (lo >>> 16) & 0xff;
  out[offset + 9] = (lo >>> 8) & 0xff;
  out[offset + 10] = lo & 0xff;
  out[offset + 11] = length >>> 8;
  out[offset + 12] = length & 0xff;
}

/** A whole record (header + fragment) as new bytes. */
export function encodeRecord(
  type: number,
  version: number,
  epoch: number,
  sequenceNumber: number,
  fragment: Uint8Array,
): Uint8Array {
  if (fragment.length > MAX_CIPHERTEXT_LENGTH) {
    throw new DecodeError('record fragment <= 18432 bytes', 0, String(fragment.length));
  }
  const out = new Uint8Array(RECORD_HEADER_LENGTH + fragment.length);
  writeRecordHeader(out, 0, type, version, epoch, sequenceNumber, fragment.length);
  out.set(fragment, RECORD_HEADER_LENGTH);
  return out;
}

/** The whole records before the first malformed one (the rest of the datagram is discarded). */
export function decodeWholeRecords(datagram: Uint8Array): DtlsRecord[] {
  const out: DtlsRecord[] = [];
  const r = new Reader(datagram);
  try {
    while (!r.done) out.push(decodeRecord(r));
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
  return out;
}
