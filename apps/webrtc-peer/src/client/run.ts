/**
 * `webrtc-peer call`: offer over WHIP, run a ClientCall on a UDP socket for
 * the duration, hang up with DELETE, and report whether the echo matched.
 */
import { performance } from 'node:perf_hooks';
import {
  type CryptoProvider,
  certificateFingerprint,
  createSelfSignedCertificate,
  defaultProvider,
} from '@x/crypto';
import { bindEndpoint, familyOf, toHex } from '@x/wire';
import { randomIceString, randomSsrc } from '../call/random.js';
import { parseSessionDescription } from '../sdp/description.js';
import { SdpError } from '../sdp/errors.js';
import { CLIENT_AUDIO_PT, CLIENT_VIDEO_PT, writeClientOffer } from '../sdp/offer.js';
import { ClientCall, type ClientCallResult } from './client-call.js';

export interface ClientRunOptions {
  readonly url: string;
  readonly durationMs: number;
  /** Video bitrate in bit/s (default 500 kbit/s); audio is 50 packets/s of 80 bytes. */
  readonly videoBitrate?: number;
  readonly trace?: (line: string) => void;
  readonly provider?: CryptoProvider;
  /** Local address to bind (default: the server's address family loopback). */
  readonly bindAddress?: string;
}

export interface ClientRunReport extends ClientCallResult {
  ok: boolean;
  location: string | undefined;
  hangUpStatus: number | undefined;
}

const VIDEO_PAYLOAD = 1000;

export async function runClientCall(o: ClientRunOptions): Promise<ClientRunReport> {
  const provider = o.provider ?? defaultProvider;
  const now = Date.now();
  const cert = createSelfSignedCertificate(provider, {
    commonName: 'webrtc-peer-client',
    notBefore: now - 86_400_000,
    notAfter: now + 86_400_000,
  });
  const server = new URL(o.url);
  const host = server.hostname.replace(/^\[|\]$/g, '');
  const bindAddress = o.bindAddress ?? (familyOf(host) === 'IPv6' ? '::1' : '127.0.0.1');
  let call: ClientCall | undefined;
  // The socket first, so its port goes into the offer; the endpoint is attached once the answer is in.
  const forward = {
    receive: (d: Parameters<ClientCall['receive']>[0], t: number) => call?.receive(d, t),
    poll: (t: number) => call?.poll(t),
    nextDeadline: () => call?.nextDeadline(),
    handleTimeout: (t: number) => call?.handleTimeout(t),
  };
  const udp = await bindEndpoint(forward, { address: bindAddress, port: 0 });
  const ufrag = randomIceString(provider, 8);
  const pwd = randomIceString(provider, 24);
  const ssrcs = {
    audio: randomSsrc(provider),
    video: randomSsrc(provider),
    rtx: randomSsrc(provider),
  };
  const offer = writeClientOffer({
    iceUfrag: ufrag,
    icePwd: pwd,
    fingerprint: `sha-256 ${certificateFingerprint(provider, cert.der)}`,
    candidates: [{ address: udp.local.address, port: udp.local.port }],
    cname: `client-${toHex(provider.randomBytes(4))}`,
    sessionId: String(now),
    audioSsrc: ssrcs.audio,
    videoSsrc: ssrcs.video,
    videoRtxSsrc: ssrcs.rtx,
  });
  const report: ClientRunReport = {
    ok: false,
    location: undefined,
    hangUpStatus: undefined,
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
  try {
    const res = await fetch(o.url, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp' },
      body: offer,
      signal: AbortSignal.timeout(10_000),
    });
    const body = await res.text();
    if (res.status !== 201) {
      report.error = `WHIP POST: ${res.status} ${body}`;
      return report;
    }
    const location = res.headers.get('location');
    report.location = location ?? undefined;
    const answer = parseSessionDescription(body);
    const first = answer.media.find((m) => m.port !== 0);
    const candidate = first?.candidates.find((c) => c.transport === 'udp');
    if (!first || !candidate || !first.iceUfrag || !first.icePwd || !first.fingerprints[0]) {
      report.error =
        'the answer has no usable media section, candidate, ICE credentials or fingerprint';
      return report;
    }
    const echoSsrc = (kind: string) => {
      const m = answer.media.find((x) => x.kind === kind && x.port !== 0);
      return m?.fidGroups[0]?.[0] ?? m?.ssrcs[0]?.ssrc;
    };
    const videoRate = Math.max(1, Math.round((o.videoBitrate ?? 500_000) / 8 / VIDEO_PAYLOAD));
    call = new ClientCall({
      remote: {
        address: candidate.address,
        port: candidate.port,
        family: familyOf(candidate.address),
      },
      localUfrag: ufrag,
      localPwd: pwd,
      remoteUfrag: first.iceUfrag,
      remotePwd: first.icePwd,
      fingerprint: first.fingerprints[0],
      certificate: { chain: [cert.der], privateKey: cert.privateKey },
      streams: [
        {
          name: 'audio',
          ssrc: ssrcs.audio,
          payloadType: CLIENT_AUDIO_PT,
          payloadSize: 80,
          rate: 50,
          clockRate: 48000,
          echoSsrc: echoSsrc('audio'),
        },
        {
          name: 'video',
          ssrc: ssrcs.video,
          payloadType: CLIENT_VIDEO_PT,
          payloadSize: VIDEO_PAYLOAD,
          rate: videoRate,
          clockRate: 90000,
          echoSsrc: echoSsrc('video'),
        },
      ],
      provider,
      trace: o.trace,
    });
    call.start(performance.now());
    udp.flush();
    const c = call;
    // Wait for DTLS, then send for the duration.
    const deadline = Date.now() + 10_000;
    while (!c.result.dtlsConnected && !c.result.error && Date.now() < deadline) await sleep(10);
    if (!c.result.dtlsConnected) {
      c.result.error ??= 'DTLS did not connect within 10 s';
    } else {
      c.setSending(true, performance.now());
      udp.flush();
      await sleep(o.durationMs);
      c.setSending(false, performance.now());
      // The last echoes: wait for every packet sent to come back (or be judged),
      // not a fixed time a loaded server may need more than.
      const echoDeadline = Date.now() + 5000;
      while (c.result.echoed + c.result.mismatched < c.result.sent && Date.now() < echoDeadline)
        await sleep(10);
    }
    if (location) {
      const del = await fetch(new URL(location, o.url), {
        method: 'DELETE',
        signal: AbortSignal.timeout(5000),
      });
      report.hangUpStatus = del.status;
      await del.text();
    }
    c.close();
    udp.flush();
    await sleep(50);
    Object.assign(report, c.result);
    report.ok =
      c.result.error === undefined &&
      c.result.echoed > 0 &&
      c.result.mismatched === 0 &&
      c.result.authFailures === 0 &&
      report.hangUpStatus === 200;
    return report;
  } catch (e) {
    report.error = e instanceof SdpError ? `bad answer: ${e.message}` : (e as Error).message;
    if (call) Object.assign(report, { ...call.result, error: report.error });
    return report;
  } finally {
    await udp.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export { CLIENT_VIDEO_PT };
