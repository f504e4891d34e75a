import { Reader, Writer } from '@x/wire';
import { decodeExtensions, type Extension, writeExtensions } from './extensions/extension.js';

/** RFC 5246 §7.4.1.3 ServerHello. */
export interface ServerHello {
  readonly serverVersion: number;
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  readonly compressionMethod: number;
  readonly extensions: readonly Extension[];
}

export function decodeServerHello(body: Uint8Array): ServerHello {
  const r = new Reader(body);
  const serverVersion = r.u16('server_version');
  const random = r.bytesView(32, 'random');
  const sessionId = r.vector8('session_id');
  if (sessionId.length > 32) r.fail('session_id<0..32>', String(sessionId.length));
  const cipherSuite = r.u16('cipher_suite');
  const compressionMethod = r.u8('compression_method');
  const extensions = decodeExtensions(r);
  r.expectEnd('end of ServerHello');
  return { serverVersion, random, sessionId, cipherSuite, compressionMethod, extensions };
}

export function encodeServerHello(m: ServerHello): Uint8Array {
  const w = new Writer(128);
  w.u16(m.serverVersion)
    .bytes(m.random)
    .vector8(m.sessionId)
    .u16(m.cipherSuite)
    .u8(m.compressionMethod);
  writeExtensions(w, m.extensions);
  return w.finish();
}
