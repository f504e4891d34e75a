/**
 * All calls on one UDP socket, as an @x/wire DatagramEndpoint. Datagrams are
 * demultiplexed by their first byte (RFC 7983 §7): STUN goes to the call whose
 * ufrag opens its USERNAME (RFC 8445 §7.3: "<our ufrag>:<their ufrag>"),
 * DTLS and SRTP only to the call that address completed a connectivity check
 * with. Everything else is counted and dropped, so no datagram from an
 * unchecked address reaches a DTLS or SRTP state machine.
 */
import { type CryptoProvider, defaultProvider } from '@x/crypto';
import type { DtlsCertificate } from '@x/dtls12';
import { AttributeType, classify, decodeMessage, findAttribute } from '@x/stun';
import {
  type DatagramEndpoint,
  type IncomingDatagram,
  type OutgoingDatagram,
  toHex,
} from '@x/wire';
import { type HostCandidate, writeAnswer } from '../sdp/answer.js';
import { parseSessionDescription } from '../sdp/description.js';
import { type AcceptedMedia, negotiate } from '../sdp/negotiate.js';
import { AddressMap } from './address-map.js';
import { randomIceString, randomSsrc } from './random.js';
import { ServerCall } from './server-call.js';

export interface EndpointStats {
  /** STUN that names no live call, or is not a Binding request we can read. */
  stunUnknownUfrag: number;
  /** DTLS from an address that never passed a connectivity check. */
  dtlsWithoutIce: number;
  /** RTP/RTCP from an address that never passed a connectivity check. */
  srtpWithoutIce: number;
  /** Datagrams RFC 7983 says to drop (first byte outside every range we serve). */
  other: number;
  callsCreated: number;
  callsClosed: number;
}

export interface PeerEndpointOptions {
  readonly certificate: DtlsCertificate;
  /** "sha-256 AB:..." of the certificate, for answers. */
  readonly fingerprint: string;
  readonly provider?: CryptoProvider;
  readonly consentTimeoutMs?: number;
  readonly srtpProfiles?: readonly number[];
  /** See ServerCallOptions.echoDropEvery. */
  readonly echoDropEvery?: number;
  readonly trace?: (line: string) => void;
  readonly onRtp?: (call: ServerCall, media: AcceptedMedia, packet: Uint8Array) => void;
  readonly onCallClosed?: (call: ServerCall, reason: string) => void;
}

export class PeerEndpoint implements DatagramEndpoint {
  readonly stats: EndpointStats = {
    stunUnknownUfrag: 0,
    dtlsWithoutIce: 0,
    srtpWithoutIce: 0,
    other: 0,
    callsCreated: 0,
    callsClosed: 0,
  };
  readonly #o: PeerEndpointOptions;
  readonly #provider: CryptoProvider;
  readonly #calls = new Map<string, ServerCall>();
  readonly #byUfrag = new Map<string, ServerCall>();
  readonly #byAddress = new AddressMap<ServerCall>();
  /** Calls that may have datagrams queued (closed ones stay until drained). */
  readonly #ready = new Set<ServerCall>();
  #candidates: HostCandidate[] = [];

  constructor(options: PeerEndpointOptions) {
    this.#o = options;
    this.#provider = options.provider ?? defaultProvider;
  }

  /** Our host candidates (the bound socket's address), announced in every answer. */
  setCandidates(candidates: readonly HostCandidate[]): void {
    this.#candidates = [...candidates];
  }

  get calls(): ReadonlyMap<string, ServerCall> {
    return this.#calls;
  }

