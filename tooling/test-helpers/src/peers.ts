import { execFileSync, spawnSync } from 'node:child_process';

/**
 * A real peer the tests need. When it is missing the test fails with the
 * install command: an interop test never passes silently without its peer.
 */
export function requirePeer(command: string, install: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(`${command} is not installed; install it with: ${install}`);
  }
  return path;
}

/** Runs an installed OpenSSL command line and returns its stdout. */
export function openssl(args: string[], input?: Uint8Array | string): string {
  requirePeer('openssl', 'apt-get install -y openssl');
  return execFileSync('openssl', args, {
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
