/**
 * Headless Chromium against our server. The server and the browser run in
 * one child process inside a private network namespace (`unshare -n`, only
 * `lo`), so every packet stays on loopback and the vitest process needs no
 * namespace. The child (chromium-runner.ts) prints what it saw as JSON.
 */
import { requirePeer } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { run, TSX_NODE_ARGS } from './run-child.js';

describe('headless Chromium', () => {
  it('connects to the page, decodes the echoed video and receives echoed audio; /stats shows zero auth failures', async () => {
    requirePeer('chromium', 'apt-get install -y chromium');
    requirePeer('unshare', 'apt-get install -y util-linux');
    requirePeer('ip', 'apt-get install -y iproute2');
    requirePeer('ffprobe', 'apt-get install -y ffmpeg');
    const cmd = `ip link set lo up && exec ${process.execPath} ${TSX_NODE_ARGS.join(' ')} test/chromium-runner.ts`;
    const out = await run('unshare', ['-n', 'sh', '-c', cmd], 60_000);
    const line = out.stdout.trim().split('\n').pop() ?? '';
    expect(line.startsWith('{'), `runner printed: ${out.stdout} ${out.stderr}`).toBe(true);
    const r = JSON.parse(line);
    expect(r.error).toBeUndefined();
    // Two tabs at once: two calls on our one UDP socket.
    expect(r.connectionStates).toEqual(['connected', 'connected']);
    // Tab 1 sent VP8 (Chromium's default first), tab 2 preferred H264: both echoed and decoded.
    expect(
      (r.samples as Record<string, string>[][]).map((s) => s[s.length - 1]!.videoCodec),
    ).toEqual(['video/VP8', 'video/H264']);
    for (const samples of r.samples as Record<string, number | string>[][]) {
      const first = samples.find((s) => Number(s.videoFramesDecoded ?? 0) > 0)!;
      const last = samples[samples.length - 1]!;
      // framesDecoded rising over the samples, and echoed audio arriving.
      expect(Number(last.videoFramesDecoded)).toBeGreaterThanOrEqual(30);
      expect(Number(last.videoFramesDecoded)).toBeGreaterThan(Number(first.videoFramesDecoded));
      expect(Number(last.audioPacketsReceived)).toBeGreaterThanOrEqual(50);
      // Chromium fell back from DTLS 1.3 to our DTLS 1.2 (0xFEFD) and was the DTLS client.
      expect(last.tlsVersion).toBe('FEFD');
      expect(last.dtlsRole).toBe('client');
      // Every 25th echoed video packet is dropped: the receiver NACKed, the relay turned the NACK
      // into one about the sender's own SSRC, and the sender retransmitted (RTX, echoed back).
      expect(Number(last.nackCount)).toBeGreaterThan(0);
      expect(Number(last.nackReceivedBySender)).toBeGreaterThan(0);
      expect(Number(last.retransmittedPacketsSent)).toBeGreaterThan(0);
    }
    // Bad input over the real socket while both calls ran: refused, nothing answered, calls unaffected.
    expect(r.hostile.garbageOfferStatus).toBe(400);
    expect(r.hostile.garbageOfferBody).toMatch(/bad offer/);
    expect(r.hostile.answers).toBe(0);
    const ep = r.serverStats.endpoint;
    expect(ep.other).toBeGreaterThanOrEqual(1);
    expect(ep.dtlsWithoutIce).toBeGreaterThanOrEqual(1);
    expect(ep.srtpWithoutIce).toBeGreaterThanOrEqual(1);
    expect(ep.callsCreated).toBe(2);
    (r.samples as Record<string, number>[][]).forEach((samples, i) => {
      expect(samples[samples.length - 1]!.videoFramesDecoded).toBeGreaterThan(
        r.framesAtHostile[i] + 10,
      );
    });
    const calls = r.serverStats.calls as Record<string, number | string>[];
    expect(calls.length).toBe(2);
    for (const call of calls) {
      expect(call.state).toBe('connected');
      expect(call.rtpDecrypted).toBeGreaterThan(50);
      expect(Number(call.rtpEchoed) + Number(call.echoDropped)).toBe(call.rtpDecrypted);
      expect(call.echoDropped).toBeGreaterThan(0);
      expect(call.feedbackRelayed).toBeGreaterThan(0);
      expect(call.rtcpDecrypted).toBeGreaterThan(0);
      expect(call.authFailures).toBe(0);
      expect(call.unknownSsrc).toBe(0);
    }
    // Hang-up from the pages (WHIP DELETE) left nothing behind.
    expect(r.afterHangUp.tables).toEqual({ calls: 0, ufrags: 0, addresses: 0 });
    expect(r.afterHangUp.closed.map((c: { reason: string }) => c.reason)).toEqual([
      'hung up',
      'hung up',
    ]);
    // --record: each IVF reads back and starts with a VP8 key frame at the camera's size.
    expect(r.ivf.length).toBe(1); // only the VP8 call is recorded as IVF
    for (const ivf of r.ivf) {
      expect(ivf).toMatchObject({ fourcc: 'VP80', width: 320, height: 240, firstIsKeyframe: true });
      expect(ivf.frames).toBeGreaterThan(10);
      expect(ivf.frames).toBe(ivf.frameCountHeader);
    }
    expect(r.ogg).toMatchObject({ head: 'OggS', opusHead: 'OpusHead' });
    // ffprobe/ffmpeg read both recordings: the IVF as 320x240 VP8, the Ogg as Opus,
    // and decode every frame without an error.
    const byKind = (ext: string) => r.ffmpeg.filter((f: { name: string }) => f.name.endsWith(ext));
    expect(byKind('.ivf').map((f: { streams: unknown }) => f.streams)).toEqual([
      [{ codec_name: 'vp8', width: 320, height: 240 }],
    ]);
    expect(byKind('.ogg').length).toBeGreaterThanOrEqual(1);
    for (const f of byKind('.ogg')) expect(f.streams).toEqual([{ codec_name: 'opus' }]);
    for (const f of r.ffmpeg)
      expect([f.name, f.decodeStatus, f.decodeErrors]).toEqual([f.name, 0, '']);
  }, 70_000);
});
