import { afterAll, describe, expect, it } from 'vitest';
import { type Certificate, parseCertificatesPem } from './certificate.js';
import { matchesHostname } from './hostname.js';
import { generateKey, selfSign, Workdir } from './testing/openssl.js';

const dir = new Workdir();
afterAll(() => dir.dispose());
generateKey(dir, 'key', 'P-256');

/** An OpenSSL certificate with this subject and these extension lines (all share one key). */
function certificate(name: string, subject: string, extensions: string[] = []): Certificate {
  dir.write(`${name}.key`, dir.read('key.key'));
  selfSign(dir, name, { subject, extensions });
  return parseCertificatesPem(dir.read(`${name}.pem`))[0]!;
}

const wild = certificate('wild', '/CN=wild', [
  'subjectAltName=DNS:*.example.com,DNS:*.com,DNS:f*.partial.test,DNS:*.*.double.test,DNS:xn--bcher-kva.example,DNS:UPPER.Example.TEST,DNS:single',
]);
const ips = certificate('ips', '/CN=192.0.2.2', [
  'subjectAltName=IP:192.0.2.1,IP:2001:db8::1,DNS:192.0.2.3',
]);
const legacy = certificate('legacy', '/O=Legacy/CN=legacy.example.test');
const legacyIp = certificate('legacyip', '/CN=192.0.2.9');
const uriOnly = certificate('uri', '/CN=legacy.example.test', [
  'subjectAltName=URI:https://legacy.example.test/',
]);
const both = certificate('both', '/CN=cn.example.test', ['subjectAltName=DNS:san.example.test']);

describe('matchesHostname (RFC 6125)', () => {
  const yes = (cert: Certificate, ...names: string[]) => {
    for (const n of names) expect(matchesHostname(cert, n), n).toBe(true);
  };
  const no = (cert: Certificate, ...names: string[]) => {
    for (const n of names) expect(matchesHostname(cert, n), n).toBe(false);
  };

  it('compares DNS names case-insensitively, ignoring one final dot', () => {
    yes(
      wild,
      'upper.example.test',
      'UPPER.EXAMPLE.TEST',
      'upper.example.test.',
      'single',
      'xn--bcher-kva.example',
    );
    no(wild, 'upper.example.test..', 'upper.example', 'pper.example.test', 'bücher.example', '');
  });

  it('lets a left-most "*" label match exactly one non-empty label', () => {
    yes(wild, 'a.example.com', 'A-B.Example.Com', 'a.example.com.');
    no(
      wild,
      'example.com',
      'a.b.example.com',
      'a.example.com.com',
      'example.com.example.com',
      '.example.com',
      'a..example.com',
      '*.example.com',
    );
  });

  it('refuses wildcards over a TLD, partial-label and non-left-most wildcards', () => {
    no(wild, 'x.com', 'f.partial.test', 'foo.partial.test', 'a.b.double.test', 'a.double.test');
  });

  it('matches IP literals only against iPAddress SANs, byte for byte', () => {
    yes(ips, '192.0.2.1', '2001:db8::1', '2001:DB8:0:0:0:0:0:1', '[2001:db8::1]');
    // A DNS SAN or CN spelling an address is not an IP identity (RFC 9525 §6.5).
    no(ips, '192.0.2.3', '192.0.2.2', '::ffff:192.0.2.1', '192.0.2.01', '2001:db8::2');
  });

  it('falls back to the CN only when there is no subjectAltName extension', () => {
    yes(legacy, 'legacy.example.test', 'LEGACY.example.test');
    no(legacy, 'other.example.test');
    no(legacyIp, '192.0.2.9');
    no(uriOnly, 'legacy.example.test');
    yes(both, 'san.example.test');
    no(both, 'cn.example.test');
  });
});
