/**
 * Certification path validation (RFC 5280 §6.1, the parts TLS needs): the
 * peer's chain, leaf first, is followed issuer by issuer until a certificate
 * is a trust anchor or is signed by one. Each step checks validity at `now`,
 * issuer name, signature, CA status, keyUsage, pathLen and unknown critical
 * extensions. Policy processing and name constraints are not implemented, so
 * a certificate with a critical nameConstraints extension is refused.
 */
import { CryptoError } from '../errors.js';
import type { CryptoProvider } from '../provider.js';
import type { Certificate } from './certificate.js';
import { UNDERSTOOD_EXTENSIONS } from './extensions.js';
import { matchesHostname } from './hostname.js';
import { formatIpAddress } from './ip.js';
import { OID } from './oids.js';
import { verifyCertificateSignature } from './verify.js';

export interface VerifyChainOptions {
  /** The certificates the peer sent, leaf first (TLS 1.3 Certificate, RFC 8446 §4.4.2). */
  readonly chain: readonly Certificate[];
  /** Trusted certificates; only their name and key are relied on (RFC 5280 §6.1.1 (d)). */
  readonly trustAnchors: readonly Certificate[];
  /** The time to validate at, in ms since the epoch (the library never reads a clock). */
  readonly now: number;
  /** When given, the leaf must be valid for this DNS name or IP literal (RFC 6125). */
  readonly hostname?: string;
  /** When given, a leaf with extKeyUsage must allow this purpose (RFC 5280 §4.2.1.12). */
  readonly purpose?: 'serverAuth' | 'clientAuth';
  /** Longest accepted path including leaf and anchor (default 10). */
  readonly maxPathLength?: number;
}

function fail(message: string): never {
  throw new CryptoError('bad_certificate', message);
}

const describe = (cert: Certificate): string => `"${cert.subject.text || '(empty subject)'}"`;

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const selfIssued = (cert: Certificate): boolean => sameBytes(cert.subject.der, cert.issuer.der);

function checkValidity(cert: Certificate, now: number): void {
  // RFC 5280 §4.1.2.5: the validity period includes both bounds.
  if (now < cert.notBefore) {
    fail(`${describe(cert)} is not valid until ${new Date(cert.notBefore).toISOString()}`);
  }
  if (now > cert.notAfter)
    fail(`${describe(cert)} expired at ${new Date(cert.notAfter).toISOString()}`);
}

function checkCriticalExtensions(cert: Certificate): void {
  // RFC 5280 §4.2: an unrecognized critical extension makes the certificate unusable.
  for (const ext of cert.extensions) {
    if (ext.critical && !UNDERSTOOD_EXTENSIONS.has(ext.oid)) {
      fail(`${describe(cert)} has an unsupported critical extension ${ext.oid}`);
    }
  }
}

function checkSignatureAlgorithm(cert: Certificate): void {
  const alg = cert.signatureAlgorithm;
  // SHA-1 signatures are forgeable in practice (SHAttered, 2017); CAs stopped in 2016.
  // Only signatures we rely on are checked: a trust anchor's own may be SHA-1.
  if (alg.name !== 'ed25519' && alg.hash === 'SHA-1')
    fail(`${describe(cert)} is signed with SHA-1`);
}

/**
 * The checks on a certificate that issues the one below it: path[0] is the
 * leaf, path[path.length - 1] is the certificate `issuer` signed.
 */
function checkIssuer(issuer: Certificate, path: readonly Certificate[], anchor: boolean): void {
  const hasBasicConstraints = issuer.extensions.some((e) => e.oid === OID.basicConstraints);
  // RFC 5280 §6.1.4 (k): an intermediate must assert cA. A trust anchor is trusted
  // as given, but one that says cA=false must not issue (version 1 roots, which
  // have no extensions, remain usable).
  if (anchor ? hasBasicConstraints && !issuer.isCA : !issuer.isCA) {
    fail(
      `${describe(issuer)} is not a CA certificate but issued ${describe(path[path.length - 1]!)}`,
    );
  }
  // RFC 5280 §4.2.1.3 / §6.1.4 (n): a CA key with keyUsage must allow keyCertSign.
  if (issuer.keyUsage !== undefined && !issuer.keyUsage.includes('keyCertSign')) {
    fail(`${describe(issuer)} keyUsage does not allow certificate signing`);
  }
  // RFC 5280 §4.2.1.9: pathLenConstraint bounds the non-self-issued intermediates below.
  if (issuer.isCA && issuer.pathLen !== undefined) {
    const below = path.slice(1).filter((c) => !selfIssued(c)).length;
    if (below > issuer.pathLen) {
      fail(
        `${describe(issuer)} allows ${issuer.pathLen} intermediate(s) below it but the path has ${below}`,
      );
    }
  }
}

