/**
 * Parsed peer certificates by their DER bytes: a client talking to the same
 * server again (or a server seeing the same client certificate) skips the
 * ASN.1 parse, which costs as much as an ECDHE. Bounded, oldest evicted first.
 */
import { type Certificate, parseCertificate } from '@x/crypto';
import { equalBytes } from '@x/wire';

const MAX = 64;
const cache = new Map<string, Certificate>();

function keyOf(der: Uint8Array): string {
  // Length plus a few spread bytes picks the bucket; equalBytes below decides.
  let k = `${der.length}:`;
  const step = Math.max(1, Math.floor(der.length / 24));
  for (let i = der.length - 1; i >= 0; i -= step) k += der[i]!.toString(36);
  return k;
}

export function parseCertificateCached(der: Uint8Array): Certificate {
  const key = keyOf(der);
  const hit = cache.get(key);
  if (hit !== undefined && equalBytes(hit.der, der)) return hit;
  const cert = parseCertificate(der);
  if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, cert);
  return cert;
}
