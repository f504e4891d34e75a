/// <reference lib="dom" />
/**
 * Runs inside a private network namespace (the test starts it with
 * `unshare -n sh -c 'ip link set lo up; ...'`, so only `lo` exists): starts
 * our server, lets headless Chromium (Debian package, fake camera and
 * microphone) load the page and connect, samples getStats until the echoed
 * video decodes frames and echoed audio arrives, reads our /stats, hangs up
 * from the page, and prints one JSON line with everything it saw.
 */

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCertificate, defaultProvider } from '@x/crypto';
import { DtlsConnection } from '@x/dtls12';
import { chromium } from 'playwright-core';
import { parseIvf } from '../src/record/ivf.js';
import { isVp8Keyframe } from '../src/record/vp8.js';
import { startPeerServer } from '../src/server/peer-server.js';

const hardStop = setTimeout(() => {
  process.stdout.write(`${JSON.stringify({ error: 'runner timeout' })}\n`);
  process.exit(3);
}, 50_000);

const recordDir = mkdtempSync(join(tmpdir(), 'webrtc-peer-rec-'));
const userDataDir = mkdtempSync(join(tmpdir(), 'webrtc-peer-chromium-'));
const trace: string[] = [];
const server = await startPeerServer({
  host: '127.0.0.1',
  port: 0,
  record: recordDir,
  // A lossy echo path: the browser must NACK, our relay must reach its sender, and RTX must repair.
  echoDropEvery: 25,
  trace: (l) => trace.push(`${Math.round(performance.now())} ${l}`),
});
const ctx = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  ignoreDefaultArgs: ['--enable-automation'],
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--allow-loopback-in-peer-connection',
    '--disable-features=WebRtcHideLocalIpsWithMdns',
  ],
});
const result: Record<string, unknown> = {};

/**
 * Bad input during the calls, over the real socket: a garbage offer, random
 * datagrams, a real DTLS ClientHello and an SRTP-shaped packet from an address
 * that never did ICE. Returns what came back (nothing should, but the 400).
 */
