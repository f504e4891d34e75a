/**
 * Shared flag parsing for the client and server examples:
 * --host --port --cert --key --ciphers --curves --srtp-profiles --mtu --keylog --fingerprint.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  certificateFingerprint,
  createSelfSignedCertificate,
  defaultProvider,
  type EcdheGroup,
  findCipherSuite,
  parsePrivateKeyPem,
  pemToDer,
} from '@x/crypto';
import type { DtlsOptions } from '../config.js';

/** IANA TLS Supported Groups names (what the examples print), plus common aliases. */
const GROUPS: Record<string, EcdheGroup> = {
  x25519: 'x25519',
  secp256r1: 'P-256',
  'p-256': 'P-256',
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  'p-384': 'P-384',
};
export const IANA_GROUP_NAME: Record<EcdheGroup, string> = {
  x25519: 'x25519',
  'P-256': 'secp256r1',
  'P-384': 'secp384r1',
};

/** OpenSSL's SRTP profile spellings map to the IANA ones (RFC 5764 §4.1.2). */
const SRTP_ALIASES: Record<string, string> = {
  SRTP_AES128_CM_SHA1_80: 'SRTP_AES128_CM_HMAC_SHA1_80',
  SRTP_AES128_CM_SHA1_32: 'SRTP_AES128_CM_HMAC_SHA1_32',
};

export interface ExampleArgs {
  readonly host: string;
  readonly port: number;
  readonly message: string;
  readonly options: DtlsOptions;
}

const list = (v: string | undefined): string[] | undefined =>
  v === undefined
    ? undefined
    : v
        .split(/[,:]/)
        .map((s) => s.trim())
        .filter(Boolean);

export function parseExampleArgs(argv: string[], role: 'client' | 'server'): ExampleArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '4444' },
      cert: { type: 'string' },
      key: { type: 'string' },
      ciphers: { type: 'string' },
      curves: { type: 'string' },
      'srtp-profiles': { type: 'string' },
      mtu: { type: 'string' },
      keylog: { type: 'string' },
      fingerprint: { type: 'string' },
      message: { type: 'string', default: 'hello from @x/dtls12' },
      'initial-rto': { type: 'string' },
    },
    strict: true,
  });
  const options: {
    -readonly [K in keyof DtlsOptions]: DtlsOptions[K];
  } = {};
  if (values.cert !== undefined || values.key !== undefined) {
    if (values.cert === undefined || values.key === undefined)
      throw new Error('--cert and --key go together');
    const chain = pemToDer(readFileSync(values.cert, 'utf8'));
    const { privateKey } = parsePrivateKeyPem(readFileSync(values.key, 'utf8'));
    options.certificate = { chain, privateKey };
  } else {
    const now = Date.now();
    const c = createSelfSignedCertificate(defaultProvider, {
      commonName: `x-dtls12-${role}`,
      notBefore: now - 86_400_000,
      notAfter: now + 30 * 86_400_000,
    });
    options.certificate = { chain: [c.der], privateKey: c.privateKey };
  }
  process.stderr.write(
    `local fingerprint sha-256 ${certificateFingerprint(defaultProvider, options.certificate.chain[0]!)}\n`,
  );
  const ciphers = list(values.ciphers);
  if (ciphers) {
    options.cipherSuites = ciphers.map((name) => {
      const s = findCipherSuite('tls12', name);
      if (!s) throw new Error(`unknown cipher suite ${name} (use IANA names)`);
      return s.id;
    });
  }
  const curves = list(values.curves);
  if (curves) {
    options.groups = curves.map((name) => {
      const g = GROUPS[name.toLowerCase()];
      if (!g) throw new Error(`unknown curve ${name} (x25519, secp256r1, secp384r1)`);
      return g;
    });
  }
  const profiles = list(values['srtp-profiles']);
  if (profiles) {
    options.srtpProfiles = profiles.map((name) => {
      const s = findCipherSuite('srtp', SRTP_ALIASES[name] ?? name);
      if (!s) throw new Error(`unknown SRTP profile ${name}`);
      return s.id;
    });
  }
  if (values.mtu !== undefined) options.mtu = Number(values.mtu);
  if (values['initial-rto'] !== undefined)
    options.retransmit = { initialMs: Number(values['initial-rto']) };
  if (values.keylog !== undefined) {
    const file = values.keylog;
    options.keyLog = (line) => appendFileSync(file, `${line}\n`);
  }
  if (values.fingerprint !== undefined) {
    options.fingerprint = values.fingerprint;
  } else {
    process.stderr.write('warning: no --fingerprint given, any peer certificate is accepted\n');
  }
  if (role === 'server') options.requestClientCertificate = true;
  return { host: values.host!, port: Number(values.port), message: values.message!, options };
}
