/**
 * The connection's state and what every layer of it shares: construction,
 * closing, the TLS bridge (CRYPTO data per level into QuicTls, traffic secrets
 * into packet protection) and key updates. The layers are split by file:
 * core.ts (this), receive.ts, send.ts and connection.ts (the public class).
 */

import { type CryptoProvider, defaultProvider } from '@x/crypto';
import type { QuicTls } from '@x/tls13';
import { type SocketAddress, toHex, Writer } from '@x/wire';
import { Cubic } from '../congestion/cubic.js';
import { NewReno } from '../congestion/new-reno.js';
import { Pacer } from '../congestion/pacer.js';
import { QuicError, TransportError } from '../errors.js';
import { encodeFrame, type Frame } from '../frame/codec.js';
import type { ConnectionCloseFrame } from '../frame/connection-close.js';
import { initialProtection } from '../handshake/initial-keys.js';
import { KeyGenerations } from '../handshake/key-update.js';
import { createToken } from '../handshake/token.js';
import { PacketProtection } from '../packet/protection.js';
import { LossDetection, type PacketNumberSpace } from '../recovery/loss-detection.js';
import type { SentPacket } from '../recovery/sent-packets.js';
import {
  decodeTransportParameters,
  encodeTransportParameters,
  type TransportParameters,
  validateConnectionIdParameters,
} from '../transport-parameters.js';
import { AmplificationLimit } from './amplification.js';
import { LocalCids, PeerCids, statelessResetToken } from './cid-manager.js';
import { CloseState } from './close.js';
import { loweredLimit, QUIC_MAX_EARLY_DATA } from './early-data.js';
import { effectiveIdleTimeout, IdleTimer } from './idle-timeout.js';
import { PmtuDiscovery, probeCeiling } from './pmtu.js';
import {
  type CloseReason,
  type CommonConnectionOptions,
  type ConnectionEvent,
  DEFAULT_LOCAL_PARAMETERS,
  type PathInfo,
  type SentFrames,
  SpaceState,
} from './state.js';
import { ConnectionStreams } from './streams.js';
import { describePacket, qlogFrame } from './trace.js';

const NO_TOKENS: readonly Uint8Array[] = [];

/** Every connection ID we issue is this long, so short headers can be parsed. */
export const LOCAL_CID_LENGTH = 8;
export const SPACES: readonly PacketNumberSpace[] = ['initial', 'handshake', 'application'];
/** qlog QUIC events' PacketType spells these two "0RTT" and "1RTT" (the others as we do). */
const QLOG_PACKET_TYPE: Readonly<Record<string, string>> = { '0rtt': '0RTT', '1rtt': '1RTT' };
export const AEAD_TAG = 16;
/** Largest UDP payload we send unless configured (as quiche), before PMTU discovery. */
const DEFAULT_MAX_DATAGRAM_SIZE = 1350;
const scratch = new Writer(256);
export const utf8 = new TextEncoder();
export const fromUtf8 = new TextDecoder();

export function frameSize(f: Frame): number {
  scratch.reset();
  encodeFrame(scratch, f);
  return scratch.length;
}

export function addressBytes(a: SocketAddress): Uint8Array {
  return utf8.encode(a.address);
}

export interface PlannedPacket {
  readonly space: PacketNumberSpace;
  readonly frames: Frame[];
  readonly ackEliciting: boolean;
  readonly hasAck: boolean;
}

/** What the endpoint tells a server connection about the Initial that created it. */
export interface ServerInitialInfo {
  /** The Destination Connection ID of the client's first Initial (before any Retry). */
  readonly originalDcid: Uint8Array;
  /** The DCID of the Initial being accepted (Initial keys derive from it). */
  readonly initialDcid: Uint8Array;
  readonly clientScid: Uint8Array;
  /** Set when the Initial carried our Retry token: the Retry's SCID. */
  readonly retrySourceCid?: Uint8Array;
  /** A valid Retry or NEW_TOKEN token proved the address (RFC 9000 §8.1). */
  readonly addressValidated: boolean;
  readonly path: PathInfo;
}

