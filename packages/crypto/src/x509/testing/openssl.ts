/**
 * Test support: the real OpenSSL CLI as an independent implementation. Tests
 * generate their certificates with it at run time and compare our results
 * with what it prints. A missing openssl is a test failure, not a skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

function findOpenssl(): string {
  for (const candidate of ['/usr/bin/openssl', '/usr/local/bin/openssl']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return 'openssl';
  } catch {
    throw new Error('the openssl CLI is required by the X.509 tests: apt-get install openssl');
  }
}

let binary: string | undefined;

/** Runs openssl and returns stdout; throws with OpenSSL's stderr on failure. */
export function openssl(args: readonly string[], cwd?: string): string {
  binary ??= findOpenssl();
  try {
    return execFileSync(binary, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${err.stderr ?? err.message}`);
  }
}

/** Like openssl() but returns the exit status and combined output instead of throwing. */
export function opensslStatus(
  args: readonly string[],
  cwd?: string,
): { ok: boolean; output: string } {
  // A missing binary must fail the test, not read as OpenSSL's "no".
  binary ??= findOpenssl();
  try {
    return { ok: true, output: openssl(args, cwd) };
  } catch (e) {
    return { ok: false, output: (e as Error).message };
  }
}

/** A temporary directory of OpenSSL files; call dispose() in afterAll. */
export class Workdir {
  readonly path = mkdtempSync(join(tmpdir(), 'x509-test-'));

  constructor() {
    // Also clean up when fixture generation fails at import time, before afterAll runs.
    process.once('exit', () => this.dispose());
  }

  /** The path of a file in the directory (absolute paths are returned as they are). */
  file(name: string): string {
    return isAbsolute(name) ? name : join(this.path, name);
  }

  read(name: string): string {
    return readFileSync(this.file(name), 'utf8');
  }

  readBytes(name: string): Uint8Array {
    const b = readFileSync(this.file(name));
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }

  write(name: string, data: string | Uint8Array): string {
    writeFileSync(this.file(name), data);
    return this.file(name);
  }

  run(args: readonly string[]): string {
    return openssl(args, this.path);
  }

  dispose(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export type KeyType = 'P-256' | 'P-384' | 'ed25519' | 'rsa2048' | 'rsa-pss';

/** `openssl genpkey` arguments for a key type. */
export function genpkeyArgs(type: KeyType): string[] {
  switch (type) {
    case 'P-256':
    case 'P-384':
      return ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${type}`];
    case 'ed25519':
      return ['-algorithm', 'ED25519'];
    case 'rsa2048':
      return ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
    case 'rsa-pss':
      return ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'];
  }
}

/** Generates `<name>.key` (PKCS #8 PEM) in the workdir. */
export function generateKey(dir: Workdir, name: string, type: KeyType): string {
  dir.run(['genpkey', ...genpkeyArgs(type), '-out', `${name}.key`]);
  return `${name}.key`;
}

export interface IssueOptions {
  readonly subject: string;
  readonly days?: number;
  /** OpenSSL v3 extension lines, e.g. "basicConstraints=critical,CA:TRUE". */
  readonly extensions?: readonly string[];
  readonly serial?: string;
  readonly sigopts?: readonly string[];
  readonly digest?: string;
}

function extFile(dir: Workdir, name: string, extensions: readonly string[]): string {
  // `req` needs a distinguished_name section even when -subj supplies the name.
  const text = `[req]\ndistinguished_name = dn\n[dn]\n[ext]\n${extensions.join('\n')}\n`;
  return dir.write(`${name}.ext`, text);
}

/** A self-signed certificate `<name>.pem` for an existing `<name>.key`. */
export function selfSign(dir: Workdir, name: string, options: IssueOptions): string {
  const ext = extFile(dir, name, options.extensions ?? []);
  dir.run([
    'req',
    '-x509',
    '-new',
    '-key',
    `${name}.key`,
    '-subj',
    options.subject,
    '-days',
    String(options.days ?? 30),
    '-set_serial',
    options.serial ?? '0x1234',
    '-config',
    ext,
    '-extensions',
    'ext',
    ...(options.digest ? [`-${options.digest}`] : []),
    ...(options.sigopts ?? []).flatMap((o) => ['-sigopt', o]),
    '-out',
    `${name}.pem`,
  ]);
  return `${name}.pem`;
}

/** Issues `<name>.pem` for `<name>.key`, signed by `<issuer>.pem` / `<issuer>.key`. */
export function issue(dir: Workdir, name: string, issuer: string, options: IssueOptions): string {
  const ext = extFile(dir, name, options.extensions ?? []);
  dir.run([
    'req',
    '-new',
    '-key',
    `${name}.key`,
    '-subj',
    options.subject,
    '-config',
    ext,
    '-out',
    `${name}.csr`,
  ]);
  dir.run([
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${issuer}.pem`,
    '-CAkey',
    `${issuer}.key`,
    '-set_serial',
    options.serial ?? '0x5678',
    '-days',
    String(options.days ?? 30),
    '-extfile',
    ext,
    '-extensions',
    'ext',
    ...(options.digest ? [`-${options.digest}`] : []),
    '-out',
    `${name}.pem`,
  ]);
  return `${name}.pem`;
}

export const CA_EXTENSIONS = [
  'basicConstraints=critical,CA:TRUE',
  'keyUsage=critical,keyCertSign,cRLSign',
  'subjectKeyIdentifier=hash',
];

export interface SignatureFixture {
  readonly type: KeyType;
  /** The certificate PEM file in the workdir; the key is the same name with .key. */
  readonly file: string;
  readonly digest?: string;
  readonly sigopts?: readonly string[];
}

/**
 * One self-signed CA certificate per key and signature type the parser maps,
 * all with the same names and extensions so tests can compare them field by field.
 */
export function createSignatureFixtures(dir: Workdir) {
  const make = (
    name: string,
    type: KeyType,
    options: Omit<SignatureFixture, 'type' | 'file'> = {},
  ): SignatureFixture => {
    generateKey(dir, name, type);
    const file = selfSign(dir, name, {
      subject: `/C=US/O=Example\\, Inc./OU=Unit ${name}/CN=${name}.example.test`,
      serial: '0x00ff12',
      extensions: [
        'subjectAltName=DNS:localhost,DNS:*.Example.test,IP:127.0.0.1,IP:::1,IP:2001:db8::5,email:a@b.c',
        'basicConstraints=critical,CA:TRUE,pathlen:2',
        'keyUsage=critical,digitalSignature,keyCertSign',
        'extendedKeyUsage=serverAuth,clientAuth',
      ],
      ...options,
    });
    return { type, file, ...options };
  };
  return {
    p256: make('p256', 'P-256'),
    p384: make('p384', 'P-384', { digest: 'sha384' }),
    ed25519: make('ed25519', 'ed25519'),
    rsa: make('rsa', 'rsa2048', { digest: 'sha512' }),
    rsaPssKey: make('rsapsskey', 'rsa-pss'),
    rsaPssSig: make('rsapsssig', 'rsa2048', {
      sigopts: ['rsa_padding_mode:pss', 'rsa_pss_saltlen:32'],
    }),
  } as const;
}
