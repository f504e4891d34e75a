/**
 * A server endpoint and our client role on @x/wire's SimNetwork (virtual
 * time): the whole call (ICE, DTLS, SRTP echo, feedback relay, hang-up),
 * consent freshness, and hostile datagrams injected during a live call.
 */
import {
  certificateFingerprint,
  createSelfSignedCertificate,
  defaultProvider as provider,
} from '@x/crypto';
import { DtlsConnection } from '@x/dtls12';
import { type LinkConditions, SimNetwork, type SocketAddress } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientCall } from '../client/client-call.js';
import { parseSessionDescription } from '../sdp/description.js';
import { SdpError } from '../sdp/errors.js';
import { CLIENT_AUDIO_PT, CLIENT_VIDEO_PT, writeClientOffer } from '../sdp/offer.js';
import { PeerEndpoint } from './endpoint.js';

const serverAddr: SocketAddress = { address: '10.0.0.1', port: 5000, family: 'IPv4' };
const clientAddr: SocketAddress = { address: '10.0.0.2', port: 6000, family: 'IPv4' };
const attacker: SocketAddress = { address: '10.0.0.9', port: 6666, family: 'IPv4' };

function cert(cn: string) {
  const c = createSelfSignedCertificate(provider, { commonName: cn, notBefore: 0, notAfter: 4e12 });
  return {
    der: c.der,
    dtls: { chain: [c.der], privateKey: c.privateKey },
    fp: `sha-256 ${certificateFingerprint(provider, c.der)}`,
  };
}
const serverCert = cert('server');
const clientCert = cert('client');

function setUp(
  opts: {
    consentTimeoutMs?: number;
    consentIntervalMs?: number;
    seed?: number;
    sendOnly?: boolean;
    link?: Partial<LinkConditions>;
    connectWithinMs?: number;
  } = {},
) {
  const net = new SimNetwork({ seed: opts.seed ?? 1, defaults: { delayMs: 5, ...opts.link } });
  const server = new PeerEndpoint({
    certificate: serverCert.dtls,
    fingerprint: serverCert.fp,
    consentTimeoutMs: opts.consentTimeoutMs,
  });
  server.setCandidates([{ address: serverAddr.address, port: serverAddr.port }]);
  const offer = writeClientOffer({
    iceUfrag: 'cliU',
    icePwd: 'clientpasswordclientpass',
    fingerprint: clientCert.fp,
    candidates: [{ address: clientAddr.address, port: clientAddr.port }],
    cname: 'c',
    sessionId: '1',
    audioSsrc: 1111,
    videoSsrc: 2222,
    videoRtxSsrc: 3333,
  });
  const { call, answer } = server.createCall(
    opts.sendOnly ? offer.replaceAll('a=sendrecv', 'a=sendonly') : offer,
    net.now,
  );
  const a = parseSessionDescription(answer);
  const echo = (kind: string) => {
    const m = a.media.find((x) => x.kind === kind)!;
    return m.fidGroups[0]?.[0] ?? m.ssrcs[0]!.ssrc;
  };
  const client = new ClientCall({
    remote: serverAddr,
    localUfrag: 'cliU',
    localPwd: 'clientpasswordclientpass',
    remoteUfrag: a.media[0]!.iceUfrag!,
    remotePwd: a.media[0]!.icePwd!,
    fingerprint: a.media[0]!.fingerprints[0]!,
    certificate: clientCert.dtls,
    consentIntervalMs: opts.consentIntervalMs,
    streams: [
      {
        name: 'audio',
        ssrc: 1111,
        payloadType: CLIENT_AUDIO_PT,
        payloadSize: 80,
        rate: 50,
        clockRate: 48000,
        echoSsrc: echo('audio'),
      },
      {
        name: 'video',
        ssrc: 2222,
        payloadType: CLIENT_VIDEO_PT,
        payloadSize: 1000,
        rate: 100,
        clockRate: 90000,
        echoSsrc: echo('video'),
      },
    ],
  });
  net.addEndpoint(server, serverAddr);
  net.addEndpoint(client, clientAddr);
  client.start(net.now);
  net.wake(client);
  net.run({ until: net.now + (opts.connectWithinMs ?? 2000) });
  expect(client.result.dtlsConnected).toBe(true);
  client.setSending(true, net.now);
  net.wake(client);
  return { net, server, client, call, answer };
}

