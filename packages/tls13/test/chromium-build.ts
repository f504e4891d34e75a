/**
 * Compiles this package (tsconfig.build.json) into .interop/chromium-build/ for the Chromium
 * test: the runner starts the built server example from there and decodes ClientHellos with
 * the built codec. A directory of its own, so it never races examples.test.ts, which rebuilds
 * dist/ while other test files run. Dependencies come from their dist/ (turbo's ^build).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));

export function buildExamples(): string {
  const out = join(pkg, '.interop', 'chromium-build');
  const tsc = join(pkg, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(pkg, 'tsconfig.build.json'), '--outDir', out], {
      stdio: 'pipe',
      timeout: 120_000,
    });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `building @x/tls13 for the Chromium test failed:\n${stdout ?? ''}${stderr ?? ''}`,
    );
  }
  return out;
}
