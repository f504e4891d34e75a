/**
 * The 20-byte STUN header (RFC 8489 §5): message type (method and class
 * interleaved), length, magic cookie and 96-bit transaction ID.
 */
import { DecodeError } from '@x/wire';

export const MAGIC_COOKIE = 0x2112a442;
export const HEADER_LENGTH = 20;
export const TRANSACTION_ID_LENGTH = 12;

/** RFC 8489 §18.2: the one method STUN itself defines. */
export const METHOD_BINDING = 0x001;

/** The two class bits C1 C0 (RFC 8489 §5): request, indication, success and error response. */
export type StunClass = 'request' | 'indication' | 'success' | 'error';

const CLASS_BITS: Readonly<Record<StunClass, number>> = {
  request: 0b00,
  indication: 0b01,
  success: 0b10,
  error: 0b11,
};
const CLASSES: readonly StunClass[] = ['request', 'indication', 'success', 'error'];

/**
 * The 14-bit message type: method bits M11..M0 with the class bits C1 at bit 8
 * and C0 at bit 4 (RFC 8489 §5 Figure 3), e.g. Binding request 0x0001,
 * Binding success response 0x0101.
 */
export function messageType(method: number, cls: StunClass): number {
  if (!Number.isInteger(method) || method < 0 || method > 0xfff) {
    throw new RangeError(`STUN method must be 0..0xfff, not ${method}`);
  }
  const c = CLASS_BITS[cls];
  return (
    (method & 0x000f) |
    ((method & 0x0070) << 1) |
    ((method & 0x0f80) << 2) |
    ((c & 0b01) << 4) |
    ((c & 0b10) << 7)
  );
}

export function methodOf(type: number): number {
  return (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
}

export function classOf(type: number): StunClass {
  return CLASSES[((type >> 4) & 0b01) | ((type >> 7) & 0b10)]!;
}

export interface StunHeader {
  readonly method: number;
  readonly class: StunClass;
  /** Length of the attributes, bytes (the header's Message Length field). */
  readonly length: number;
  /** 12 bytes, a view into the input. */
  readonly transactionId: Uint8Array;
}

/**
 * Reads and checks the header of a datagram that should be exactly one STUN
 * message (RFC 8489 §6.3): top two bits zero, the magic cookie, a length that
 * is a multiple of 4 and matches the datagram. Throws DecodeError otherwise.
 */
export function decodeHeader(bytes: Uint8Array): StunHeader {
  if (bytes.length < HEADER_LENGTH) {
    throw new DecodeError(
      'STUN header',
      bytes.length,
      `a STUN header is 20 bytes, got ${bytes.length}`,
    );
  }
  const type = (bytes[0]! << 8) | bytes[1]!;
  if (type & 0xc000)
    throw new DecodeError('STUN message type', 0, 'the first two bits are not zero');
  const cookie = ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0;
  if (cookie !== MAGIC_COOKIE) throw new DecodeError('magic cookie', 4, 'no STUN magic cookie');
  const length = (bytes[2]! << 8) | bytes[3]!;
  if (length & 3)
    throw new DecodeError('message length', 2, `message length ${length} is not a multiple of 4`);
  if (length + HEADER_LENGTH !== bytes.length) {
    throw new DecodeError(
      'message length',
      2,
      `message length ${length} does not match the ${bytes.length - HEADER_LENGTH} bytes after the header`,
    );
  }
  return {
    method: methodOf(type),
    class: classOf(type),
    length,
    transactionId: bytes.subarray(8, HEADER_LENGTH),
  };
}

/** A cheap test for "this datagram is shaped like a STUN message", for demultiplexing. */
export function looksLikeStun(bytes: Uint8Array): boolean {
  return (
    bytes.length >= HEADER_LENGTH &&
    (bytes[0]! & 0xc0) === 0 &&
    bytes[4] === 0x21 &&
    bytes[5] === 0x12 &&
    bytes[6] === 0xa4 &&
    bytes[7] === 0x42 &&
    (bytes[3]! & 3) === 0 &&
    ((bytes[2]! << 8) | bytes[3]!) + HEADER_LENGTH === bytes.length
  );
}
