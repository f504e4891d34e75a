/**
 * Server identity check (RFC 6125 §6, as updated by RFC 9525): the reference
 * hostname against the certificate's presented identifiers.
 * - DNS names compare case-insensitively (ASCII only; IDNs must arrive as A-labels).
 * - A wildcard is only a whole left-most label "*" and matches exactly one
 *   non-empty label (RFC 6125 §6.4.3; RFC 9525 §6.3 drops partial wildcards).
 * - An IP address matches only iPAddress SANs, byte for byte (RFC 9525 §6.5).
 * - The subject CN is consulted only when the certificate has no
 *   subjectAltName extension at all (RFC 6125 §6.4.4), and never for IPs.
 */
import type { Certificate } from './certificate.js';
import { parseIpAddress } from './ip.js';
import { commonName } from './names.js';
import { OID } from './oids.js';

const DNS_LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/;

/** Lower-cased labels of a DNS name with an optional final dot, or undefined if not one. */
function dnsLabels(name: string): string[] | undefined {
  const n = (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
  if (n.length === 0 || n.length > 253) return undefined;
  const labels = n.split('.');
  return labels.every((l) => l.length <= 63 && DNS_LABEL.test(l)) ? labels : undefined;
}

/** One presented DNS identifier (possibly a wildcard) against the reference labels. */
function dnsMatches(presented: string, reference: readonly string[]): boolean {
  const wildcard = presented.startsWith('*.');
  const labels = dnsLabels(wildcard ? presented.slice(2) : presented);
  if (!labels) return false;
  if (!wildcard)
    return labels.length === reference.length && labels.every((l, i) => l === reference[i]);
  // "*.com" would span a whole TLD: require at least two labels after the wildcard.
  if (labels.length < 2 || reference.length !== labels.length + 1) return false;
  return labels.every((l, i) => l === reference[i + 1]);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Whether the certificate is valid for `hostname` (a DNS name or an IP literal, IPv6 optionally in brackets). */
export function matchesHostname(cert: Certificate, hostname: string): boolean {
  const ip = parseIpAddress(hostname);
  if (ip) return cert.subjectAltNames.ip.some((candidate) => sameBytes(candidate, ip));
  const reference = dnsLabels(hostname);
  if (!reference) return false;
  if (cert.subjectAltNames.dns.some((name) => dnsMatches(name, reference))) return true;
  const hasSan = cert.extensions.some((e) => e.oid === OID.subjectAltName);
  if (hasSan) return false;
  const cn = commonName(cert.subject);
  return cn !== undefined && dnsMatches(cn, reference);
}
