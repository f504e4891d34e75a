/** What a client or server is configured with, and how names and defaults resolve. */
import {
  type Certificate,
  type CryptoProvider,
  defaultProvider,
  findCipherSuite,
  getCipherSuite,
  type PrivateKey,
  type Tls13Suite,
} from '@x/crypto';
import {
  getGroup,
  groupByName,
  type KeyExchangeGroup,
  NamedGroup,
} from './key-share/named-group.js';
import type { KeyLogSink } from './keylog.js';
import type { ClientHello } from './messages/client-hello.js';
import type { SessionTicket, TicketIssuer } from './tickets.js';

/** A suite by code point or IANA name. */
export type SuiteRef = number | string;
/** A group by code point or name (x25519, secp256r1 / P-256, secp384r1 / P-384, X25519MLKEM768). */
export type GroupRef = number | string;

interface CommonConfig {
  /** Crypto primitives; node:crypto by default. Tests inject randomness by wrapping one. */
  readonly provider?: CryptoProvider;
  /** Preference order. Default TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256. */
  readonly cipherSuites?: readonly SuiteRef[];
  /** Supported groups in preference order. Default x25519, secp256r1, secp384r1. */
  readonly groups?: readonly GroupRef[];
  /** ALPN protocol names in preference order (RFC 7301). */
  readonly alpnProtocols?: readonly string[];
  /** Receives an NSS key log line for every secret (SSLKEYLOGFILE format). */
  readonly keyLog?: KeyLogSink;
  /** Our own certificate chain (DER, leaf first) and its key. Required for servers. */
  readonly certificateChain?: readonly Uint8Array[];
  readonly privateKey?: PrivateKey;
  /** Trust anchors for the peer's chain. */
  readonly trustAnchors?: readonly Certificate[];
  /**
   * Accept a peer certificate whose SHA-256 fingerprint ("AB:CD:..." or
   * "sha-256 AB:CD:...") is listed, instead of chain validation (WebRTC-style
   * self-signed peers).
   */
  readonly pinnedFingerprints?: readonly string[];
  /**
   * A final say over the peer's chain, after the built-in checks (or instead of
   * them when `trustAnchors` and `pinnedFingerprints` are both absent): return
   * false or throw to reject with bad_certificate.
   */
  readonly verifyPeer?: (chain: readonly Certificate[], now: number) => boolean;
  /** QUIC (RFC 9001 §8.2): our transport parameters, sent as an opaque extension. */
  readonly quicTransportParameters?: Uint8Array;
}

export interface ClientConfig extends CommonConfig {
  /** SNI, and the name the server certificate must match. An IP literal is checked but not sent as SNI. */
  readonly serverName?: string;
  /** Groups to send key shares for in the first ClientHello. Default: the first of `groups`. */
  readonly keyShares?: readonly GroupRef[];
  /** Skip every check of the server's certificate (tests, --insecure). CertificateVerify is still verified. */
  readonly insecureSkipVerify?: boolean;
  /**
   * RFC 8446 Appendix D.4 middlebox compatibility: a 32-byte legacy_session_id
   * and a dummy ChangeCipherSpec. On by default over TCP; always off for QUIC.
   */
  readonly middleboxCompatibility?: boolean;
  /** A ticket from an earlier connection to resume with (PSK with (EC)DHE). */
  readonly session?: SessionTicket;
  /** Offer 0-RTT with `session` when the ticket allows it. */
  readonly earlyData?: boolean;
  /** Called for each NewSessionTicket received. */
  readonly onSessionTicket?: (ticket: SessionTicket) => void;
  /** Test hook: rewrite the first ClientHello before it is encoded (RFC 8448 trace reproduction). */
  readonly customizeClientHello?: (hello: ClientHello) => ClientHello;
}

export interface ServerConfig extends CommonConfig {
  readonly certificateChain: readonly Uint8Array[];
  readonly privateKey: PrivateKey;
  /** Ask for a client certificate; 'require' ends the handshake with certificate_required without one. */
  readonly requestClientCertificate?: boolean | 'require';
  /** Always answer the first ClientHello with a HelloRetryRequest carrying a cookie (address validation, tests). */
  readonly alwaysHelloRetry?: boolean;
  /** Issues and redeems session tickets; without it no tickets are sent and PSKs are ignored. */
  readonly tickets?: TicketIssuer;
  /** Accept up to this many bytes of 0-RTT data on a resumed connection (0 = refuse 0-RTT). */
  readonly maxEarlyData?: number;
  /**
   * Sealed into every ticket; 0-RTT is accepted only with a ticket issued under
   * the same bytes. Whatever the early data depends on goes here: QUIC puts
   * the transport parameters a client remembers (RFC 9000 §7.4.1).
   */
  readonly earlyDataContext?: Uint8Array;
}

export const DEFAULT_SUITES: readonly number[] = [0x1301, 0x1302, 0x1303];
export const DEFAULT_GROUPS: readonly number[] = [
  NamedGroup.x25519,
  NamedGroup.secp256r1,
  NamedGroup.secp384r1,
];

export function resolveProvider(config: CommonConfig): CryptoProvider {
  return config.provider ?? defaultProvider;
}

export function resolveSuites(refs: readonly SuiteRef[] | undefined): Tls13Suite[] {
  return (refs ?? DEFAULT_SUITES).map((ref) => {
    const s =
      typeof ref === 'number' ? getCipherSuite('tls13', ref) : findCipherSuite('tls13', ref);
    if (s === undefined) throw new TypeError(`unknown TLS 1.3 cipher suite ${String(ref)}`);
    return s;
  });
}

export function resolveGroups(refs: readonly GroupRef[] | undefined): KeyExchangeGroup[] {
  return (refs ?? DEFAULT_GROUPS).map((ref) => {
    const g = typeof ref === 'number' ? getGroup(ref) : groupByName(ref);
    if (g === undefined) throw new TypeError(`unsupported group ${String(ref)}`);
    return g;
  });
}