/** @internal The connection's state and the parts every layer uses (closing, TLS, keys). */
export abstract class ConnectionCore {
  readonly role: 'client' | 'server';
  readonly provider: CryptoProvider;
  /** Our first Source Connection ID (sequence 0). */
  readonly sourceCid: Uint8Array;
  /** The endpoint learns our connection IDs here, to route by them. */
  onCidIssued: ((cid: Uint8Array) => void) | undefined;
  /**
   * Called when an application call (a stream write or read, close, key update)
   * may have given the connection something to send, so an endpoint can poll it
   * without polling every connection it holds.
   */
  onWake: (() => void) | undefined;
  onCidRetired: ((cid: Uint8Array) => void) | undefined;

  /**
   * The TLS handshake. A server without session tickets releases it once the
   * handshake is complete (it is about a quarter of an idle connection's memory);
   * `retainTls` keeps it for exportKeyingMaterial.
   */
  protected _tls: QuicTls | undefined;
  protected _alpn: string | undefined;
  protected _resumed = false;
  protected _serverReleasesTls = false;
  protected _suite: string | undefined;
  protected readonly _options: CommonConnectionOptions;
  protected readonly _spaces: Record<PacketNumberSpace, SpaceState>;
  protected readonly _loss: LossDetection<SentFrames>;
  protected readonly _pacer: Pacer;
  protected readonly _amplification: AmplificationLimit;
  protected readonly _idle: IdleTimer;
  protected readonly _localParams: TransportParameters;
  protected readonly _localCids: LocalCids;
  protected readonly _streams: ConnectionStreams;
  protected _maxDatagramSize: number;
  protected readonly _pmtu: PmtuDiscovery;
  protected readonly _events: ConnectionEvent[] = [];
  protected readonly _control: Frame[] = [];
  protected readonly _originalDcid: Uint8Array;
  protected _remote: SocketAddress;
  protected _dcid: Uint8Array;
  protected _peerCids: PeerCids | undefined;
  protected _token: Uint8Array;
  protected _retrySourceCid: Uint8Array | undefined;
  protected _peerParams: TransportParameters | undefined;
  protected _idleTimeout: number | undefined;
  protected _handshakeComplete = false;
  protected _handshakeConfirmed = false;
  protected _handshakeDoneQueued = false;
  protected _receivedFromPeer = false;
  protected _closeFrame: ConnectionCloseFrame | undefined;
  protected _closeReason: CloseReason | undefined;
  protected _closeState: CloseState | undefined;
  protected _closeResend = false;
  protected _closed = false;
  protected _writeKeys: KeyGenerations | undefined;
  protected _readKeys: KeyGenerations | undefined;
  /** 0-RTT keys: a client's until 1-RTT keys replace them, a server's until the first 1-RTT packet. */
  protected _zeroRttWrite: PacketProtection | undefined;
  protected _zeroRttRead: PacketProtection | undefined;
  /** Client: the server parameters remembered with the ticket, which 0-RTT is sent under (RFC 9000 §7.4.1). */
  protected _rememberedParams: TransportParameters | undefined;
  /** Client: the ALPN of the ticket our 0-RTT was sent under. */
  protected _earlyAlpn: string | undefined;
  protected _earlyData: 'none' | 'offered' | 'accepted' | 'rejected' = 'none';
  protected _prevRead: PacketProtection | undefined;
  protected _prevReadUntil = 0;
  protected _readPhaseStartPn = 0;
  protected _writePhaseStartPn = 0;
  protected _writePhaseAcked = false;
  protected _oneRttSent = 0;
  protected _pacingUntil: number | undefined;
  protected _now = 0;
  /** Bytes of UDP payload sent and received (amplification tests, stats). */
  bytesSent = 0;
  bytesReceived = 0;
  keyUpdates = 0;
  /** Packets sent, received (authenticated) and declared lost. */
  readonly stats = { packetsSent: 0, packetsReceived: 0, packetsLost: 0, ptoCount: 0 };

