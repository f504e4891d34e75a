/**
 * RFC 8446 §4.1.3 ServerHello and §4.1.4 HelloRetryRequest (a ServerHello whose
 * random is the SHA-256 of "HelloRetryRequest").
 */
import { equalBytes, fromHex, Reader, Writer } from '@x/wire';
import { tlsError } from '../alerts.js';
import { type Extension, readExtensions, writeExtensions } from './extensions/types.js';
import { encodeHandshake, HandshakeType } from './handshake-type.js';

export const HELLO_RETRY_REQUEST_RANDOM = fromHex(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
);

/** RFC 8446 §4.1.3: the last 8 bytes of a TLS 1.3 server random when it negotiates an older version. */
export const DOWNGRADE_TLS12 = fromHex('444f574e47524401');
export const DOWNGRADE_TLS11 = fromHex('444f574e47524400');

export interface ServerHello {
  readonly legacyVersion: number;
  readonly random: Uint8Array;
  readonly legacySessionIdEcho: Uint8Array;
  readonly cipherSuite: number;
  readonly legacyCompressionMethod: number;
  readonly extensions: readonly Extension[];
}

export const isHelloRetryRequest = (sh: ServerHello): boolean =>
  equalBytes(sh.random, HELLO_RETRY_REQUEST_RANDOM);

export function decodeServerHello(body: Uint8Array): ServerHello {
  const r = new Reader(body);
  const legacyVersion = r.u16('legacy_version');
  const random = r.bytesView(32, 'random');
  const legacySessionIdEcho = r.vector8('legacy_session_id_echo');
  if (legacySessionIdEcho.length > 32)
    throw tlsError('decode_error', 'legacy_session_id_echo longer than 32 bytes');
  const cipherSuite = r.u16('cipher_suite');
  const legacyCompressionMethod = r.u8('legacy_compression_method');
  const extensions = r.done ? [] : readExtensions(r);
  r.expectEnd('end of ServerHello');
  return {
    legacyVersion,
    random,
    legacySessionIdEcho,
    cipherSuite,
    legacyCompressionMethod,
    extensions,
  };
}

export function encodeServerHelloBody(sh: ServerHello): Uint8Array {
  const w = new Writer(128);
  w.u16(sh.legacyVersion)
    .bytes(sh.random)
    .vector8(sh.legacySessionIdEcho)
    .u16(sh.cipherSuite)
    .u8(sh.legacyCompressionMethod);
  writeExtensions(w, sh.extensions);
  return w.finish().slice();
}

export const encodeServerHello = (sh: ServerHello): Uint8Array =>
  encodeHandshake(HandshakeType.server_hello, encodeServerHelloBody(sh));
