/**
 * RSA signing in both providers, checked three ways: each provider's
 * signatures verify with the OpenSSL CLI (`openssl dgst` and `openssl pkeyutl`)
 * and with both providers; OpenSSL's signatures verify with both providers;
 * and PKCS #1 v1.5, being deterministic, is byte-identical across all three.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import type { HashAlgorithm, PrivateKey, PublicKey } from '../provider.js';
import { HASH_LENGTH } from '../provider.js';
import { parsePrivateKeyPem } from '../x509/private-key.js';
import { Workdir } from '../x509/testing/openssl.js';
import { nobleProvider } from './noble/index.js';
import { nodeProvider } from './node/index.js';
import { testProviders } from './test-providers.js';

const dir = new Workdir();
afterAll(() => dir.dispose());

const HASHES: readonly HashAlgorithm[] = ['SHA-256', 'SHA-384', 'SHA-512'];
const DGST = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function loadKey(
  name: string,
  bits: number,
): { file: string; pub: string; bits: number; key: PrivateKey; publicKey: PublicKey } {
  dir.run([
    'genpkey',
    '-algorithm',
    'RSA',
    '-pkeyopt',
    `rsa_keygen_bits:${bits}`,
    '-out',
    `${name}.key`,
  ]);
  dir.run(['pkey', '-in', `${name}.key`, '-pubout', '-out', `${name}.pub`]);
  const info = parsePrivateKeyPem(dir.read(`${name}.key`));
  return {
    file: `${name}.key`,
    pub: `${name}.pub`,
    bits,
    key: info.privateKey,
    publicKey: info.publicKey!,
  };
}

// 2048 is the TLS certificate size; 1031 bits makes emBits = modBits - 1 not a
// whole number of octets, the case RFC 8017 §9.1.1 steps 11-12 exist for.
const keys = [loadKey('rsa2048', 2048), loadKey('rsa1031', 1031)];
const message = new TextEncoder().encode('RSA signing cross-check, RFC 8017');
dir.write('msg', message);

describe.each(testProviders().map((p) => [p.name, p] as const))(
  '%s RSA signing',
  (name, provider) => {
    for (const k of keys) {
      describe(`${k.file}`, () => {
        it.each(HASHES)(
          'RSASSA-PSS %s, salt = hash length or the most that fits: OpenSSL and both providers verify',
          (hash) => {
            // §9.1.1 step 3: emLen >= hLen + sLen + 2 bounds the salt on small keys.
            const emLen = Math.ceil((k.bits - 1) / 8);
            const saltLength = Math.min(HASH_LENGTH[hash], emLen - HASH_LENGTH[hash] - 2);
            const alg = { name: 'rsa-pss', hash, saltLength } as const;
            const sig = provider.sign(alg, k.key, message);
            const sigFile = dir.write(`${name}-${k.file}-pss-${hash}.sig`, sig);
            const out = dir.run([
              'dgst',
              `-${DGST[hash]}`,
              '-sigopt',
              'rsa_padding_mode:pss',
              '-sigopt',
              `rsa_pss_saltlen:${saltLength}`,
              '-verify',
              k.pub,
              '-signature',
              sigFile,
              'msg',
            ]);
            expect(out).toContain('Verified OK');
            for (const verifier of testProviders()) {
              expect(verifier.verify(alg, k.publicKey, message, sig)).toBe(true);
              expect(verifier.verify(alg, k.publicKey, message.subarray(1), sig)).toBe(false);
              expect(verifier.verify({ ...alg, saltLength: 0 }, k.publicKey, message, sig)).toBe(
                false,
              );
            }
            // A random salt makes two signatures of one message differ (§9.1.1 step 4).
            expect(provider.sign(alg, k.key, message)).not.toEqual(sig);
          },
        );

        it.each(HASHES)('RSASSA-PKCS1-v1_5 %s equals OpenSSL’s signature byte for byte', (hash) => {
          const alg = { name: 'rsa-pkcs1', hash } as const;
          const sig = provider.sign(alg, k.key, message);
          const theirs = `${name}-${k.file}-pkcs1-${hash}.openssl.sig`;
          dir.run(['dgst', `-${DGST[hash]}`, '-sign', k.file, '-out', theirs, 'msg']);
          expect(sig).toEqual(dir.readBytes(theirs));
          for (const verifier of testProviders()) {
            expect(verifier.verify(alg, k.publicKey, message, sig)).toBe(true);
          }
        });
      });
    }

    it('RSASSA-PSS with an empty salt is deterministic: byte-equal to OpenSSL’s signature', () => {
      for (const k of keys) {
        const theirs = `${name}-${k.file}-pss0.openssl.sig`;
        dir.run([
          'dgst',
          '-sha256',
          '-sigopt',
          'rsa_padding_mode:pss',
          '-sigopt',
          'rsa_pss_saltlen:0',
          '-sign',
          k.file,
          '-out',
          theirs,
          'msg',
        ]);
        const alg = { name: 'rsa-pss', hash: 'SHA-256', saltLength: 0 } as const;
        expect(provider.sign(alg, k.key, message)).toEqual(dir.readBytes(theirs));
      }
    });

    it('RSASSA-PSS with salt length 0 verifies with `openssl pkeyutl -verify`', () => {
      const k = keys[0]!;
      const alg = { name: 'rsa-pss', hash: 'SHA-256', saltLength: 0 } as const;
      const sigFile = dir.write(`${name}-pss0.sig`, provider.sign(alg, k.key, message));
      dir.write('msg.sha256', nodeProvider.hash('SHA-256', message));
      const out = dir.run([
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        k.pub,
        '-in',
        'msg.sha256',
        '-sigfile',
        sigFile,
        '-pkeyopt',
        'digest:sha256',
        '-pkeyopt',
        'rsa_padding_mode:pss',
        '-pkeyopt',
        'rsa_pss_saltlen:0',
      ]);
      expect(out).toContain('Signature Verified Successfully');
    });

    it('RSASSA-PKCS1-v1_5 verifies with `openssl pkeyutl -verify`', () => {
      const k = keys[0]!;
      const sigFile = dir.write(
        `${name}-pkcs1.sig`,
        provider.sign({ name: 'rsa-pkcs1', hash: 'SHA-384' }, k.key, message),
      );
      dir.write('msg.sha384', nodeProvider.hash('SHA-384', message));
      const out = dir.run([
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        k.pub,
        '-in',
        'msg.sha384',
        '-sigfile',
        sigFile,
        '-pkeyopt',
        'digest:sha384',
      ]);
      expect(out).toContain('Signature Verified Successfully');
    });

    it('verifies RSASSA-PSS signatures made by OpenSSL', () => {
      for (const k of keys) {
        const sig = `${name}-${k.file}-openssl-pss.sig`;
        dir.run([
          'dgst',
          '-sha384',
          '-sigopt',
          'rsa_padding_mode:pss',
          '-sigopt',
          'rsa_pss_saltlen:48',
          '-sign',
          k.file,
          '-out',
          sig,
          'msg',
        ]);
        const alg = { name: 'rsa-pss', hash: 'SHA-384', saltLength: 48 } as const;
        expect(provider.verify(alg, k.publicKey, message, dir.readBytes(sig))).toBe(true);
      }
    });

    it('refuses a salt too long for the key (RFC 8017 §9.1.1 step 3) and a non-RSA algorithm', () => {
      const k = keys[1]!; // emLen = 129 < 64 + 64 + 2
      expect(() =>
        provider.sign({ name: 'rsa-pss', hash: 'SHA-512', saltLength: 64 }, k.key, message),
      ).toThrow(CryptoError);
      expect(() => provider.sign({ name: 'ecdsa', hash: 'SHA-256' }, k.key, message)).toThrow(
        CryptoError,
      );
    });
  },
);

describe('RSA key generation', () => {
  it('the node provider generates RSA-2048 keys both providers sign with', () => {
    const { privateKey, publicKey } = nodeProvider.generateSigningKey('rsa-2048');
    if (privateKey.kind !== 'rsa' || publicKey.kind !== 'rsa') throw new Error('not RSA');
    expect(publicKey.modulus.length).toBe(256);
    expect(publicKey.modulus[0]! & 0x80).toBe(0x80);
    expect(publicKey.exponent).toEqual(Uint8Array.of(1, 0, 1));
    const alg = { name: 'rsa-pss', hash: 'SHA-256', saltLength: 32 } as const;
    for (const signer of testProviders()) {
      const sig = signer.sign(alg, privateKey, message);
      for (const verifier of testProviders()) {
        expect(verifier.verify(alg, publicKey, message, sig)).toBe(true);
      }
    }
  });

  it('the noble provider refuses to generate RSA keys', () => {
    expect(() => nobleProvider.generateSigningKey('rsa-2048')).toThrow(
      expect.objectContaining({ code: 'unsupported' }),
    );
  });
});

describe('noble refuses inconsistent RSA private keys', () => {
  const key = keys[0]!.key;
  if (key.kind !== 'rsa') throw new Error('unreachable');
  const alg = { name: 'rsa-pkcs1', hash: 'SHA-256' } as const;
  const flip = (b: Uint8Array): Uint8Array => {
    const c = b.slice();
    c[c.length - 1]! ^= 2;
    return c;
  };

  it.each([
    'modulus',
    'publicExponent',
    'prime1',
    'prime2',
    'exponent1',
    'exponent2',
    'coefficient',
  ] as const)('a wrong %s raises invalid_key instead of signing', (field) => {
    const bad = { ...key, [field]: flip(key[field]) };
    expect(() => nobleProvider.sign(alg, bad, message)).toThrow(
      expect.objectContaining({ code: 'invalid_key' }),
    );
  });
});
