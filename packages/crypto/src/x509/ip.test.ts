import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpAddress, parseIpAddress } from './ip.js';

describe('IP address text', () => {
  it('parses IPv4 dotted quads and refuses everything else', () => {
    expect(parseIpAddress('192.0.2.1')).toEqual(Uint8Array.of(192, 0, 2, 1));
    expect(parseIpAddress('0.0.0.0')).toEqual(new Uint8Array(4));
    for (const bad of [
      '256.0.0.1',
      '1.2.3',
      '1.2.3.4.5',
      '01.2.3.4',
      '1.2.3.-4',
      '1..3.4',
      'a.b.c.d',
      '',
    ]) {
      expect(parseIpAddress(bad), bad).toBeUndefined();
    }
  });

  it('parses every RFC 4291 §2.2 IPv6 form', () => {
    const loopback = Uint8Array.of(...new Array(15).fill(0), 1);
    expect(parseIpAddress('::1')).toEqual(loopback);
    expect(parseIpAddress('[::1]')).toEqual(loopback);
    expect(parseIpAddress('0:0:0:0:0:0:0:1')).toEqual(loopback);
    expect(parseIpAddress('::')).toEqual(new Uint8Array(16));
    expect(parseIpAddress('2001:DB8::8:800:200C:417A')).toEqual(
      Uint8Array.from([
        0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0x08, 0x08, 0, 0x20, 0x0c, 0x41, 0x7a,
      ]),
    );
    expect(parseIpAddress('::ffff:192.0.2.1')).toEqual(
      Uint8Array.of(...new Array(10).fill(0), 0xff, 0xff, 192, 0, 2, 1),
    );
    for (const bad of [
      '1::2::3',
      ':1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      '::1.2.3',
      '1::2:',
      'g::1',
    ]) {
      expect(parseIpAddress(bad), bad).toBeUndefined();
    }
  });

  it('formats as RFC 5952 text that parses back to the same bytes', () => {
    expect(formatIpAddress(Uint8Array.of(...new Array(15).fill(0), 1))).toBe('::1');
    expect(formatIpAddress(parseIpAddress('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(formatIpAddress(parseIpAddress('2001:db8:0:1:1:1:1:1')!)).toBe('2001:db8:0:1:1:1:1:1');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 4, maxLength: 4 }),
          fc.uint8Array({ minLength: 16, maxLength: 16 }),
        ),
        (bytes) => {
          expect(parseIpAddress(formatIpAddress(bytes))).toEqual(bytes);
        },
      ),
    );
    fc.assert(
      fc.property(fc.ipV4(), (text) => {
        expect(formatIpAddress(parseIpAddress(text)!)).toBe(text);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        expect(parseIpAddress(text)).toHaveLength(16);
      }),
    );
  });
});