  protected _serverTokenKey: Uint8Array | undefined;
  protected constructor(
    role: 'client' | 'server',
    options: CommonConnectionOptions,
    init: {
      scid: Uint8Array;
      dcid: Uint8Array;
      originalDcid: Uint8Array;
      initialDcid: Uint8Array;
      remote: SocketAddress;
      now: number;
      validated: boolean;
      makeTls: (tp: Uint8Array, local: TransportParameters) => QuicTls;
      tpExtra: Partial<TransportParameters>;
    },
  ) {
    this.role = role;
    this._options = options;
    this._now = init.now;
    const provider = options.provider ?? defaultProvider;
    this.provider = provider;
    this.sourceCid = init.scid;
    this._dcid = init.dcid;
    this._originalDcid = init.originalDcid;
    this._remote = init.remote;
    this._token = new Uint8Array(0);
    this._maxDatagramSize = options.maxDatagramSize ?? DEFAULT_MAX_DATAGRAM_SIZE;
    this._pmtu = new PmtuDiscovery(
      this._maxDatagramSize,
      probeCeiling(options.maxProbedDatagramSize, this._maxDatagramSize, init.remote),
    );
    const local = { ...DEFAULT_LOCAL_PARAMETERS, ...options.transportParameters };
    this._localParams = {
      ...local,
      disableActiveMigration: true,
      ...init.tpExtra,
      initialSourceConnectionId: init.scid,
    } as TransportParameters;
    this._spaces = {
      initial: new SpaceState('initial', 0),
      handshake: new SpaceState('handshake', 0),
      application: new SpaceState('application', this._localParams.maxAckDelay),
    };
    const keys = initialProtection(provider, init.initialDcid);
    this._spaces.initial.read = role === 'client' ? keys.server : keys.client;
    this._spaces.initial.write = role === 'client' ? keys.client : keys.server;
    const cc =
      options.congestionControl === 'cubic'
        ? new Cubic(this._maxDatagramSize)
        : new NewReno(this._maxDatagramSize);
    this._loss = new LossDetection<SentFrames>({ role, congestion: cc });
    // Drivers' timers (setTimeout) fire with about 1 ms granularity.
    this._pacer = new Pacer(this._maxDatagramSize, 10, 1);
    this._amplification = new AmplificationLimit(role === 'client' || init.validated);
    this._idle = new IdleTimer(init.now);
    this._idleTimeout = this._localParams.maxIdleTimeout || undefined;
    const resetKey = options.statelessResetKey ?? provider.randomBytes(32);
    this._localCids = new LocalCids(
      init.scid,
      () => {
        const connectionId = provider.randomBytes(LOCAL_CID_LENGTH);
        return {
          connectionId,
          statelessResetToken: statelessResetToken(provider, resetKey, connectionId),
        };
      },
      statelessResetToken(provider, resetKey, init.scid),
    );
    if (role === 'server') {
      this._peerCids = new PeerCids(init.dcid, this._localParams.activeConnectionIdLimit);
    }
    this._streams = new ConnectionStreams(role, this._localParams, this._events, this._control);
    const tp = encodeTransportParameters(this._localParams, role);
    this._tls = init.makeTls(tp, this._localParams);
  }

  // ---- state -------------------------------------------------------------

  get isEstablished(): boolean {
    return this._handshakeComplete && this._closeReason === undefined;
  }
  get isHandshakeConfirmed(): boolean {
    return this._handshakeConfirmed;
  }
  /** Nothing more will happen: the endpoint may forget the connection. */
  get isClosed(): boolean {
    return this._closed;
  }
  /** Whether the connection is closing, draining or closed. */
  get isClosing(): boolean {
    return this._closeReason !== undefined;
  }
  get closeReason(): CloseReason | undefined {
    return this._closeReason;
  }
  /** At least one packet from the peer authenticated (the endpoint keeps no state otherwise). */
  get hasReceivedValidPacket(): boolean {
    return this._receivedFromPeer;
  }
  get alpnProtocol(): string | undefined {
    return this._tls?.alpnProtocol ?? this._alpn;
  }
  /**
   * A client that can send 0-RTT now (a ticket that allows it, no 1-RTT keys
   * yet): streams opened and written now go out in the first flight.
   */
  get isInEarlyData(): boolean {
    return this._zeroRttWrite !== undefined;
  }

