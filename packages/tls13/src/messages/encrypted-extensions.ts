/** RFC 8446 §4.3.1 EncryptedExtensions. */
import { Reader, Writer } from '@x/wire';
import { type Extension, readExtensions, writeExtensions } from './extensions/types.js';
import { encodeHandshake, HandshakeType } from './handshake-type.js';

export function decodeEncryptedExtensions(body: Uint8Array): Extension[] {
  const r = new Reader(body);
  const ext = readExtensions(r);
  r.expectEnd('end of EncryptedExtensions');
  return ext;
}

export function encodeEncryptedExtensions(extensions: readonly Extension[]): Uint8Array {
  const w = new Writer(64);
  writeExtensions(w, extensions);
  return encodeHandshake(HandshakeType.encrypted_extensions, w.finish());
}
