import { CryptoError, createRecordProtector, getCipherSuite, type Tls12Suite } from '@x/crypto';
import { DecodeError } from '@x/wire';
import { type DtlsOptions, type ResolvedOptions, resolveOptions } from './config.js';
import { AlertDescription, AlertLevel, DtlsError } from './errors.js';
import { exportKeyingMaterial, type KeyingMaterialExporter } from './exporter.js';
import { ClientHandshake } from './handshake/client.js';
import { type FlightMessage, HandshakeContext } from './handshake/context.js';
import { writeFlight } from './handshake/flight-writer.js';
import { FragmentBuffer } from './handshake/fragment-buffer.js';
import { decodeHandshakeFragments, HandshakeType } from './handshake/messages/handshake-header.js';
import { RetransmitTimer } from './handshake/retransmit.js';
import { ServerHandshake } from './handshake/server.js';
import type { HandshakeRole, HandshakeStep } from './handshake/step.js';
import { deriveTrafficKeys } from './key-schedule.js';
import { clientRandomLine } from './keylog.js';
import {
  ContentType,
  type DtlsRecord,
  decodeRecords,
  decodeWholeRecords,
} from './record/record.js';
import { RecordLayer } from './record/record-layer.js';

export type DtlsState = 'handshaking' | 'connected' | 'closed' | 'failed';

export interface DtlsConnectionEvents {
  connected: () => void;
  data: (data: Uint8Array) => void;
  close: () => void;
  error: (error: DtlsError) => void;
}

/** Records of a not-yet-installed epoch kept for later (e.g. Finished overtaking ClientKeyExchange). */
const MAX_FUTURE_RECORDS = 16;

/**
 * One DTLS 1.2 association with one peer, sans-I/O: feed it datagrams and
 * the time, drain datagrams with poll(), call handleTimeout() at
 * nextDeadline(). Events fire synchronously inside those calls.
 */
