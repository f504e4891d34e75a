/** Shared command-line handling for the examples. */
import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type Certificate,
  type PrivateKey,
  parseCertificatesPem,
  parsePrivateKeyPem,
  pemToDer,
} from '@x/crypto';

export const COMMON_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  servername: { type: 'string' },
  alpn: { type: 'string' },
  ciphersuites: { type: 'string' },
  groups: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  keylog: { type: 'string' },
  'insecure-fingerprint': { type: 'string', multiple: true },
  message: { type: 'string' },
  http: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

export function parse(argv: string[]) {
  return parseArgs({ args: argv, options: COMMON_OPTIONS, strict: true }).values;
}

export const list = (v: string | undefined, sep: string | RegExp): string[] | undefined =>
  v === undefined
    ? undefined
    : v
        .split(sep)
        .map((s) => s.trim())
        .filter((s) => s.length > 0);

export function loadCertificates(file: string): Certificate[] {
  return parseCertificatesPem(readFileSync(file, 'utf8'));
}

export function loadChain(file: string): Uint8Array[] {
  return pemToDer(readFileSync(file, 'utf8'));
}

export function loadKey(file: string): PrivateKey {
  return parsePrivateKeyPem(readFileSync(file, 'utf8')).privateKey;
}

/** Appends each NSS key log line to `file` (SSLKEYLOGFILE format). */
export function keyLogTo(file: string | undefined): ((line: string) => void) | undefined {
  return file === undefined ? undefined : (line) => appendFileSync(file, `${line}\n`);
}
