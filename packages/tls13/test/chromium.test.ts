/**
 * Headless Chromium (Debian `chromium`, driven by playwright-core with executablePath, never a
 * downloaded browser) loads a page from our server example in --http mode. Each case runs
 * test/chromium-runner.mjs in a network namespace that has only loopback
 * (`unshare -n`), so nothing leaves the machine; the runner prints one JSON line with
 * the page, the server's `connection ...` line and the ClientHellos Chromium sent.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getCipherSuite } from '@x/crypto';
import { requirePeer } from '@x/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SUITES } from '../src/config.js';
import { tempDir, writeIdentity } from '../src/testing/openssl.js';
import { testIdentity } from '../src/testing/pair.js';
import { buildExamples } from './chromium-build.js';

interface Hello {
  connection: number;
  cipherSuites: string[];
  supportedGroups: string[] | null;
  keyShares: { group: string; length: number }[] | null;
  alpn: string[] | null;
  error?: string;
}

interface RunResult {
  ok: boolean;
  error?: string;
  serverOutput: string;
  clientHellos: Hello[];
  browserVersion?: string;
  status?: number;
  securityDetails?: { protocol?: string; subjectName?: string } | null;
  pageText?: string;
  page?: { suite: string | null; group: string | null; alpn: string | null };
  nextHopProtocol?: string | null;
  serverLine?: string;
}

const pkg = fileURLToPath(new URL('..', import.meta.url));
const runner = join(pkg, 'test', 'chromium-runner.mjs');
const RUN_MS = 40_000;
let build: string;
let dir: string;
let files: { cert: string; key: string };

/**
 * Runs the runner under `unshare -n` (a new network namespace with lo up) and returns its JSON.
 * The whole process group is killed by PID if it outlives RUN_MS + 10 s.
 */
function runChromium(args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'unshare',
      [
        '-n',
        '--fork',
        '--kill-child',
        'sh',
        '-c',
        'ip link set lo up && exec "$0" "$@"',
        process.execPath,
        runner,
        '--build',
        build,
        '--cert',
        files.cert,
        '--key',
        files.key,
        '--timeout-ms',
        String(RUN_MS),
        ...args,
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, RUN_MS + 10_000);
    child.once('close', (code) => {
      clearTimeout(killer);
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const r = JSON.parse(line) as RunResult;
        if (!r.ok) reject(new Error(`runner failed (${code}): ${r.error}\n${line}\n${stderr}`));
        else resolve(r);
      } catch {
        reject(new Error(`runner printed no JSON (exit ${code}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** The server prints `connection <suite> <group> <alpn>` for each handshake it completed. */
const serverConnections = (r: RunResult): string[] =>
  r.serverOutput.split('\n').filter((l) => l.startsWith('connection '));

const realShares = (h: Hello) => (h.keyShares ?? []).filter((k) => k.group !== 'GREASE');

/** Our server's default preference (DEFAULT_SUITES) among the suites a ClientHello offered. */
const ourSuite = (h: Hello): string | undefined =>
  DEFAULT_SUITES.map((id) => getCipherSuite('tls13', id)!.name).find((n) =>
    h.cipherSuites.includes(n),
  );

describe('Chromium loads a page from the server example (--http)', () => {
  beforeAll(() => {
    requirePeer('chromium', 'apt-get install -y chromium');
    requirePeer('unshare', 'apt-get install -y util-linux');
    requirePeer('ip', 'apt-get install -y iproute2');
    build = buildExamples();
    dir = tempDir('tls13-chromium-');
    files = writeIdentity(dir, testIdentity('P-256'));
  }, 130_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('negotiates X25519MLKEM768 from the key share Chromium sends first', async () => {
    const r = await runChromium([]);
    const hellos = r.clientHellos;
    expect(hellos.length).toBeGreaterThan(0);
    for (const h of hellos) {
      expect(h.error).toBeUndefined();
      // draft-ietf-tls-ecdhe-mlkem §4.1: ML-KEM-768 encapsulation key (1184) || X25519 (32).
      expect(realShares(h)[0]).toEqual({ group: 'X25519MLKEM768', length: 1216 });
    }
    const suite = ourSuite(hellos[0]!);
    expect(suite).toBe('TLS_AES_128_GCM_SHA256');
    expect(r.status).toBe(200);
    expect(r.securityDetails?.protocol).toBe('TLS 1.3');
    expect(r.page).toEqual({ suite, group: 'X25519MLKEM768', alpn: 'http/1.1' });
    expect(r.pageText).toContain(`TLS 1.3 with ${suite} over X25519MLKEM768`);
    expect(r.nextHopProtocol).toBe('http/1.1');
    expect(r.serverLine).toBe(`connection ${suite} X25519MLKEM768 http/1.1`);
    // The share was taken as sent: one ClientHello per connection, no HelloRetryRequest.
    const conns = serverConnections(r);
    expect(hellos.length).toBe(new Set(hellos.map((h) => h.connection)).size);
    for (const c of conns) expect(c).toBe(`connection ${suite} X25519MLKEM768 http/1.1`);
  });

  it('with classic groups off on our side, still X25519MLKEM768 (and ChaCha20 when it is our only suite)', async () => {
    const r = await runChromium([
      '--groups',
      'X25519MLKEM768',
      '--ciphersuites',
      'TLS_CHACHA20_POLY1305_SHA256',
    ]);
    expect(r.clientHellos[0]!.cipherSuites).toContain('TLS_CHACHA20_POLY1305_SHA256');
    expect(r.page).toEqual({
      suite: 'TLS_CHACHA20_POLY1305_SHA256',
      group: 'X25519MLKEM768',
      alpn: 'http/1.1',
    });
    expect(r.serverLine).toBe('connection TLS_CHACHA20_POLY1305_SHA256 X25519MLKEM768 http/1.1');
  });

  it('answers with a HelloRetryRequest when only secp256r1 is allowed, and Chromium follows it', async () => {
    const r = await runChromium(['--groups', 'secp256r1']);
    const first = r.clientHellos[0]!;
    expect(first.supportedGroups).toContain('secp256r1');
    expect(realShares(first).map((k) => k.group)).not.toContain('secp256r1');
    // RFC 8446 §4.1.2: the second ClientHello carries exactly the one share we asked for,
    // a 65-byte uncompressed P-256 point (§4.2.8.2).
    const seconds = r.clientHellos.filter(
      (h, i) => r.clientHellos.findIndex((x) => x.connection === h.connection) !== i,
    );
    expect(seconds.length).toBeGreaterThan(0);
    for (const h of seconds) expect(h.keyShares).toEqual([{ group: 'secp256r1', length: 65 }]);
    const suite = ourSuite(first);
    expect(r.page).toEqual({ suite, group: 'secp256r1', alpn: 'http/1.1' });
    expect(r.serverLine).toBe(`connection ${suite} secp256r1 http/1.1`);
  });
});
