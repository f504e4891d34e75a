/**
 * What every handshake state can see and change: configuration, the record
 * layer, the transcript, the key schedule, and what has been negotiated. The
 * states (client/, server/) are the only code that moves a connection forward;
 * this module only holds and installs things.
 */
import type {
  Certificate,
  CryptoProvider,
  Direction,
  EncryptionLevel,
  HandshakeRecordLayer,
  Tls13Suite,
} from '@x/crypto';
import { tlsError } from './alerts.js';
import type { KeySchedule } from './key-schedule.js';
import type { KeyExchangeGroup } from './key-share/named-group.js';
import { type KeyLogLabel, type KeyLogSink, keyLogLine } from './keylog.js';
import type { ClientHello } from './messages/client-hello.js';
import type { HandshakeMessage } from './messages/handshake-type.js';
import type { SessionTicket } from './tickets.js';
import { Transcript } from './transcript.js';

export type Role = 'client' | 'server';

/** A handshake state in rustls style: it consumes one message and returns the next state. */
export interface State {
  readonly name: string;
  handle(cx: Context, msg: HandshakeMessage, now: number): State;
}

/** Notifications to whoever drives the engine (the TCP connection or the QUIC adapter). */
export interface EngineEvents {
  handshakeComplete?(): void;
  sessionTicket?(ticket: SessionTicket): void;
  /** Client: the server accepted (true) or refused (false) our 0-RTT data. Server: 0-RTT will be read (true). */
  earlyData?(accepted: boolean): void;
  /** TCP: a KeyUpdate from the peer asked us to update our sending keys too (done already). */
  keyUpdated?(direction: Direction): void;
  /** Server: a ClientHello arrived (before any answer is sent). */
  clientHello?(hello: ClientHello): void;
}

export interface Negotiated {
  suite: Tls13Suite | undefined;
  group: KeyExchangeGroup | undefined;
  alpn: string | undefined;
  serverName: string | undefined;
  peerCertificates: Certificate[];
  /** The peer's leaf certificate DER as sent. */
  peerCertificateDer: Uint8Array[];
  resumed: boolean;
  earlyDataAccepted: boolean;
  helloRetry: boolean;
  peerTransportParameters: Uint8Array | undefined;
}

export class Context {
  readonly role: Role;
  readonly provider: CryptoProvider;
  readonly recordLayer: HandshakeRecordLayer;
  readonly quic: boolean;
  readonly keyLog: KeyLogSink | undefined;
  readonly events: EngineEvents;
  readonly transcript: Transcript;
  keySchedule: KeySchedule | undefined;
  clientRandom: Uint8Array = new Uint8Array(32);
  /** The level our handshake messages and alerts currently go out at. */
  writeLevel: EncryptionLevel = 'initial';
  /** The level peer handshake messages must arrive at. */
  readLevel: EncryptionLevel = 'initial';
  /** Bumped on every read-key change, so the engine can refuse messages that span one (§5.1). */
  readEpoch = 0;
  readonly negotiated: Negotiated = {
    suite: undefined,
    group: undefined,
    alpn: undefined,
    serverName: undefined,
    peerCertificates: [],
    peerCertificateDer: [],
    resumed: false,
    earlyDataAccepted: false,
    helloRetry: false,
    peerTransportParameters: undefined,
  };
  clientAppSecret: Uint8Array | undefined;
  serverAppSecret: Uint8Array | undefined;
  exporterMasterSecret: Uint8Array | undefined;
  earlyExporterMasterSecret: Uint8Array | undefined;
  resumptionMasterSecret: Uint8Array | undefined;
  /** KeyUpdate generations for the key log (CLIENT_TRAFFIC_SECRET_N). */
  generation = { client: 0, server: 0 };
  handshakeComplete = false;

  constructor(options: {
    role: Role;
    provider: CryptoProvider;
    recordLayer: HandshakeRecordLayer;
    quic: boolean;
    keyLog: KeyLogSink | undefined;
    events: EngineEvents;
  }) {
    this.role = options.role;
    this.provider = options.provider;
    this.recordLayer = options.recordLayer;
    this.quic = options.quic;
    this.keyLog = options.keyLog;
    this.events = options.events;
    this.transcript = new Transcript(options.provider);
  }

  get suite(): Tls13Suite {
    const s = this.negotiated.suite;
    if (s === undefined) throw tlsError('internal_error', 'no cipher suite negotiated yet');
    return s;
  }

  get schedule(): KeySchedule {
    if (this.keySchedule === undefined)
      throw tlsError('internal_error', 'key schedule not started');
    return this.keySchedule;
  }

  log(label: KeyLogLabel, secret: Uint8Array): void {
    this.keyLog?.(keyLogLine(label, this.clientRandom, secret));
  }

  /** Hands a traffic secret to the record layer (and the key log) for one level and direction. */
  install(level: EncryptionLevel, direction: Direction, secret: Uint8Array): void {
    this.recordLayer.installKeys(level, direction, { kind: 'tls13', suite: this.suite, secret });
    if (direction === 'write') this.writeLevel = level;
    else {
      this.readLevel = level;
      this.readEpoch++;
    }
  }

  send(level: EncryptionLevel, message: Uint8Array, transcript = true): void {
    if (transcript) this.transcript.add(message);
    this.recordLayer.sendHandshake(level, message);
  }
}
