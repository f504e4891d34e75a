import { afterAll, describe, expect, it } from 'vitest';
import { testProviders } from '../providers/test-providers.js';
import {
  certificateFingerprint,
  fingerprintMatches,
  formatFingerprint,
  parseFingerprint,
} from './fingerprint.js';
import { generateKey, openssl, selfSign, Workdir } from './testing/openssl.js';

const dir = new Workdir();
afterAll(() => dir.dispose());
generateKey(dir, 'cert', 'P-256');
selfSign(dir, 'cert', { subject: '/CN=fingerprint' });
dir.run(['x509', '-in', 'cert.pem', '-outform', 'DER', '-out', 'cert.der']);
const der = dir.readBytes('cert.der');

describe.each(testProviders().map((p) => [p.name, p] as const))(
  'fingerprints with the %s provider',
  (_n, provider) => {
    for (const hash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'] as const) {
      it(`matches openssl x509 -fingerprint -${hash.toLowerCase().replace('-', '')}`, () => {
        const flag = `-${hash.toLowerCase().replace('-', '')}`;
        const out = openssl(['x509', '-in', dir.file('cert.pem'), '-noout', '-fingerprint', flag]);
        const printed = out.trim().split('=')[1];
        const ours = certificateFingerprint(provider, der, hash);
        expect(ours).toBe(printed);
        expect(ours).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2})+$/);
      });
    }

    it('formats, parses and matches the SDP a=fingerprint value (RFC 8122 §5)', () => {
      const text = `sha-256 ${certificateFingerprint(provider, der)}`;
      const parsed = parseFingerprint(text);
      expect(parsed.hash).toBe('SHA-256');
      expect(formatFingerprint(parsed)).toBe(text);
      expect(fingerprintMatches(provider, der, parsed)).toBe(true);
      const other = der.slice();
      other[other.length - 1]! ^= 1;
      expect(fingerprintMatches(provider, other, parsed)).toBe(false);
      expect(fingerprintMatches(provider, der, { hash: 'SHA-384', value: parsed.value })).toBe(
        false,
      );
    });
  },
);

describe('parseFingerprint', () => {
  const hex32 = Array.from({ length: 32 }, (_, i) =>
    i.toString(16).padStart(2, '0').toUpperCase(),
  ).join(':');

  it('accepts any case for the hash name and the hex digits', () => {
    expect(parseFingerprint(`SHA-256 ${hex32.toLowerCase()}`)).toEqual({
      hash: 'SHA-256',
      value: Uint8Array.from({ length: 32 }, (_, i) => i),
    });
  });

  it('refuses a wrong length, an unknown hash and malformed text', () => {
    expect(() => parseFingerprint(`sha-384 ${hex32}`)).toThrow(
      expect.objectContaining({ code: 'bad_encoding' }),
    );
    expect(() => parseFingerprint(`md5 ${hex32.slice(0, 47)}`)).toThrow(
      expect.objectContaining({ code: 'unsupported' }),
    );
    for (const bad of [
      '',
      'sha-256',
      `sha-256 ${hex32}:`,
      `sha-256 ${hex32.replace(':', '')}`,
      `sha-256 ${hex32.replace('0A', 'G0')}`,
    ]) {
      expect(() => parseFingerprint(bad), bad).toThrow(
        expect.objectContaining({ code: 'bad_encoding' }),
      );
    }
  });
});
