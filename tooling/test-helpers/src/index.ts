import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the folder that holds pnpm-workspace.yaml. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repoRoot: no pnpm-workspace.yaml above test-helpers');
    dir = up;
  }
  return dir;
}

/**
 * The shared folder (RFC texts, Wycheproof vectors, interop notes). CI clones the
 * repository with `shared/` beside it; X_SHARED_DIR overrides that.
 */
export function sharedDir(): string {
  const dir = process.env.X_SHARED_DIR ?? resolve(repoRoot(), '..', 'shared');
  if (!existsSync(join(dir, 'rfc'))) {
    throw new Error(
      `shared folder not found at ${dir}: clone the repository beside shared/ or set X_SHARED_DIR`,
    );
  }
  return dir;
}

/** The text of an RFC from ../shared/rfc, without the UTF-8 byte-order mark of v3 files. */
export function rfcText(n: number): string {
  return readFileSync(join(sharedDir(), 'rfc', `rfc${n}.txt`), 'utf8').replace(/^\uFEFF/, '');
}

export function hex(s: string): Uint8Array {
  const clean = s.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0) throw new Error(`odd-length hex: ${clean.length}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const byte = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
    if (Number.isNaN(byte)) throw new Error(`bad hex at ${2 * i}`);
    out[i] = byte;
  }
  return out;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  result: 'valid' | 'invalid' | 'acceptable';
  [field: string]: unknown;
}

export interface WycheproofGroup {
  type?: string;
  tests: WycheproofTest[];
  [field: string]: unknown;
}

export interface WycheproofFile {
  algorithm: string;
  numberOfTests: number;
  notes: Record<string, unknown>;
  testGroups: WycheproofGroup[];
}

/** Loads a Wycheproof file and checks that it is whole (numberOfTests matches). */
export function loadWycheproof(file: string): WycheproofFile {
  const path = join(sharedDir(), 'vectors', 'wycheproof', file);
  const data = JSON.parse(readFileSync(path, 'utf8')) as WycheproofFile;
  const count = data.testGroups.reduce((n, g) => n + g.tests.length, 0);
  if (count !== data.numberOfTests) {
    throw new Error(`${file}: ${count} tests but numberOfTests says ${data.numberOfTests}`);
  }
  return data;
}

export { openssl, requirePeer } from './peers.js';
export {
  type Rfc8448Step,
  rfc8448Steps,
  rfcHexBlockAfter,
  rfcLabeled,
  rfcSlice,
  rfcValue,
} from './rfc.js';
