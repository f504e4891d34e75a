import { Reader, Writer } from '@x/wire';
import { decodeExtensions, type Extension, writeExtensions } from './extensions/extension.js';

/**
 * RFC 6347 §4.2.1 ClientHello: the TLS 1.2 ClientHello with a cookie after
 * the session_id.
 */
export interface ClientHello {
  readonly clientVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cookie: Uint8Array;
  readonly cipherSuites: readonly number[];
  readonly compressionMethods: Uint8Array;
  readonly extensions: readonly Extension[];
}

export function decodeClientHello(body: Uint8Array): ClientHello {
  const r = new Reader(body);
  const prefix = readClientHelloPrefix(r);
  const extensions = decodeExtensions(r);
  r.expectEnd('end of ClientHello');
  return { ...prefix, extensions };
}

/** The fields before the extensions: what a stateless cookie covers (RFC 6347 §4.2.1). */
export type ClientHelloPrefix = Omit<ClientHello, 'extensions'>;

/**
 * Reads only the fields up to compression_methods, from a whole body or from
 * the first fragment of a fragmented ClientHello (large hellos, e.g. with
 * post-quantum key shares, span datagrams): enough for the cookie exchange.
 */
export function decodeClientHelloPrefix(body: Uint8Array): ClientHelloPrefix {
  return readClientHelloPrefix(new Reader(body));
}

function readClientHelloPrefix(r: Reader): ClientHelloPrefix {
  const clientVersion = r.u16('client_version');
  const random = r.bytesView(32, 'random');
  const sessionId = r.vector8('session_id');
  if (sessionId.length > 32) r.fail('session_id<0..32>', String(sessionId.length));
  const cookie = r.vector8('cookie');
  const suites = r.subReader(2, 'cipher_suites');
  if (suites.remaining < 2 || suites.remaining % 2 !== 0) r.fail('cipher_suites<2..2^16-2>');
  const cipherSuites: number[] = [];
  while (!suites.done) cipherSuites.push(suites.u16('CipherSuite'));
  const compressionMethods = r.vector8('compression_methods');
  if (compressionMethods.length === 0) r.fail('compression_methods<1..2^8-1>');
  return { clientVersion, random, sessionId, cookie, cipherSuites, compressionMethods };
}

export function encodeClientHello(m: ClientHello): Uint8Array {
  const w = new Writer(256);
  w.u16(m.clientVersion).bytes(m.random).vector8(m.sessionId).vector8(m.cookie);
  w.withLength(2, (b) => {
    for (const s of m.cipherSuites) b.u16(s);
  });
  w.vector8(m.compressionMethods);
  writeExtensions(w, m.extensions);
  return w.finish();
}