export class DtlsConnection implements KeyingMaterialExporter {
  readonly role: 'client' | 'server';
  readonly #o: ResolvedOptions;
  readonly #ctx: HandshakeContext;
  readonly #hs: HandshakeRole;
  readonly #records: RecordLayer;
  readonly #fragments = new FragmentBuffer();
  readonly #timer: RetransmitTimer;
  readonly #listeners: { [K in keyof DtlsConnectionEvents]: DtlsConnectionEvents[K][] } = {
    connected: [],
    data: [],
    close: [],
    error: [],
  };
  #state: DtlsState = 'handshaking';
  #error: DtlsError | undefined;
  #lastFlight: FlightMessage[] = [];
  /** message_seq where the peer's current flight starts: lower ones mean it is repeating an old flight. */
  #peerFlightStart = 0;
  #alertEpoch = 0;
  #started = false;
  #future: DtlsRecord[] = [];
  #early: Uint8Array[] = [];
  /** When the last flight was last resent, by timer or because the peer repeated itself (rate limit). */
  #lastResendAt = Number.NEGATIVE_INFINITY;

  /** `resolved` lets a server share one validated copy of its options across sessions. */
  constructor(role: 'client' | 'server', options: DtlsOptions, resolved?: ResolvedOptions) {
    this.role = role;
    this.#o = resolved ?? resolveOptions(options);
    this.#ctx = new HandshakeContext(role, this.#o);
    this.#hs = role === 'client' ? new ClientHandshake(this.#ctx) : new ServerHandshake(this.#ctx);
    this.#records = new RecordLayer(this.#o.mtu);
    this.#timer = new RetransmitTimer(this.#o.retransmit);
  }

  on<K extends keyof DtlsConnectionEvents>(event: K, listener: DtlsConnectionEvents[K]): this {
    this.#listeners[event].push(listener);
    return this;
  }

  get state(): DtlsState {
    return this.#state;
  }
  /** The failure, once state is 'failed'. */
  get error(): DtlsError | undefined {
    return this.#error;
  }
  get cipherSuite(): Tls12Suite | undefined {
    return this.#ctx.suite;
  }
  get group() {
    return this.#ctx.group;
  }
  /** The negotiated DTLS-SRTP profile id, if use_srtp was agreed. */
  get srtpProfile(): number | undefined {
    return this.#ctx.srtpProfile;
  }
  get srtpProfileName(): string | undefined {
    const id = this.#ctx.srtpProfile;
    return id === undefined ? undefined : getCipherSuite('srtp', id)?.name;
  }
  get extendedMasterSecret(): boolean {
    return this.#ctx.extendedMasterSecret;
  }
  /** The peer's certificate chain (DER, leaf first); empty if it sent none. */
  get peerCertificates(): readonly Uint8Array[] {
    return this.#ctx.peerChain;
  }
  get clientRandom(): Uint8Array {
    return this.#ctx.clientRandom;
  }
  /** Retransmissions of the current flight so far (for tests and stats). */
  get retransmissions(): number {
    return this.#timer.retransmissions;
  }

  /** Client: sends flight 1. Called implicitly by the first poll/receive/handleTimeout. */
  start(now: number): void {
    if (this.#started) return;
    this.#started = true;
    this.#guard(() => this.#apply(this.#hs.start(), now));
  }

  receive(datagram: Uint8Array, now: number): void {
    this.start(now);
    if (this.#state === 'closed' || this.#state === 'failed') return;
    let records: DtlsRecord[];
    try {
      records = decodeRecords(datagram);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      // RFC 6347 §4.1.2.7: invalid records are discarded; keep the whole ones before the damage.
      records = decodeWholeRecords(datagram);
    }
    this.#guard(() => {
      for (const r of records) {
        if (this.#state === 'closed' || this.#state === 'failed') break;
        this.#receiveRecord(r, now, true);
      }
    });
  }

  poll(now: number): Uint8Array | undefined {
    this.start(now);
    return this.#records.outgoing.shift();
  }

  nextDeadline(): number | undefined {
    return this.#timer.deadline;
  }

  handleTimeout(now: number): void {
    this.start(now);
    if (!this.#timer.expired(now)) return;
    if (!this.#timer.backoff(now)) {
      this.#fail(
        new DtlsError(
          AlertDescription.handshake_failure,
          'handshake timed out (no answer to retransmissions)',
        ),
        false,
      );
      return;
    }
    this.#lastResendAt = now;
    this.#transmit(this.#lastFlight);
  }

  /** Sends one application-data record (RFC 6347 §4.1.1: it must fit one datagram). */
  send(data: Uint8Array): void {
    if (this.#state !== 'connected')
      throw new DtlsError(AlertDescription.internal_error, `cannot send in state ${this.#state}`);
    const room = Math.min(16384, this.#records.roomInEmptyDatagram(1));
    if (data.length > room)
      throw new RangeError(`application data of ${data.length} bytes exceeds one record (${room})`);
    this.#records.writeRecord(ContentType.application_data, 1, data);
    this.#records.flushDatagram();
  }

  /** Sends close_notify (RFC 5246 §7.2.1) and closes. */
  close(): void {
    if (this.#state === 'closed' || this.#state === 'failed') return;
    this.#sendAlert(AlertLevel.warning, AlertDescription.close_notify);
    this.#state = 'closed';
    this.#timer.stop();
    this.#emit('close');
  }

  exportKeyingMaterial(label: string, context: Uint8Array | undefined, length: number): Uint8Array {
    const ctx = this.#ctx;
    if (this.#state !== 'connected' || ctx.masterSecret === undefined) {
      throw new DtlsError(
        AlertDescription.internal_error,
        'exporter used before the handshake completed',
      );
    }
    return exportKeyingMaterial(
      ctx.provider,
      ctx.suite!.hash,
      ctx.masterSecret,
      ctx.clientRandom,
      ctx.serverRandom,
      label,
      context,
      length,
    );
  }

  #emit<K extends keyof DtlsConnectionEvents>(
    event: K,
    ...args: Parameters<DtlsConnectionEvents[K]>
  ): void {
    for (const l of this.#listeners[event]) (l as (...a: unknown[]) => void)(...args);
  }

  /** Runs protocol work; a failure becomes a fatal alert and the 'failed' state, never an exception. */
  #guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof DtlsError) this.#fail(e, true);
      else if (e instanceof DecodeError)
        this.#fail(new DtlsError(AlertDescription.decode_error, e.message), true);
      else if (e instanceof CryptoError)
        this.#fail(new DtlsError(AlertDescription.illegal_parameter, e.message), true);
      else
        this.#fail(
          new DtlsError(AlertDescription.internal_error, String((e as Error)?.message ?? e)),
          true,
        );
    }
  }

  #fail(error: DtlsError, sendAlert: boolean): void {
    if (this.#state === 'failed' || this.#state === 'closed') return;
    if (sendAlert && !error.remote) this.#sendAlert(AlertLevel.fatal, error.alert);
    this.#state = 'failed';
    this.#error = error;
    this.#timer.stop();
    this.#emit('error', error);
  }

  #sendAlert(level: number, description: number): void {
    this.#records.writeRecord(
      ContentType.alert,
      this.#alertEpoch,
      Uint8Array.of(level, description),
    );
    this.#records.flushDatagram();
  }

  #receiveRecord(r: DtlsRecord, now: number, fresh: boolean): void {
    if (!this.#records.hasReadEpoch(r.epoch)) {
      // A record of the epoch that is about to start (e.g. Finished before ClientKeyExchange was reassembled).
      if (fresh && r.epoch === 1 && this.#future.length < MAX_FUTURE_RECORDS) {
        this.#future.push({ ...r, fragment: r.fragment.slice() });
      }
      return;
    }
    const plaintext = this.#records.open(r);
    if (plaintext === null) return; // RFC 6347 §4.1.2.7: failed authentication or replay: drop silently.
    switch (r.type) {
      case ContentType.handshake:
        if (this.role === 'server' && r.epoch === 0 && this.#ctx.suite === undefined) {
          this.#records.advanceWriteSequence(0, r.sequenceNumber);
        }
        this.#receiveHandshake(plaintext, r.epoch, now);
        break;
      case ContentType.change_cipher_spec:
        // Keys are selected by epoch (RFC 6347 §4.1), so CCS only has to be well-formed.
        break;
      case ContentType.alert:
        // Once keys protect the association, an unauthenticated epoch-0 alert is an injection risk: ignore it.
        if (r.epoch === 0 && this.#state === 'connected') break;
        this.#receiveAlert(plaintext, r.epoch);
        break;
      case ContentType.application_data:
        if (r.epoch > 0 && this.#state === 'connected') this.#emit('data', plaintext);
        else if (
          r.epoch > 0 &&
          this.#state === 'handshaking' &&
          this.#early.length < MAX_FUTURE_RECORDS
        ) {
          // Authenticated data that overtook the server's Finished: deliver it once we are connected.
          this.#early.push(plaintext);
        }
        break;
      default:
        break; // RFC 5246 §6: unknown types; DTLS drops rather than aborts.
    }
  }

  #receiveAlert(body: Uint8Array, epoch: number): void {
    if (body.length !== 2) {
      if (epoch > 0)
        throw new DtlsError(AlertDescription.decode_error, 'alert record is not 2 bytes');
      return;
    }
    const level = body[0]!;
    const description = body[1]!;
    if (description === AlertDescription.close_notify) {
      if (this.#state === 'connected' || this.#state === 'handshaking') {
        // RFC 5246 §7.2.1: answer close_notify with close_notify.
        this.#sendAlert(AlertLevel.warning, AlertDescription.close_notify);
        this.#state = 'closed';
        this.#timer.stop();
        this.#emit('close');
      }
      return;
    }
    if (level === AlertLevel.fatal) {
      this.#fail(new DtlsError(description, 'received from the peer', true), false);
    }
  }

  #receiveHandshake(plaintext: Uint8Array, epoch: number, now: number): void {
    let fragments: ReturnType<typeof decodeHandshakeFragments>;
    try {
      fragments = decodeHandshakeFragments(plaintext);
    } catch (e) {
      if (epoch === 0) return; // unauthenticated garbage: drop
      throw e;
    }
    let echo = false;
    for (const f of fragments) {
      if (this.#state === 'connected' && epoch > 0 && this.#isRenegotiation(f.msgType)) {
        // RFC 5746 §4.2 / RFC 5246 §7.2.2: refuse with a no_renegotiation warning.
        this.#sendAlert(AlertLevel.warning, AlertDescription.no_renegotiation);
        continue;
      }
      if (
        this.role === 'server' &&
        !this.#ctx.suite &&
        f.msgType === HandshakeType.client_hello &&
        f.messageSeq > this.#fragments.nextReceiveSeq
      ) {
        // The cookie exchange used message_seq 0 statelessly; this session starts at the hello's seq.
        this.#fragments.nextReceiveSeq = f.messageSeq;
      }
      const verdict = this.#fragments.push(f);
      if (verdict === 'old' && f.messageSeq < this.#peerFlightStart) echo = true;
    }
    // A client that has the server's Finished is done; only a server keeps answering (its flight 6 may be lost).
    const mayEcho = this.#state === 'handshaking' || this.role === 'server';
    // At most one such resend per half initial timeout: duplicated datagrams of one repeat, or a
    // stream of forged old fragments, must not turn into a stream of flights.
    const floor = Math.min(250, this.#timer.initialMs / 2);
    if (echo && mayEcho && this.#lastFlight.length > 0 && now - this.#lastResendAt >= floor) {
      // RFC 6347 §4.2.4: the peer repeated its previous flight, so ours was lost: resend it.
      this.#lastResendAt = now;
      this.#transmit(this.#lastFlight);
    }
    for (let m = this.#fragments.pop(); m !== undefined; m = this.#fragments.pop()) {
      if (this.#state !== 'handshaking') break;
      this.#apply(this.#hs.handle(m), now);
    }
  }

  #isRenegotiation(msgType: number): boolean {
    return this.role === 'server'
      ? msgType === HandshakeType.client_hello
      : msgType === HandshakeType.hello_request;
  }

  #apply(step: HandshakeStep, now: number): void {
    if (step.installKeys) this.#installKeys(now);
    if (step.send) {
      this.#lastFlight = step.send;
      this.#peerFlightStart = this.#fragments.nextReceiveSeq;
      this.#transmit(step.send);
      if (step.final) this.#timer.stop();
      else this.#timer.start(now);
    }
    if (step.complete) {
      if (!step.final) this.#timer.stop();
      this.#state = 'connected';
      this.#emit('connected');
      const early = this.#early;
      this.#early = [];
      for (const d of early) if (this.#state === 'connected') this.#emit('data', d);
    }
  }

  /** RFC 6347 §4.2.3/§4.2.4: (re)sends a flight, re-fragmented to the MTU. */
  #transmit(flight: readonly FlightMessage[]): void {
    if (writeFlight(this.#records, flight)) this.#alertEpoch = 1;
  }

  #installKeys(now: number): void {
    const ctx = this.#ctx;
    const suite = ctx.suite!;
    const keys = deriveTrafficKeys(
      ctx.provider,
      suite,
      ctx.masterSecret!,
      ctx.clientRandom,
      ctx.serverRandom,
    );
    const opts = { explicitNonceLength: suite.recordIvLength as 0 | 8 };
    const client = createRecordProtector(
      ctx.provider,
      suite.aead,
      keys.clientWriteKey,
      keys.clientWriteIv,
      opts,
    );
    const server = createRecordProtector(
      ctx.provider,
      suite.aead,
      keys.serverWriteKey,
      keys.serverWriteIv,
      opts,
    );
    this.#records.installRead(1, this.role === 'client' ? server : client);
    this.#records.installWrite(1, this.role === 'client' ? client : server);
    this.#o.keyLog?.(clientRandomLine(ctx.clientRandom, ctx.masterSecret!));
    const future = this.#future;
    this.#future = [];
    for (const r of future) this.#receiveRecord(r, now, false);
  }
}
