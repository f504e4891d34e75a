import type { Certificate, CryptoProvider, PrivateKey } from '@x/crypto';
import type { KeyLogSink, SessionTicket, TicketIssuer } from '@x/tls13';
import type { SocketAddress } from '@x/wire';
import type { Frame } from '../frame/codec.js';
import { CryptoStream } from '../handshake/crypto-stream.js';
import type { PacketProtection } from '../packet/protection.js';
import { ReceivedPackets } from '../recovery/ack-ranges.js';
import type { PacketNumberSpace } from '../recovery/loss-detection.js';
import type { TransportParameters } from '../transport-parameters.js';
import type { QuicSessionTicket } from './early-data.js';

/** Options shared by both roles. */
export interface CommonConnectionOptions {
  readonly provider?: CryptoProvider;
  readonly alpnProtocols: readonly string[];
  /** Our transport parameters (flow control, limits, idle timeout); sensible defaults otherwise. */
  readonly transportParameters?: Partial<TransportParameters>;
  /** 'newreno' (default, RFC 9002 Appendix B) or 'cubic' (RFC 9438). */
  readonly congestionControl?: 'newreno' | 'cubic';
  /** Largest UDP payload we send (default 1350, as quiche; lowered to the peer's max_udp_payload_size). */
  readonly maxDatagramSize?: number;
  /**
   * Largest datagram PMTU discovery (RFC 9000 §14.3) may probe once the
   * handshake is confirmed; default: no probing. 'auto' (the node:dgram API's
   * default): 65000 towards a loopback address, whose MTU is 64 KB, else 1452.
   */
  readonly maxProbedDatagramSize?: number | 'auto';
  /** NSS key log lines (SSLKEYLOGFILE) for every TLS secret. */
  readonly keyLog?: KeyLogSink;
  /** One human-readable line per packet sent or received (the quic-echo --trace). */
  readonly trace?: (line: string) => void;
  /** One qlog event object per packet (JSON-SEQ writers serialise it). */
  readonly qlog?: (event: Record<string, unknown>) => void;
  /** Initiate a key update (RFC 9001 §6) every this many 1-RTT packets sent (tests). */
  readonly keyUpdateInterval?: number;
  /**
   * Added to `now` for TLS, which checks certificate validity and ticket ages
   * against wall-clock time: drivers on a monotonic clock pass
   * `Date.now() - performance.now()` (the Node API does).
   */
  readonly tlsClockOffset?: number;
  /** Key for stateless reset tokens of the IDs we issue (the endpoint's static key). */
  readonly statelessResetKey?: Uint8Array;
}

export interface ClientConnectionOptions extends CommonConnectionOptions {
  readonly serverName?: string;
  readonly trustAnchors?: readonly Certificate[];
  readonly pinnedFingerprints?: readonly string[];
  readonly insecureSkipVerify?: boolean;
  /** A ticket from an earlier connection ('session-ticket' event) to resume with. */
  readonly session?: SessionTicket;
  /**
   * Send 0-RTT with `session` when it allows it (RFC 9001 §4.6): streams opened
   * before the handshake completes carry their data in 0-RTT packets, under the
   * limits remembered with the ticket. 0-RTT can be replayed by an attacker
   * (RFC 8446 §8): only send what is safe to process twice.
   */
  readonly earlyData?: boolean;
  /** A NEW_TOKEN token from an earlier connection to this server (RFC 9000 §8.1.3). */
  readonly token?: Uint8Array;
}

export interface ServerConnectionOptions extends CommonConnectionOptions {
  readonly certificateChain: readonly Uint8Array[];
  readonly privateKey: PrivateKey;
  readonly tickets?: TicketIssuer;
  /**
   * Accept 0-RTT on connections resumed with our tickets (tickets then allow
   * it). Each ticket is single-use (the TicketIssuer remembers redeemed ones),
   * but 0-RTT data is still not forward secret; the application decides what
   * it may act on before the handshake completes.
   */
  readonly earlyData?: boolean;
  /** Servers: a qlog sink per connection (one file each), called as each connection is made. */
  readonly qlogFactory?: () => (event: Record<string, unknown>) => void;
  /**
   * Keep the TLS state after the handshake (for exportKeyingMaterial). Without it
   * and without `tickets`, a server frees it once the handshake completes.
   */
  readonly retainTls?: boolean;
  /** Key sealing NEW_TOKEN tokens; none are sent without it. */
  readonly tokenKey?: Uint8Array;
}