describe('a call on a simulated network', () => {
  it('connects (ICE, DTLS with fingerprints, SRTP), echoes every packet unchanged, relays PLI, and hangs up without leftovers', () => {
    const { net, server, client, call } = setUp();
    net.run({ until: net.now + 1000 });
    expect(call.state).toBe('connected');
    expect(client.result.error).toBeUndefined();
    // 50 + 100 packets/s for 1 s, minus the few still in flight.
    expect(client.result.sent).toBeGreaterThanOrEqual(145);
    expect(client.result.echoed).toBeGreaterThanOrEqual(client.result.sent - 5);
    expect(client.result.mismatched).toBe(0);
    expect(client.result.pliRelayed).toBe(true);
    expect(call.stats.rtpDecrypted).toBe(call.stats.rtpEchoed);
    expect(call.stats.authFailures).toBe(0);
    expect(call.stats.feedbackRelayed).toBe(1);
    expect(server.hangUp(call.id)).toBe(true);
    net.wake(server);
    client.setSending(false, net.now);
    net.run({ until: net.now + 100 });
    expect(call.state).toBe('closed');
    expect(server.tableSizes).toEqual({ calls: 0, ufrags: 0, addresses: 0 });
    expect(server.nextDeadline()).toBeUndefined();
  });

  it('keeps a call whose peer keeps checking, and frees one whose peer went silent (RFC 7675)', () => {
    const { net, server, client, call } = setUp({ consentTimeoutMs: 3000, consentIntervalMs: 500 });
    net.run({ until: net.now + 5000 }); // longer than the timeout: checks keep it alive
    expect(call.state).toBe('connected');
    expect(call.stats.stunChecks).toBeGreaterThan(5);
    net.removeEndpoint(client); // the browser tab is gone: no more checks
    const gone = net.now;
    const deadline = call.consentDeadline; // the last valid check + 3 s
    expect(deadline - gone).toBeGreaterThan(3000 - 700);
    expect(deadline - gone).toBeLessThanOrEqual(3000);
    net.run({ until: deadline - 1 });
    expect(call.state).toBe('connected');
    net.run({ until: deadline + 1 });
    expect(call.state).toBe('closed');
    expect(call.closeReason).toMatch(/consent/);
    expect(server.tableSizes).toEqual({ calls: 0, ufrags: 0, addresses: 0 });
  });

  it('refuses hostile input without affecting the call in progress', () => {
    const { net, server, client, call } = setUp();
    net.run({ until: net.now + 300 });
    const echoedBefore = client.result.echoed;

    // 1. A garbage offer: a typed error (HTTP 400), no call created.
    expect(() => server.createCall('v=0\r\nthis is not sdp', net.now)).toThrow(SdpError);
    expect(server.calls.size).toBe(1);

    // 2. Random bytes, from a stranger and from the call's own address.
    const random = provider.randomBytes(300);
    random[0] = 0x99; // RFC 7983: "other"
    net.inject({ from: attacker, to: serverAddr, data: random });
    net.inject({
      from: clientAddr,
      to: serverAddr,
      data: provider.randomBytes(50).map((b, i) => (i === 0 ? 0x05 : b)),
    });

    // 3. A real DTLS ClientHello from an address that never did ICE.
    const hello = new DtlsConnection('client', { certificate: clientCert.dtls }).poll(0)!;
    expect(hello[0]).toBe(22);
    net.inject({ from: attacker, to: serverAddr, data: hello });

    // 4. SRTP with the call's SSRC from the call's address, but a wrong tag.
    const forged = new Uint8Array(12 + 100 + 16);
    forged.set([0x80, CLIENT_AUDIO_PT, 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0x04, 0x57]); // SSRC 1111
    forged.set(provider.randomBytes(116), 12);
    net.inject({ from: clientAddr, to: serverAddr, data: forged });

    net.run({ until: net.now + 700 });
    expect(server.stats.other).toBe(1);
    expect(server.stats.dtlsWithoutIce).toBe(1);
    expect(net.stats(serverAddr, attacker).sent).toBe(0); // not even a HelloVerifyRequest
    expect(call.stats.authFailures).toBe(1);
    expect(call.state).toBe('connected');
    expect(client.result.echoed).toBeGreaterThan(echoedBefore + 50);
    expect(client.result.mismatched).toBe(0);
    expect(client.result.error).toBeUndefined();
  });

  it('under loss, duplication, reordering and corruption connects, and every echo that arrives is exact (5 seeds)', () => {
    let refused = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const { net, client, call } = setUp({
        seed,
        link: {
          loss: 0.05,
          duplicate: 0.02,
          reorder: 0.05,
          reorderDelayMs: 20,
          corrupt: 0.01,
          jitterMs: 3,
        },
        connectWithinMs: 20_000,
      });
      net.run({ until: net.now + 1000 });
      expect(client.result.error).toBeUndefined();
      expect(client.result.mismatched).toBe(0);
      // ~10 % of round trips lose a packet; the rest come back.
      expect(client.result.echoed).toBeGreaterThan(client.result.sent * 0.8);
      // Corrupted or duplicated packets are refused by SRTP (auth / replay), never echoed.
      expect(call.stats.rtpEchoed).toBe(call.stats.rtpDecrypted);
      expect(call.state).toBe('connected');
      refused += call.stats.authFailures + call.stats.srtpDropped;
    }
    expect(refused).toBeGreaterThan(0); // the link really did corrupt and duplicate
  });

  it('answers a send-only offerer (a WHIP publisher) recvonly, and decrypts without echoing', () => {
    const { net, client, call, answer } = setUp({ sendOnly: true });
    net.run({ until: net.now + 500 });
    expect(answer.match(/a=recvonly/g)?.length).toBe(2);
    expect(call.stats.rtpDecrypted).toBeGreaterThan(50);
    expect(call.stats.rtpEchoed).toBe(0);
    expect(client.result.echoed).toBe(0);
  });

  it('never throws on arbitrary datagrams, from anyone, during a call (fast-check)', () => {
    const { net, server, client, call } = setUp();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (data, fromClient) => {
        server.receive(
          { data, remote: fromClient ? clientAddr : attacker, local: serverAddr },
          net.now,
        );
        while (server.poll(net.now)) {}
      }),
      { numRuns: 1000 },
    );
    net.run({ until: net.now + 300 });
    expect(call.state).toBe('connected');
    expect(client.result.mismatched).toBe(0);
    expect(client.result.echoed).toBeGreaterThan(0);
  });
});