  /** Whether 0-RTT was offered and accepted (client), or accepted (server). */
  get earlyDataAccepted(): boolean {
    return this._earlyData === 'accepted';
  }

  /** Whether the handshake resumed a session (a PSK from a session ticket, RFC 8446 §2.2). */
  get resumed(): boolean {
    return this._tls?.resumed ?? this._resumed;
  }
  get cipherSuite(): string | undefined {
    return this._tls?.cipherSuite ?? this._suite;
  }
  get peerTransportParameters(): TransportParameters | undefined {
    return this._peerParams;
  }
  get remoteAddress(): SocketAddress {
    return this._remote;
  }
  get addressValidated(): boolean {
    return this._amplification.validated;
  }
  get congestionWindow(): number {
    return this._loss.congestion.congestionWindow;
  }
  get smoothedRtt(): number {
    return this._loss.rtt.smoothedRtt;
  }
  /** Our active connection IDs (the endpoint routes them). */
  get localConnectionIds(): Uint8Array[] {
    return this._localCids.active.map((c) => c.connectionId);
  }
  /** The peer's stateless reset tokens in use (a new array whenever they change). */
  get peerResetTokens(): readonly Uint8Array[] {
    return this._peerCids?.resetTokens ?? NO_TOKENS;
  }

  /** The peer's connection ID we send to. */
  get destinationCid(): Uint8Array {
    return this._peerCids?.current.connectionId ?? this._dcid;
  }
  exportKeyingMaterial(label: string, context: Uint8Array, length: number): Uint8Array {
    if (this._tls === undefined) {
      throw new Error(
        'TLS state was released after the handshake: create the server with retainTls',
      );
    }
    return this._tls.exportKeyingMaterial(label, context, length);
  }

  pollEvent(): ConnectionEvent | undefined {
    return this._events.shift();
  }

  // ---- closing ---------------------------------------------------------------

  /** Closes the connection with CONNECTION_CLOSE (application error by default). */
  close(errorCode = 0, reason = '', application = true): void {
    if (this._closeReason !== undefined) return;
    this.onWake?.();
    this._closeFrame = {
      type: 'connection_close',
      application,
      errorCode,
      frameType: 0,
      reasonPhrase: utf8.encode(reason).subarray(0, 256),
    };
    this._closeReason = { by: 'local', errorCode, application, reason };
  }

  protected _fail(e: QuicError): void {
    if (this._closeReason !== undefined) return;
    this._closeFrame = {
      type: 'connection_close',
      application: false,
      errorCode: e.code,
      frameType: e.frameType,
      reasonPhrase: utf8.encode(e.message).subarray(0, 200),
    };
    this._closeReason = { by: 'local', errorCode: e.code, application: false, reason: e.message };
  }

  protected _terminate(reason: CloseReason, draining: boolean, now: number): void {
    if (this._closeState === undefined && !this._closed) {
      if (this._closeReason === undefined) this._closeReason = reason;
      this._events.push({ kind: 'closed', reason: this._closeReason });
    }
    if (draining) {
      const pto = this._loss.rtt.pto(this._loss.maxAckDelay);
      this._closeState = this._closeState?.toDraining() ?? CloseState.draining(now, pto);
      this._closeFrame = undefined;
    } else {
      this._closed = true;
    }
  }

  // ---- TLS ---------------------------------------------------------------------

