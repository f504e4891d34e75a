import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { nodeProvider } from '../providers/node/index.js';
import { testProviders } from '../providers/test-providers.js';
import { type Certificate, parseCertificate, parseCertificatesPem } from './certificate.js';
import {
  contents,
  contextConstructed,
  encodeBitString,
  encodeSequence,
  encodeSmallInteger,
  encodeTlv,
  parseTlv,
  TAG,
} from './der.js';
import { formatIpAddress } from './ip.js';
import { derToPem, pemToDer } from './pem.js';
import { parsePrivateKeyPem } from './private-key.js';
import {
  createSignatureFixtures,
  generateKey,
  openssl,
  type SignatureFixture,
  selfSign,
  Workdir,
} from './testing/openssl.js';
import { verifyCertificateSignature } from './verify.js';

const dir = new Workdir();
afterAll(() => dir.dispose());

// One certificate per key / signature type the parser maps.
const fixtures = createSignatureFixtures(dir);

const load = (f: SignatureFixture): Certificate => parseCertificatesPem(dir.read(f.file))[0]!;

/** What OpenSSL says about a certificate, read from its own output. */
function opensslFacts(file: string) {
  const out = openssl(
    [
      'x509',
      '-in',
      dir.file(file),
      '-noout',
      '-nameopt',
      'RFC2253',
      '-subject',
      '-issuer',
      '-serial',
      '-fingerprint',
      '-sha256',
      '-ext',
      'subjectAltName',
      '-dates',
    ],
    dir.path,
  );
  const field = (name: string): string => {
    const m = new RegExp(`^${name}=(.*)$`, 'm').exec(out);
    if (!m) throw new Error(`openssl printed no ${name}:\n${out}`);
    return m[1]!;
  };
  const sanLine = /Subject Alternative Name:\s*\n\s*(.*)/.exec(out)?.[1] ?? '';
  const sans = sanLine.split(', ');
  // OpenSSL RFC2253 output separates RDNs with ","; ours uses ", " for reading.
  const rfc2253 = (s: string): string => s.split(/(?<!\\),/).join(', ');
  return {
    subject: rfc2253(field('subject')),
    issuer: rfc2253(field('issuer')),
    serial: field('serial'),
    fingerprint: field('sha256 Fingerprint'),
    dns: sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)),
    // OpenSSL 3.0 prints IPv6 as eight uncompressed upper-case groups.
    ip: sans.filter((s) => s.startsWith('IP Address:')).map((s) => s.slice(11)),
    notBefore: Date.parse(field('notBefore')),
    notAfter: Date.parse(field('notAfter')),
  };
}

