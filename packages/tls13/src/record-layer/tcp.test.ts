/** The TCP record layer: padding accepted, size limits kept and enforced (RFC 8446 §5). */
import { createRecordProtector, getCipherSuite, nodeProvider } from '@x/crypto';
import { concatBytes, equalBytes } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { AlertDescription } from '../alerts.js';
import { TlsConnection } from '../connection.js';
import { trafficKeys } from '../key-schedule.js';
import { parseKeyLog } from '../keylog.js';
import { connectPair, testIdentity, text } from '../testing/pair.js';
import { MAX_CIPHERTEXT, MAX_PLAINTEXT } from './tcp.js';

/** A connected pair plus a protector that seals records as the client would (from the key log). */
function pairWithClientSealer() {
  const log: string[] = [];
  const pair = connectPair({
    keyLog: (l) => log.push(l),
    cipherSuites: ['TLS_AES_128_GCM_SHA256'],
  });
  const secret = [...parseKeyLog(log.join('\n')).get('CLIENT_TRAFFIC_SECRET_0')!.values()][0]!;
  const suite = getCipherSuite('tls13', 0x1301)!;
  const bytes = Uint8Array.from(Buffer.from(secret, 'hex'));
  const { key, iv } = trafficKeys(nodeProvider, 'SHA-256', bytes, 16, 12);
  const protector = createRecordProtector(nodeProvider, suite.aead, key, iv);
  let seq = 0;
  const seal = (inner: Uint8Array): Uint8Array => {
    const len = inner.length + 16;
    const header = Uint8Array.of(23, 3, 3, len >> 8, len & 0xff);
    const body = protector.seal(seq++, header, inner);
    return Uint8Array.from([...header, ...body]);
  };
  return { ...pair, seal };
}

describe('TCP record layer', () => {
  it('accepts padded records (§5.4) and delivers the content', () => {
    const { server, serverGot, seal } = pairWithClientSealer();
    const inner = new Uint8Array(5 + 1 + 300);
    inner.set(new TextEncoder().encode('hello'));
    inner[5] = 23;
    server.receive(seal(inner), Date.now());
    expect(server.error).toBeUndefined();
    expect(text(serverGot.data)).toBe('hello');
  });

  it('a record of only padding has no content type: unexpected_message', () => {
    const { server, seal } = pairWithClientSealer();
    server.receive(seal(new Uint8Array(40)), Date.now());
    expect(server.error?.alert).toBe(AlertDescription.unexpected_message);
  });

  it('an inner plaintext over 2^14 bytes: record_overflow', () => {
    const { server, seal } = pairWithClientSealer();
    const inner = new Uint8Array(MAX_PLAINTEXT + 2);
    inner[MAX_PLAINTEXT + 1] = 23;
    server.receive(seal(inner), Date.now());
    expect(server.error?.alert).toBe(AlertDescription.record_overflow);
  });

  it('never sends a record over the limits', () => {
    const { client } = connectPair();
    client.write(new Uint8Array(100_000));
    const out = client.takeOutput()!;
    let off = 0;
    let records = 0;
    while (off < out.length) {
      const len = (out[off + 3]! << 8) | out[off + 4]!;
      expect(len).toBeLessThanOrEqual(MAX_PLAINTEXT + 1 + 16);
      expect(len).toBeLessThanOrEqual(MAX_CIPHERTEXT);
      off += 5 + len;
      records++;
    }
    expect(off).toBe(out.length);
    expect(records).toBe(Math.ceil(100_000 / MAX_PLAINTEXT));
  });

  it('reassembles records cut anywhere and keeps none of the caller bytes (§5.1)', () => {
    const { client, server, serverGot } = connectPair();
    const sent = new Uint8Array(150_000);
    for (let i = 0; i < sent.length; i++) sent[i] = (i * 31 + (i >>> 9)) & 0xff;
    client.write(sent.subarray(0, 70_000));
    client.write(sent.subarray(70_000));
    const wire = client.takeOutput()!;
    // Cuts inside headers (1-6 bytes), inside bodies and across several records.
    const sizes = [1, 2, 3, 4, 5, 6, 4096, 16_000, 16_405, 16_406, 16_407, 40_000];
    let seed = 7;
    for (let off = 0; off < wire.length; ) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const piece = wire.slice(off, off + sizes[seed % sizes.length]!);
      server.receive(piece, Date.now());
      // The caller may reuse its buffer at once: scribble over it.
      piece.fill(0xee);
      off += piece.length;
    }
    expect(server.error).toBeUndefined();
    expect(equalBytes(concatBytes(...serverGot.data), sent)).toBe(true);
  });

  it('sends one dummy ChangeCipherSpec in compatibility mode (Appendix D.4), none without it', () => {
    const id = testIdentity('P-256');
    const recordTypes = (bytes: Uint8Array): number[] => {
      const types: number[] = [];
      for (let off = 0; off < bytes.length; off += 5 + ((bytes[off + 3]! << 8) | bytes[off + 4]!))
        types.push(bytes[off]!);
      return types;
    };
    for (const compat of [true, false]) {
      const server = TlsConnection.server({
        certificateChain: [id.der],
        privateKey: id.privateKey,
      });
      const client = TlsConnection.client({
        serverName: 'localhost',
        trustAnchors: [id.certificate],
        middleboxCompatibility: compat,
      });
      client.start(Date.now());
      server.receive(client.takeOutput()!, Date.now());
      const serverFlight = server.takeOutput()!;
      client.receive(serverFlight, Date.now());
      const clientFlight = client.takeOutput()!;
      expect(client.handshakeComplete).toBe(true);
      // Server: ServerHello, [CCS], protected records. Client: [CCS], protected Finished.
      expect(recordTypes(serverFlight).slice(0, 2)).toEqual(compat ? [22, 20] : [22, 23]);
      expect(recordTypes(clientFlight)).toEqual(compat ? [20, 23] : [23]);
    }
  });
});
