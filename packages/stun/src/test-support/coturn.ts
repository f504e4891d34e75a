/** Starts and stops coturn's turnserver (STUN only) on a free loopback port, for interop tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePeer } from '@x/test-helpers';

export const COTURN_INSTALL = 'apt-get install -y coturn';

/** A port free for UDP and TCP on 127.0.0.1 (turnserver listens on both). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => resolve(udp.address().port));
    });
    const tcpFree = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    await new Promise<void>((r) => udp.close(() => r()));
    if (tcpFree) return port;
  }
  throw new Error('no free port found');
}

export interface Turnserver {
  readonly port: number;
  readonly log: string;
  stop(): Promise<void>;
}

export interface TurnserverOptions {
  /** TURN with long-term credentials (-a -u user:password -r realm) instead of STUN only (-S). */
  readonly longTerm?: {
    readonly username: string;
    readonly password: string;
    readonly realm: string;
  };
}

export async function startTurnserver(options: TurnserverOptions = {}): Promise<Turnserver> {
  requirePeer('turnserver', COTURN_INSTALL);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'x-stun-coturn-'));
  const log = join(dir, 'turnserver.log');
  // Flags from ../shared/interop/stun-server.sh (no config file, loopback only), with a private
  // pid file and user database so parallel runs do not share /var/run or /var/lib/turn.
  const args = [
    '-n',
    '-L',
    '127.0.0.1',
    '-p',
    String(port),
    '-f',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--no-rfc5780',
  ];
  args.push(
    '--no-stdout-log',
    '-l',
    log,
    '--simple-log',
    '--pidfile',
    join(dir, 'pid'),
    '--userdb',
    join(dir, 'turndb'),
  );
  const lt = options.longTerm;
  if (lt) args.push('-E', '127.0.0.1', '-a', '-u', `${lt.username}:${lt.password}`, '-r', lt.realm);
  else args.push('-S');
  const child = spawn('turnserver', args, { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return { port, log, stop: () => stopChild(child) };
}

/** SIGTERM, then SIGKILL after 5 s (turnserver takes a second or two to exit). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs a command to completion with a hard timeout; resolves with its output. */
export function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
