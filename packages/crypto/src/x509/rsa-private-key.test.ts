/**
 * RSA key files against the OpenSSL CLI: we read what `openssl genpkey` writes
 * (PKCS #8) and what `openssl pkey -traditional` writes (PKCS #1), and OpenSSL
 * reads, checks and signs with the PKCS #8 files we write.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { nodeProvider } from '../providers/node/index.js';
import { testProviders } from '../providers/test-providers.js';
import { pemToDer } from './pem.js';
import {
  encodePkcs8PrivateKey,
  parsePkcs1PrivateKey,
  parsePkcs8PrivateKey,
  parsePrivateKeyPem,
  privateKeyMatches,
  privateKeyToPem,
} from './private-key.js';
import { encodeRsaPrivateKey } from './rsa-private-key.js';
import { parseSubjectPublicKeyInfo } from './spki.js';
import { generateKey, opensslStatus, Workdir } from './testing/openssl.js';

const dir = new Workdir();
afterAll(() => dir.dispose());

function opensslPublicKey(file: string): Uint8Array {
  dir.run(['pkey', '-in', file, '-pubout', '-outform', 'DER', '-out', `${file}.pub.der`]);
  return dir.readBytes(`${file}.pub.der`);
}

describe('RSA key files from OpenSSL', () => {
  const file = generateKey(dir, 'rsa', 'rsa2048');
  const text = dir.read(file);

  it('reads a PKCS #8 rsaEncryption key and re-encodes it byte for byte', () => {
    const info = parsePrivateKeyPem(text);
    expect(info.privateKey.kind).toBe('rsa');
    expect(info.publicKey).toEqual(parseSubjectPublicKeyInfo(opensslPublicKey(file)));
    // Our PKCS #8 writer produces exactly the bytes OpenSSL wrote.
    expect(encodePkcs8PrivateKey(info.privateKey)).toEqual(pemToDer(text, 'PRIVATE KEY')[0]);
    for (const provider of testProviders()) {
      expect(privateKeyMatches(provider, info.privateKey, info.publicKey!)).toBe(true);
    }
  });

  it('reads the same key as a PKCS #1 "RSA PRIVATE KEY"', () => {
    dir.run(['pkey', '-in', file, '-traditional', '-out', 'rsa1.key']);
    const pkcs1 = dir.read('rsa1.key');
    expect(pkcs1).toContain('-----BEGIN RSA PRIVATE KEY-----');
    const info = parsePrivateKeyPem(pkcs1);
    expect(info).toEqual(parsePrivateKeyPem(text));
    const der = pemToDer(pkcs1, 'RSA PRIVATE KEY')[0]!;
    expect(parsePkcs1PrivateKey(der)).toEqual(info);
    if (info.privateKey.kind !== 'rsa') throw new Error('unreachable');
    expect(encodeRsaPrivateKey(info.privateKey)).toEqual(der);
  });

  it('refuses a multi-prime key (RFC 8017 §A.1.2 version 1)', () => {
    dir.run([
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      'rsa_keygen_bits:2048',
      '-pkeyopt',
      'rsa_keygen_primes:3',
      '-out',
      'multi.key',
    ]);
    expect(() => parsePrivateKeyPem(dir.read('multi.key'))).toThrow(
      expect.objectContaining({
        code: 'unsupported',
        message: expect.stringMatching(/multi-prime/),
      }),
    );
  });
});

describe('RSA keys we write', () => {
  it('writes a PKCS #8 file that `openssl pkey` reads and checks, and signs with it', () => {
    const { privateKey, publicKey } = nodeProvider.generateSigningKey('rsa-2048');
    const file = dir.write('ours.key', privateKeyToPem(privateKey));
    expect(opensslStatus(['pkey', '-in', file, '-noout']).ok).toBe(true);
    const check = opensslStatus(['pkey', '-in', file, '-check', '-noout']);
    expect(check.output).toMatch(/Key is valid/);
    expect(parseSubjectPublicKeyInfo(opensslPublicKey(file))).toEqual(publicKey);
    dir.write('ours.msg', 'signed by openssl with our key file');
    dir.run(['dgst', '-sha256', '-sign', file, '-out', 'ours.sig', 'ours.msg']);
    for (const provider of testProviders()) {
      expect(
        provider.verify(
          { name: 'rsa-pkcs1', hash: 'SHA-256' },
          publicKey,
          dir.readBytes('ours.msg'),
          dir.readBytes('ours.sig'),
        ),
      ).toBe(true);
    }
    expect(parsePkcs8PrivateKey(encodePkcs8PrivateKey(privateKey)).privateKey).toEqual(privateKey);
  });

  it('refuses to write a key with a missing field', () => {
    const { privateKey } = nodeProvider.generateSigningKey('rsa-2048');
    expect(() =>
      encodePkcs8PrivateKey({ ...privateKey, coefficient: new Uint8Array(0) } as typeof privateKey),
    ).toThrow(expect.objectContaining({ code: 'invalid_key' }));
  });
});

describe('malformed RSA keys', () => {
  const valid = pemToDer(dir.read(generateKey(dir, 'fuzz', 'rsa2048')), 'PRIVATE KEY')[0]!;
  const pkcs1 = parsePkcs8PrivateKey(valid).privateKey;
  if (pkcs1.kind !== 'rsa') throw new Error('unreachable');
  const pkcs1Der = encodeRsaPrivateKey(pkcs1);

  it('only ever raises CryptoError on random bytes and truncations', () => {
    const check = (bytes: Uint8Array): void => {
      for (const parse of [parsePkcs1PrivateKey, parsePkcs8PrivateKey]) {
        try {
          parse(bytes);
        } catch (e) {
          if (!(e instanceof CryptoError)) throw e;
        }
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), { numRuns: 300 });
    // Mutations of a valid encoding reach deeper than random bytes do.
    fc.assert(
      fc.property(fc.nat(pkcs1Der.length - 1), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const bytes = pkcs1Der.slice();
        bytes[at]! ^= x;
        check(bytes);
      }),
      { numRuns: 300 },
    );
    for (let n = 0; n < pkcs1Der.length; n += 7) {
      expect(() => parsePkcs1PrivateKey(pkcs1Der.subarray(0, n))).toThrow(CryptoError);
    }
    for (let n = 0; n < valid.length; n += 7) {
      expect(() => parsePkcs8PrivateKey(valid.subarray(0, n))).toThrow(CryptoError);
    }
  });
});
