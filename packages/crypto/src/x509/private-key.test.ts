import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { testProviders } from '../providers/test-providers.js';
import {
  encodeOctetString,
  encodeOid,
  encodeSequence,
  encodeSmallInteger,
  encodeTlv,
} from './der.js';
import { OID } from './oids.js';
import { derToPem, pemToDer } from './pem.js';
import {
  encodePkcs8PrivateKey,
  parsePkcs8PrivateKey,
  parsePrivateKeyPem,
  parseSec1PrivateKey,
  privateKeyMatches,
  privateKeyToPem,
} from './private-key.js';
import { encodeSubjectPublicKeyInfo, parseSubjectPublicKeyInfo } from './spki.js';
import { generateKey, opensslStatus, Workdir } from './testing/openssl.js';

const dir = new Workdir();
afterAll(() => dir.dispose());

/** The SubjectPublicKeyInfo OpenSSL derives from a key file. */
function opensslPublicKey(file: string): Uint8Array {
  const out = `${file}.pub.der`;
  dir.run(['pkey', '-in', file, '-pubout', '-outform', 'DER', '-out', out]);
  return dir.readBytes(out);
}

describe('parsing OpenSSL key files', () => {
  for (const type of ['P-256', 'P-384', 'ed25519'] as const) {
    it(`reads a PKCS #8 ${type} key from openssl genpkey`, () => {
      const file = generateKey(dir, `gen-${type}`, type);
      const info = parsePrivateKeyPem(dir.read(file));
      expect(info.privateKey.kind).toBe(type === 'ed25519' ? 'ed25519' : 'ec');
      const expected = parseSubjectPublicKeyInfo(opensslPublicKey(file));
      if (type === 'ed25519') {
        // RFC 8410 v1 PKCS #8 as OpenSSL writes it carries no public key.
        expect(info.publicKey).toBeUndefined();
      } else {
        expect(info.publicKey).toEqual(expected);
      }
      for (const provider of testProviders()) {
        expect(privateKeyMatches(provider, info.privateKey, expected)).toBe(true);
      }
    });
  }

  it('reads a SEC 1 "EC PRIVATE KEY" from openssl ecparam', () => {
    dir.run(['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'sec1.key']);
    const text = dir.read('sec1.key');
    expect(text).toContain('-----BEGIN EC PRIVATE KEY-----');
    const info = parsePrivateKeyPem(text);
    expect(info.privateKey).toMatchObject({ kind: 'ec', curve: 'P-384' });
    expect(info.publicKey).toEqual(parseSubjectPublicKeyInfo(opensslPublicKey('sec1.key')));
    expect(parseSec1PrivateKey(pemToDer(text, 'EC PRIVATE KEY')[0]!)).toEqual(info);
  });

  it('skips certificates in a combined file and takes the key', () => {
    generateKey(dir, 'combo', 'P-256');
    dir.run(['req', '-x509', '-new', '-key', 'combo.key', '-subj', '/CN=c', '-out', 'combo.pem']);
    const info = parsePrivateKeyPem(dir.read('combo.pem') + dir.read('combo.key'));
    expect(info.publicKey).toEqual(parseSubjectPublicKeyInfo(opensslPublicKey('combo.key')));
  });

  it('refuses RSASSA-PSS-restricted, encrypted and explicit-curve keys with a clear error', () => {
    generateKey(dir, 'rsapss', 'rsa-pss');
    expect(() => parsePrivateKeyPem(dir.read('rsapss.key'))).toThrow(
      expect.objectContaining({
        code: 'unsupported',
        message: expect.stringMatching(/RSASSA-PSS-restricted/),
      }),
    );
    dir.run([
      'pkcs8',
      '-topk8',
      '-in',
      'gen-P-256.key',
      '-v2',
      'aes-256-cbc',
      '-passout',
      'pass:x',
      '-out',
      'enc.key',
    ]);
    expect(() => parsePrivateKeyPem(dir.read('enc.key'))).toThrow(
      expect.objectContaining({ code: 'unsupported' }),
    );
    dir.run(['ec', '-in', 'sec1.key', '-aes256', '-passout', 'pass:x', '-out', 'legacy.key']);
    expect(dir.read('legacy.key')).toContain('Proc-Type: 4,ENCRYPTED');
    expect(() => parsePrivateKeyPem(dir.read('legacy.key'))).toThrow(
      expect.objectContaining({ code: 'unsupported' }),
    );
    dir.run([
      'ecparam',
      '-name',
      'prime256v1',
      '-param_enc',
      'explicit',
      '-genkey',
      '-noout',
      '-out',
      'explicit.key',
    ]);
    expect(() => parsePrivateKeyPem(dir.read('explicit.key'))).toThrow(
      /explicit EC curve parameters/,
    );
    expect(() => parsePrivateKeyPem(dir.read('combo.pem'))).toThrow(/no "PRIVATE KEY"/);
  });
});

describe.each(testProviders().map((p) => [p.name, p] as const))(
  'writing keys with the %s provider',
  (name, provider) => {
    for (const kind of ['P-256', 'P-384', 'ed25519'] as const) {
      it(`writes a PKCS #8 ${kind} key that OpenSSL reads and signs with`, () => {
        const { privateKey, publicKey } = provider.generateSigningKey(kind);
        const file = dir.write(`${name}-${kind}.key`, privateKeyToPem(privateKey, publicKey));
        expect(opensslStatus(['pkey', '-in', file, '-check', '-noout']).ok).toBe(true);
        expect(opensslPublicKey(file)).toEqual(encodeSubjectPublicKeyInfo(publicKey));
        // OpenSSL signs with the key we wrote; the provider verifies with our public key.
        const data = dir.write(`${name}-${kind}.msg`, 'signed by openssl');
        const sig = `${name}-${kind}.sig`;
        if (kind === 'ed25519') {
          dir.run(['pkeyutl', '-sign', '-rawin', '-inkey', file, '-in', data, '-out', sig]);
        } else {
          dir.run(['dgst', '-sha256', '-sign', file, '-out', sig, data]);
        }
        const algorithm =
          kind === 'ed25519'
            ? ({ name: 'ed25519' } as const)
            : ({ name: 'ecdsa', hash: 'SHA-256' } as const);
        expect(
          provider.verify(
            algorithm,
            publicKey,
            dir.readBytes(`${name}-${kind}.msg`),
            dir.readBytes(sig),
          ),
        ).toBe(true);
        // And the file reads back to the same key.
        expect(parsePrivateKeyPem(dir.read(`${name}-${kind}.key`)).privateKey).toEqual(privateKey);
      });
    }

    it('round-trips PKCS #8 with and without the public key', () => {
      const { privateKey, publicKey } = provider.generateSigningKey('P-256');
      expect(parsePkcs8PrivateKey(encodePkcs8PrivateKey(privateKey, publicKey))).toEqual({
        privateKey,
        publicKey,
      });
      expect(parsePkcs8PrivateKey(encodePkcs8PrivateKey(privateKey))).toEqual({
        privateKey,
        publicKey: undefined,
      });
      expect(() =>
        encodePkcs8PrivateKey(privateKey, provider.generateSigningKey('P-384').publicKey),
      ).toThrow(CryptoError);
    });

    it('privateKeyMatches tells a key pair from two unrelated keys', () => {
      const a = provider.generateSigningKey('P-256');
      const b = provider.generateSigningKey('P-256');
      expect(privateKeyMatches(provider, a.privateKey, a.publicKey)).toBe(true);
      expect(privateKeyMatches(provider, a.privateKey, b.publicKey)).toBe(false);
      expect(
        privateKeyMatches(provider, a.privateKey, provider.generateSigningKey('ed25519').publicKey),
      ).toBe(false);
    });
  },
);

describe('malformed keys', () => {
  const p256Order = Uint8Array.from(
    Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex'),
  );

  it('refuses a scalar of zero or at least the group order (SEC 1 §3.2.1)', () => {
    for (const scalar of [new Uint8Array(32), p256Order]) {
      const der = encodePkcs8PrivateKey({ kind: 'ec', curve: 'P-256', scalar });
      expect(() => parsePkcs8PrivateKey(der)).toThrow(/out of range/);
    }
  });

  it('pads a scalar whose leading zero octets were dropped by an old encoder', () => {
    const ecPrivateKey = (d: Uint8Array) =>
      encodeSequence(
        encodeSmallInteger(1),
        encodeOctetString(d),
        encodeTlv(0xa0, encodeOid(OID.secp256r1)),
      );
    const scalar = new Uint8Array(32);
    scalar[31] = 7;
    expect(parseSec1PrivateKey(ecPrivateKey(Uint8Array.of(7))).privateKey).toEqual({
      kind: 'ec',
      curve: 'P-256',
      scalar,
    });
    expect(() => parseSec1PrivateKey(ecPrivateKey(new Uint8Array(33).fill(1)))).toThrow(
      /longer than 32/,
    );
  });

  it('only ever raises CryptoError on random bytes and truncations', () => {
    const valid = encodePkcs8PrivateKey(testProviders()[0]!.generateSigningKey('P-384').privateKey);
    const check = (bytes: Uint8Array): void => {
      for (const parse of [parsePkcs8PrivateKey, parseSec1PrivateKey]) {
        try {
          parse(bytes);
        } catch (e) {
          if (!(e instanceof CryptoError)) throw e;
        }
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), { numRuns: 300 });
    for (let n = 0; n < valid.length; n++) {
      expect(() => parsePkcs8PrivateKey(valid.subarray(0, n))).toThrow(CryptoError);
    }
    expect(() => parsePrivateKeyPem(derToPem(valid.subarray(1), 'PRIVATE KEY'))).toThrow(
      CryptoError,
    );
  });
});
