import { hex, loadWycheproof, rfcSlice, rfcText, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../errors.js';
import type { HashAlgorithm } from '../provider.js';
import { testProviders } from '../providers/test-providers.js';
import { hkdfExpand, hkdfExtract } from './hkdf.js';

interface Rfc5869Case {
  name: string;
  hash: HashAlgorithm;
  ikm: Uint8Array;
  salt: Uint8Array;
  info: Uint8Array;
  length: number;
  prk: Uint8Array;
  okm: Uint8Array;
}

/** RFC 5869 Appendix A, read from the RFC text: `NAME = 0x<hex, wrapped> (N octets)`. */
function rfc5869Cases(): Rfc5869Case[] {
  const appendix = rfcSlice(rfcText(5869), 'Appendix A.', 'Authors');
  const parts = appendix.split(/\n(?=A\.\d\. {2}Test Case)/).filter((p) => p.startsWith('A.'));
  return parts.map((part) => {
    const field = (name: string): Uint8Array => {
      const m = new RegExp(`\\b${name}\\s*=\\s*(?:0x)?([0-9a-f\\s]*?)\\s*\\((\\d+) octets\\)`).exec(
        part,
      );
      if (!m) throw new Error(`RFC 5869 ${part.slice(0, 20)}: no ${name}`);
      const bytes = hex(m[1]!);
      expect(bytes.length).toBe(Number(m[2]));
      return bytes;
    };
    const hashName = /Hash = (SHA-\d+)/.exec(part)![1]!;
    return {
      name: part.split('\n')[0]!,
      hash: hashName === 'SHA-1' ? 'SHA-1' : 'SHA-256',
      ikm: field('IKM'),
      salt: /salt = (\(0 octets\)|not provided)/.test(part) ? new Uint8Array(0) : field('salt'),
      info: /info = \(0 octets\)/.test(part) ? new Uint8Array(0) : field('info'),
      length: Number(/L\s*=\s*(\d+)/.exec(part)![1]),
      prk: field('PRK'),
      okm: field('OKM'),
    };
  });
}

const cases = rfc5869Cases();

describe.each(testProviders())('HKDF with the $name provider', (p) => {
  it('reads all seven RFC 5869 test cases', () => {
    expect(cases.map((c) => c.hash)).toEqual([
      'SHA-256',
      'SHA-256',
      'SHA-256',
      'SHA-1',
      'SHA-1',
      'SHA-1',
      'SHA-1',
    ]);
  });

  it.each(cases)('$name: PRK and OKM match RFC 5869', (c) => {
    const prk = hkdfExtract(p, c.hash, c.salt, c.ikm);
    expect(toHex(prk)).toBe(toHex(c.prk));
    expect(toHex(hkdfExpand(p, c.hash, prk, c.info, c.length))).toBe(toHex(c.okm));
  });

  for (const [file, hash] of [
    ['hkdf_sha256_test.json', 'SHA-256'],
    ['hkdf_sha384_test.json', 'SHA-384'],
  ] as const) {
    it(`passes every Wycheproof vector in ${file}`, () => {
      const data = loadWycheproof(file);
      let ran = 0;
      for (const group of data.testGroups) {
        for (const t of group.tests) {
          const run = () =>
            hkdfExpand(
              p,
              hash,
              hkdfExtract(p, hash, hex(t.salt as string), hex(t.ikm as string)),
              hex(t.info as string),
              t.size as number,
            );
          if (t.result === 'invalid') {
            expect(run, `tcId ${t.tcId} ${t.comment}`).toThrow(CryptoError);
          } else {
            expect(toHex(run()), `tcId ${t.tcId} ${t.comment}`).toBe(t.okm);
          }
          ran++;
        }
      }
      expect(ran).toBe(data.numberOfTests);
    });
  }
});
