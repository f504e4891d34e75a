import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, rfcSlice, rfcText, rfcValue, toHex } from '@x/test-helpers';
import { afterAll, describe, expect, it } from 'vitest';

const root = repoRoot();
const pnpmVersion = (
  JSON.parse(
    execFileSync('node', ['-p', 'JSON.stringify(require("./package.json"))'], {
      cwd: root,
      encoding: 'utf8',
    }),
  ) as { packageManager: string }
).packageManager.split('@')[1]!;
const work = mkdtempSync(join(tmpdir(), 'x-pack-check-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
}

describe('published packages', () => {
  it('install from their pnpm pack tarballs into an empty project and derive the RFC 9001 A.1 client Initial key', () => {
    const tarballs = join(work, 'tarballs');
    for (const pkg of ['wire', 'crypto']) {
      // pnpm pack rewrites workspace: ranges to real versions, as publishing does.
      run(
        'npx',
        ['-y', `pnpm@${pnpmVersion}`, 'pack', '--pack-destination', tarballs],
        join(root, 'packages', pkg),
      );
    }
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    expect(files.length).toBe(2);

    const app = join(work, 'app');
    run('mkdir', ['-p', app], work);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    run('npm', ['install', '--no-audit', '--no-fund', ...files], app);

    writeFileSync(
      join(app, 'derive.mjs'),
      `import { fromHex, toHex, Writer } from '@x/wire';
import { hkdfExpandLabel, hkdfExtract, nodeProvider, nobleProvider } from '@x/crypto';
const salt = fromHex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');
const dcid = new Writer().bytes(fromHex('8394c8f03e515708')).finish();
for (const p of [nodeProvider, nobleProvider]) {
  const initial = hkdfExtract(p, 'SHA-256', salt, dcid);
  const client = hkdfExpandLabel(p, 'SHA-256', initial, 'client in', new Uint8Array(0), 32);
  console.log(p.name, toHex(hkdfExpandLabel(p, 'SHA-256', client, 'quic key', new Uint8Array(0), 16)));
}
`,
    );
    const out = run('node', ['derive.mjs'], app).trim().split('\n');
    const expected = toHex(
      rfcValue(
        rfcSlice(
          rfcText(9001),
          '   The secrets for protecting client packets',
          '   The secrets for protecting server',
        ),
        'key',
      ),
    );
    expect(out).toEqual([`node ${expected}`, `noble ${expected}`]);

    // The published .d.ts files type-check a consumer under NodeNext resolution.
    writeFileSync(
      join(app, 'check.ts'),
      `import { Reader, DecodeError } from '@x/wire';
import { type CryptoProvider, defaultProvider, getCipherSuite } from '@x/crypto';
const p: CryptoProvider = defaultProvider;
const r = new Reader(new Uint8Array([0x40, 0x25]));
const n: number = r.varint();
const suite = getCipherSuite('tls13', 0x1301);
export const ok: [number, string | undefined, boolean] = [n, suite?.name, p.name.length > 0 && DecodeError.name === 'DecodeError'];
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
          skipLibCheck: false,
          lib: ['ES2022'],
        },
        files: ['check.ts'],
      }),
    );
    run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], app);
  });
});
