import { Reader, Writer } from '@x/wire';

/** RFC 5246 §7.4.8: digitally-signed struct (algorithm + signature<0..2^16-1>). */
export interface DigitallySigned {
  readonly signatureScheme: number;
  readonly signature: Uint8Array;
}

export function decodeCertificateVerify(body: Uint8Array): DigitallySigned {
  const r = new Reader(body);
  const signatureScheme = r.u16('SignatureAndHashAlgorithm');
  const signature = r.vector16('signature');
  r.expectEnd('end of CertificateVerify');
  return { signatureScheme, signature };
}

export function encodeCertificateVerify(m: DigitallySigned): Uint8Array {
  return new Writer(4 + m.signature.length).u16(m.signatureScheme).vector16(m.signature).finish();
}
