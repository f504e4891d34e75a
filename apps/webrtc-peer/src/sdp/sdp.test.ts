import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeAnswer } from './answer.js';
import { parseSessionDescription } from './description.js';
import { SdpError } from './errors.js';
import { parseSdpLines, serializeSdpLines } from './lines.js';
import { negotiate } from './negotiate.js';
import { writeClientOffer } from './offer.js';

// Captured from Chromium 156 by test/fixtures/capture-offer.mjs (fake camera + microphone).
const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/chromium-offer-${name}.sdp`, import.meta.url), 'utf8');
const bundleOffer = fixture('bundle');
const balancedOffer = fixture('balanced');

const local = {
  iceUfrag: 'abcd',
  icePwd: 'abcdefghijklmnopqrstuvwx',
  fingerprint: `sha-256 ${Array(32).fill('AB').join(':')}`,
  candidates: [{ address: '127.0.0.1', port: 40000 }],
  ssrcs: new Map([
    ['0', { media: 11, rtx: undefined }],
    ['1', { media: 22, rtx: 23 }],
  ]),
  cname: 'echo',
  sessionId: '1',
};

function lineOf(sdp: string, prefix: string): string | undefined {
  return sdp.split('\r\n').find((l) => l.startsWith(prefix));
}

describe('a Chromium offer', () => {
  for (const [name, sdp] of [
    ['max-bundle', bundleOffer],
    ['balanced', balancedOffer],
  ] as const) {
    it(`(${name}) parses into BUNDLE, ICE, DTLS and codec parameters that match its text`, () => {
      const d = parseSessionDescription(sdp);
      expect(d.bundle).toEqual(['0', '1']);
      expect(d.media.map((m) => m.kind)).toEqual(['audio', 'video']);
      const [audio, video] = d.media;
      // Expected values are read from the offer text itself, line by line.
      expect(audio!.iceUfrag).toBe(lineOf(sdp, 'a=ice-ufrag:')!.slice(12));
      expect(audio!.icePwd).toBe(lineOf(sdp, 'a=ice-pwd:')!.slice(10));
      expect(audio!.fingerprints[0]).toBe(lineOf(sdp, 'a=fingerprint:')!.slice(14));
      expect(audio!.setup).toBe('actpass');
      expect(audio!.rtcpMux && video!.rtcpMux).toBe(true);
      expect(video!.codecs.find((c) => c.name === 'VP8')).toMatchObject({ clockRate: 90000 });
      const vp8 = video!.codecs.find((c) => c.name === 'VP8')!;
      const rtx = video!.codecs.find(
        (c) => c.name === 'rtx' && c.fmtp === `apt=${vp8.payloadType}`,
      );
      expect(rtx).toBeDefined();
      expect(vp8.feedback).toContain('nack pli');
      expect(video!.codecs.filter((c) => c.name === 'H264').length).toBeGreaterThan(0);
      expect(audio!.codecs[0]).toMatchObject({ name: 'opus', clockRate: 48000, channels: 2 });
      const ssrcLine = lineOf(
        sdp.split('m=video')[1]!.replace(/\n/g, '\r\n'),
        'a=ssrc-group:FID ',
      )!;
      expect(video!.fidGroups[0]).toEqual(ssrcLine.slice(17).split(' ').map(Number));
      expect(video!.extmaps.find((e) => e.uri.endsWith('sdes:mid'))).toBeDefined();
      expect(
        audio!.candidates.some((c) => c.address === '127.0.0.1' && c.transport === 'udp'),
      ).toBe(true);
    });
  }

  it('gets an answer with ice-lite, our fingerprint, setup:passive, VP8+RTX and Opus, sendrecv', () => {
    const n = negotiate(parseSessionDescription(bundleOffer));
    const answer = writeAnswer(n, local);
    const a = parseSessionDescription(answer);
    expect(a.iceLite).toBe(true);
    expect(a.bundle).toEqual(['0', '1']);
    for (const m of a.media) {
      expect(m.setup).toBe('passive');
      expect(m.fingerprints).toEqual([local.fingerprint]);
      expect(m.iceUfrag).toBe('abcd');
      expect(m.direction).toBe('sendrecv');
      expect(m.rtcpMux).toBe(true);
      expect(m.candidates).toEqual([
        expect.objectContaining({ address: '127.0.0.1', port: 40000, type: 'host' }),
      ]);
    }
    expect(a.media[0]!.codecs.map((c) => c.name)).toEqual(['opus']);
    expect(a.media[1]!.codecs.map((c) => c.name)).toEqual(['VP8', 'rtx']);
    expect(a.media[1]!.fidGroups).toEqual([[22, 23]]);
    // Payload types are the offerer's (RFC 3264 §6.1).
    const offered = parseSessionDescription(bundleOffer).media[1]!.codecs.find(
      (c) => c.name === 'VP8',
    )!;
    expect(a.media[1]!.codecs[0]!.payloadType).toBe(offered.payloadType);
  });

  it('with only H264 offered, answers H264 packetization-mode=1', () => {
    const d = parseSessionDescription(bundleOffer);
    const onlyH264 = bundleOffer.replace(/a=rtpmap:(\d+) VP8\/90000/, 'a=rtpmap:$1 VP7/90000');
    const n = negotiate(parseSessionDescription(onlyH264));
    expect(n.accepted[1]!.codec.name).toBe('H264');
    expect(n.accepted[1]!.codec.fmtp).toContain('packetization-mode=1');
    expect(d.media.length).toBe(2);
  });

  it("follows the offerer's codec order (RFC 3264 §6.1): H264 listed first is answered", () => {
    const video = parseSessionDescription(bundleOffer).media[1]!;
    const h264 = video.codecs.find(
      (c) => c.name === 'H264' && c.fmtp?.includes('packetization-mode=1'),
    )!;
    const reordered = bundleOffer.replace(
      /(m=video \d+ UDP\/TLS\/RTP\/SAVPF) (.*)/,
      (_, head: string, pts: string) =>
        `${head} ${h264.payloadType} ${pts
          .split(' ')
          .filter((p) => p !== String(h264.payloadType))
          .join(' ')}`,
    );
    const n = negotiate(parseSessionDescription(reordered));
    expect(n.accepted[1]!.codec.payloadType).toBe(h264.payloadType);
    expect(n.accepted[1]!.rtx?.fmtp).toBe(`apt=${h264.payloadType}`);
  });

  it('rejects a data channel section with port 0 and keeps the media', () => {
    const withData =
      `${bundleOffer}m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\n`.replace(
        'a=group:BUNDLE 0 1',
        'a=group:BUNDLE 0 1 2',
      );
    const n = negotiate(parseSessionDescription(withData));
    const answer = writeAnswer(n, local);
    expect(answer).toContain('m=application 0 UDP/DTLS/SCTP webrtc-datachannel');
    expect(parseSessionDescription(answer).bundle).toEqual(['0', '1']);
  });
});

describe('offers we refuse with a reason', () => {
  const cases: [string, string, RegExp][] = [
    ['garbage', 'hello world', /line 1/],
    ['no v=0', bundleOffer.replace('v=0', 'v=1'), /v=0/],
    ['no rtcp-mux', bundleOffer.replaceAll('a=rtcp-mux\r\n', ''), /rtcp-mux/],
    ['no fingerprint', bundleOffer.replace(/a=fingerprint:.*\r\n/g, ''), /fingerprint/],
    ['no ICE credentials', bundleOffer.replace(/a=ice-pwd:.*\r\n/g, ''), /ice-pwd/],
    ['a passive offerer', bundleOffer.replaceAll('a=setup:actpass', 'a=setup:passive'), /passive/],
    ['plain RTP', bundleOffer.replaceAll('UDP/TLS/RTP/SAVPF', 'RTP/AVP'), /no media section/],
    ['a bad rtpmap', bundleOffer.replace('a=rtpmap:111 opus/48000/2', 'a=rtpmap:111'), /rtpmap/],
    ['a bad port', bundleOffer.replace(/m=video \d+/, 'm=video 99999'), /port/],
    ['a short ice-pwd', bundleOffer.replace(/a=ice-pwd:.*/g, 'a=ice-pwd:short'), /ice-pwd/],
  ];
  for (const [name, sdp, reason] of cases) {
    it(name, () => {
      let error: unknown;
      try {
        negotiate(parseSessionDescription(sdp));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SdpError);
      expect((error as SdpError).message).toMatch(reason);
    });
  }
});

describe('the parser on arbitrary input (fast-check)', () => {
  const onlySdpError = (text: string) => {
    try {
      negotiate(parseSessionDescription(text));
    } catch (e) {
      if (!(e instanceof SdpError)) throw e;
    }
  };
  it('random text raises only SdpError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), onlySdpError), { numRuns: 2000 });
  });
  it('random line-shaped text raises only SdpError', () => {
    const line = fc
      .tuple(fc.constantFrom(...'vostcmab'), fc.string({ maxLength: 40 }))
      .map(([t, v]) => `${t}=${v}`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) =>
        onlySdpError(['v=0', ...lines].join('\r\n')),
      ),
      { numRuns: 2000 },
    );
  });
  it('truncations and line deletions of a real offer raise only SdpError', () => {
    const lines = bundleOffer.split('\r\n');
    fc.assert(
      fc.property(
        fc.nat(bundleOffer.length),
        fc.array(fc.nat(lines.length - 1), { maxLength: 8 }),
        (cut, drop) => {
          onlySdpError(bundleOffer.slice(0, cut));
          onlySdpError(lines.filter((_, i) => !drop.includes(i)).join('\r\n'));
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('mutated characters in a real offer raise only SdpError', () => {
    fc.assert(
      fc.property(
        fc.nat(bundleOffer.length - 1),
        fc.string({ minLength: 1, maxLength: 3 }),
        (at, s) => {
          onlySdpError(bundleOffer.slice(0, at) + s + bundleOffer.slice(at + 1));
        },
      ),
      { numRuns: 2000 },
    );
  });
  it('the line layer round-trips: serialize(parse(x)) == x for CRLF SDP', () => {
    const value = fc.stringMatching(/^[ -~]{0,30}$/);
    const attr = fc
      .tuple(fc.stringMatching(/^[a-z-]{1,10}$/), fc.option(value))
      .map(([n, v]) => (v === null ? `a=${n}` : `a=${n}:${v}`));
    const section = (lead: string) => fc.tuple(fc.constant(lead), fc.array(attr, { maxLength: 5 }));
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 3 }),
        fc.array(section('m=audio 9 X 0'), { maxLength: 3 }),
        (sess, media) => {
          const text = `${['v=0', ...sess.map((s) => `s=${s}`), ...media.flatMap(([m, a]) => [m, ...a])].join('\r\n')}\r\n`;
          expect(serializeSdpLines(parseSdpLines(text))).toBe(text);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the client offer', () => {
  it('is answered by our own negotiation', () => {
    const offer = writeClientOffer({
      ...local,
      audioSsrc: 1,
      videoSsrc: 2,
      videoRtxSsrc: 3,
    });
    const n = negotiate(parseSessionDescription(offer));
    expect(n.accepted.map((m) => [m.kind, m.codec.name, m.rtx?.name, m.remoteRtxSsrc])).toEqual([
      ['audio', 'opus', undefined, undefined],
      ['video', 'VP8', 'rtx', 3],
    ]);
  });
});
