import { hex, rfcHexBlockAfter, rfcSlice, rfcText } from '@x/test-helpers';
import { DecodeError, Writer } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitDatagram } from './coalesce.js';
import {
  type PacketHeader,
  parsePacketHeader,
  peekDestinationCid,
  QUIC_V1,
  writeLongHeader,
  writeShortHeader,
} from './header.js';
import {
  chooseVersion,
  encodeVersionNegotiation,
  isReservedVersion,
  supportedVersions,
} from './version-negotiation.js';

const rfc = rfcText(9001);
const clientInitial = rfcHexBlockAfter(
  rfcSlice(rfc, 'A.2.  Client Initial', 'A.3.  Server Initial'),
  'The resulting protected packet is:',
);
const serverInitial = rfcHexBlockAfter(
  rfcSlice(rfc, 'A.3.  Server Initial', 'A.4.  Retry'),
  'The final protected packet is then:',
);

function parseError(bytes: Uint8Array, shortDcid = 8): DecodeError {
  try {
    parsePacketHeader(bytes, 0, shortDcid);
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected DecodeError');
}

function longHeader(
  type: 'initial' | '0rtt' | 'handshake',
  dcid: Uint8Array,
  scid: Uint8Array,
  token: Uint8Array,
  bodyLength: number,
): Uint8Array {
  const w = new Writer(64);
  writeLongHeader(w, { type, version: QUIC_V1, dcid, scid, token }, 0x1234, 2, bodyLength - 2);
  w.zeros(bodyLength - 2);
  return w.finish().slice();
}

describe('long header parsing (RFC 9000 §17.2)', () => {
  it('reads every field of an Initial, 0-RTT and Handshake packet', () => {
    const dcid = hex('0102030405060708');
    const scid = hex('aabbcc');
    for (const type of ['initial', '0rtt', 'handshake'] as const) {
      const token = type === 'initial' ? hex('dead') : new Uint8Array(0);
      const p = longHeader(type, dcid, scid, token, 40);
      const h = parsePacketHeader(p, 0, 0);
      expect(h.type).toBe(type);
      expect(h.version).toBe(QUIC_V1);
      expect(h.dcid).toEqual(dcid);
      expect(h.scid).toEqual(scid);
      expect(h.token).toEqual(token);
      expect(h.end).toBe(p.length);
      expect(p[h.pnOffset]).toBe(0x12);
    }
  });

  it('rejects a zero fixed bit, a 21-byte connection ID and a Length past the datagram', () => {
    const p = longHeader('handshake', hex('01'), hex('02'), new Uint8Array(0), 40);
    const noFixed = p.slice();
    noFixed[0] = noFixed[0]! & ~0x40;
    expect(parseError(noFixed).message).toMatch(/fixed bit/);
    const big = longHeader('handshake', new Uint8Array(20), hex('02'), new Uint8Array(0), 40);
    expect(parsePacketHeader(big, 0, 0).dcid.length).toBe(20);
    big[5] = 21;
    expect(parseError(big).message).toMatch(/exceeds 20/);
    expect(parseError(p.subarray(0, p.length - 1)).message).toMatch(/Length/);
  });

  it('rejects a packet too short to sample for header protection', () => {
    expect(
      parseError(longHeader('handshake', hex('01'), hex('02'), new Uint8Array(0), 19)).message,
    ).toMatch(/sample/);
    const w = new Writer(32);
    writeShortHeader(w, hex('0102030405060708'), 1, 1, 0);
    w.zeros(18);
    expect(parseError(w.finish()).message).toMatch(/sample/);
    w.zeros(1);
    expect(parsePacketHeader(w.finish(), 0, 8).type).toBe('1rtt');
  });

  it('parses the RFC 9001 A.2 and A.3 packets, coalesced into one datagram', () => {
    const datagram = new Uint8Array(serverInitial.length + clientInitial.length);
    // Two Initials with different DCIDs: the second is ignored (RFC 9000 §12.2).
    datagram.set(serverInitial);
    datagram.set(clientInitial, serverInitial.length);
    const packets = splitDatagram(datagram, 0);
    expect(packets.length).toBe(1);
    expect(packets[0]!.end).toBe(serverInitial.length);
  });
});

describe('coalesced packets (RFC 9000 §12.2)', () => {
  it('splits Initial + Handshake + 1-RTT by their Length fields', () => {
    const dcid = hex('0102030405060708');
    const a = longHeader('initial', dcid, hex('09'), new Uint8Array(0), 30);
    const b = longHeader('handshake', dcid, hex('09'), new Uint8Array(0), 25);
    const w = new Writer(32);
    writeShortHeader(w, dcid, 5, 1, 1);
    w.zeros(24);
    const c = w.finish().slice();
    const datagram = new Uint8Array(a.length + b.length + c.length);
    datagram.set(a);
    datagram.set(b, a.length);
    datagram.set(c, a.length + b.length);
    const packets = splitDatagram(datagram, 8);
    expect(packets.map((p: PacketHeader) => [p.type, p.start, p.end])).toEqual([
      ['initial', 0, a.length],
      ['handshake', a.length, a.length + b.length],
      ['1rtt', a.length + b.length, datagram.length],
    ]);
  });

  it('keeps the packets before a malformed one and drops the rest', () => {
    const dcid = hex('01020304');
    const a = longHeader('initial', dcid, hex('09'), new Uint8Array(0), 30);
    const datagram = new Uint8Array(a.length + 3);
    datagram.set(a);
    datagram.set([0xe0, 0, 0], a.length);
    expect(splitDatagram(datagram, 4).length).toBe(1);
    expect(() => splitDatagram(new Uint8Array([0xc0]), 4)).toThrow(DecodeError);
  });
});

describe('version negotiation (RFC 9000 §6, §17.2.1)', () => {
  it('round-trips a Version Negotiation packet', () => {
    const p = encodeVersionNegotiation({
      dcid: hex('aa'),
      scid: hex('bbcc'),
      supportedVersions: [QUIC_V1, 0x1a2a3a4a],
      unusedBits: 0x55,
    });
    const h = parsePacketHeader(p, 0, 0);
    expect(h.type).toBe('version-negotiation');
    expect(h.dcid).toEqual(hex('aa'));
    expect(h.scid).toEqual(hex('bbcc'));
    expect(supportedVersions(p, h)).toEqual([QUIC_V1, 0x1a2a3a4a]);
    expect(isReservedVersion(0x1a2a3a4a)).toBe(true);
    expect(isReservedVersion(QUIC_V1)).toBe(false);
    expect(parseError(p.subarray(0, p.length - 1)).message).toMatch(/version list/);
    expect(parseError(p.subarray(0, 10)).message).toMatch(/version list/);
  });

  it('ignores a VN that lists our version, switches or abandons otherwise', () => {
    expect(chooseVersion([QUIC_V1], QUIC_V1, [QUIC_V1])).toEqual({ action: 'ignore' });
    expect(chooseVersion([0x6b3343cf, QUIC_V1], 0xff00001d, [QUIC_V1])).toEqual({
      action: 'switch',
      version: QUIC_V1,
    });
    expect(chooseVersion([0x6b3343cf], QUIC_V1 + 5, [QUIC_V1])).toEqual({ action: 'abandon' });
  });

  it('keeps long connection IDs of unknown versions (RFC 8999) for the VN reply', () => {
    const w = new Writer(64);
    w.u8(0xc0).u32(0xabcdef01).vector8(new Uint8Array(40)).vector8(hex('01'));
    const h = parsePacketHeader(w.finish(), 0, 0);
    expect(h.type).toBe('unsupported-version');
    expect(h.dcid.length).toBe(40);
    expect(peekDestinationCid(w.finish(), 0)!.length).toBe(40);
  });
});

describe('header parsing never throws anything but DecodeError', () => {
  it('on random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 120 }),
        fc.integer({ min: 0, max: 20 }),
        (bytes, n) => {
          try {
            const h = parsePacketHeader(bytes, 0, n);
            expect(h.end).toBeLessThanOrEqual(bytes.length);
            expect(h.pnOffset).toBeLessThanOrEqual(h.end);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('on every truncation of the RFC packets', () => {
    for (const p of [clientInitial, serverInitial]) {
      for (let n = 0; n < p.length; n++) {
        try {
          splitDatagram(p.subarray(0, n), 0);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }
    }
  });
});
