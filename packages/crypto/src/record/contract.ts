import type { Tls12Suite, Tls13Suite } from '../suites/registry.js';

/**
 * The contract between a handshake engine (TLS 1.3, DTLS 1.2) and whatever
 * carries its messages. The engine never knows whether it runs over TCP records,
 * QUIC CRYPTO frames or DTLS datagrams; it only sees these calls.
 *
 *   engine ──sendHandshake(level, bytes)──▶ record layer   (TLS records / CRYPTO frames / DTLS fragments)
 *   engine ──installKeys(level, dir, keys)─▶ record layer   (builds a RecordProtector, or QUIC packet keys)
 *   engine ──sendAlert(level, code)────────▶ record layer   (TLS alert record / QUIC CONNECTION_CLOSE 0x100+code)
 *   record layer ──receiveHandshake(level, bytes, now)──▶ engine
 */

/**
 * Encryption levels in RFC 9001 §4.1.4 terms. TLS over TCP uses the same four; a
 * DTLS 1.2 epoch 0 is 'initial' and epoch 1 is 'application'.
 */
export type EncryptionLevel = 'initial' | 'early' | 'handshake' | 'application';

export type Direction = 'read' | 'write';

/** What a handshake hands the record layer when a level's keys become available. */
export type KeyMaterial =
  /** TLS 1.3 / QUIC: the traffic secret; the carrier derives key/iv (and QUIC hp, key updates) from it. */
  | { readonly kind: 'tls13'; readonly suite: Tls13Suite; readonly secret: Uint8Array }
  /** TLS/DTLS 1.2: key and IV cut from the key block (RFC 5246 §6.3). */
  | {
      readonly kind: 'tls12';
      readonly suite: Tls12Suite;
      readonly key: Uint8Array;
      readonly iv: Uint8Array;
    };

/** Implemented by each carrier: TLS-over-TCP records, QUIC CRYPTO frames, DTLS records. */
export interface HandshakeRecordLayer {
  /** Carry handshake bytes at a level. The carrier may split them (records, frames, fragments). */
  sendHandshake(level: EncryptionLevel, data: Uint8Array): void;
  /** From now on protect (write) or unprotect (read) this level with these keys. */
  installKeys(level: EncryptionLevel, direction: Direction, keys: KeyMaterial): void;
  /** Send a fatal or warning alert (RFC 8446 §6) at the current write level. */
  sendAlert(level: EncryptionLevel, description: number): void;
}

/** Implemented by each handshake engine. */
export interface HandshakeEngine {
  /** Handshake bytes that arrived at a level, in order (the carrier reassembles). */
  receiveHandshake(level: EncryptionLevel, data: Uint8Array, now: number): void;
}
