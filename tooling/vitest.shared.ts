import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * Test settings every package shares. Workspace packages resolve to their
 * TypeScript sources (the "x-source" export condition), so tests never run a
 * stale build; each run also writes a JSON report that `.ci/run` sums into one
 * "N passed, N failed" line.
 */
const conditions = ['x-source', 'module', 'node', 'development|production'];

export function packageTestConfig(overrides: { testTimeout?: number } = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 60_000,
      // Hooks start peers and make RSA keys: vitest's 10 s default is short on a loaded machine.
      hookTimeout: 60_000,
      reporters: ['default', ['json', { outputFile: '.vitest-result.json' }]],
    },
  });
}