describe('parseCertificate agrees with openssl x509', () => {
  for (const [name, fixture] of Object.entries(fixtures)) {
    it(`reads names, serial, validity and SANs of a ${name} certificate`, () => {
      const cert = load(fixture);
      const facts = opensslFacts(fixture.file);
      expect(cert.subject.text).toBe(facts.subject);
      expect(cert.issuer.text).toBe(facts.issuer);
      expect(cert.subject.text).toBe(
        `CN=${fixture.file.slice(0, -4)}.example.test, OU=Unit ${fixture.file.slice(0, -4)}, O=Example\\, Inc., C=US`,
      );
      expect(cert.serialNumber.toUpperCase()).toBe(facts.serial);
      expect(cert.notBefore).toBe(facts.notBefore);
      expect(cert.notAfter).toBe(facts.notAfter);
      expect(cert.subjectAltNames.dns).toEqual(facts.dns);
      expect(
        cert.subjectAltNames.ip.map((ip) =>
          ip.length === 4
            ? formatIpAddress(ip)
            : Array.from({ length: 8 }, (_, i) =>
                ((ip[2 * i]! << 8) | ip[2 * i + 1]!).toString(16).toUpperCase(),
              ).join(':'),
        ),
      ).toEqual(facts.ip);
      expect(cert.subject.der).toEqual(cert.issuer.der);
      expect(cert.version).toBe(3);
      expect(cert.isCA).toBe(true);
      expect(cert.pathLen).toBe(2);
      expect(cert.keyUsage).toEqual(['digitalSignature', 'keyCertSign']);
      expect(cert.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    });
  }

  it('keeps the exact DER of the certificate, the signed part and the names', () => {
    const der = pemToDer(dir.read(fixtures.p256.file))[0]!;
    const cert = parseCertificate(der);
    expect(cert.der).toEqual(der);
    expect(cert.der).not.toBe(der);
    // tbsCertificate starts after the outer SEQUENCE header (30 82 LL LL).
    expect(cert.tbsDer).toEqual(der.subarray(4, 4 + cert.tbsDer.length));
    expect(cert.tbsDer[0]).toBe(0x30);
    const offset = (inner: Uint8Array): number => inner.byteOffset - cert.der.byteOffset;
    expect(
      cert.der.subarray(
        offset(cert.subject.der),
        offset(cert.subject.der) + cert.subject.der.length,
      ),
    ).toEqual(cert.subject.der);
  });

  it('maps the public key of each type', () => {
    const p256 = load(fixtures.p256).publicKey;
    expect(p256.kind === 'ec' && p256.curve).toBe('P-256');
    expect(p256.kind === 'ec' && p256.point.length).toBe(65);
    const p384 = load(fixtures.p384).publicKey;
    expect(p384.kind === 'ec' && p384.curve).toBe('P-384');
    expect(p384.kind === 'ec' && p384.point.length).toBe(97);
    const ed = load(fixtures.ed25519).publicKey;
    expect(ed.kind === 'ed25519' && ed.key.length).toBe(32);
    for (const f of [fixtures.rsa, fixtures.rsaPssKey]) {
      const rsa = load(f).publicKey;
      expect(rsa.kind).toBe('rsa');
      if (rsa.kind !== 'rsa') continue;
      expect(rsa.modulus.length).toBe(256);
      expect(rsa.modulus[0]! & 0x80).toBe(0x80);
      expect(Array.from(rsa.exponent)).toEqual([1, 0, 1]);
      // The modulus OpenSSL prints, without its 00 sign octet.
      const printed = openssl([
        'pkey',
        '-in',
        dir.file(f.file.replace('.pem', '.key')),
        '-noout',
        '-text_pub',
      ]);
      const hex = /Modulus:\s*([\s\S]*?)Exponent/
        .exec(printed)![1]!
        .replace(/[\s:]/g, '')
        .replace(/^00/, '');
      expect(Buffer.from(rsa.modulus).toString('hex')).toBe(hex);
    }
  });

  it('maps each signature algorithm, including RSASSA-PSS parameters', () => {
    expect(load(fixtures.p256).signatureAlgorithm).toEqual({ name: 'ecdsa', hash: 'SHA-256' });
    expect(load(fixtures.p384).signatureAlgorithm).toEqual({ name: 'ecdsa', hash: 'SHA-384' });
    expect(load(fixtures.ed25519).signatureAlgorithm).toEqual({ name: 'ed25519' });
    expect(load(fixtures.rsa).signatureAlgorithm).toEqual({ name: 'rsa-pkcs1', hash: 'SHA-512' });
    expect(load(fixtures.rsaPssSig).signatureAlgorithm).toEqual({
      name: 'rsa-pss',
      hash: 'SHA-256',
      saltLength: 32,
    });
    // An RSA-PSS key signs with OpenSSL's default: maximum salt, read from its -text.
    const text = openssl(['x509', '-in', dir.file(fixtures.rsaPssKey.file), '-noout', '-text']);
    const salt = Number.parseInt(/Salt Length: 0x([0-9A-F]+)/.exec(text)![1]!, 16);
    expect(load(fixtures.rsaPssKey).signatureAlgorithm).toEqual({
      name: 'rsa-pss',
      hash: 'SHA-256',
      saltLength: salt,
    });
  });

  it('reads the fingerprint OpenSSL prints from the same DER', () => {
    const [provider] = testProviders();
    const cert = load(fixtures.ed25519);
    const digest = Array.from(provider!.hash('SHA-256', cert.der), (b) =>
      b.toString(16).toUpperCase().padStart(2, '0'),
    ).join(':');
    expect(digest).toBe(opensslFacts(fixtures.ed25519.file).fingerprint);
  });

  it('reads a version 1 certificate, which has no extensions', () => {
    generateKey(dir, 'v1', 'P-256');
    dir.run([
      'req',
      '-new',
      '-key',
      'v1.key',
      '-subj',
      '/CN=v1',
      '-config',
      dir.file('p256.ext'),
      '-out',
      'v1.csr',
    ]);
    dir.run([
      'x509',
      '-req',
      '-in',
      'v1.csr',
      '-signkey',
      'v1.key',
      '-days',
      '5',
      '-out',
      'v1.pem',
    ]);
    const cert = parseCertificatesPem(dir.read('v1.pem'))[0]!;
    expect(cert.version).toBe(1);
    expect(cert.extensions).toEqual([]);
    expect(cert.isCA).toBe(false);
    expect(cert.keyUsage).toBeUndefined();
    expect(cert.subjectAltNames).toEqual({ dns: [], ip: [] });
  });

  it('reads a v3 certificate with an empty extension list (a3 02 30 00) as OpenSSL does', () => {
    // The v1 certificate above, re-signed as v3 with `[3] { SEQUENCE {} }` appended to its
    // TBSCertificate: the shape werift emits. RFC 5280 §4.1 says SIZE (1..MAX).
    const v1 = parseCertificatesPem(dir.read('v1.pem'))[0]!;
    const fields = contents(parseTlv(v1.tbsDer, TAG.SEQUENCE, 'tbs'), 'tbs');
    const parts: Uint8Array[] = [encodeTlv(contextConstructed(0), encodeSmallInteger(2))];
    while (!fields.done) parts.push(fields.next().der);
    parts.push(Uint8Array.of(0xa3, 0x02, 0x30, 0x00));
    const tbs = encodeSequence(...parts);
    const { privateKey } = parsePrivateKeyPem(dir.read('v1.key'));
    const signature = nodeProvider.sign({ name: 'ecdsa', hash: 'SHA-256' }, privateKey, tbs);
    const algorithm = parts[2]!; // serialNumber, then signature AlgorithmIdentifier
    const der = encodeSequence(tbs, algorithm, encodeBitString(signature));
    dir.write('v3-empty.pem', derToPem(der));

    const out = openssl(['x509', '-in', dir.file('v3-empty.pem'), '-noout', '-text']);
    expect(out).toMatch(/Version: 3 \(0x2\)/);
    const cert = parseCertificate(der);
    expect(cert.version).toBe(3);
    expect(cert.extensions).toEqual([]);
    expect(cert.isCA).toBe(false);
    expect(cert.keyUsage).toBeUndefined();
    expect(cert.tbsDer).toEqual(tbs);
    for (const provider of testProviders()) {
      expect(verifyCertificateSignature(provider, cert, cert.publicKey)).toBe(true);
    }
  });

  it('reads multi-valued RDNs and escapes special characters as RFC 4514 says', () => {
    generateKey(dir, 'rdn', 'P-256');
    dir.run([
      'req',
      '-x509',
      '-new',
      '-key',
      'rdn.key',
      '-multivalue-rdn',
      '-subj',
      '/O=a\\;b <c>/CN=x+UID=y/CN= #lead',
      '-config',
      dir.file('p256.ext'),
      '-out',
      'rdn.pem',
    ]);
    const cert = parseCertificatesPem(dir.read('rdn.pem'))[0]!;
    expect(cert.subject.rdns.map((rdn) => rdn.map((a) => `${a.shortName}=${a.value}`))).toEqual([
      ['O=a;b <c>'],
      ['CN=x', 'UID=y'],
      ['CN= #lead'],
    ]);
    expect(cert.subject.text).toBe('CN=\\ #lead, CN=x+UID=y, O=a\\;b \\<c\\>');
  });
});

describe('parseCertificate rejects what it must', () => {
  it('refuses an EC key with explicit curve parameters (RFC 5480 §2.1.1)', () => {
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
    selfSign(dir, 'explicit', { subject: '/CN=explicit' });
    expect(openssl(['x509', '-in', dir.file('explicit.pem'), '-noout', '-text'])).toContain(
      'Field Type',
    );
    const der = pemToDer(dir.read('explicit.pem'))[0]!;
    expect(() => parseCertificate(der)).toThrow(/explicit EC curve parameters/);
    expect(() => parseCertificate(der)).toThrow(expect.objectContaining({ code: 'bad_encoding' }));
  });

  it('reports an unsupported curve as unsupported, not malformed', () => {
    dir.run([
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-521',
      '-out',
      'p521.key',
    ]);
    selfSign(dir, 'p521', { subject: '/CN=p521' });
    const der = pemToDer(dir.read('p521.pem'))[0]!;
    expect(() => parseCertificate(der)).toThrow(expect.objectContaining({ code: 'unsupported' }));
  });

  it('refuses trailing bytes, indefinite lengths and a signatureAlgorithm mismatch', () => {
    const der = pemToDer(dir.read(fixtures.p256.file))[0]!;
    const trailing = new Uint8Array([...der, 0]);
    expect(() => parseCertificate(trailing)).toThrow(/trailing/);
    // Same content with the outer SEQUENCE in BER indefinite form.
    const indefinite = new Uint8Array([0x30, 0x80, ...der.subarray(4), 0, 0]);
    expect(() => parseCertificate(indefinite)).toThrow(/indefinite/);
    // ecdsa-with-SHA256 -> ecdsa-with-SHA384 in the outer signatureAlgorithm only.
    const cert = parseCertificate(der);
    const outerAlg = 4 + cert.tbsDer.length;
    const swapped = der.slice();
    expect(swapped[outerAlg + 2 + 2 + 7]).toBe(0x02);
    swapped[outerAlg + 2 + 2 + 7] = 0x03;
    expect(() => parseCertificate(swapped)).toThrow(/signatureAlgorithm differs/);
  });

  it('refuses duplicate extensions (RFC 5280 §4.2)', () => {
    generateKey(dir, 'dup', 'P-256');
    selfSign(dir, 'dup', {
      subject: '/CN=dup',
      extensions: ['1.2.3.4=DER:0500', '1.2.3.5=DER:0500'],
    });
    const der = pemToDer(dir.read('dup.pem'))[0]!;
    const oids = parseCertificate(der).extensions.map((e) => e.oid);
    expect(oids).toEqual(expect.arrayContaining(['1.2.3.4', '1.2.3.5']));
    // Turn the second OID (06 03 2a 03 05) into the first (06 03 2a 03 04).
    const hex = Buffer.from(der).toString('hex');
    const at = hex.indexOf('06032a0305') / 2;
    expect(at).toBeGreaterThan(0);
    const duplicate = der.slice();
    duplicate[at + 4] = 0x04;
    expect(() => parseCertificate(duplicate)).toThrow(/duplicate extension 1\.2\.3\.4/);
  });
});

describe('parseCertificate only ever raises CryptoError', () => {
  const valid = pemToDer(dir.read(fixtures.rsaPssSig.file))[0]!;
  const onlyCryptoError = (bytes: Uint8Array): void => {
    try {
      parseCertificate(bytes);
    } catch (e) {
      if (!(e instanceof CryptoError)) throw e;
      expect(['bad_encoding', 'unsupported']).toContain(e.code);
    }
  };

  it('on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1500 }), onlyCryptoError), { numRuns: 500 });
  });

  it('on every truncation of a valid certificate, always as bad_encoding', () => {
    for (let n = 0; n < valid.length; n++) {
      expect(() => parseCertificate(valid.subarray(0, n))).toThrow(
        expect.objectContaining({ name: 'CryptoError', code: 'bad_encoding' }),
      );
    }
  });

  it('on random byte changes inside a valid certificate', () => {
    const mutation = fc.array(
      fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    fc.assert(
      fc.property(mutation, (changes) => {
        const bytes = valid.slice();
        for (const [at, value] of changes) bytes[at] = value;
        onlyCryptoError(bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('on deep nesting, without exhausting the stack', () => {
    const depth = 20_000;
    const bytes = new Uint8Array(depth * 2);
    for (let i = 0; i < depth; i++) bytes.set([0x30, 0x80], 2 * i);
    expect(() => parseCertificate(bytes)).toThrow(CryptoError);
    const nested: number[] = [];
    for (let i = 0; i < 60; i++) nested.unshift(0x30, nested.length);
    expect(() => parseCertificate(Uint8Array.from(nested))).toThrow(/nested/);
  });
});