function checkLeaf(leaf: Certificate, options: VerifyChainOptions): void {
  if (options.hostname !== undefined && !matchesHostname(leaf, options.hostname)) {
    const names = [...leaf.subjectAltNames.dns, ...leaf.subjectAltNames.ip.map(formatIpAddress)];
    fail(
      `${describe(leaf)} is not valid for "${options.hostname}" (names: ${names.join(', ') || 'none'})`,
    );
  }
  const eku = leaf.extendedKeyUsage;
  if (options.purpose !== undefined && eku !== undefined) {
    const wanted = options.purpose === 'serverAuth' ? OID.serverAuth : OID.clientAuth;
    if (!eku.includes(wanted) && !eku.includes(OID.anyExtendedKeyUsage)) {
      fail(`${describe(leaf)} extKeyUsage does not allow ${options.purpose}`);
    }
  }
}

/**
 * Validates the chain and returns the path from the leaf to the trust anchor
 * (inclusive). Throws CryptoError('bad_certificate') with the reason otherwise.
 * The anchor may be the last element of `chain` or appear only in
 * `trustAnchors`; a leaf that is itself a trust anchor (a pinned self-signed
 * certificate) is a path of one.
 */
export function verifyChain(provider: CryptoProvider, options: VerifyChainOptions): Certificate[] {
  const { chain, trustAnchors, now } = options;
  const maxPathLength = options.maxPathLength ?? 10;
  const leaf = chain[0];
  if (leaf === undefined) fail('empty certificate chain');
  checkValidity(leaf, now);
  checkCriticalExtensions(leaf);
  checkLeaf(leaf, options);

  const path: Certificate[] = [leaf];
  for (let i = 0; ; i++) {
    const current = path[path.length - 1]!;
    if (trustAnchors.some((a) => sameBytes(a.der, current.der))) return path;
    if (path.length >= maxPathLength) fail(`certificate path longer than ${maxPathLength}`);

    // An anchor with the issuer's name whose key verifies ends the path. Several
    // anchors may share a name (CA key rollover), so each candidate is tried.
    const named = trustAnchors.filter((a) => sameBytes(a.subject.der, current.issuer.der));
    const anchor = named.find((a) => verifyCertificateSignature(provider, current, a.publicKey));
    if (anchor) {
      checkSignatureAlgorithm(current);
      checkValidity(anchor, now);
      checkCriticalExtensions(anchor);
      checkIssuer(anchor, path, true);
      path.push(anchor);
      return path;
    }

    const next = chain[i + 1];
    if (next === undefined) {
      if (named[0] !== undefined) {
        fail(
          `signature on ${describe(current)} does not verify with the key of trust anchor ${describe(named[0])}`,
        );
      }
      if (selfIssued(current) && verifyCertificateSignature(provider, current, current.publicKey)) {
        fail(`${describe(current)} is self-signed and not a trust anchor (untrusted root)`);
      }
      fail(
        `no trusted issuer "${current.issuer.text}" for ${describe(current)} (missing intermediate?)`,
      );
    }
    if (!sameBytes(next.subject.der, current.issuer.der)) {
      fail(
        `${describe(next)} is not the issuer of ${describe(current)} (issuer "${current.issuer.text}")`,
      );
    }
    checkSignatureAlgorithm(current);
    if (!verifyCertificateSignature(provider, current, next.publicKey)) {
      fail(`signature on ${describe(current)} does not verify with the key of ${describe(next)}`);
    }
    checkValidity(next, now);
    checkCriticalExtensions(next);
    checkIssuer(next, path, false);
    path.push(next);
  }
}
