import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { testProviders } from '../providers/test-providers.js';
import { parseCertificate } from './certificate.js';
import { certificateFingerprint } from './fingerprint.js';
import { matchesHostname } from './hostname.js';
import { derToPem } from './pem.js';
import { privateKeyToPem } from './private-key.js';
import { createSelfSignedCertificate } from './self-signed.js';
import { encodeSubjectPublicKeyInfo } from './spki.js';
import { openssl, opensslStatus, Workdir } from './testing/openssl.js';
import { verifyCertificateSignature } from './verify.js';

const dir = new Workdir();
afterAll(() => dir.dispose());

// Fixed, second-aligned dates: the library never reads the clock, so neither do these tests.
const NOT_BEFORE = Date.UTC(2025, 0, 1, 12, 0, 0);
const NOT_AFTER = Date.UTC(2045, 0, 1, 12, 0, 0);

describe.each(testProviders().map((p) => [p.name, p] as const))(
  'createSelfSignedCertificate with the %s provider',
  (name, provider) => {
    const created = createSelfSignedCertificate(provider, {
      commonName: 'localhost',
      dnsNames: ['localhost', '*.local.test'],
      ipAddresses: ['127.0.0.1', '::1'],
      notBefore: NOT_BEFORE,
      notAfter: new Date(NOT_AFTER),
    });
    const certFile = dir.write(`${name}-cert.pem`, derToPem(created.der));
    const keyFile = dir.write(
      `${name}-key.pem`,
      privateKeyToPem(created.privateKey, created.publicKey),
    );

    it('produces a P-256 / ECDSA-SHA-256 v3 certificate OpenSSL decodes as intended', () => {
      const text = openssl(['x509', '-in', certFile, '-noout', '-text']);
      expect(text).toMatch(/Version: 3 \(0x2\)/);
      expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
      expect(text).toMatch(/Issuer: CN = localhost/);
      expect(text).toMatch(/Subject: CN = localhost/);
      expect(text).toMatch(/Not Before: Jan {2}1 12:00:00 2025 GMT/);
      expect(text).toMatch(/Not After : Jan {2}1 12:00:00 2045 GMT/);
      expect(text).toMatch(/NIST CURVE: P-256/);
      expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
      expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/);
      expect(text).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
      expect(text).toMatch(
        /DNS:localhost, DNS:\*\.local\.test, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1\n/,
      );
      expect(text).toMatch(/Subject Key Identifier/);
    });

    it('verifies under openssl verify with itself as the CA file', () => {
      const at = String(NOT_BEFORE / 1000 + 3600);
      const result = opensslStatus([
        'verify',
        '-x509_strict',
        '-attime',
        at,
        '-CAfile',
        certFile,
        certFile,
      ]);
      expect(result.output).toContain(': OK');
      expect(result.ok).toBe(true);
    });

    it('writes a PKCS #8 key that openssl pkey reads, with the certificate public key', () => {
      expect(openssl(['pkey', '-in', keyFile, '-noout', '-text'])).toMatch(
        /Private-Key: \(256 bit\)/,
      );
      openssl([
        'pkey',
        '-in',
        keyFile,
        '-pubout',
        '-outform',
        'DER',
        '-out',
        dir.file(`${name}-pub.der`),
      ]);
      expect(dir.readBytes(`${name}-pub.der`)).toEqual(
        encodeSubjectPublicKeyInfo(created.publicKey),
      );
      expect(dir.readBytes(`${name}-pub.der`)).toEqual(created.certificate.subjectPublicKeyInfo);
    });

    it('has the fingerprint openssl computes', () => {
      const out = openssl(['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256']);
      expect(out.trim()).toBe(
        `sha256 Fingerprint=${certificateFingerprint(provider, created.der)}`,
      );
    });

    it('is parsed back to what was asked for', () => {
      const cert = parseCertificate(created.der);
      expect(cert).toEqual(created.certificate);
      expect(cert.subject.text).toBe('CN=localhost');
      expect(cert.notBefore).toBe(NOT_BEFORE);
      expect(cert.notAfter).toBe(NOT_AFTER);
      expect(cert.isCA).toBe(false);
      expect(cert.signatureAlgorithm).toEqual({ name: 'ecdsa', hash: 'SHA-256' });
      expect(cert.subjectAltNames.dns).toEqual(['localhost', '*.local.test']);
      expect(cert.subjectAltNames.ip).toEqual([
        Uint8Array.of(127, 0, 0, 1),
        Uint8Array.of(...new Array(15).fill(0), 1),
      ]);
      expect(verifyCertificateSignature(provider, cert, created.publicKey)).toBe(true);
      expect(matchesHostname(cert, 'a.local.test')).toBe(true);
      // A random positive 16-octet serial.
      expect(cert.serialNumber).toMatch(/^[4-7][0-9a-f]{31}$/);
    });

    it('serves a TLS connection that node:tls (OpenSSL) accepts with the certificate as its CA', async () => {
      const server = createServer(
        { cert: derToPem(created.der), key: privateKeyToPem(created.privateKey) },
        (s) => s.end('hello'),
      );
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const { port } = server.address() as AddressInfo;
        const socket = connect({
          host: '127.0.0.1',
          port,
          servername: 'localhost',
          ca: derToPem(created.der),
        });
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        await once(socket, 'end');
        expect(socket.authorized).toBe(true);
        expect(Buffer.concat(chunks).toString()).toBe('hello');
        socket.destroy();
      } finally {
        server.close();
      }
    });

    it('certifies a given P-384 or Ed25519 key with the matching signature', () => {
      for (const kind of ['P-384', 'ed25519'] as const) {
        const key = provider.generateSigningKey(kind);
        const made = createSelfSignedCertificate(provider, {
          commonName: kind,
          key,
          notBefore: NOT_BEFORE,
          notAfter: NOT_AFTER,
        });
        expect(made.publicKey).toBe(key.publicKey);
        expect(made.certificate.signatureAlgorithm).toEqual(
          kind === 'ed25519' ? { name: 'ed25519' } : { name: 'ecdsa', hash: 'SHA-384' },
        );
        const file = dir.write(`${name}-${kind}.pem`, derToPem(made.der));
        const at = String(NOT_BEFORE / 1000 + 60);
        expect(opensslStatus(['verify', '-attime', at, '-CAfile', file, file]).ok).toBe(true);
      }
    });

    it('uses GeneralizedTime from 2050 on and truncates milliseconds (RFC 5280 §4.1.2.5)', () => {
      const made = createSelfSignedCertificate(provider, {
        commonName: 'dates',
        notBefore: Date.UTC(2049, 11, 31, 23, 59, 59, 999),
        notAfter: Date.UTC(2050, 0, 1),
      });
      expect(made.certificate.notBefore).toBe(Date.UTC(2049, 11, 31, 23, 59, 59));
      expect(made.certificate.notAfter).toBe(Date.UTC(2050, 0, 1));
      const file = dir.write(`${name}-dates.pem`, derToPem(made.der));
      const asn1 = openssl(['asn1parse', '-in', file]);
      expect(asn1).toMatch(/UTCTIME\s+:491231235959Z/);
      expect(asn1).toMatch(/GENERALIZEDTIME\s+:20500101000000Z/);
    });

    it('takes a serial number, adding the sign octet a high bit needs', () => {
      const made = createSelfSignedCertificate(provider, {
        commonName: 'serial',
        serial: Uint8Array.of(0x00, 0x80, 0x01),
        notBefore: NOT_BEFORE,
        notAfter: NOT_AFTER,
      });
      expect(made.certificate.serialNumber).toBe('8001');
      const file = dir.write(`${name}-serial.pem`, derToPem(made.der));
      expect(openssl(['x509', '-in', file, '-noout', '-serial']).trim()).toBe('serial=8001');
    });

    it('omits the SAN extension when no names are given', () => {
      const made = createSelfSignedCertificate(provider, {
        commonName: 'bare',
        notBefore: 0,
        notAfter: 1000,
      });
      expect(made.certificate.extensions.map((e) => e.oid)).not.toContain('2.5.29.17');
    });

    it('refuses bad input with CryptoError', () => {
      const base = { commonName: 'x', notBefore: NOT_BEFORE, notAfter: NOT_AFTER };
      const other = provider.generateSigningKey('P-256');
      expect(() =>
        createSelfSignedCertificate(provider, {
          ...base,
          key: { privateKey: created.privateKey, publicKey: other.publicKey },
        }),
      ).toThrow(expect.objectContaining({ code: 'invalid_key' }));
      expect(() =>
        createSelfSignedCertificate(provider, {
          ...base,
          notBefore: NOT_AFTER,
          notAfter: NOT_BEFORE,
        }),
      ).toThrow(CryptoError);
      const create = (overrides: Partial<typeof base>) =>
        createSelfSignedCertificate(provider, { ...base, ...overrides });
      expect(() => create({ notAfter: Number.NaN })).toThrow(CryptoError);
      expect(() => create({ notAfter: Date.UTC(10000, 0, 1) })).toThrow(/out of range/);
      expect(() => create({ commonName: '' })).toThrow(/commonName/);
      expect(() =>
        createSelfSignedCertificate(provider, { ...base, ipAddresses: ['1.2.3'] }),
      ).toThrow(/invalid IP/);
      expect(() =>
        createSelfSignedCertificate(provider, { ...base, dnsNames: ['a b.test'] }),
      ).toThrow(/invalid DNS/);
      expect(() =>
        createSelfSignedCertificate(provider, { ...base, serial: new Uint8Array(21).fill(1) }),
      ).toThrow(/20 octets/);
      expect(() =>
        createSelfSignedCertificate(provider, { ...base, serial: new Uint8Array(2) }),
      ).toThrow(/positive/);
    });
  },
);
