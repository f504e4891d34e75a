import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openssl, requirePeer } from '@x/test-helpers';

export const PEER_SCRIPT = fileURLToPath(new URL('../peers/quiche-peer.mjs', import.meta.url));
const QUICHE = fileURLToPath(
  new URL('../../../node_modules/@matrixai/quic/package.json', import.meta.url),
);

/** Fails (never skips) when the quiche peer is not installed. */
export function requireQuiche(): void {
  if (!existsSync(QUICHE)) {
    throw new Error(
      'quiche peer missing: install the devDependency with `pnpm install` (npm package @matrixai/quic@2.0.9)',
    );
  }
}

/** A free UDP port on 127.0.0.1 (bind port 0, read it, release it). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * Resolves once some process has a UDP socket bound to `port` (from
 * /proc/net/udp{,6}): a peer we started is ready for our first Initial. Probing
 * by binding the port ourselves could take it from the peer.
 */
export async function waitForUdpListener(port: number, timeoutMs = 10_000): Promise<void> {
  // local_address is "ADDR:PORT" with the port in 4 hex digits.
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bound = ['/proc/net/udp', '/proc/net/udp6'].some(
      (f) =>
        existsSync(f) &&
        readFileSync(f, 'utf8')
          .split('\n')
          .some((line) => line.trim().split(/\s+/)[1]?.endsWith(suffix) === true),
    );
    if (bound) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on UDP port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A P-256 self-signed certificate made by the openssl command line (an independent issuer). */
export function opensslCertificate(): { cert: string; key: string } {
  requirePeer('openssl', 'apt-get install -y openssl');
  const dir = mkdtempSync(join(tmpdir(), 'quic-interop-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
  ]);
  return { cert, key };
}

export interface RunningPeer {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the output once `pattern` appears; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  exited(timeoutMs: number): Promise<number | null>;
  kill(): void;
}

export function startPeer(args: string[]): RunningPeer {
  const child = spawn(process.execPath, [PEER_SCRIPT, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (b: Buffer) => {
    out += b.toString();
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exitCode: number | null | undefined;
  // 'close', not 'exit': the output may still be in the pipes when the process exits.
  child.on('close', (code) => {
    exitCode = code;
    for (const w of waiters) w();
  });
  child.once('error', (e) => {
    out += `spawn error: ${e.message}`;
    exitCode = null;
    for (const w of waiters) w();
  });
  return {
    child,
    output: () => out,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) done(() => resolve(out));
          else if (exitCode !== undefined)
            done(() => reject(new Error(`peer exited (${exitCode}): ${out}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`timeout waiting for ${pattern}: ${out}`))),
          timeoutMs,
        );
        const done = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
    exited(timeoutMs) {
      return new Promise((resolve, reject) => {
        if (exitCode !== undefined) return resolve(exitCode);
        const timer = setTimeout(() => reject(new Error(`peer did not exit: ${out}`)), timeoutMs);
        child.once('close', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
    },
    kill() {
      if (child.pid !== undefined && exitCode === undefined) child.kill('SIGKILL');
    },
  };
}
