/** Running the openssl command-line peer in tests: loopback, free ports, timeouts, killed by PID. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derToPem, privateKeyToPem } from '@x/crypto';
import { requirePeer } from '@x/test-helpers';
import type { TestIdentity } from './pair.js';

export function requireOpenssl(): void {
  requirePeer('openssl', 'apt-get install -y openssl');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes cert.pem and key.pem for an identity; returns their paths. */
export function writeIdentity(
  dir: string,
  id: TestIdentity,
  name = 'ecdsa',
): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  writeFileSync(cert, derToPem(id.der));
  writeFileSync(key, privateKeyToPem(id.privateKey, id.publicKey));
  return { cert, key };
}

export interface Peer {
  readonly child: ChildProcess;
  output(): string;
  kill(): void;
}

/**
 * A peer that refuses us exits before reading its stdin: our write then fails
 * with EPIPE. That exit is the outcome under test, so the pipe error is not.
 */
function ignoreStdinErrors(stdin: NodeJS.WritableStream): void {
  stdin.on('error', () => {});
}

/** Starts a long-running peer and resolves once its output matches `ready` (or rejects after ms). */
export function startPeer(
  cmd: string,
  args: string[],
  ready: RegExp,
  ms = 10000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Peer> {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
  ignoreStdinErrors(child.stdin);
  let out = '';
  const peer: Peer = {
    child,
    output: () => out,
    kill: () => {
      if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      peer.kill();
      reject(new Error(`${cmd} did not become ready: ${out}`));
    }, ms);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(peer);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!ready.test(out)) reject(new Error(`${cmd} exited with ${code}: ${out}`));
    });
  });
}

/** The start of an `openssl s_client` command line: TLS 1.3 to 127.0.0.1:`port`, SNI localhost. */
export function sClientArgs(port: number): string[] {
  return ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-tls1_3'];
}

/**
 * `openssl s_server` on 127.0.0.1:`port` with this certificate and key, TLS
 * 1.3 only, plus `extra` flags; resolves once it prints ACCEPT.
 */
export function startOpensslServer(
  port: number,
  files: { readonly cert: string; readonly key: string },
  extra: string[],
): Promise<Peer> {
  return startPeer(
    'openssl',
    [
      's_server',
      '-accept',
      `127.0.0.1:${port}`,
      '-cert',
      files.cert,
      '-key',
      files.key,
      '-tls1_3',
      ...extra,
    ],
    /ACCEPT/,
  );
}

/**
 * Runs a peer to completion: writes `input`, keeps stdin open `holdMs` (s_client
 * closes the connection at stdin EOF), and kills it after `ms`. With `until`,
 * stdin stays open until the output satisfies it (or `ms` runs out) instead: a
 * fixed hold loses the echo on a loaded machine.
 */
export function runPeer(
  cmd: string,
  args: string[],
  input: string | string[],
  holdMs = 1000,
  ms = 15000,
  until?: (output: string) => boolean,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    ignoreStdinErrors(child.stdin);
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (until?.(out) && !child.stdin.destroyed) child.stdin.end();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // Several pieces go 200 ms apart, so an interactive peer reads each on its own (s_client commands).
    const pieces = typeof input === 'string' ? [input] : input;
    pieces.forEach((p, i) => {
      setTimeout(() => {
        if (!child.stdin.destroyed) child.stdin.write(p);
      }, i * 200);
    });
    const hold = setTimeout(
      () => child.stdin.end(),
      until ? ms - 1000 : holdMs + (pieces.length - 1) * 200,
    );
    const kill = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('close', (code) => {
      clearTimeout(hold);
      clearTimeout(kill);
      resolve({ code, output: out });
    });
  });
}