  protected _drainTls(now: number): void {
    const tls = this._tls;
    if (tls === undefined) return;
    for (let e = tls.poll(); e !== undefined; e = tls.poll()) {
      if (this._peerParams === undefined && e.kind === 'handshake-complete') {
        const raw = tls.peerTransportParameters;
        if (raw !== undefined) this._applyPeerParams(raw);
      }
      switch (e.kind) {
        case 'keys': {
          const { level, direction, keys } = e;
          if (level === 'handshake') {
            const p = PacketProtection.fromSecret(this.provider, keys.suite, keys.secret);
            if (direction === 'read') this._spaces.handshake.read = p;
            else {
              this._spaces.handshake.write = p;
              this._loss.hasHandshakeKeys = true;
            }
          } else if (level === 'application') {
            const p = PacketProtection.fromSecret(this.provider, keys.suite, keys.secret);
            const gen = new KeyGenerations(this.provider, keys.secret, p);
            if (direction === 'read') this._readKeys = gen;
            else {
              this._writeKeys = gen;
              // The server's limits held back while 0-RTT went out (_applyPeerParams).
              if (this._zeroRttWrite !== undefined && this._peerParams !== undefined)
                this._streams.applyPeer(this._peerParams);
              // RFC 9000 §17.2.3: no 0-RTT once 1-RTT keys are there (RFC 9001 §4.9.3: discard them).
              this._zeroRttWrite = undefined;
            }
          } else if (level === 'early') {
            const p = PacketProtection.fromSecret(this.provider, keys.suite, keys.secret);
            if (direction === 'read') {
              // A server gets 0-RTT read keys only when it accepts 0-RTT.
              this._zeroRttRead = p;
              this._earlyData = 'accepted';
            } else if (this._rememberedParams !== undefined) {
              this._zeroRttWrite = p;
              this._earlyData = 'offered';
              // §7.4.1: 0-RTT data is sent within the remembered limits.
              this._streams.applyPeer(this._rememberedParams);
              // Until the server's own parameters arrive (then its value holds, not this).
              this._setDatagramSize(
                Math.min(this._maxDatagramSize, this._rememberedParams.maxUdpPayloadSize),
              );
            }
          }
          break;
        }
        case 'handshake-data':
          if (e.level !== 'early') this._spaces[e.level].crypto.write(e.data);
          break;
        case 'handshake-complete':
          if (
            this._earlyData === 'rejected' &&
            tls.alpnProtocol !== this._earlyAlpn &&
            this._streams.hasWritten
          ) {
            // RFC 9001 §4.6.2: our 0-RTT data was for the ticket's protocol; resending
            // it under another would hand it to the wrong application protocol.
            throw new QuicError(
              TransportError.APPLICATION_ERROR,
              `0-RTT refused and the server chose ALPN ${tls.alpnProtocol}, not the ticket's ${this._earlyAlpn}`,
            );
          }
          this._handshakeComplete = true;
          this._events.push({ kind: 'connected' });
          if (this.role === 'server') {
            // RFC 9001 §4.1.2: the server's handshake is confirmed when it completes.
            this._handshakeDoneQueued = true;
            this._confirmHandshake(now);
            if (this._serverTokenKey !== undefined) {
              const token = createToken(
                { provider: this.provider, key: this._serverTokenKey },
                { kind: 'new-token', issuedAt: now },
                addressBytes(this._remote),
              );
              this._control.push({ type: 'new_token', token });
            }
          }
          this._issueCids();
          break;
        case 'session-ticket': {
          // RFC 9001 §4.6.1: in QUIC a ticket allowing 0-RTT says exactly 0xffffffff.
          if (e.ticket.maxEarlyData !== 0 && e.ticket.maxEarlyData !== QUIC_MAX_EARLY_DATA)
            throw new QuicError(
              TransportError.PROTOCOL_VIOLATION,
              `NewSessionTicket max_early_data_size ${e.ticket.maxEarlyData}, not 0xffffffff`,
            );
          // §7.4.1: the server's transport parameters go with the ticket, for 0-RTT.
          const transportParameters = tls.peerTransportParameters ?? new Uint8Array(0);
          this._events.push({
            kind: 'session-ticket',
            ticket: { ...e.ticket, transportParameters },
          });
          break;
        }
        case 'early-data':
          this._onEarlyDataAnswer(e.accepted, now);
          break;
        case 'alert':
          // RFC 9001 §4.8: CRYPTO_ERROR 0x100 + the TLS alert.
          throw QuicError.crypto(e.description, e.error.message);
      }
    }
    if (this._peerParams === undefined) {
      const raw = tls.peerTransportParameters;
      if (raw !== undefined) this._applyPeerParams(raw);
    }
    // A server sends nothing more at the TLS level unless it issues tickets
    // (RFC 9001 §4.1.3), and a client sends nothing after its Finished.
    if (
      this.role === 'server' &&
      tls.handshakeComplete &&
      this._serverReleasesTls &&
      !tls.engine.error
    ) {
      this._alpn = tls.alpnProtocol;
      this._suite = tls.cipherSuite;
      this._resumed = tls.resumed;
      this._tls = undefined;
    }
  }

