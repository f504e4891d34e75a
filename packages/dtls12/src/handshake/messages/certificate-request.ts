import { Reader, Writer } from '@x/wire';
import { decodeSchemeList, writeSchemeList } from './extensions/signature-algorithms.js';

/** RFC 5246 §7.4.4 ClientCertificateType ecdsa_sign (RFC 8422 §5.5) and rsa_sign. */
export const ClientCertificateType = { rsa_sign: 1, ecdsa_sign: 64 } as const;

/** RFC 5246 §7.4.4 CertificateRequest. */
export interface CertificateRequest {
  readonly certificateTypes: Uint8Array;
  readonly signatureSchemes: readonly number[];
  /** DistinguishedName certificate_authorities<0..2^16-1>, each as raw DER. */
  readonly certificateAuthorities: readonly Uint8Array[];
}

export function decodeCertificateRequest(body: Uint8Array): CertificateRequest {
  const r = new Reader(body);
  const certificateTypes = r.vector8('certificate_types');
  if (certificateTypes.length === 0) r.fail('certificate_types<1..2^8-1>');
  const signatureSchemes = decodeSchemeList(r);
  const cas = r.subReader(2, 'certificate_authorities');
  const certificateAuthorities: Uint8Array[] = [];
  while (!cas.done) {
    const dn = cas.vector16('DistinguishedName');
    if (dn.length === 0) cas.fail('DistinguishedName<1..2^16-1>');
    certificateAuthorities.push(dn);
  }
  r.expectEnd('end of CertificateRequest');
  return { certificateTypes, signatureSchemes, certificateAuthorities };
}

export function encodeCertificateRequest(m: CertificateRequest): Uint8Array {
  const w = new Writer(64);
  w.vector8(m.certificateTypes);
  writeSchemeList(w, m.signatureSchemes);
  w.withLength(2, (b) => {
    for (const dn of m.certificateAuthorities) b.vector16(dn);
  });
  return w.finish();
}
