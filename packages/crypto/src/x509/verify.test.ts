import { afterAll, describe, expect, it } from 'vitest';
import { testProviders } from '../providers/test-providers.js';
import { type Certificate, parseCertificatesPem } from './certificate.js';
import {
  createSignatureFixtures,
  generateKey,
  type SignatureFixture,
  selfSign,
  Workdir,
} from './testing/openssl.js';
import { verifyCertificateSignature } from './verify.js';

const dir = new Workdir();
afterAll(() => dir.dispose());

// Self-signed OpenSSL certificates: ECDSA P-256/SHA-256, P-384/SHA-384, Ed25519,
// RSA PKCS #1 v1.5 SHA-512, an RSA-PSS key (max salt) and RSA-PSS with salt 32.
const fixtures = createSignatureFixtures(dir);
const load = (f: SignatureFixture): Certificate => parseCertificatesPem(dir.read(f.file))[0]!;

describe.each(testProviders().map((p) => [p.name, p] as const))(
  'verifyCertificateSignature with the %s provider',
  (_name, provider) => {
    for (const [name, fixture] of Object.entries(fixtures)) {
      it(`accepts the self-signature of the ${name} certificate and rejects a flipped bit`, () => {
        const cert = load(fixture);
        expect(verifyCertificateSignature(provider, cert, cert.publicKey)).toBe(true);
        const signature = cert.signature.slice();
        signature[signature.length >> 1]! ^= 0x01;
        expect(verifyCertificateSignature(provider, { ...cert, signature }, cert.publicKey)).toBe(
          false,
        );
        const tbsDer = cert.tbsDer.slice();
        tbsDer[tbsDer.length - 1]! ^= 0x01;
        expect(verifyCertificateSignature(provider, { ...cert, tbsDer }, cert.publicKey)).toBe(
          false,
        );
      });
    }

    it('never hands the provider a key of the wrong type for the algorithm', () => {
      const cert = load(fixtures.p256);
      const credulous = { ...provider, verify: () => true };
      expect(verifyCertificateSignature(credulous, cert, cert.publicKey)).toBe(true);
      expect(verifyCertificateSignature(credulous, cert, load(fixtures.ed25519).publicKey)).toBe(
        false,
      );
      expect(
        verifyCertificateSignature(credulous, load(fixtures.rsa), load(fixtures.p384).publicKey),
      ).toBe(false);
    });

    it('returns false for a key of another type or another key of the same type', () => {
      const ec = load(fixtures.p256);
      expect(verifyCertificateSignature(provider, ec, load(fixtures.ed25519).publicKey)).toBe(
        false,
      );
      expect(verifyCertificateSignature(provider, ec, load(fixtures.rsa).publicKey)).toBe(false);
      generateKey(dir, `other-${provider.name}`, 'P-256');
      selfSign(dir, `other-${provider.name}`, { subject: '/CN=other' });
      const other = parseCertificatesPem(dir.read(`other-${provider.name}.pem`))[0]!;
      expect(verifyCertificateSignature(provider, ec, other.publicKey)).toBe(false);
    });
  },
);
