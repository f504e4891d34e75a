/** RFC 8446 §4.3.2 CertificateRequest. */
import { Reader, Writer } from '@x/wire';
import { type Extension, readExtensions, writeExtensions } from './extensions/types.js';
import { encodeHandshake, HandshakeType } from './handshake-type.js';

export interface CertificateRequest {
  readonly context: Uint8Array;
  readonly extensions: readonly Extension[];
}

export function decodeCertificateRequest(body: Uint8Array): CertificateRequest {
  const r = new Reader(body);
  const context = r.vector8('certificate_request_context');
  const extensions = readExtensions(r);
  r.expectEnd('end of CertificateRequest');
  return { context, extensions };
}

export function encodeCertificateRequest(msg: CertificateRequest): Uint8Array {
  const w = new Writer(64);
  w.vector8(msg.context);
  writeExtensions(w, msg.extensions);
  return encodeHandshake(HandshakeType.certificate_request, w.finish());
}
