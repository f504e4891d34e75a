import { type CryptoProvider, getCipherSuite, nobleProvider, nodeProvider } from '@x/crypto';
import { hex, rfcHexBlockAfter, rfcSlice, rfcText, rfcValue, toHex } from '@x/test-helpers';
import { Writer } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { QuicError } from '../errors.js';
import { deriveInitialSecrets, initialProtection } from '../handshake/initial-keys.js';
import { nextTrafficSecret } from '../handshake/key-update.js';
import { parsePacketHeader, QUIC_V1, writeLongHeader, writeShortHeader } from './header.js';
import { truncatePacketNumber } from './number.js';
import { derivePacketKeys, PacketProtection } from './protection.js';

const rfc = rfcText(9001);
const a1 = rfcSlice(rfc, 'A.1.  Keys', 'A.2.  Client Initial');
const a2 = rfcSlice(rfc, 'A.2.  Client Initial', 'A.3.  Server Initial');
const a3 = rfcSlice(rfc, 'A.3.  Server Initial', 'A.4.  Retry');
const a5 = rfcSlice(rfc, 'A.5.  ChaCha20-Poly1305 Short Header Packet', 'Appendix B.');
const dcid = hex(/Destination Connection ID\s+of 0x([0-9a-f]+)/.exec(rfc)![1]!);

const providers: [string, CryptoProvider][] = [
  ['node', nodeProvider],
  ['noble', nobleProvider],
];

describe.each(providers)('RFC 9001 Appendix A with the %s provider', (_, provider) => {
  it('A.1: derives the Initial secrets and keys from the client DCID', () => {
    const secrets = deriveInitialSecrets(provider, dcid);
    expect(toHex(secrets.client)).toBe(toHex(rfcValue(a1, 'client_initial_secret')));
    expect(toHex(secrets.server)).toBe(toHex(rfcValue(a1, 'server_initial_secret')));
    const suite = getCipherSuite('tls13', 0x1301)!;
    const client = derivePacketKeys(provider, suite, secrets.client);
    const clientPart = rfcSlice(
      a1,
      '   The secrets for protecting client',
      '   The secrets for protecting server',
    );
    expect(toHex(client.key)).toBe(toHex(rfcValue(clientPart, 'key')));
    expect(toHex(client.iv)).toBe(toHex(rfcValue(clientPart, 'iv')));
    expect(toHex(client.hp)).toBe(toHex(rfcValue(clientPart, 'hp')));
  });

  it('A.2: protects the client Initial byte for byte and opens it again', () => {
    const crypto = rfcHexBlockAfter(a2, 'make a 1162-byte payload');
    const payloadLength = Number(/make a (\d+)-byte payload/.exec(a2)![1]);
    const payload = new Uint8Array(payloadLength); // the rest is PADDING (0x00)
    payload.set(crypto);
    const rfcHeader = rfcHexBlockAfter(a2, 'and a packet number of 2:');
    const expected = rfcHexBlockAfter(a2, 'The resulting protected packet is:');

    const w = new Writer(64);
    const pn = 2;
    const pnOffset = writeLongHeader(
      w,
      {
        type: 'initial',
        version: QUIC_V1,
        dcid,
        scid: new Uint8Array(0),
        token: new Uint8Array(0),
      },
      truncatePacketNumber(pn, 4),
      4,
      payload.length + 16,
    );
    const header = w.finish();
    expect(toHex(header)).toBe(toHex(rfcHeader));

    const keys = initialProtection(provider, dcid);
    const packet = keys.client.protect(header, pnOffset, pn, payload);
    expect(packet.length).toBe(1200);
    expect(toHex(packet)).toBe(toHex(expected));

    // The server's side: parse, remove protection with its own derivation of the keys.
    const parsed = parsePacketHeader(expected, 0, 8);
    expect(parsed.type).toBe('initial');
    expect(toHex(parsed.dcid)).toBe(toHex(dcid));
    expect(parsed.end).toBe(expected.length);
    const opened = initialProtection(provider, parsed.dcid).client.unprotect(
      expected.subarray(parsed.start, parsed.end),
      parsed.pnOffset,
      -1,
    )!;
    expect(opened.packetNumber).toBe(pn);
    expect(opened.pnLength).toBe(4);
    expect(toHex(opened.header)).toBe(toHex(rfcHeader));
    expect(toHex(opened.payload)).toBe(toHex(payload));
  });

  it('A.2: shows the RFC sample and mask', () => {
    const expected = rfcHexBlockAfter(a2, 'The resulting protected packet is:');
    const parsed = parsePacketHeader(expected, 0, 8);
    const sample = expected.subarray(parsed.pnOffset + 4, parsed.pnOffset + 20);
    expect(toHex(sample)).toBe(toHex(rfcValue(a2, 'sample')));
    const keys = initialProtection(provider, dcid);
    const mask = keys.client.headerProtection.mask(sample).subarray(0, 5);
    expect(toHex(mask)).toBe(toHex(rfcValue(a2, 'mask')));
  });

  it('A.3: protects the server Initial byte for byte and opens it again', () => {
    const payload = rfcHexBlockAfter(a3, 'and no PADDING frames:');
    const rfcHeader = rfcHexBlockAfter(a3, 'packet number of 1:');
    const expected = rfcHexBlockAfter(a3, 'The final protected packet is then:');
    const scid = parsePacketHeader(expected, 0, 0).scid;
    const w = new Writer(64);
    const pn = 1;
    // The RFC's header sends packet number 1 in 2 bytes (its low type bits say so).
    const pnLength = ((rfcHeader[0]! & 0x03) + 1) as 2;
    const pnOffset = writeLongHeader(
      w,
      { type: 'initial', version: QUIC_V1, dcid: new Uint8Array(0), scid },
      pn,
      pnLength,
      payload.length + 16,
    );
    expect(toHex(w.finish())).toBe(toHex(rfcHeader));
    const keys = initialProtection(provider, dcid);
    const packet = keys.server.protect(w.finish(), pnOffset, pn, payload);
    expect(toHex(packet)).toBe(toHex(expected));
    expect(toHex(packet.subarray(0, rfcHeader.length))).toBe(toHex(rfcValue(a3, 'header')));

    const parsed = parsePacketHeader(expected, 0, 0);
    const opened = initialProtection(provider, dcid).server.unprotect(
      expected,
      parsed.pnOffset,
      -1,
    )!;
    expect(opened.packetNumber).toBe(1);
    expect(toHex(opened.payload)).toBe(toHex(payload));
  });

  it('A.5: ChaCha20-Poly1305 short header packet, keys, key update and header protection', () => {
    const suite = getCipherSuite('tls13', 0x1303)!;
    expect(suite.headerProtection).toBe('chacha20');
    const secret = rfcValue(a5, 'secret');
    const keys = derivePacketKeys(provider, suite, secret);
    expect(toHex(keys.key)).toBe(toHex(rfcValue(a5, 'key')));
    expect(toHex(keys.iv)).toBe(toHex(rfcValue(a5, 'iv')));
    expect(toHex(keys.hp)).toBe(toHex(rfcValue(a5, 'hp')));
    expect(toHex(nextTrafficSecret(provider, suite, secret))).toBe(toHex(rfcValue(a5, 'ku')));

    const pn = Number(/pn\s+= (\d+) \(decimal\)/.exec(a5)![1]);
    const expected = rfcValue(a5, 'packet');
    const w = new Writer(8);
    const pnOffset = writeShortHeader(w, new Uint8Array(0), truncatePacketNumber(pn, 3), 3, 0);
    expect(toHex(w.finish())).toBe(toHex(rfcValue(a5, 'unprotected header')));
    const protection = PacketProtection.fromSecret(provider, suite, secret);
    const packet = protection.protect(w.finish(), pnOffset, pn, rfcValue(a5, 'payload plaintext'));
    expect(toHex(packet)).toBe(toHex(expected));
    expect(toHex(packet.subarray(0, 4))).toBe(toHex(rfcValue(a5, 'header')));

    const parsed = parsePacketHeader(expected, 0, 0);
    expect(parsed.type).toBe('1rtt');
    const opened = PacketProtection.fromSecret(provider, suite, secret).unprotect(
      expected,
      parsed.pnOffset,
      pn - 1,
    )!;
    expect(opened.packetNumber).toBe(pn);
    expect(opened.keyPhase).toBe(0);
    expect(toHex(opened.payload)).toBe('01');
  });
});

