/**
 * Deciding whether the peer's certificate chain is acceptable: chain
 * validation to trust anchors with the hostname check (@x/crypto verifyChain),
 * a pinned SHA-256 fingerprint, or the application's own hook.
 */
import {
  type Certificate,
  type CryptoProvider,
  certificateFingerprint,
  verifyChain,
} from '@x/crypto';
import { AlertDescription, TlsError, tlsError } from './alerts.js';
import { parseCertificateCached } from './cert-cache.js';
import type { CertificateEntry } from './messages/certificate.js';

export interface PeerVerification {
  readonly trustAnchors?: readonly Certificate[] | undefined;
  readonly pinnedFingerprints?: readonly string[] | undefined;
  readonly verifyPeer?: ((chain: readonly Certificate[], now: number) => boolean) | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  /** Client only: the server name the leaf must be valid for. */
  readonly hostname?: string | undefined;
  readonly purpose: 'serverAuth' | 'clientAuth';
}

export function parseChain(entries: readonly CertificateEntry[]): Certificate[] {
  return entries.map((e) => {
    try {
      return parseCertificateCached(e.certData);
    } catch (err) {
      throw new TlsError(
        AlertDescription.bad_certificate,
        `cannot parse the peer certificate: ${(err as Error).message}`,
      );
    }
  });
}

function normalizeFingerprint(text: string): string {
  return text
    .replace(/^\s*sha-256\s+/i, '')
    .trim()
    .toUpperCase();
}

export function verifyPeerChain(
  provider: CryptoProvider,
  chain: Certificate[],
  v: PeerVerification,
  now: number,
): void {
  if (v.insecureSkipVerify) return;
  const leaf = chain[0];
  if (leaf === undefined) throw tlsError('certificate_required', 'empty certificate chain');
  let accepted = false;
  if (v.pinnedFingerprints && v.pinnedFingerprints.length > 0) {
    const fp = certificateFingerprint(provider, leaf.der, 'SHA-256');
    accepted = v.pinnedFingerprints.some((p) => normalizeFingerprint(p) === fp);
    if (
      !accepted &&
      (v.trustAnchors === undefined || v.trustAnchors.length === 0) &&
      !v.verifyPeer
    ) {
      throw tlsError('bad_certificate', `certificate fingerprint ${fp} is not pinned`);
    }
  }
  if (!accepted && v.trustAnchors && v.trustAnchors.length > 0) {
    try {
      verifyChain(provider, {
        chain,
        trustAnchors: v.trustAnchors,
        now,
        ...(v.hostname === undefined ? {} : { hostname: v.hostname }),
        purpose: v.purpose,
      });
      accepted = true;
    } catch (e) {
      const message = (e as Error).message;
      // RFC 8446 §6.2: unknown_ca when no anchor is found, certificate_expired
      // for validity, bad_certificate for the rest (wrong name, bad signature).
      const alert = /expired|not valid until/.test(message)
        ? AlertDescription.certificate_expired
        : /untrusted root|no trusted issuer/.test(message)
          ? AlertDescription.unknown_ca
          : AlertDescription.bad_certificate;
      throw new TlsError(alert, message, { cause: e });
    }
  }
  if (v.verifyPeer) {
    let ok: boolean;
    try {
      ok = v.verifyPeer(chain, now);
    } catch (e) {
      throw new TlsError(
        AlertDescription.bad_certificate,
        `certificate rejected: ${(e as Error).message}`,
        { cause: e },
      );
    }
    if (!ok) throw tlsError('bad_certificate', 'certificate rejected by verifyPeer');
    accepted = true;
  }
  if (!accepted) {
    throw tlsError(
      'bad_certificate',
      'no trust anchors, pinned fingerprints or verifyPeer hook to check the certificate with',
    );
  }
}
