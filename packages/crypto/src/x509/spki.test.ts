import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { encodeSubjectPublicKeyInfo, parseSubjectPublicKeyInfo } from './spki.js';
import { generateKey, type KeyType, Workdir } from './testing/openssl.js';

const dir = new Workdir();
afterAll(() => dir.dispose());

function opensslSpki(name: string, extra: string[] = []): Uint8Array {
  dir.run([
    'pkey',
    '-in',
    `${name}.key`,
    '-pubout',
    '-outform',
    'DER',
    ...extra,
    '-out',
    `${name}.spki`,
  ]);
  return dir.readBytes(`${name}.spki`);
}

describe('SubjectPublicKeyInfo', () => {
  for (const type of ['P-256', 'P-384', 'ed25519', 'rsa2048'] as KeyType[]) {
    it(`parses OpenSSL's ${type} SPKI and re-encodes it byte for byte`, () => {
      generateKey(dir, type, type);
      const der = opensslSpki(type);
      const key = parseSubjectPublicKeyInfo(der);
      expect(key.kind).toBe(type === 'ed25519' ? 'ed25519' : type === 'rsa2048' ? 'rsa' : 'ec');
      expect(encodeSubjectPublicKeyInfo(key)).toEqual(der);
    });
  }

  it('reads an RSASSA-PSS key as an RSA key', () => {
    generateKey(dir, 'pss', 'rsa-pss');
    expect(parseSubjectPublicKeyInfo(opensslSpki('pss')).kind).toBe('rsa');
  });

  it('refuses explicit curve parameters and reports compressed points as unsupported', () => {
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
    expect(() => parseSubjectPublicKeyInfo(opensslSpki('explicit'))).toThrow(
      expect.objectContaining({
        code: 'bad_encoding',
        message: expect.stringMatching(/explicit EC curve parameters/),
      }),
    );
    dir.run([
      'ec',
      '-in',
      'P-256.key',
      '-pubout',
      '-outform',
      'DER',
      '-conv_form',
      'compressed',
      '-out',
      'c.spki',
    ]);
    expect(() => parseSubjectPublicKeyInfo(dir.readBytes('c.spki'))).toThrow(
      expect.objectContaining({ code: 'unsupported' }),
    );
  });

  it('only ever raises CryptoError on mutated input', () => {
    const valid = opensslSpki('P-256');
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const bytes = valid.slice();
        bytes[at] = value;
        try {
          parseSubjectPublicKeyInfo(bytes);
        } catch (e) {
          if (!(e instanceof CryptoError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});