/** What the application learns from a connection (drain with `pollEvent`). */
export type ConnectionEvent =
  /** The TLS handshake completed: streams may carry data both ways. */
  | { readonly kind: 'connected' }
  /** The peer opened a stream. */
  | { readonly kind: 'stream-opened'; readonly id: number }
  /** Data or the FIN can be read from a stream. */
  | { readonly kind: 'stream-readable'; readonly id: number }
  /** The peer reset its sending part (RESET_STREAM). */
  | { readonly kind: 'stream-reset'; readonly id: number; readonly errorCode: number }
  /** The peer asked us to stop sending (STOP_SENDING); we answered with RESET_STREAM. */
  | { readonly kind: 'stream-stopped'; readonly id: number; readonly errorCode: number }
  /** A NEW_TOKEN token to present on the next connection to this server. */
  | { readonly kind: 'new-token'; readonly token: Uint8Array }
  /** A ticket to resume with (`session`), with what 0-RTT needs remembered in it. */
  | { readonly kind: 'session-ticket'; readonly ticket: QuicSessionTicket }
  /** The connection is over (its state lingers in closing/draining until `isClosed`). */
  | { readonly kind: 'closed'; readonly reason: CloseReason };

export interface CloseReason {
  /** Who ended it, or how it ended. */
  readonly by: 'local' | 'peer' | 'idle-timeout' | 'stateless-reset' | 'version-negotiation';
  readonly errorCode: number;
  /** Application (0x1d) or transport (0x1c) error space. */
  readonly application: boolean;
  readonly reason: string;
}

/** The default transport parameters we advertise. */
export const DEFAULT_LOCAL_PARAMETERS = {
  maxIdleTimeout: 30_000,
  // Every datagram node:dgram can hand us (the RFC 9000 §18.2 default): PMTU
  // probes towards us may then grow past Ethernet sizes where the path allows.
  maxUdpPayloadSize: 65527,
  initialMaxData: 4 * 1024 * 1024,
  initialMaxStreamDataBidiLocal: 1024 * 1024,
  initialMaxStreamDataBidiRemote: 1024 * 1024,
  initialMaxStreamDataUni: 1024 * 1024,
  initialMaxStreamsBidi: 100,
  initialMaxStreamsUni: 100,
  ackDelayExponent: 3,
  maxAckDelay: 25,
  activeConnectionIdLimit: 4,
} as const satisfies Partial<TransportParameters>;

export const LEVEL_OF_SPACE = {
  initial: 'initial',
  handshake: 'handshake',
  application: 'application',
} as const;

/** Shared stand-ins for a discarded space's state (never written: the space is skipped). */
const DISCARDED_CRYPTO = new CryptoStream(0);
const DISCARDED_RECEIVED = new ReceivedPackets('initial', 0, 1);

/** One packet number space (RFC 9000 §12.3): its keys, CRYPTO stream and ACK state. */
export class SpaceState {
  readonly name: PacketNumberSpace;
  read: PacketProtection | undefined;
  write: PacketProtection | undefined;
  crypto = new CryptoStream();
  received: ReceivedPackets;
  nextPn = 0;
  largestReceived = -1;
  discarded = false;
  /** PTO probes owed in this space. */
  probes = 0;

  constructor(name: PacketNumberSpace, maxAckDelay: number) {
    this.name = name;
    this.received = new ReceivedPackets(name, maxAckDelay);
  }

  /** RFC 9001 §4.9: keys discarded; nothing of this space is needed any more. */
  discard(): void {
    this.discarded = true;
    this.read = undefined;
    this.write = undefined;
    this.probes = 0;
    this.crypto = DISCARDED_CRYPTO;
    this.received = DISCARDED_RECEIVED;
  }
}

/** A frame we may have to send again, recorded with each sent packet. */
export type SentFrames = Frame[];

export interface PathInfo {
  readonly from: SocketAddress;
  readonly to: SocketAddress;
}
