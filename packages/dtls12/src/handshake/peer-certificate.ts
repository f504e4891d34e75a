import { type Certificate, type CryptoError, parseCertificate } from '@x/crypto';

/** DER definite length: [value, bytes used]; undefined when malformed. */
function readLength(der: Uint8Array, at: number): [number, number] | undefined {
  const first = der[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return [first, 1];
  const n = first & 0x7f;
  if (n === 0 || n > 3 || at + n >= der.length) return undefined;
  let v = 0;
  for (let i = 1; i <= n; i++) v = v * 256 + der[at + i]!;
  return [v, 1 + n];
}

function encodeLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  if (n < 0x10000) return [0x82, n >> 8, n & 0xff];
  return [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
}

/**
 * The certificate with an empty `[3] Extensions` (a3 02 30 00) removed from
 * its TBSCertificate, or undefined when it has no such field. werift (and
 * so WebRTC peers built on it) makes v3 certificates with an empty extension
 * list; RFC 5280 §4.1 says SIZE (1..MAX) and @x/crypto refuses it, while
 * OpenSSL, GnuTLS and Chromium accept it. The result is used for its
 * subject public key only: the fingerprint is always taken over the
 * original bytes, and the self-signature is not what authenticates a
 * WebRTC peer.
 */
function withoutEmptyExtensions(der: Uint8Array): Uint8Array | undefined {
  if (der[0] !== 0x30) return undefined;
  const outer = readLength(der, 1);
  if (!outer) return undefined;
  const tbsAt = 1 + outer[1];
  if (der[tbsAt] !== 0x30) return undefined;
  const tbs = readLength(der, tbsAt + 1);
  if (!tbs) return undefined;
  const tbsBody = tbsAt + 1 + tbs[1];
  const tbsEnd = tbsBody + tbs[0];
  if (tbsEnd > der.length || tbs[0] < 4) return undefined;
  const tail = der.subarray(tbsEnd - 4, tbsEnd);
  if (tail[0] !== 0xa3 || tail[1] !== 0x02 || tail[2] !== 0x30 || tail[3] !== 0x00)
    return undefined;
  const newTbs = [0x30, ...encodeLength(tbs[0] - 4), ...der.subarray(tbsBody, tbsEnd - 4)];
  const rest = der.subarray(tbsEnd, 1 + outer[1] + outer[0]);
  const body = [...newTbs, ...rest];
  return Uint8Array.from([0x30, ...encodeLength(body.length), ...body]);
}

/** parseCertificate, tolerating the empty extension list some WebRTC stacks emit. */
export function parsePeerCertificate(der: Uint8Array): Certificate {
  try {
    return parseCertificate(der);
  } catch (e) {
    const patched = /empty Extensions/.test((e as CryptoError).message)
      ? withoutEmptyExtensions(der)
      : undefined;
    if (patched === undefined) throw e;
    return parseCertificate(patched);
  }
}
