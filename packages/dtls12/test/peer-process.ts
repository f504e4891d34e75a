import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derToPem, privateKeyToPem } from '@x/crypto';
import { toHex } from '@x/wire';
import type { DtlsConnection } from '../src/index.js';
import { makeCertificate } from './fixtures.js';

/** A free UDP port on 127.0.0.1 (bind port 0, read it, release it). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A spawned peer whose combined output we watch; killed by PID in stop(). */
export class PeerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  output = '';
  exited: Promise<number | null>;

  constructor(cmd: string, args: string[], env?: NodeJS.ProcessEnv) {
    this.child = spawn(cmd, args, { stdio: 'pipe', env: { ...process.env, ...env } });
    // A peer that exits before reading stdin (it refused us) makes our writes fail with EPIPE.
    this.child.stdin.on('error', () => {});
    this.child.stdout.on('data', (d: Buffer) => (this.output += d.toString('latin1')));
    this.child.stderr.on('data', (d: Buffer) => (this.output += d.toString('latin1')));
    this.exited = new Promise((r) => this.child.on('exit', (code) => r(code)));
  }

  /**
   * Resolves once `pattern` appears in the output's complete lines (a line still
   * arriving could match only a prefix: half a hex string); rejects after `ms`
   * with the output so far.
   */
  async waitFor(pattern: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
    const start = Date.now();
    for (;;) {
      const exited = this.child.exitCode !== null;
      const lines = exited ? this.output : this.output.slice(0, this.output.lastIndexOf('\n') + 1);
      const m = lines.match(pattern);
      if (m) return m;
      if (Date.now() - start > ms)
        throw new Error(`timed out waiting for ${pattern}; output:\n${this.output}`);
      if (this.child.exitCode !== null)
        throw new Error(
          `peer exited (${this.child.exitCode}) before ${pattern}; output:\n${this.output}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const t = setTimeout(
        () =>
          this.child.pid !== undefined &&
          this.child.exitCode === null &&
          process.kill(this.child.pid, 'SIGKILL'),
        2000,
      );
      await this.exited;
      clearTimeout(t);
    }
  }
}

export interface CertFiles {
  readonly dir: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly der: Uint8Array;
  readonly cert: ReturnType<typeof makeCertificate>;
  readonly rsaCertPem: string;
  readonly rsaKeyPem: string;
  cleanup(): void;
}

/**
 * ECDSA P-256 certificate made with @x/crypto, written as PEM for the peers,
 * and an RSA certificate made by openssl itself (an independent encoder: our
 * server loads its key file in the RSA interop test).
 */
export function writeCertificates(): CertFiles {
  const dir = mkdtempSync(join(tmpdir(), 'x-dtls12-'));
  const cert = makeCertificate('P-256');
  const certPem = join(dir, 'cert.pem');
  const keyPem = join(dir, 'key.pem');
  writeFileSync(certPem, derToPem(cert.der));
  // With the public key: GnuTLS 3.7 refuses a PKCS#8 EC key without it ("ASN1 parser: Element was not found").
  writeFileSync(keyPem, privateKeyToPem(cert.privateKey, cert.publicKey));
  const rsaCertPem = join(dir, 'rsa.pem');
  const rsaKeyPem = join(dir, 'rsa.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      rsaKeyPem,
      '-out',
      rsaCertPem,
      '-subj',
      '/CN=localhost',
      '-days',
      '2',
    ],
    {
      stdio: 'ignore',
      timeout: 20_000,
    },
  );
  return {
    dir,
    certPem,
    keyPem,
    der: cert.der,
    cert,
    rsaCertPem,
    rsaKeyPem,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * `openssl s_client -dtls1_2` to 127.0.0.1:`port` with `extra` flags, ended by
 * `timeout` after `seconds` whatever happens.
 */
export function opensslDtlsClient(port: number, extra: string[], seconds = 20): PeerProcess {
  return new PeerProcess('timeout', [
    String(seconds),
    'openssl',
    's_client',
    '-dtls1_2',
    '-connect',
    `127.0.0.1:${port}`,
    ...extra,
  ]);
}

/** What an echo session on our server saw: RFC 5764 exporter output (60 bytes, hex), suite, SRTP profile. */
export interface EchoSession {
  exporter?: string;
  suite?: number;
  srtp?: number;
  closed?: boolean;
}

/** A server session handler that echoes data and records each session into `sessions`. */
export function recordEchoSessions(
  sessions: EchoSession[],
): (s: { connection: DtlsConnection }) => void {
  return (s) => {
    const info: EchoSession = {};
    sessions.push(info);
    const c = s.connection;
    c.on('connected', () => {
      info.exporter = toHex(
        c.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 60),
      ).toUpperCase();
      info.suite = c.cipherSuite?.id;
      info.srtp = c.srtpProfile;
    });
    c.on('data', (d) => c.send(d));
    c.on('close', () => (info.closed = true));
  };
}

/** openssl flags offering `profiles` (use_srtp) and printing the 60-byte RFC 5764 exporter output. */
export function srtpExportArgs(profiles: string): string[] {
  return ['-use_srtp', profiles, '-keymatexport', 'EXTRACTOR-dtls_srtp', '-keymatexportlen', '60'];
}
