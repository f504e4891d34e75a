/**
 * One browser call on the shared socket, sans-I/O: the ICE-lite responder
 * for our credentials, a DTLS server that accepts only the certificate the
 * offer's fingerprint names, the SRTP contexts derived from its exporter, and
 * the echo. The endpoint (endpoint.ts) hands it only datagrams it owns:
 * STUN whose USERNAME starts with our ufrag, and DTLS/SRTP from addresses
 * that passed a check (RFC 8445 §7.3: only validated pairs carry media).
 */
import { type CryptoProvider, defaultProvider } from '@x/crypto';
import { type DtlsCertificate, DtlsServer, type DtlsSession } from '@x/dtls12';
import { type DtlsSrtpContexts, dtlsSrtpContexts, SrtpError } from '@x/srtp';
import { IceLiteResponder } from '@x/stun';
import { addressKey, type OutgoingDatagram, type SocketAddress } from '@x/wire';
import type { AcceptedMedia, Negotiated } from '../sdp/negotiate.js';
import { ConsentTimer } from './consent.js';
import { isRtcp, readU32, SsrcMirror } from './mirror.js';
import { type CallStats, newCallStats } from './stats.js';
import { describeDtls } from './trace.js';

export type CallState = 'checking' | 'dtls' | 'connected' | 'closed';

export interface ServerCallOptions {
  readonly id: string;
  readonly negotiated: Negotiated;
  readonly localUfrag: string;
  readonly localPwd: string;
  readonly certificate: DtlsCertificate;
  /** Our SSRCs per accepted mid (the answer announces them). */
  readonly localSsrcs: ReadonlyMap<
    string,
    { readonly media: number; readonly rtx: number | undefined }
  >;
  readonly consentTimeoutMs?: number;
  readonly provider?: CryptoProvider;
  readonly srtpProfiles?: readonly number[];
  readonly trace?: (line: string) => void;
  /**
   * Drop every Nth echoed video packet (not RTX): a lossy echo path, to show
   * the browser's NACK / PLI reaching its sender and the echo recovering.
   */
  readonly echoDropEvery?: number;
  /** Sees every decrypted RTP packet before it is echoed (the recorder). */
  readonly onRtp?: (media: AcceptedMedia, packet: Uint8Array) => void;
}

export class ServerCall {
  readonly id: string;
  readonly stats: CallStats = newCallStats();
  readonly createdAt: number;
  readonly #o: ServerCallOptions;
  readonly #ice: IceLiteResponder;
  readonly #consent: ConsentTimer;
  readonly #dtls: DtlsServer;
  readonly #out: OutgoingDatagram[] = [];
  readonly #mirror = new SsrcMirror();
  /** Payload type → media section and whether it is the RTX stream, for SSRCs not in the offer. */
  readonly #byPt = new Map<number, { media: AcceptedMedia; rtx: boolean }>();
  readonly #mediaBySsrc = new Map<number, AcceptedMedia>();
  readonly #addresses = new Map<string, SocketAddress>();
  #session: DtlsSession | undefined;
  #srtp: DtlsSrtpContexts | undefined;
  #state: CallState = 'checking';
  #videoEchoes = 0;
  #closeReason: string | undefined;
  #nominated: SocketAddress | undefined;
  #onClose: ((reason: string) => void)[] = [];

