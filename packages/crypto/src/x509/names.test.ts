import { describe, expect, it } from 'vitest';
import { encodeOid, encodeSequence, encodeTlv } from './der.js';
import { commonName, readName } from './names.js';

const atv = (oid: string, value: Uint8Array) =>
  encodeTlv(0x31, encodeSequence(encodeOid(oid), value));
const utf8 = (s: string) => encodeTlv(0x0c, new TextEncoder().encode(s));

describe('distinguished names', () => {
  it('decodes every DirectoryString type and shows non-strings as #hex (RFC 4514 §2.4)', () => {
    const name = encodeSequence(
      atv('1.2.3.4', Uint8Array.of(0x02, 0x01, 0x05)),
      atv('2.5.4.10', encodeTlv(0x13, new TextEncoder().encode('Printable'))),
      atv('2.5.4.11', Uint8Array.of(0x1e, 0x04, 0x00, 0x41, 0x00, 0xe9)),
      atv('2.5.4.3', utf8('ünï')),
    );
    const dn = readName(name);
    expect(dn.der).toBe(name);
    expect(dn.rdns.map((r) => r.map((a) => [a.type, a.shortName, a.value]))).toEqual([
      [['1.2.3.4', undefined, '#020105']],
      [['2.5.4.10', 'O', 'Printable']],
      [['2.5.4.11', 'OU', 'Aé']],
      [['2.5.4.3', 'CN', 'ünï']],
    ]);
    expect(dn.text).toBe('CN=ünï, OU=Aé, O=Printable, 1.2.3.4=#020105');
  });

  it('escapes a string that merely looks like hex, and trailing spaces', () => {
    const dn = readName(
      encodeSequence(
        atv('2.5.4.3', utf8('#0201')),
        atv('2.5.4.10', utf8('x ')),
        atv('2.5.4.11', utf8('a\0b')),
      ),
    );
    expect(dn.text).toBe('OU=a\\00b, O=x\\ , CN=\\#0201');
  });

  it('finds the most specific commonName', () => {
    expect(
      commonName(
        readName(encodeSequence(atv('2.5.4.3', utf8('first')), atv('2.5.4.3', utf8('last')))),
      ),
    ).toBe('last');
    expect(commonName(readName(encodeSequence(atv('2.5.4.10', utf8('org')))))).toBeUndefined();
    expect(readName(encodeSequence()).text).toBe('');
  });
});
