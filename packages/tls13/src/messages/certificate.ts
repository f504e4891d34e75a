/** RFC 8446 §4.4.2 Certificate (X.509 entries only; RawPublicKey is not negotiated). */
import { Reader, Writer } from '@x/wire';
import { tlsError } from '../alerts.js';
import { type Extension, readExtensions, writeExtensions } from './extensions/types.js';
import { encodeHandshake, HandshakeType } from './handshake-type.js';

export interface CertificateEntry {
  readonly certData: Uint8Array;
  readonly extensions: readonly Extension[];
}

export interface CertificateMessage {
  readonly context: Uint8Array;
  readonly entries: readonly CertificateEntry[];
}

export function decodeCertificate(body: Uint8Array): CertificateMessage {
  const r = new Reader(body);
  const context = r.vector8('certificate_request_context');
  const list = r.subReader(3, 'certificate_list');
  const entries: CertificateEntry[] = [];
  while (!list.done) {
    const certData = list.vector24('cert_data');
    if (certData.length === 0) throw tlsError('decode_error', 'empty cert_data');
    entries.push({ certData, extensions: readExtensions(list) });
  }
  r.expectEnd('end of Certificate');
  return { context, entries };
}

export function encodeCertificate(msg: CertificateMessage): Uint8Array {
  const w = new Writer(2048);
  w.vector8(msg.context);
  w.withLength(3, () => {
    for (const e of msg.entries) {
      w.vector24(e.certData);
      writeExtensions(w, e.extensions);
    }
  });
  return encodeHandshake(HandshakeType.certificate, w.finish());
}
