import { getCipherSuite, nodeProvider } from '@x/crypto';
import { hex, rfcHexBlockAfter, rfcSlice, rfcText, rfcValue, toHex } from '@x/test-helpers';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from '../frame/codec.js';
import { initialProtection } from '../handshake/initial-keys.js';
import { buildPacket, MIN_INITIAL_DATAGRAM_SIZE } from './builder.js';
import { parsePacketHeader, QUIC_V1 } from './header.js';
import { PacketProtection } from './protection.js';

const rfc = rfcText(9001);
const a2 = rfcSlice(rfc, 'A.2.  Client Initial', 'A.3.  Server Initial');
const a5 = rfcSlice(rfc, 'A.5.  ChaCha20-Poly1305 Short Header Packet', 'Appendix B.');
const dcid = hex('8394c8f03e515708');

describe('packet builder', () => {
  it('builds the RFC 9001 A.2 client Initial from its CRYPTO frame, padded to 1200 bytes', () => {
    const crypto = decodeFrames(rfcHexBlockAfter(a2, 'make a 1162-byte payload'));
    const built = buildPacket({
      header: { type: 'initial', version: QUIC_V1, dcid, scid: new Uint8Array(0) },
      packetNumber: 2,
      largestAcked: undefined,
      pnLength: 4,
      frames: crypto,
      protection: initialProtection(nodeProvider, dcid).client,
      minSize: MIN_INITIAL_DATAGRAM_SIZE,
    });
    expect(toHex(built.packet)).toBe(
      toHex(rfcHexBlockAfter(a2, 'The resulting protected packet is:')),
    );
    expect(built.ackEliciting).toBe(true);
    expect(built.inFlight).toBe(true);
  });

  it('builds the RFC 9001 A.5 short header packet', () => {
    const suite = getCipherSuite('tls13', 0x1303)!;
    const built = buildPacket({
      header: { type: '1rtt', dcid: new Uint8Array(0), keyPhase: 0 },
      packetNumber: Number(/pn\s+= (\d+) \(decimal\)/.exec(a5)![1]),
      largestAcked: undefined,
      pnLength: 3,
      frames: [{ type: 'ping' }],
      protection: PacketProtection.fromSecret(nodeProvider, suite, rfcValue(a5, 'secret')),
    });
    expect(toHex(built.packet)).toBe(toHex(rfcValue(a5, 'packet')));
  });

  it('pads a tiny payload so the header-protection sample fits, before a length-less STREAM frame', () => {
    const p = initialProtection(nodeProvider, dcid).client;
    const built = buildPacket({
      header: { type: '1rtt', dcid, keyPhase: 1 },
      packetNumber: 0,
      largestAcked: undefined,
      // 0x09 0x00: a FIN with no data, 2 bytes; with a 1-byte packet number, 1 short of the 4 needed.
      frames: [
        {
          type: 'stream',
          streamId: 0,
          offset: 0,
          data: new Uint8Array(0),
          fin: true,
          explicitLength: false,
        },
      ],
      protection: p,
    });
    const h = parsePacketHeader(built.packet, 0, 8);
    const opened = p.unprotect(built.packet, h.pnOffset, -1)!;
    expect(opened.pnLength).toBe(1);
    const frames = decodeFrames(opened.payload);
    expect(frames.map((f) => f.type)).toEqual(['padding', 'stream']);
    expect(opened.payload.length + opened.pnLength).toBe(4);
    const ackOnly = buildPacket({
      header: { type: '1rtt', dcid, keyPhase: 0 },
      packetNumber: 1,
      largestAcked: 0,
      frames: [{ type: 'ack', ackDelay: 0, ranges: [{ smallest: 0, largest: 5 }] }],
      protection: p,
    });
    expect(ackOnly.ackEliciting).toBe(false);
    expect(ackOnly.inFlight).toBe(false);
  });
});