async function hostile(): Promise<Record<string, unknown>> {
  const bad = await fetch(`${server.url}whip`, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp' },
    body: 'v=0\r\nm=garbage',
  });
  const out: Record<string, unknown> = {
    garbageOfferStatus: bad.status,
    garbageOfferBody: await bad.text(),
  };
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  let answers = 0;
  sock.on('message', () => answers++);
  const send = (b: Uint8Array) =>
    new Promise<void>((r) => sock.send(b, server.udp.local.port, '127.0.0.1', () => r()));
  const random = randomBytes(200);
  random[0] = 0xff; // RFC 7983: drop
  await send(random);
  for (let i = 0; i < 3; i++) await send(randomBytes(100));
  const c = createSelfSignedCertificate(defaultProvider, {
    commonName: 'x',
    notBefore: 0,
    notAfter: 4e12,
  });
  const hello = new DtlsConnection('client', {
    certificate: { chain: [c.der], privateKey: c.privateKey },
  }).poll(0)!;
  await send(hello);
  const srtp = randomBytes(120);
  srtp[0] = 0x80;
  srtp[1] = 96;
  await send(srtp);
  await new Promise((r) => setTimeout(r, 300));
  sock.close();
  out.answers = answers;
  return out;
}
type PeerWindow = { webrtcPeer: { state: string; pc: RTCPeerConnection; error?: string } };
// Two browser tabs at once: two calls on the one UDP socket.
const PAGES = 2;
try {
  const pages = [ctx.pages()[0] ?? (await ctx.newPage())];
  while (pages.length < PAGES) pages.push(await ctx.newPage());
  // The second tab puts H264 first: the echo does not care which codec it carries.
  await Promise.all(
    pages.map((p, i) => p.goto(`${server.url}?autostart${i === 1 ? '&codec=H264' : ''}`)),
  );
  const states = await Promise.all(
    pages.map(async (page) => {
      await page.waitForFunction(
        () => {
          const s = (window as unknown as PeerWindow).webrtcPeer.state;
          return s === 'connected' || s === 'failed' || s.startsWith('error');
        },
        undefined,
        { timeout: 20_000 },
      );
      return page.evaluate(() => (window as unknown as PeerWindow).webrtcPeer.state);
    }),
  );
  result.connectionStates = states;
  const sample = (page: (typeof pages)[number]) =>
    page.evaluate(async () => {
      const pc = (window as unknown as PeerWindow).webrtcPeer.pc;
      const out: Record<string, number | string | undefined> = {};
      const report = await pc.getStats();
      report.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') {
          out.videoFramesDecoded = r.framesDecoded;
          out.videoCodec = report.get(r.codecId)?.mimeType;
          out.videoPacketsReceived = r.packetsReceived;
          out.nackCount = r.nackCount;
          out.pliCount = r.pliCount;
        }
        if (r.type === 'inbound-rtp' && r.kind === 'audio')
          out.audioPacketsReceived = r.packetsReceived;
        if (r.type === 'outbound-rtp' && r.kind === 'video') {
          out.videoPacketsSent = r.packetsSent;
          out.pliReceivedBySender = r.pliCount;
          out.nackReceivedBySender = r.nackCount;
          out.retransmittedPacketsSent = r.retransmittedPacketsSent;
        }
        if (r.type === 'transport') {
          out.tlsVersion = r.tlsVersion;
          out.dtlsCipher = r.dtlsCipher;
          out.srtpCipher = r.srtpCipher;
          out.dtlsRole = r.dtlsRole;
        }
      });
      return out;
    });
  const samples: Record<string, unknown>[][] = pages.map(() => []);
  if (states.every((s) => s === 'connected')) {
    const until = Date.now() + 20_000;
    for (;;) {
      const now = await Promise.all(pages.map(sample));
      for (const [i, s] of now.entries()) samples[i]!.push({ t: Date.now(), ...s });
      if (result.hostile === undefined && now.every((s) => Number(s.videoFramesDecoded ?? 0) > 0)) {
        // Calls are up and decoding: now the bad input, then keep sampling.
        result.framesAtHostile = now.map((s) => s.videoFramesDecoded);
        result.hostile = await hostile();
      }
      // Sample until everything the test asserts has happened (a loaded machine decodes slowly).
      const atHostile = result.framesAtHostile as number[] | undefined;
      const done =
        atHostile !== undefined &&
        now.every(
          (s, i) =>
            Number(s.videoFramesDecoded ?? 0) >= Math.max(30, atHostile[i]! + 11) &&
            Number(s.audioPacketsReceived ?? 0) >= 50 &&
            Number(s.nackCount ?? 0) > 0 &&
            Number(s.nackReceivedBySender ?? 0) > 0 &&
            Number(s.retransmittedPacketsSent ?? 0) > 0,
        );
      if (done || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  result.samples = samples;
  result.serverStats = await (await fetch(`${server.url}stats`)).json();
  // Hang up from each page (WHIP DELETE on the Location), then check nothing is left.
  for (const page of pages) {
    await page.evaluate(() => (document.getElementById('stop') as HTMLButtonElement).click());
  }
  // Each page's DELETE is a fetch: wait until the server closed both calls (or 10 s).
  const hungUpBy = Date.now() + 10_000;
  for (;;) {
    result.afterHangUp = await (await fetch(`${server.url}stats`)).json();
    const after = result.afterHangUp as { closed?: unknown[] };
    if ((after.closed?.length ?? 0) >= pages.length || Date.now() > hungUpBy) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  result.pageErrors = await Promise.all(
    pages.map((p) => p.evaluate(() => (window as unknown as PeerWindow).webrtcPeer.error)),
  );
} catch (e) {
  result.error = String(e);
} finally {
  await ctx.close().catch(() => {});
  await server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
try {
  result.ivf = [];
  for (const ivfName of readdirSync(recordDir).filter((f) => f.endsWith('.ivf'))) {
    const ivf = parseIvf(new Uint8Array(readFileSync(join(recordDir, ivfName))));
    (result.ivf as unknown[]).push({
      fourcc: ivf.header.fourcc,
      width: ivf.header.width,
      height: ivf.header.height,
      frameCountHeader: ivf.header.frameCount,
      frames: ivf.frames.length,
      firstIsKeyframe: ivf.frames.length > 0 && isVp8Keyframe(ivf.frames[0]!.data),
      keyframes: ivf.frames.filter((f) => isVp8Keyframe(f.data)).length,
    });
  }
  const oggName = readdirSync(recordDir).find((f) => f.endsWith('.ogg'));
  if (oggName) {
    const ogg = readFileSync(join(recordDir, oggName));
    result.ogg = {
      bytes: ogg.length,
      head: ogg.subarray(0, 4).toString('latin1'),
      opusHead: ogg.subarray(28, 36).toString('latin1'),
    };
  }
  // An independent reader: ffprobe names each stream, and ffmpeg decodes every
  // frame without a complaint (-v error prints only problems).
  result.ffmpeg = readdirSync(recordDir).map((name) => {
    const file = join(recordDir, name);
    const probe = spawnSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', file],
      { encoding: 'utf8' },
    );
    const decode = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], {
      encoding: 'utf8',
    });
    return {
      name,
      streams:
        probe.status === 0
          ? JSON.parse(probe.stdout).streams
          : probe.error
            ? String(probe.error)
            : probe.stderr,
      decodeStatus: decode.status,
      decodeErrors: decode.stderr ?? String(decode.error),
    };
  });
} catch (e) {
  result.recordError = String(e);
}
result.trace = trace.slice(0, 20);
rmSync(recordDir, { recursive: true, force: true });
clearTimeout(hardStop);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
