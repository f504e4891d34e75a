/**
 * `pnpm bench`: N concurrent calls, each echoing ~1 Mbit/s (VP8-sized 1000-byte
 * video packets at ~120/s plus 50 Opus-sized packets/s), against one `serve`
 * process. Reports the server's CPU per call and, as the side-by-side ratio
 * the project asks for, server CPU / client CPU: the clients do the same SRTP
 * work per packet (protect what they send, unprotect the echo) plus media
 * generation and checking, so the ratio shows what the server's demux,
 * mirror and re-encryption cost relative to a plain SRTP endpoint in the same run.
 *
 *   pnpm run bench [--quick] [--calls 1,4,8] [--seconds 5]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runClientCall } from '../src/client/run.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const callCounts = (flag('--calls') ?? (quick ? '1,4' : '1,4,8,16')).split(',').map(Number);
const seconds = Number(flag('--seconds') ?? (quick ? 2 : 5));
const BITRATE = 1_000_000;

interface ServerStats {
  process: { cpuUserMs: number; cpuSystemMs: number };
  closed: { rtpDecrypted: number; rtpEchoed: number; authFailures: number }[];
}

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error('server did not start')), 10_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
  });
  return { child, url };
}

async function serverStats(url: string): Promise<ServerStats> {
  return (await (await fetch(`${url}stats`)).json()) as ServerStats;
}

const { child, url } = await startServer();
const watchdog = setTimeout(
  () => {
    process.stderr.write('bench: watchdog fired\n');
    child.kill('SIGKILL');
    process.exit(1);
  },
  120_000 + callCounts.length * seconds * 4000,
);
process.stdout.write(
  `webrtc-peer echo bench: ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}, ${seconds} s per row, ~${BITRATE / 1e6} Mbit/s per call\n\n`,
);
process.stdout.write(
  '| calls | echoed/sent | payload Mbit/s echoed | server CPU % | server CPU ms per call-second | client CPU % | server/client CPU |\n',
);
process.stdout.write('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n');
try {
  // One unreported call first, so JIT warm-up does not land on the first row.
  await runClientCall({ url: `${url}whip`, durationMs: 1000, videoBitrate: BITRATE - 32_000 });
  for (const n of callCounts) {
    const before = await serverStats(url);
    const cBefore = process.cpuUsage();
    const t0 = performance.now();
    const reports = await Promise.all(
      Array.from({ length: n }, () =>
        runClientCall({
          url: `${url}whip`,
          durationMs: seconds * 1000,
          videoBitrate: BITRATE - 32_000,
        }),
      ),
    );
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cBefore);
    const after = await serverStats(url);
    const serverMs =
      after.process.cpuUserMs +
      after.process.cpuSystemMs -
      before.process.cpuUserMs -
      before.process.cpuSystemMs;
    const clientMs = (cpu.user + cpu.system) / 1000;
    const sent = reports.reduce((a, r) => a + r.sent, 0);
    const echoed = reports.reduce((a, r) => a + r.echoed, 0);
    const failed = reports.filter((r) => !r.ok).length;
    const mbit = (reports.reduce((a, r) => a + r.echoedBytes, 0) * 8) / seconds / 1e6; // RTP payload bits
    process.stdout.write(
      `| ${n}${failed ? ` (${failed} failed)` : ''} | ${(echoed / Math.max(1, sent)).toFixed(3)} | ${mbit.toFixed(1)} | ${(serverMs / 10 / wall).toFixed(1)} | ${(serverMs / (n * wall)).toFixed(1)} | ${(clientMs / 10 / wall).toFixed(1)} | ${(serverMs / clientMs).toFixed(2)} |\n`,
    );
  }
} finally {
  clearTimeout(watchdog);
  child.kill('SIGTERM');
}
process.stdout.write(
  '\nserver/client CPU below 1.00: the server (decrypt, SSRC mirror, re-encrypt, demux of N calls on one socket) spends less CPU than the N client endpoints doing the matching SRTP work. CPU % is of one core.\n',
);
