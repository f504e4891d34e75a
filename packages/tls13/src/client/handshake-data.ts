/** What the client states pass along: resolved config and per-handshake values. */
import type { Certificate, Tls13Suite } from '@x/crypto';
import type { ClientConfig } from '../config.js';
import type { ClientKeyExchange, KeyExchangeGroup } from '../key-share/named-group.js';
import type { SessionTicket } from '../tickets.js';

export interface ClientData {
  readonly config: ClientConfig;
  readonly suites: readonly Tls13Suite[];
  readonly groups: readonly KeyExchangeGroup[];
  readonly alpn: readonly string[];
  /** The SNI we sent, if any (never an IP literal, RFC 6066 §3). */
  readonly sni: string | undefined;
  legacySessionId: Uint8Array;
  keyExchanges: ClientKeyExchange[];
  /** Extension types in our ClientHello: the server may only answer those (§4.2). */
  offeredExtensions: Set<number>;
  /** The resumption ticket offered, if any. */
  offeredPsk: SessionTicket | undefined;
  earlyDataOffered: boolean;
  /** Suite of the HelloRetryRequest, which the ServerHello must repeat. */
  hrrSuite: Tls13Suite | undefined;
  cookie: Uint8Array | undefined;
  clientHsSecret?: Uint8Array;
  serverHsSecret?: Uint8Array;
  certificateRequestContext?: Uint8Array;
  certificateRequested?: boolean;
  /** signature_algorithms of the server's CertificateRequest. */
  requestSchemes?: number[];
  peerChain?: Certificate[];
}
