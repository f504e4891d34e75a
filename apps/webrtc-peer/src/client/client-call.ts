/**
 * The offering side of a call (`webrtc-peer call`), sans-I/O: a full
 * (controlling) ICE agent for one pair, sending checks with USE-CANDIDATE
 * through @x/stun's StunClient (RFC 8445 §7.2.5, aggressive-style nomination
 * of the only pair) and consent checks every ~5 s (RFC 7675 §5.1); a DTLS
 * client checking the answer's fingerprint; SRTP from the exporter; generated
 * RTP whose echo is checked byte for byte; and one PLI on the echoed video,
 * which must come back naming our own video SSRC (the server relays feedback
 * on the echo to the sender).
 */
import { type CryptoProvider, defaultProvider } from '@x/crypto';
import { type DtlsCertificate, DtlsConnection } from '@x/dtls12';
import { type DtlsSrtpContexts, dtlsSrtpContexts, SrtpError } from '@x/srtp';
import {
  AttributeType,
  classify,
  decodeTiebreaker,
  encodePriority,
  encodeText,
  encodeTiebreaker,
  StunClient,
  shortTermKey,
} from '@x/stun';
import type { DatagramEndpoint, IncomingDatagram, OutgoingDatagram, SocketAddress } from '@x/wire';
import { CONSENT_TIMEOUT_MS } from '../call/consent.js';
import { isRtcp, readU32, writeU32 } from '../call/mirror.js';
import { hostPriority } from '../sdp/answer.js';
import { checkPayload, generateRtp, type StreamSpec } from './media.js';

export interface ClientCallOptions {
  readonly remote: SocketAddress;
  readonly localUfrag: string;
  readonly localPwd: string;
  readonly remoteUfrag: string;
  readonly remotePwd: string;
  /** The answer's a=fingerprint. */
  readonly fingerprint: string;
  readonly certificate: DtlsCertificate;
  /** What we send; the answer's SSRC for the same stream is `echoSsrc`. */
  readonly streams: readonly (StreamSpec & { readonly echoSsrc: number | undefined })[];
  readonly provider?: CryptoProvider;
  readonly consentTimeoutMs?: number;
  readonly consentIntervalMs?: number;
  readonly trace?: (line: string) => void;
}

export interface ClientCallResult {
  iceConnected: boolean;
  dtlsConnected: boolean;
  srtpProfile: string | undefined;
  cipherSuite: string | undefined;
  sent: number;
  echoed: number;
  /** Payload bytes of the correctly echoed packets. */
  echoedBytes: number;
  /** Echoed packets whose payload, sequence number or payload type differ from what we sent. */
  mismatched: number;
  authFailures: number;
  /** Our PLI on the echoed video came back naming our own video SSRC. */
  pliRelayed: boolean;
  error: string | undefined;
}

export class ClientCall implements DatagramEndpoint {
  readonly result: ClientCallResult = {
    iceConnected: false,
    dtlsConnected: false,
    srtpProfile: undefined,
    cipherSuite: undefined,
    sent: 0,
    echoed: 0,
    echoedBytes: 0,
    mismatched: 0,
    authFailures: 0,
    pliRelayed: false,
    error: undefined,
  };
  readonly #o: ClientCallOptions;
  readonly #stun: StunClient;
  readonly #dtls: DtlsConnection;
  readonly #tiebreaker: bigint;
  readonly #out: OutgoingDatagram[] = [];
  readonly #scratch = new Uint8Array(2048);
  readonly #byEchoSsrc = new Map<number, { id: number; spec: StreamSpec }>();
  #srtp: DtlsSrtpContexts | undefined;
  #started: number | undefined;
  #lastConsent = 0;
  #nextConsentCheck = Number.POSITIVE_INFINITY;
  #nextMedia: number[] = [];
  #index: number[] = [];
  #sending = false;
  #closed = false;
  #pliSent = false;