  protected _applyPeerParams(raw: Uint8Array): void {
    const peerRole = this.role === 'client' ? 'server' : 'client';
    const p = decodeTransportParameters(raw, peerRole);
    validateConnectionIdParameters(p, peerRole, {
      initialSourceConnectionId: this._dcid,
      originalDestinationConnectionId: this._originalDcid,
      retrySourceConnectionId: this._retrySourceCid,
    });
    const remembered = this._rememberedParams;
    if (remembered !== undefined && this._earlyData === 'accepted') {
      // §7.4.1: a server that accepted 0-RTT MUST NOT lower what it was sent under.
      const lowered = loweredLimit(remembered, p);
      if (lowered !== undefined)
        throw new QuicError(
          TransportError.PROTOCOL_VIOLATION,
          `the server accepted 0-RTT but lowered ${lowered}`,
        );
    }
    this._peerParams = p;
    if (this._earlyData === 'rejected') {
      // The server processed none of our 0-RTT: every stream starts over under its limits.
      this._streams.restartAfterRefused0Rtt(p);
    } else if (this._zeroRttWrite === undefined) {
      this._streams.applyPeer(p);
    }
    // Otherwise (§7.4.1) 0-RTT packets stay within the remembered limits: the new
    // ones apply with the 1-RTT write keys (the server's Finished may come later).
    this._loss.maxAckDelay = p.maxAckDelay;
    this._limitDatagramSize(p.maxUdpPayloadSize);
    this._idleTimeout = effectiveIdleTimeout(
      this._localParams.maxIdleTimeout,
      p.maxIdleTimeout,
      this._loss.rtt.pto(p.maxAckDelay),
    );
    this._localCids.setPeerLimit(Math.min(p.activeConnectionIdLimit, 4));
    if (p.statelessResetToken !== undefined)
      this._peerCids?.setInitialResetToken(p.statelessResetToken);
  }

  /** RFC 9000 §18.2 max_udp_payload_size: never send datagrams the peer refuses. */
  protected _limitDatagramSize(maxUdpPayloadSize: number): void {
    const configured = this._options.maxDatagramSize ?? DEFAULT_MAX_DATAGRAM_SIZE;
    // From the configured size: a remembered (0-RTT) value no longer applies.
    this._setDatagramSize(Math.min(configured, maxUdpPayloadSize));
    this._pmtu.limit(maxUdpPayloadSize);
  }

  protected _setDatagramSize(size: number): void {
    if (size === this._maxDatagramSize) return;
    this._maxDatagramSize = size;
    this._loss.congestion.setMaxDatagramSize(size);
    this._pacer.setMaxDatagramSize(size);
  }

  /** Client: the server's answer to our 0-RTT. (A server learns it from its 0-RTT keys.) */
  protected _onEarlyDataAnswer(accepted: boolean, now: number): void {
    // Only a client offers ('offered'): a server's answer is its own.
    if (this._earlyData !== 'offered') return;
    this._earlyData = accepted ? 'accepted' : 'rejected';
    if (accepted) return;
    // RFC 9001 §4.6.2: the server processed none of it. Its packets leave
    // recovery (RFC 9002 §6.4); the streams start over once the server's
    // transport parameters are in (_applyPeerParams), control frames go again.
    this._zeroRttWrite = undefined;
    this._requeueSpace('application', now, (f) => f.type !== 'stream');
  }