  /**
   * Answers an offer and creates its call. Raises SdpError for an offer we
   * refuse (the HTTP layer turns it into 400).
   */
  createCall(offerSdp: string, now: number): { call: ServerCall; answer: string } {
    const negotiated = negotiate(parseSessionDescription(offerSdp));
    const id = toHex(this.#provider.randomBytes(8));
    let ufrag = randomIceString(this.#provider, 8);
    while (this.#byUfrag.has(ufrag)) ufrag = randomIceString(this.#provider, 8);
    const localSsrcs = new Map<string, { media: number; rtx: number | undefined }>();
    for (const m of negotiated.accepted) {
      localSsrcs.set(m.mid, {
        media: randomSsrc(this.#provider),
        rtx: m.rtx ? randomSsrc(this.#provider) : undefined,
      });
    }
    const localPwd = randomIceString(this.#provider, 24);
    const call = new ServerCall(
      {
        id,
        negotiated,
        localUfrag: ufrag,
        localPwd,
        certificate: this.#o.certificate,
        localSsrcs,
        consentTimeoutMs: this.#o.consentTimeoutMs,
        provider: this.#provider,
        srtpProfiles: this.#o.srtpProfiles,
        echoDropEvery: this.#o.echoDropEvery,
        trace: this.#o.trace,
        onRtp: this.#o.onRtp ? (media, p) => this.#o.onRtp!(call, media, p) : undefined,
      },
      now,
    );
    const answer = writeAnswer(negotiated, {
      iceUfrag: ufrag,
      icePwd: localPwd,
      fingerprint: this.#o.fingerprint,
      candidates: this.#candidates,
      ssrcs: localSsrcs,
      cname: `echo-${id.slice(0, 8)}`,
      sessionId: String(Math.floor(this.#provider.randomBytes(4).reduce((a, b) => a * 256 + b, 0))),
    });
    call.onClose((reason) => this.#forget(call, reason));
    this.#calls.set(id, call);
    this.#byUfrag.set(ufrag, call);
    this.stats.callsCreated++;
    this.#o.trace?.(
      `[${id}] call created, ${negotiated.accepted.map((m) => `${m.kind}:${m.codec.name}`).join(' ')}`,
    );
    return { call, answer };
  }

  /** Hangs up a call (WHIP DELETE). False if there is no such call. */
  hangUp(id: string, reason = 'hung up'): boolean {
    const call = this.#calls.get(id);
    if (call === undefined) return false;
    call.close(reason);
    this.#ready.add(call);
    return true;
  }

  closeAll(): void {
    for (const call of [...this.#calls.values()]) this.hangUp(call.id, 'server shutting down');
  }

  receive(datagram: IncomingDatagram, now: number): void {
    const { data, remote } = datagram;
    const kind = classify(data);
    if (kind === 'stun') {
      const call = this.#stunCall(data);
      if (call === undefined) {
        this.stats.stunUnknownUfrag++;
        return;
      }
      if (call.receiveStun(data, remote, now)) this.#byAddress.set(remote, call);
      this.#ready.add(call);
      return;
    }
    if (kind === 'dtls' || kind === 'rtp') {
      const call = this.#byAddress.get(remote);
      if (call === undefined) {
        if (kind === 'dtls') this.stats.dtlsWithoutIce++;
        else this.stats.srtpWithoutIce++;
        return;
      }
      if (kind === 'dtls') call.receiveDtls(data, remote, now);
      else call.receiveSrtp(data, remote);
      this.#ready.add(call);
      return;
    }
    this.stats.other++;
  }

  poll(now: number): OutgoingDatagram | undefined {
    for (const call of this.#ready) {
      const d = call.poll(now);
      if (d !== undefined) return d;
      this.#ready.delete(call);
    }
    return undefined;
  }

  nextDeadline(): number | undefined {
    let min: number | undefined;
    for (const call of this.#calls.values()) {
      const d = call.nextDeadline();
      if (d !== undefined && (min === undefined || d < min)) min = d;
    }
    return min;
  }

  handleTimeout(now: number): void {
    for (const call of [...this.#calls.values()]) {
      const d = call.nextDeadline();
      if (d !== undefined && d <= now) {
        call.handleTimeout(now);
        this.#ready.add(call);
      }
    }
  }

  /** The call whose ufrag opens USERNAME, without verifying anything (the call's responder does). */
  #stunCall(data: Uint8Array): ServerCall | undefined {
    try {
      const m = decodeMessage(data);
      const username = findAttribute(m, AttributeType.USERNAME);
      if (username === undefined) return undefined;
      const v = username.value;
      const colon = v.indexOf(0x3a);
      if (colon <= 0) return undefined;
      return this.#byUfrag.get(String.fromCharCode(...v.subarray(0, colon)));
    } catch {
      return undefined;
    }
  }

  #forget(call: ServerCall, reason: string): void {
    if (this.#calls.get(call.id) !== call) return;
    this.#calls.delete(call.id);
    this.#byUfrag.delete(call.localUfrag);
    for (const a of call.addresses) this.#byAddress.delete(a, call);
    this.#ready.add(call); // drain its close_notify
    this.stats.callsClosed++;
    this.#o.onCallClosed?.(call, reason);
  }

  /** Leftover state for tests: every map must be empty when no call is live. */
  get tableSizes(): { calls: number; ufrags: number; addresses: number } {
    return { calls: this.#calls.size, ufrags: this.#byUfrag.size, addresses: this.#byAddress.size };
  }
}
