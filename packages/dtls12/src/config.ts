import {
  type Certificate,
  type CertificateFingerprint,
  type CryptoProvider,
  defaultProvider,
  type EcdheGroup,
  listCipherSuites,
  type PrivateKey,
  parseFingerprint,
} from '@x/crypto';
import { DEFAULT_SIGNATURE_SCHEMES } from './handshake/messages/extensions/signature-algorithms.js';
import type { RetransmitOptions } from './handshake/retransmit.js';

/** Our certificate chain (DER, leaf first) and the leaf's private key. */
export interface DtlsCertificate {
  readonly chain: readonly Uint8Array[];
  readonly privateKey: PrivateKey;
}

/** What the verification hook is told about the peer. */
export interface PeerCertificateInfo {
  /** The peer's chain as sent, DER, leaf first. */
  readonly chain: readonly Uint8Array[];
  /** The parsed leaf. */
  readonly leaf: Certificate;
  readonly role: 'client' | 'server';
}

export interface DtlsOptions {
  readonly provider?: CryptoProvider;
  /** Required for a server; for a client, sent when the server asks (WebRTC: both sides have one). */
  readonly certificate?: DtlsCertificate;
  /** Cipher suite code points in preference order (default: every registered 'tls12' suite, ECDSA-AES128-GCM first). */
  readonly cipherSuites?: readonly number[];
  readonly groups?: readonly EcdheGroup[];
  readonly signatureSchemes?: readonly number[];
  /** DTLS-SRTP profiles (RFC 5764 §4.1.2 ids) in preference order; empty to not offer use_srtp. */
  readonly srtpProfiles?: readonly number[];
  /** Largest datagram (UDP payload) we send, bytes. Default 1200. */
  readonly mtu?: number;
  readonly retransmit?: RetransmitOptions;
  /** Server: send CertificateRequest (WebRTC does). Default false. */
  readonly requestClientCertificate?: boolean;
  /** Server: fail the handshake when the client sends no certificate. Default false. */
  readonly requireClientCertificate?: boolean;
  /**
   * WebRTC mode (RFC 8827 §6.5): the peer's certificate must hash to this
   * fingerprint ("sha-256 AB:CD:..." or bare "AB:CD:..." for SHA-256).
   */
  readonly fingerprint?: string;
  /** Any other check on the peer certificate; return false or throw to fail with bad_certificate. */
  readonly verifyPeerCertificate?: (peer: PeerCertificateInfo) => boolean | undefined;
  /** RFC 7627: 'require' refuses peers without extended_master_secret. Default 'offer'. */
  readonly extendedMasterSecret?: 'offer' | 'require';
  /** NSS key log lines (SSLKEYLOGFILE format), one per handshake. */
  readonly keyLog?: (line: string) => void;
  /**
   * Client: offer an empty session_ticket (RFC 5077). There is no resumption
   * here; a NewSessionTicket is parsed, hashed into the transcript and dropped.
   */
  readonly offerSessionTicket?: boolean;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  readonly provider: CryptoProvider;
  readonly certificate: DtlsCertificate | undefined;
  readonly cipherSuites: readonly number[];
  readonly groups: readonly EcdheGroup[];
  readonly signatureSchemes: readonly number[];
  readonly srtpProfiles: readonly number[];
  readonly mtu: number;
  readonly retransmit: RetransmitOptions;
  readonly requestClientCertificate: boolean;
  readonly requireClientCertificate: boolean;
  readonly fingerprint: CertificateFingerprint | undefined;
  readonly verifyPeerCertificate: DtlsOptions['verifyPeerCertificate'];
  readonly requireExtendedMasterSecret: boolean;
  readonly keyLog: ((line: string) => void) | undefined;
  readonly offerSessionTicket: boolean;
}

/** The suites the issue lists, ECDSA-AES128-GCM first (what browsers pick). */
export const DEFAULT_CIPHER_SUITES: readonly number[] = [
  0xc02b, 0xc02c, 0xcca9, 0xc02f, 0xc030, 0xcca8,
];
export const DEFAULT_GROUPS: readonly EcdheGroup[] = ['x25519', 'P-256', 'P-384'];
/** SRTP_AEAD_AES_128_GCM, SRTP_AEAD_AES_256_GCM, SRTP_AES128_CM_HMAC_SHA1_80, _32. */
export const DEFAULT_SRTP_PROFILES: readonly number[] = [0x0007, 0x0008, 0x0001, 0x0002];

export function resolveOptions(o: DtlsOptions): ResolvedOptions {
  const registered = new Set(listCipherSuites('tls12').map((s) => s.id));
  const mtu = o.mtu ?? 1200;
  if (!Number.isInteger(mtu) || mtu < 128 || mtu > 65507)
    throw new RangeError(`mtu ${mtu}: expected 128..65507`);
  let fingerprint: CertificateFingerprint | undefined;
  if (o.fingerprint !== undefined) {
    fingerprint = parseFingerprint(
      /\s/.test(o.fingerprint.trim()) ? o.fingerprint : `sha-256 ${o.fingerprint}`,
    );
  }
  return {
    provider: o.provider ?? defaultProvider,
    certificate: o.certificate,
    cipherSuites: (o.cipherSuites ?? DEFAULT_CIPHER_SUITES).filter((id) => registered.has(id)),
    groups: o.groups ?? DEFAULT_GROUPS,
    signatureSchemes: o.signatureSchemes ?? DEFAULT_SIGNATURE_SCHEMES,
    srtpProfiles: o.srtpProfiles ?? DEFAULT_SRTP_PROFILES,
    mtu,
    retransmit: o.retransmit ?? {},
    requestClientCertificate: o.requestClientCertificate ?? false,
    requireClientCertificate: o.requireClientCertificate ?? false,
    fingerprint,
    verifyPeerCertificate: o.verifyPeerCertificate,
    requireExtendedMasterSecret: o.extendedMasterSecret === 'require',
    keyLog: o.keyLog,
    offerSessionTicket: o.offerSessionTicket ?? false,
  };
}