  /**
   * A space's packets in flight will never be acknowledged (refused 0-RTT, a
   * Retry): they leave recovery, and their frames (those `keep` selects) are
   * queued again as if lost.
   */
  protected _requeueSpace(
    space: PacketNumberSpace,
    now: number,
    keep?: (f: Frame) => boolean,
  ): void {
    for (const p of this._loss.abandonSpace(space, now)) {
      if (keep === undefined) this._onPacketLost(space, p);
      else {
        const frames = p.frames?.filter(keep);
        if (frames?.length) this._onPacketLost(space, { ...p, frames });
      }
    }
  }

  protected abstract _onPacketLost(space: PacketNumberSpace, p: SentPacket<SentFrames>): void;

  protected _issueCids(): void {
    if (!this._handshakeComplete) return;
    for (const f of this._localCids.replenish()) {
      this.onCidIssued?.(f.connectionId);
      this._control.push(f);
    }
  }

  protected _confirmHandshake(now: number): void {
    if (this._handshakeConfirmed) return;
    this._handshakeConfirmed = true;
    this._loss.handshakeConfirmed = true;
    // RFC 9001 §4.9.2: Handshake keys are discarded once the handshake is confirmed.
    this._discardSpace('handshake', now);
  }

  protected _discardSpace(space: 'initial' | 'handshake', now: number): void {
    const s = this._spaces[space];
    if (s.discarded) return;
    s.discard();
    this._loss.discardSpace(space, now);
  }

  // ---- key update (RFC 9001 §6) ------------------------------------------------------

  protected _onPeerKeyUpdate(pn: number, now: number): void {
    const rk = this._readKeys!;
    this._prevRead = rk.current;
    this._prevReadUntil = now + 3 * this._loss.rtt.pto(this._loss.maxAckDelay);
    rk.update();
    this._readPhaseStartPn = pn;
    const wk = this._writeKeys;
    if (wk !== undefined && wk.keyPhase !== rk.keyPhase) {
      // The peer initiated: answer with our next keys (§6.2).
      wk.update();
      this._writePhaseStartPn = this._spaces.application.nextPn;
      this._writePhaseAcked = false;
      this.keyUpdates++;
    }
  }

  /**
   * Starts a key update (RFC 9001 §6.1). Only once the handshake is confirmed and a
   * packet of the current phase was acknowledged; false otherwise.
   */
  initiateKeyUpdate(): boolean {
    this.onWake?.();
    const wk = this._writeKeys;
    const rk = this._readKeys;
    if (!this._handshakeConfirmed || wk === undefined || rk === undefined) return false;
    if (!this._writePhaseAcked || wk.keyPhase !== rk.keyPhase) return false;
    wk.update();
    this._writePhaseStartPn = this._spaces.application.nextPn;
    this._writePhaseAcked = false;
    this.keyUpdates++;
    return true;
  }

  protected _tracePacket(
    direction: 'sent' | 'recv',
    type: string,
    dcid: Uint8Array,
    scid: Uint8Array | undefined,
    pn: number,
    size: number,
    frames: readonly Frame[],
    keyPhase?: number,
  ): void {
    const extra = keyPhase === undefined ? '' : ` kp=${keyPhase}`;
    this._options.trace?.(describePacket(direction, type, dcid, scid, pn, size, frames, extra));
    this._options.qlog?.({
      time: this._now,
      name: direction === 'sent' ? 'transport:packet_sent' : 'transport:packet_received',
      data: {
        header: {
          packet_type: QLOG_PACKET_TYPE[type] ?? type,
          packet_number: pn,
          dcid: toHex(dcid),
          scid: scid ? toHex(scid) : undefined,
        },
        raw: { length: size },
        frames: frames.map(qlogFrame),
      },
    });
  }
}
