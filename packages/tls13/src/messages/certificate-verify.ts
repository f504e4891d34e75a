/** RFC 8446 §4.4.3 CertificateVerify. */
import { Reader, Writer } from '@x/wire';
import { encodeHandshake, HandshakeType } from './handshake-type.js';

export interface CertificateVerify {
  readonly scheme: number;
  readonly signature: Uint8Array;
}

export function decodeCertificateVerify(body: Uint8Array): CertificateVerify {
  const r = new Reader(body);
  const scheme = r.u16('algorithm');
  const signature = r.vector16('signature');
  r.expectEnd('end of CertificateVerify');
  return { scheme, signature };
}

export function encodeCertificateVerify(msg: CertificateVerify): Uint8Array {
  return encodeHandshake(
    HandshakeType.certificate_verify,
    new Writer(msg.signature.length + 4).u16(msg.scheme).vector16(msg.signature).finish(),
  );
}
