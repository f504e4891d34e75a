/**
 * The sans-I/O QUIC connection (RFC 9000, 9001, 9002) for both roles, in the
 * quiche shape: `recv(datagram, path, now)`, `send(now)`, `timeout()`,
 * `onTimeout(now)`. The application owns the socket and the timer; the
 * connection owns packet number spaces, keys, CRYPTO streams, streams, flow
 * control, loss recovery and congestion control. Layers: core.ts (state,
 * closing, TLS, key update), receive.ts, send.ts, and this file (construction
 * for each role and the stream API).
 */
import { defaultProvider } from '@x/crypto';
import { QuicTls, type SessionTicket } from '@x/tls13';
import type { SocketAddress } from '@x/wire';
import { decodeTransportParameters, type TransportParameters } from '../transport-parameters.js';
import { statelessResetToken } from './cid-manager.js';
import { LOCAL_CID_LENGTH, type ServerInitialInfo } from './core.js';
import { allowsEarlyData, earlyDataContext, QUIC_MAX_EARLY_DATA } from './early-data.js';
import { ConnectionSender } from './send.js';
import type { ClientConnectionOptions, ServerConnectionOptions } from './state.js';

export { LOCAL_CID_LENGTH, type ServerInitialInfo } from './core.js';

/** The server parameters remembered with a ticket, when it allows 0-RTT and they decode. */
function rememberedParameters(session: SessionTicket | undefined): TransportParameters | undefined {
  if (!allowsEarlyData(session)) return undefined;
  try {
    return decodeTransportParameters(session.transportParameters, 'server');
  } catch {
    // A ticket stored by the application and damaged since: resume without 0-RTT.
    return undefined;
  }
}

export class Connection extends ConnectionSender {
  /**
   * A client connection; call `send(now)` to get its first Initial. With
   * `earlyData` and a ticket that allows it, streams can be opened and written
   * at once: their data goes in 0-RTT packets (and again in 1-RTT if the
   * server refuses them).
   */
  static client(options: ClientConnectionOptions, remote: SocketAddress, now: number): Connection {
    const provider = options.provider ?? defaultProvider;
    // RFC 9000 §7.2: an unpredictable Destination Connection ID of at least 8 bytes.
    const dcid = provider.randomBytes(8);
    const scid = provider.randomBytes(LOCAL_CID_LENGTH);
    const remembered = options.earlyData ? rememberedParameters(options.session) : undefined;
    const c = new Connection('client', options, {
      scid,
      dcid,
      originalDcid: dcid,
      initialDcid: dcid,
      remote,
      now,
      validated: true,
      tpExtra: {},
      makeTls: (tp) =>
        QuicTls.client({
          provider,
          serverName: options.serverName,
          alpnProtocols: options.alpnProtocols,
          trustAnchors: options.trustAnchors,
          pinnedFingerprints: options.pinnedFingerprints,
          insecureSkipVerify: options.insecureSkipVerify,
          session: options.session,
          earlyData: remembered !== undefined,
          keyLog: options.keyLog,
          quicTransportParameters: tp,
        }),
    });
    if (options.token) c._token = options.token;
    c._rememberedParams = remembered;
    c._earlyAlpn = options.session?.alpn;
    c._tls?.start(now + (options.tlsClockOffset ?? 0));
    c._drainTls(now);
    return c;
  }

  /** A server connection for a client Initial the endpoint accepted. */
  static server(
    options: ServerConnectionOptions,
    info: ServerInitialInfo,
    now: number,
  ): Connection {
    const provider = options.provider ?? defaultProvider;
    const scid = provider.randomBytes(LOCAL_CID_LENGTH);
    const resetKey = options.statelessResetKey ?? provider.randomBytes(32);
    const c = new Connection(
      'server',
      { ...options, statelessResetKey: resetKey },
      {
        scid,
        dcid: info.clientScid,
        originalDcid: info.originalDcid,
        initialDcid: info.initialDcid,
        remote: info.path.from,
        now,
        validated: info.addressValidated,
        tpExtra: {
          originalDestinationConnectionId: info.originalDcid,
          retrySourceConnectionId: info.retrySourceCid,
          statelessResetToken: statelessResetToken(provider, resetKey, scid),
        },
        makeTls: (tp, local) =>
          QuicTls.server({
            provider,
            certificateChain: options.certificateChain,
            privateKey: options.privateKey,
            alpnProtocols: options.alpnProtocols,
            tickets: options.tickets,
            maxEarlyData: options.earlyData ? QUIC_MAX_EARLY_DATA : 0,
            earlyDataContext: earlyDataContext(local),
            keyLog: options.keyLog,
            quicTransportParameters: tp,
          }),
      },
    );
    c._serverTokenKey = options.tokenKey;
    c._serverReleasesTls = options.tickets === undefined && options.retainTls !== true;
    return c;
  }

  // ---- streams (the application side; state lives in ConnectionStreams) -------

  /** Opens a stream of ours; undefined while the peer's MAX_STREAMS (or the handshake) does not allow it. */
  openStream(bidirectional = true): number | undefined {
    if (this._closeReason !== undefined) return undefined;
    this.onWake?.();
    return this._streams.open(bidirectional);
  }

  /** Queues data (and optionally the FIN) on a stream. The bytes must not be modified afterwards. */
  streamWrite(id: number, data: Uint8Array, fin = false): void {
    this.onWake?.();
    this._streams.write(id, data, fin);
  }

  /** Bytes queued on a stream but not yet acknowledged (backpressure). */
  streamBuffered(id: number): number {
    return this._streams.buffered(id);
  }

  /**
   * Reads what is in order on a stream. `fin` is true once the end of the stream
   * was read; `reset` carries the peer's RESET_STREAM error code.
   */
  streamRead(
    id: number,
    max?: number,
  ): { data: Uint8Array | undefined; fin: boolean; reset?: number } | undefined {
    this.onWake?.();
    return this._streams.read(id, max, this._now, this._loss.rtt.smoothedRtt);
  }

  /** RESET_STREAM: abandon sending on a stream (RFC 9000 §3.1). */
  streamReset(id: number, errorCode: number): void {
    this.onWake?.();
    this._streams.reset(id, errorCode);
  }

  /** STOP_SENDING: ask the peer to stop sending on a stream (RFC 9000 §3.5). */
  streamStopSending(id: number, errorCode: number): void {
    this.onWake?.();
    this._streams.stopSending(id, errorCode);
  }
}
