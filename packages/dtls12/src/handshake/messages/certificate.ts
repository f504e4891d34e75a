import { Reader, Writer } from '@x/wire';

/** RFC 5246 §7.4.2: ASN.1Cert certificate_list<0..2^24-1>, each <1..2^24-1>, leaf first. */
export function decodeCertificate(body: Uint8Array): Uint8Array[] {
  const r = new Reader(body);
  const list = r.subReader(3, 'certificate_list');
  const out: Uint8Array[] = [];
  while (!list.done) {
    const cert = list.vector24('ASN.1Cert');
    if (cert.length === 0) list.fail('ASN.1Cert<1..2^24-1>');
    out.push(cert);
  }
  r.expectEnd('end of Certificate');
  return out;
}

export function encodeCertificate(chain: readonly Uint8Array[]): Uint8Array {
  const w = new Writer(1024);
  w.withLength(3, (b) => {
    for (const c of chain) b.vector24(c);
  });
  return w.finish();
}
