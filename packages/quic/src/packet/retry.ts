import type { CryptoProvider } from '@x/crypto';
import { constantTimeEqual, fromHex, Writer } from '@x/wire';
import { MAX_CID_LENGTH, QUIC_V1, RETRY_TAG_LENGTH } from './header.js';

/** RFC 9001 §5.8: the fixed AES-128-GCM key and nonce of the QUIC v1 Retry Integrity Tag. */
export const RETRY_INTEGRITY_KEY_V1 = fromHex('be0c690b9f66575a1d766b54e368c84e');
export const RETRY_INTEGRITY_NONCE_V1 = fromHex('461599d35d632bf2239825bb');

const EMPTY = new Uint8Array(0);

/**
 * RFC 9001 §5.8: the tag is AES-128-GCM over an empty plaintext with the Retry
 * Pseudo-Packet as associated data: ODCID Length (1) || ODCID || the Retry packet
 * without its tag.
 */
export function retryIntegrityTag(
  provider: CryptoProvider,
  originalDcid: Uint8Array,
  retryWithoutTag: Uint8Array,
): Uint8Array {
  const pseudo = new Uint8Array(1 + originalDcid.length + retryWithoutTag.length);
  pseudo[0] = originalDcid.length;
  pseudo.set(originalDcid, 1);
  pseudo.set(retryWithoutTag, 1 + originalDcid.length);
  return provider
    .aead('AES-128-GCM', RETRY_INTEGRITY_KEY_V1)
    .seal(RETRY_INTEGRITY_NONCE_V1, EMPTY, pseudo);
}

export interface RetryFields {
  /** The client's Source Connection ID (the Retry's Destination). */
  readonly dcid: Uint8Array;
  /** The server's new connection ID; the client uses it as DCID from now on. */
  readonly scid: Uint8Array;
  readonly token: Uint8Array;
  /** The Destination Connection ID of the client's first Initial. */
  readonly originalDcid: Uint8Array;
  /** RFC 9000 §17.2.5: the 4 Unused bits of the first byte (arbitrary). */
  readonly unusedBits?: number;
  readonly version?: number;
}

/** Builds a Retry packet (RFC 9000 §17.2.5) with its integrity tag. */
export function encodeRetry(provider: CryptoProvider, f: RetryFields): Uint8Array {
  if (f.token.length === 0) throw new RangeError('a Retry packet must carry a token');
  if (f.dcid.length > MAX_CID_LENGTH || f.scid.length > MAX_CID_LENGTH) {
    throw new RangeError('connection ID over 20 bytes');
  }
  const w = new Writer(32 + f.token.length + f.dcid.length + f.scid.length);
  w.u8(0xf0 | ((f.unusedBits ?? 0) & 0x0f));
  w.u32(f.version ?? QUIC_V1);
  w.vector8(f.dcid);
  w.vector8(f.scid);
  w.bytes(f.token);
  const tag = retryIntegrityTag(provider, f.originalDcid, w.finish());
  w.bytes(tag);
  return w.finish().slice();
}

/**
 * Checks a received Retry packet's tag against the DCID the client first sent
 * (RFC 9000 §17.2.5.2: a client MUST discard a Retry that fails this check).
 */
export function verifyRetryIntegrity(
  provider: CryptoProvider,
  retryPacket: Uint8Array,
  originalDcid: Uint8Array,
): boolean {
  if (retryPacket.length < RETRY_TAG_LENGTH + 7) return false;
  const split = retryPacket.length - RETRY_TAG_LENGTH;
  const expected = retryIntegrityTag(provider, originalDcid, retryPacket.subarray(0, split));
  return constantTimeEqual(expected, retryPacket.subarray(split));
}
