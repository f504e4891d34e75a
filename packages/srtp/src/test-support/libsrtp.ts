/**
 * Builds and runs tooling/libsrtp-harness (a small C program over Debian's
 * libsrtp2) for the interop tests and the bench.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, requirePeer } from '@x/test-helpers';

const INSTALL = 'apt-get install -y gcc libsrtp2-dev pkg-config';

/** The harness binary, (re)built when it is missing or older than its source. */
export function libsrtpHarness(): string {
  const dir = join(repoRoot(), 'tooling', 'libsrtp-harness');
  const source = join(dir, 'srtp-harness.c');
  const binary = join(dir, 'build', 'srtp-harness');
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  requirePeer('gcc', INSTALL);
  requirePeer('pkg-config', INSTALL);
  if (spawnSync('pkg-config', ['--exists', 'libsrtp2']).status !== 0) {
    throw new Error(`libsrtp2 development files are not installed; install them with: ${INSTALL}`);
  }
  execFileSync('sh', [join(dir, 'build.sh'), binary], { stdio: 'pipe', timeout: 60_000 });
  return binary;
}

export type HarnessMode = 'protect' | 'unprotect' | 'protect_rtcp' | 'unprotect_rtcp';

/**
 * Feeds packets (hex, one per line) through one libsrtp session and returns its
 * output lines: hex, or "error <srtp_err_status_t>". With `mkiHex` libsrtp
 * sends and requires that MKI.
 */
export function runLibsrtp(
  mode: HarnessMode,
  profile: number,
  keyHex: string,
  saltHex: string,
  packetsHex: readonly string[],
  mkiHex?: string,
): string[] {
  const args = [mode, String(profile), keyHex, saltHex, ...(mkiHex ? [mkiHex] : [])];
  const out = execFileSync(libsrtpHarness(), args, {
    input: `${packetsHex.join('\n')}\n`,
    encoding: 'utf8',
    timeout: 30_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = out.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** libsrtp's srtp_err_status_t values the tests look for. */
export const LIBSRTP_STATUS = {
  auth_fail: 7,
  replay_fail: 9,
  replay_old: 10,
  bad_mki: 25,
} as const;