describe('packet protection failures', () => {
  const provider = nodeProvider;
  const suite = getCipherSuite('tls13', 0x1303)!;
  const secret = rfcValue(a5, 'secret');
  const packet = rfcValue(a5, 'packet');

  it('returns null for a corrupted payload or the wrong keys', () => {
    for (let i = 5; i < packet.length; i++) {
      const bad = packet.slice();
      bad[i] = bad[i]! ^ 0x01;
      expect(
        PacketProtection.fromSecret(provider, suite, secret).unprotect(bad, 1, 654360563),
      ).toBeNull();
    }
    const other = PacketProtection.fromSecret(provider, suite, new Uint8Array(32));
    expect(other.unprotect(packet, 1, 654360563)).toBeNull();
  });

  it('raises PROTOCOL_VIOLATION when reserved bits are set under valid protection', () => {
    const p = PacketProtection.fromSecret(provider, suite, secret);
    const w = new Writer(8);
    const pnOffset = writeShortHeader(w, new Uint8Array(0), 7, 1, 0);
    const header = w.finish().slice();
    header[0] = header[0]! | 0x08; // a reserved bit (RFC 9000 §17.3.1)
    const sealed = p.protect(header, pnOffset, 7, new Uint8Array([1, 0, 0, 0]));
    const err = (() => {
      try {
        p.unprotect(sealed, 1, 6);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(QuicError);
    expect((err as QuicError).code).toBe(0x0a);
  });

  it('refuses to protect a payload too short to sample', () => {
    const p = PacketProtection.fromSecret(provider, suite, secret);
    const w = new Writer(8);
    const pnOffset = writeShortHeader(w, new Uint8Array(0), 7, 1, 0);
    expect(() => p.protect(w.finish(), pnOffset, 7, new Uint8Array([1]))).toThrow(/PADDING/);
  });

  it('keeps the header-protection key across a key update (RFC 9001 §6)', () => {
    const p = PacketProtection.fromSecret(provider, suite, secret);
    const next = p.withUpdatedKeys(nextTrafficSecret(provider, suite, secret));
    expect(next.headerProtection).toBe(p.headerProtection);
    const w = new Writer(8);
    const pnOffset = writeShortHeader(w, new Uint8Array(0), 9, 1, 1);
    const sealed = next.protect(w.finish(), pnOffset, 9, new Uint8Array([1, 0, 0]));
    const unmasked = p.removeHeaderProtection(sealed, 1, 8)!;
    expect(unmasked.keyPhase).toBe(1);
    expect(p.openPayload(sealed, unmasked)).toBeNull();
    expect(next.openPayload(sealed, unmasked)!.payload).toEqual(new Uint8Array([1, 0, 0]));
  });
});