  constructor(options: ServerCallOptions, now: number) {
    this.#o = options;
    this.id = options.id;
    this.createdAt = now;
    const provider = options.provider ?? defaultProvider;
    this.#ice = new IceLiteResponder({
      localUfrag: options.localUfrag,
      localPassword: options.localPwd,
      remoteUfrag: options.negotiated.iceUfrag,
      provider,
      software: 'webrtc-peer',
    });
    this.#consent = new ConsentTimer(now, options.consentTimeoutMs);
    this.#dtls = new DtlsServer({
      certificate: options.certificate,
      provider,
      // RFC 8842 §5.1 / RFC 8827 §6.5: the client must present the certificate its SDP names.
      fingerprint: options.negotiated.fingerprint,
      requestClientCertificate: true,
      requireClientCertificate: true,
      ...(options.srtpProfiles ? { srtpProfiles: options.srtpProfiles } : {}),
      maxSessions: 1,
    });
    this.#dtls.onSession((s) => this.#onDtlsSession(s));
    for (const m of options.negotiated.accepted) {
      const local = options.localSsrcs.get(m.mid);
      this.#byPt.set(m.codec.payloadType, { media: m, rtx: false });
      if (m.rtx) this.#byPt.set(m.rtx.payloadType, { media: m, rtx: true });
      if (local === undefined) continue;
      const [first] = m.remoteSsrcs;
      const rtx = m.remoteRtxSsrc;
      const primary = m.remoteSsrcs.find((s) => s !== rtx) ?? first;
      if (primary !== undefined) this.#pairStream(primary, local.media, m);
      if (rtx !== undefined && local.rtx !== undefined) this.#pairStream(rtx, local.rtx, m);
    }
  }

  get state(): CallState {
    return this.#state;
  }
  get closeReason(): string | undefined {
    return this.#closeReason;
  }
  get localUfrag(): string {
    return this.#o.localUfrag;
  }
  /** Addresses that passed a connectivity check (the endpoint routes these to us). */
  get addresses(): Iterable<SocketAddress> {
    return this.#addresses.values();
  }
  /** When consent expires unless another valid check arrives (RFC 7675). */
  get consentDeadline(): number {
    return this.#consent.deadline;
  }
  get dtlsConnection() {
    return this.#session?.connection;
  }

  onClose(listener: (reason: string) => void): void {
    this.#onClose.push(listener);
  }

  /** A STUN datagram whose USERNAME names our ufrag. Returns true if it was a valid check. */
  receiveStun(data: Uint8Array, remote: SocketAddress, now: number): boolean {
    if (this.#state === 'closed') return false;
    const outcome = this.#ice.handle(data, remote);
    if (outcome.kind === 'ignored') return false;
    this.#out.push({ data: outcome.response, remote });
    if (outcome.kind === 'error') {
      this.stats.stunErrors++;
      this.#trace(`STUN ${outcome.code} to ${addressKey(remote)}: ${outcome.reason}`);
      return false;
    }
    this.stats.stunChecks++;
    this.#consent.refresh(now);
    const key = addressKey(remote);
    if (!this.#addresses.has(key)) {
      this.#addresses.set(key, remote);
      this.#trace(`STUN check from ${key} authenticated (priority ${outcome.check.priority})`);
    }
    if (outcome.check.nominated && this.#nominated === undefined) {
      this.#nominated = remote;
      this.#trace(`ICE pair nominated: ${key}`);
      if (this.#state === 'checking') this.#state = 'dtls';
    }
    return true;
  }

  /** A DTLS datagram from a validated address. */
  receiveDtls(data: Uint8Array, remote: SocketAddress, now: number): void {
    if (this.#state === 'closed') return;
    this.stats.dtlsRecordsIn++;
    if (this.#o.trace) this.#trace(`DTLS <- ${describeDtls(data)}`);
    this.#dtls.receive({ data, remote, local: remote }, now);
  }

  /** An SRTP or SRTCP datagram from a validated address: decrypt, mirror, re-encrypt. */
  receiveSrtp(data: Uint8Array, remote: SocketAddress): void {
    const srtp = this.#srtp;
    this.stats.bytesIn += data.length;
    if (srtp === undefined || this.#state !== 'connected') {
      this.stats.srtpDropped++;
      return;
    }
    try {
      if (isRtcp(data)) {
        const len = srtp.inbound.rtcp.unprotectInto(data, data);
        this.stats.rtcpDecrypted++;
        const n = this.#mirror.rewriteRtcp(data, len);
        if (n === 0) return;
        const out = new Uint8Array(n + srtp.outbound.rtcp.overhead);
        const m = srtp.outbound.rtcp.protectInto(data.subarray(0, n), out);
        this.#send(out.subarray(0, m), remote);
        this.stats.rtcpEchoed++;
        this.stats.feedbackRelayed = this.#mirror.feedback;
        return;
      }
      const len = srtp.inbound.rtp.unprotectInto(data, data);
      this.stats.rtpDecrypted++;
      const packet = data.subarray(0, len);
      const ssrc = readU32(packet, 8);
      if (this.stats.rtpDecrypted === 1) {
        this.#trace(
          `SRTP: first RTP packet decrypted (SSRC ${ssrc}, PT ${packet[1]! & 0x7f}); echoing`,
        );
      }
      if (!this.#mirror.has(ssrc) && !this.#learn(ssrc, packet[1]! & 0x7f)) {
        this.stats.unknownSsrc++;
        return;
      }
      const media = this.#mediaBySsrc.get(ssrc);
      if (media !== undefined) {
        this.#o.onRtp?.(media, packet);
        // A send-only offerer (a WHIP publisher) got `recvonly` from us: record, do not echo.
        if (media.direction === 'sendonly') return;
      }
      const drop = this.#o.echoDropEvery;
      if (drop !== undefined && drop > 0) {
        const slot = this.#byPt.get(packet[1]! & 0x7f);
        if (slot?.media.kind === 'video' && !slot.rtx && ++this.#videoEchoes % drop === 0) {
          this.stats.echoDropped++;
          return;
        }
      }
      this.#mirror.rewriteRtp(packet);
      const out = new Uint8Array(len + srtp.outbound.rtp.overhead);
      const m = srtp.outbound.rtp.protectInto(packet, out);
      this.#send(out.subarray(0, m), remote);
      this.stats.rtpEchoed++;
    } catch (e) {
      if (!(e instanceof SrtpError)) throw e;
      if (e.reason === 'auth') this.stats.authFailures++;
      else this.stats.srtpDropped++;
      if (this.stats.authFailures + this.stats.srtpDropped <= 10)
        this.#trace(`SRTP refused: ${e.reason}`);
    }
  }

  poll(now: number): OutgoingDatagram | undefined {
    const queued = this.#out.shift();
    if (queued !== undefined) {
      this.stats.bytesOut += queued.data.length;
      return queued;
    }
    const d = this.#dtls.poll(now);
    if (d === undefined) return undefined;
    this.stats.bytesOut += d.data.length;
    if (this.#o.trace) this.#trace(`DTLS -> ${describeDtls(d.data)}`);
    return d;
  }

  nextDeadline(): number | undefined {
    if (this.#state === 'closed') return undefined;
    const d = this.#dtls.nextDeadline();
    const c = this.#consent.deadline;
    return d === undefined || c < d ? c : d;
  }

  handleTimeout(now: number): void {
    if (this.#state === 'closed') return;
    if (this.#consent.expired(now)) {
      this.close(`consent expired: no valid check for ${this.#consent.timeoutMs} ms (RFC 7675)`);
      return;
    }
    this.#dtls.handleTimeout(now);
  }

  /** Hang up: close_notify to the peer (drained by poll), then all state is dropped. */
  close(reason: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#closeReason = reason;
    this.#trace(`closed: ${reason}`);
    this.#dtls.close();
    this.#srtp = undefined;
    for (const l of this.#onClose) l(reason);
  }

  #send(data: Uint8Array, remote: SocketAddress): void {
    this.#out.push({ data, remote });
  }

  #pairStream(remote: number, local: number, media: AcceptedMedia): void {
    this.#mirror.pair(remote, local);
    this.#mediaBySsrc.set(remote, media);
  }

  /** A stream the offer did not announce: pair it by payload type with a free SSRC of ours. */
  #learn(ssrc: number, pt: number): boolean {
    const slot = this.#byPt.get(pt);
    if (slot === undefined) return false;
    const local = this.#o.localSsrcs.get(slot.media.mid);
    const ours = slot.rtx ? local?.rtx : local?.media;
    if (ours === undefined || this.#mirror.has(ours)) return false;
    this.#pairStream(ssrc, ours, slot.media);
    this.#trace(`learned SSRC ${ssrc} (pt ${pt}) -> ${ours}`);
    return true;
  }

  #onDtlsSession(session: DtlsSession): void {
    this.#session = session;
    const c = session.connection;
    c.on('connected', () => {
      const profile = c.srtpProfile;
      if (profile === undefined) {
        this.close('DTLS connected without use_srtp');
        return;
      }
      this.#srtp = dtlsSrtpContexts(c, profile, 'server', { provider: this.#o.provider });
      this.#state = 'connected';
      this.#trace(
        `DTLS connected: ${c.cipherSuite?.name} ${c.group} ${c.srtpProfileName}; SRTP keys exported`,
      );
    });
    c.on('error', (e) => {
      this.#trace(`DTLS failed: ${e.message}`);
      this.close(`DTLS failed: ${e.message}`);
    });
    c.on('close', () => this.close('DTLS close_notify from the peer'));
  }

  #trace(line: string): void {
    this.#o.trace?.(`[${this.id}] ${line}`);
  }
}