  constructor(options: ClientCallOptions) {
    this.#o = options;
    const provider = options.provider ?? defaultProvider;
    this.#stun = new StunClient({
      provider,
      software: 'webrtc-peer client',
      rto: 100,
      rc: 7,
      rm: 16,
    });
    this.#tiebreaker = decodeTiebreaker(provider.randomBytes(8));
    this.#dtls = new DtlsConnection('client', {
      certificate: options.certificate,
      fingerprint: options.fingerprint,
      provider,
    });
    this.#dtls.on('connected', () => {
      const c = this.#dtls;
      this.result.dtlsConnected = true;
      this.result.srtpProfile = c.srtpProfileName;
      this.result.cipherSuite = c.cipherSuite?.name;
      if (c.srtpProfile === undefined) {
        this.#fail('DTLS connected without use_srtp');
        return;
      }
      this.#srtp = dtlsSrtpContexts(c, c.srtpProfile, 'client', { provider });
      this.#trace(`DTLS connected: ${c.cipherSuite?.name} ${c.srtpProfileName}`);
    });
    this.#dtls.on('error', (e) => this.#fail(`DTLS: ${e.message}`));
    options.streams.forEach((s, id) => {
      if (s.echoSsrc !== undefined) this.#byEchoSsrc.set(s.echoSsrc, { id, spec: s });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Starts ICE: the first check goes out on the next poll. */
  start(now: number): void {
    this.#started = now;
    this.#lastConsent = now;
    this.#check(now, true);
  }

  /** Start (or stop) sending generated media once DTLS is up. */
  setSending(on: boolean, now: number): void {
    this.#sending = on;
    this.#nextMedia = this.#o.streams.map(() => now);
    this.#index = this.#o.streams.map(() => 0);
  }

  /** close_notify, then nothing more is sent. */
  close(): void {
    if (this.#closed) return;
    this.#dtls.close();
    this.#closed = true;
  }

  receive(d: IncomingDatagram, now: number): void {
    const kind = classify(d.data);
    try {
      if (kind === 'stun') this.#stun.receive(d, now);
      else if (kind === 'dtls') this.#dtls.receive(d.data, now);
      else if (kind === 'rtp') this.#receiveSrtp(d.data);
    } catch (e) {
      this.#fail(`receive: ${(e as Error).message}`);
    }
  }

  poll(now: number): OutgoingDatagram | undefined {
    const s = this.#stun.poll(now);
    if (s) return s;
    const o = this.#out.shift();
    if (o) return o;
    if (!this.result.iceConnected) return undefined;
    const data = this.#dtls.poll(now);
    return data ? { data, remote: this.#o.remote } : undefined;
  }

  nextDeadline(): number | undefined {
    if (this.#started === undefined) return undefined;
    let min = this.#stun.nextDeadline() ?? Number.POSITIVE_INFINITY;
    if (this.#closed) return Number.isFinite(min) ? min : undefined;
    const d = this.result.iceConnected ? this.#dtls.nextDeadline() : undefined;
    if (d !== undefined && d < min) min = d;
    if (this.#nextConsentCheck < min) min = this.#nextConsentCheck;
    const expiry = this.#lastConsent + (this.#o.consentTimeoutMs ?? CONSENT_TIMEOUT_MS);
    if (expiry < min) min = expiry;
    if (this.#sending && this.#srtp) for (const t of this.#nextMedia) if (t < min) min = t;
    return Number.isFinite(min) ? min : undefined;
  }

  handleTimeout(now: number): void {
    this.#stun.handleTimeout(now);
    if (this.#closed) return;
    if (now >= this.#lastConsent + (this.#o.consentTimeoutMs ?? CONSENT_TIMEOUT_MS)) {
      this.#fail('consent expired (RFC 7675): the server stopped answering checks');
      return;
    }
    if (now >= this.#nextConsentCheck) this.#check(now, false);
    if (this.result.iceConnected) {
      const d = this.#dtls.nextDeadline();
      if (d !== undefined && d <= now) this.#dtls.handleTimeout(now);
    }
    if (this.#sending && this.#srtp) this.#sendMedia(now);
  }

  #check(now: number, nominate: boolean): void {
    const o = this.#o;
    const provider = o.provider ?? defaultProvider;
    // RFC 7675 §5.1: consent checks every 5 s ± 20 % (randomized against synchronised bursts).
    const interval = o.consentIntervalMs ?? 5000;
    this.#nextConsentCheck = now + interval * (0.8 + 0.4 * Math.random());
    this.#stun.request(o.remote, {
      attributes: [
        {
          type: AttributeType.USERNAME,
          value: encodeText(`${o.remoteUfrag}:${o.localUfrag}`, 'USERNAME'),
        },
        // RFC 8445 §7.1.1: the priority a peer-reflexive candidate of ours would get.
        { type: AttributeType.PRIORITY, value: encodePriority(hostPriority(65535) - 2 ** 24 * 16) },
        { type: AttributeType.ICE_CONTROLLING, value: encodeTiebreaker(this.#tiebreaker) },
        ...(nominate ? [{ type: AttributeType.USE_CANDIDATE, value: new Uint8Array(0) }] : []),
      ],
      integrity: { key: shortTermKey(o.remotePwd), provider },
      onComplete: (outcome) => {
        if (outcome.kind !== 'success') {
          this.#trace(`STUN check: ${outcome.kind}`);
          if (!this.result.iceConnected) this.#fail(`ICE check failed: ${outcome.kind}`);
          return;
        }
        this.#lastConsent = Math.max(this.#lastConsent, now);
        if (!this.result.iceConnected) {
          this.result.iceConnected = true;
          this.#trace(`ICE connected to ${o.remote.address}:${o.remote.port}; DTLS ClientHello`);
          this.#dtls.start(now);
        }
      },
    });
  }

  #sendMedia(now: number): void {
    const srtp = this.#srtp!;
    const streams = this.#o.streams;
    for (let i = 0; i < streams.length; i++) {
      const spec = streams[i]!;
      // Catch up at most a few packets if the timer was late.
      for (let n = 0; n < 5 && this.#nextMedia[i]! <= now; n++) {
        const index = this.#index[i]!++;
        const seq = index & 0xffff;
        const p = generateRtp(spec, index, seq, i, srtp.outbound.rtp.overhead);
        const len = srtp.outbound.rtp.protectInto(
          p.subarray(0, p.length - srtp.outbound.rtp.overhead),
          p,
        );
        this.#out.push({ data: p.subarray(0, len), remote: this.#o.remote });
        this.result.sent++;
        this.#nextMedia[i]! += 1000 / spec.rate;
      }
      if (this.#nextMedia[i]! <= now) this.#nextMedia[i] = now + 1000 / spec.rate;
    }
    if (!this.#pliSent && this.result.echoed > 0) this.#sendPli();
  }

  /** RFC 4585 §6.3.1 PLI on the echoed video (media source = the server's SSRC). */
  #sendPli(): void {
    const video = this.#o.streams.find((s) => s.name === 'video');
    if (!video || video.echoSsrc === undefined || !this.#srtp) return;
    this.#pliSent = true;
    const pli = new Uint8Array(12);
    pli[0] = 0x81;
    pli[1] = 206;
    pli[3] = 2;
    writeU32(pli, 4, video.ssrc);
    writeU32(pli, 8, video.echoSsrc);
    this.#out.push({ data: this.#srtp.outbound.rtcp.protect(pli), remote: this.#o.remote });
  }

  #receiveSrtp(data: Uint8Array): void {
    const srtp = this.#srtp;
    if (!srtp) return;
    try {
      if (isRtcp(data)) {
        const len = srtp.inbound.rtcp.unprotectInto(data, data);
        const video = this.#o.streams.find((s) => s.name === 'video');
        // The relayed PLI: PSFB FMT 1 whose media source is our own video SSRC.
        if (
          len >= 12 &&
          data[1] === 206 &&
          (data[0]! & 0x1f) === 1 &&
          video &&
          readU32(data, 8) === video.ssrc
        ) {
          this.result.pliRelayed = true;
          this.#trace('PLI relayed back to us (feedback on the echo reaches the sender)');
        }
        return;
      }
      const len = srtp.inbound.rtp.unprotectInto(data, data);
      const stream = this.#byEchoSsrc.get(readU32(data, 8));
      if (!stream) {
        this.result.mismatched++;
        return;
      }
      const seq = (data[2]! << 8) | data[3]!;
      const cc = data[0]! & 0x0f;
      const payload = data.subarray(12 + cc * 4, len);
      const ok =
        (data[1]! & 0x7f) === stream.spec.payloadType &&
        payload.length === stream.spec.payloadSize &&
        checkPayload(payload, stream.id, seq, this.#scratch);
      if (ok) {
        this.result.echoed++;
        this.result.echoedBytes += payload.length;
      } else this.result.mismatched++;
    } catch (e) {
      if (!(e instanceof SrtpError)) throw e;
      if (e.reason === 'auth') this.result.authFailures++;
    }
  }

  #fail(reason: string): void {
    if (this.result.error === undefined) this.result.error = reason;
    this.#trace(`failed: ${reason}`);
    this.#closed = true;
  }

  #trace(line: string): void {
    this.#o.trace?.(`[client] ${line}`);
  }
}
