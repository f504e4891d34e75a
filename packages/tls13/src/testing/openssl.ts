/**
 * Running the openssl (and gnutls) command-line peers in tests: loopback,
 * ports the peer picked itself, stdin driven by the peer's output, timeouts,
 * killed by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derToPem, privateKeyToPem } from '@x/crypto';
import { requirePeer } from '@x/test-helpers';
import type { TestIdentity } from './pair.js';

export function requireOpenssl(): void {
  requirePeer('openssl', 'apt-get install -y openssl');
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

/** A test on a peer's output so far (stdout and stderr interleaved as they arrive). */
export type Condition = RegExp | ((output: string) => boolean);

function holds(c: Condition, output: string): boolean {
  return typeof c === 'function' ? c(output) : c.test(output);
}

/**
 * s_client failed: an alert, or an OpenSSL error line (`...:error:0A000086:SSL
 * routines:...`). Part of each s_client `until` so a failing run ends at once
 * instead of at the cap.
 */
export const SSL_FAILED = /alert|:error:/i;

/** `until` for an echo test: `marker` came back, or the handshake failed. */
export function echoedOrFailed(marker: string): (output: string) => boolean {
  return (o) => o.includes(marker) || SSL_FAILED.test(o);
}

export interface Peer {
  readonly child: ChildProcess;
  output(): string;
  /**
   * Resolves true once the output satisfies `c`, false if the peer exits or
   * `ms` pass first (the caller's assertions then show the output).
   */
  waitFor(c: Condition, ms?: number): Promise<boolean>;
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
  let exited = false;
  const waiters = new Set<() => void>();
  const peer: Peer = {
    child,
    output: () => out,
    waitFor: (c, wms = 10000) =>
      new Promise((resolve) => {
        const check = () => {
          if (holds(c, out) || exited) finish();
        };
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(holds(c, out));
        };
        const timer = setTimeout(finish, wms);
        waiters.add(check);
        check();
      }),
    kill: () => {
      if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      peer.kill();
      reject(new Error(`${cmd} did not become ready: ${out}`));
    }, ms);
    const onData = (d: string) => {
      out += d;
      for (const w of waiters) w();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(peer);
      }
    };
    // Strings, not Buffers: a UTF-8 character split across reads stays whole.
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    // A spawn failure (ENOENT, EAGAIN on a loaded machine) is an 'error' event: unhandled it would throw.
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${cmd}: ${e.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      exited = true;
      for (const w of waiters) w();
      if (!ready.test(out)) reject(new Error(`${cmd} exited with ${code}: ${out}`));
    });
  });
}

/** The start of an `openssl s_client` command line: TLS 1.3 to 127.0.0.1:`port`, SNI localhost. */
export function sClientArgs(port: number): string[] {
  return ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-tls1_3'];
}

/** The line s_server prints once listening; with `-accept 127.0.0.1:0` it names the port the kernel chose. */
const ACCEPT = /^ACCEPT 127\.0\.0\.1:(\d+)\r?\n/m;

/**
 * `openssl s_server` on 127.0.0.1, on a port it picks itself (port 0: no
 * window in which another process can take a port we picked), with this
 * certificate and key, TLS 1.3 only, plus `extra` flags; resolves once it
 * prints ACCEPT, with that port.
 */
export async function startOpensslServer(
  files: { readonly cert: string; readonly key: string },
  extra: string[],
): Promise<Peer & { readonly port: number }> {
  const peer = await startPeer(
    'openssl',
    [
      's_server',
      '-accept',
      '127.0.0.1:0',
      '-cert',
      files.cert,
      '-key',
      files.key,
      '-tls1_3',
      ...extra,
    ],
    ACCEPT,
  );
  return Object.assign(peer, { port: Number(ACCEPT.exec(peer.output())![1]) });
}

/** One piece of a peer's stdin, written once the output satisfies `when`. */
export interface Step {
  readonly when: Condition;
  readonly write: string;
}

/**
 * Runs a peer to completion. `input` is written at once, or each step's
 * `write` in order once the output that arrived after the previous write
 * satisfies its `when` (so an interactive peer reads every piece on its own,
 * never two coalesced). s_client and gnutls-cli close the connection at stdin
 * EOF, so stdin ends only once `until` holds: what the test waits for plus a
 * failure marker, never a fixed delay, which loses the reply on a loaded
 * machine. `until` sees the whole output, on every read and every 100 ms (so
 * it may look at a file the peer writes, such as s_client's -sess_out).
 * Failing that, stdin ends 1 s before the kill at `ms`.
 */
export function runPeer(
  cmd: string,
  args: string[],
  input: string | readonly Step[],
  until: Condition,
  ms = 15000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    ignoreStdinErrors(child.stdin);
    const steps = typeof input === 'string' ? [] : [...input];
    let out = '';
    let mark = 0;
    const open = () => !child.stdin.writableEnded && !child.stdin.destroyed;
    const write = (s: string) => {
      if (open()) child.stdin.write(s);
      mark = out.length;
    };
    const check = () => {
      if (open() && holds(until, out)) child.stdin.end();
    };
    // At most one step per read: the next one waits for output caused by this write.
    const step = () => {
      if (steps.length > 0 && holds(steps[0]!.when, out.slice(mark))) write(steps.shift()!.write);
    };
    const onData = (d: string) => {
      out += d;
      step();
      check();
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    if (typeof input === 'string') write(input);
    else step();
    const poll = setInterval(check, 100);
    const cap = setTimeout(() => child.stdin.end(), ms - 1000);
    const kill = setTimeout(() => child.kill('SIGKILL'), ms);
    const stop = () => {
      clearInterval(poll);
      clearTimeout(cap);
      clearTimeout(kill);
    };
    // A spawn failure is an 'error' event (and maybe no 'close'): unhandled it would throw.
    child.on('error', (e) => {
      stop();
      reject(new Error(`${cmd}: ${e.message}\n${out}`));
    });
    child.once('close', (code) => {
      stop();
      resolve({ code, output: out });
    });
  });
}
