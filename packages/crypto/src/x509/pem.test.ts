import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import { base64Decode, base64Encode, derToPem, pemToDer, readPemBlocks } from './pem.js';
import { generateKey, selfSign, Workdir } from './testing/openssl.js';

const dir = new Workdir();
afterAll(() => dir.dispose());

generateKey(dir, 'a', 'P-256');
selfSign(dir, 'a', { subject: '/CN=a' });
generateKey(dir, 'b', 'ed25519');
selfSign(dir, 'b', { subject: '/CN=b' });
dir.run(['x509', '-in', 'a.pem', '-outform', 'DER', '-out', 'a.der']);
dir.run(['x509', '-in', 'b.pem', '-outform', 'DER', '-out', 'b.der']);

describe('PEM', () => {
  it('decodes every CERTIFICATE block to the DER openssl writes, in order', () => {
    const bundle = `issuer notes\n${dir.read('a.pem')}${dir.read('a.key')}between\r\n${dir.read('b.pem').replace(/\n/g, '\r\n')}`;
    expect(pemToDer(bundle)).toEqual([dir.readBytes('a.der'), dir.readBytes('b.der')]);
    expect(pemToDer(bundle, 'PRIVATE KEY')).toHaveLength(1);
    expect(readPemBlocks(bundle).map((b) => b.label)).toEqual([
      'CERTIFICATE',
      'PRIVATE KEY',
      'CERTIFICATE',
    ]);
  });

  it('writes PEM that openssl reads back to the same DER', () => {
    const pem = derToPem(dir.readBytes('b.der'));
    expect(pem.split('\n').every((line) => line.length <= 64)).toBe(true);
    expect(pem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    dir.write('ours.pem', pem);
    dir.run(['x509', '-in', 'ours.pem', '-outform', 'DER', '-out', 'ours.der']);
    expect(dir.readBytes('ours.der')).toEqual(dir.readBytes('b.der'));
  });

  it('refuses broken blocks with CryptoError', () => {
    const pem = dir.read('a.pem');
    const bad = (text: string, pattern: RegExp) =>
      expect(() => pemToDer(text)).toThrow(
        expect.objectContaining({ code: 'bad_encoding', message: expect.stringMatching(pattern) }),
      );
    bad(pem.replace('-----END CERTIFICATE-----', ''), /BEGIN line without END/);
    bad(pem.replace('END CERTIFICATE', 'END X509 CRL'), /closed by END X509 CRL/);
    bad(pem.replace(/\n([A-Za-z0-9+/]{10})/, '\n$1!'), /base64/);
    bad(dir.read('a.key'), /no "CERTIFICATE" block \(found: PRIVATE KEY\)/);
    bad('', /found: none/);
    bad(`${pem.slice(0, 40)}\n${pem}`, /no END/);
    expect(() => pemToDer(pem.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\n\n'))).toThrow(
      expect.objectContaining({ code: 'unsupported' }),
    );
  });

  it('base64 agrees with Buffer on every input and refuses misplaced padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = base64Encode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(base64Decode(text)).toEqual(bytes);
      }),
    );
    for (const text of ['QQ=', 'Q===', 'QQ=A', '=QQA', 'QUJD\u00e9', 'QU JD=']) {
      expect(() => base64Decode(text), text).toThrow(CryptoError);
    }
    expect(base64Decode(' QU\nJD\r\n')).toEqual(Uint8Array.of(0x41, 0x42, 0x43));
  });
});
