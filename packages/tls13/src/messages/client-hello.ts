/** RFC 8446 §4.1.2 ClientHello (codec only). */
import { Reader, Writer } from '@x/wire';
import { tlsError } from '../alerts.js';
import { type Extension, readExtensions, writeExtensions } from './extensions/types.js';
import { encodeHandshake, HandshakeType } from './handshake-type.js';

export interface ClientHello {
  readonly legacyVersion: number;
  readonly random: Uint8Array;
  readonly legacySessionId: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly legacyCompressionMethods: Uint8Array;
  readonly extensions: readonly Extension[];
}

export function decodeClientHello(body: Uint8Array): ClientHello {
  const r = new Reader(body);
  const legacyVersion = r.u16('legacy_version');
  const random = r.bytesView(32, 'random');
  const legacySessionId = r.vector8('legacy_session_id');
  if (legacySessionId.length > 32)
    throw tlsError('decode_error', 'legacy_session_id longer than 32 bytes');
  const suites = r.vector16('cipher_suites');
  if (suites.length < 2 || suites.length % 2 !== 0)
    throw tlsError('decode_error', 'bad cipher_suites length');
  const cipherSuites: number[] = [];
  for (let i = 0; i < suites.length; i += 2) cipherSuites.push((suites[i]! << 8) | suites[i + 1]!);
  const legacyCompressionMethods = r.vector8('legacy_compression_methods');
  if (legacyCompressionMethods.length === 0)
    throw tlsError('decode_error', 'empty legacy_compression_methods');
  // A ClientHello without extensions is TLS 1.2 or older: no supported_versions, so protocol_version later.
  const extensions = r.done ? [] : readExtensions(r);
  r.expectEnd('end of ClientHello');
  return {
    legacyVersion,
    random,
    legacySessionId,
    cipherSuites,
    legacyCompressionMethods,
    extensions,
  };
}

export function encodeClientHelloBody(ch: ClientHello): Uint8Array {
  const w = new Writer(512);
  w.u16(ch.legacyVersion).bytes(ch.random).vector8(ch.legacySessionId);
  w.withLength(2, () => {
    for (const s of ch.cipherSuites) w.u16(s);
  });
  w.vector8(ch.legacyCompressionMethods);
  writeExtensions(w, ch.extensions);
  return w.finish().slice();
}

export const encodeClientHello = (ch: ClientHello): Uint8Array =>
  encodeHandshake(HandshakeType.client_hello, encodeClientHelloBody(ch));
