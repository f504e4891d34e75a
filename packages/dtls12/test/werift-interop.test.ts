/**
 * werift 0.24.4's DTLS (the TypeScript WebRTC stack the interop notes used
 * with Chromium) as a differential peer, in process over an in-memory
 * transport: werift client ↔ our server and our client ↔ werift server,
 * with use_srtp, extended master secret and client certificates, comparing
 * the DTLS-SRTP exporter both sides compute.
 */
import { nodeProvider, parseCertificate, pemToDer, verifyCertificateSignature } from '@x/crypto';
import { toHex } from '@x/wire';
import { describe, expect, it } from 'vitest';
import { CipherContext, DtlsClient, DtlsServer as WeriftServer } from 'werift';
import { DtlsConnection } from '../src/connection.js';
import { DtlsServer } from '../src/dtls-server.js';
import { CLIENT_ADDR, makeCertificate, SERVER_ADDR } from './fixtures.js';

type Handler = (data: Buffer, addr: [string, number]) => void;

/** A werift Transport whose send hands the bytes to `deliver` on a later tick (as a socket would). */
function weriftTransport(deliver: (data: Uint8Array) => void) {
  return {
    type: 'udp',
    address: { address: '127.0.0.1', port: 1, family: 'IPv4' },
    closed: false,
    onData: (() => {}) as Handler,
    send(data: Buffer) {
      const copy = new Uint8Array(data);
      setImmediate(() => deliver(copy));
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

const SIG = { hash: 4, signature: 3 }; // sha256 / ecdsa (werift's SignatureHash)

async function weriftCert() {
  return CipherContext.createSelfSignedCertificateWithKey(SIG as never, 'secp256r1' as never);
}

function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) resolve();
      else if (Date.now() - start > ms) reject(new Error('timed out'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

describe('werift 0.24.4 DTLS interop (in memory)', () => {
  it("werift's certificates (empty extension list) parse as they are, and their self-signature verifies", async () => {
    const der = pemToDer((await weriftCert()).certPem)[0]!;
    // The TBSCertificate ends with [3] { SEQUENCE {} }: RFC 5280 says SIZE (1..MAX), OpenSSL accepts it.
    const leaf = parseCertificate(der);
    expect(toHex(leaf.tbsDer.subarray(-4))).toBe('a3023000');
    expect(leaf.extensions).toEqual([]);
    expect(leaf.publicKey).toMatchObject({ kind: 'ec', curve: 'P-256' });
    expect(leaf.der).toEqual(der);
    expect(verifyCertificateSignature(nodeProvider, leaf, leaf.publicKey)).toBe(true);
  });

  it('werift client ↔ our server: handshake, SRTP profile, exporter, data both ways', async () => {
    const cert = await weriftCert();
    const server = new DtlsServer({
      certificate: makeCertificate(),
      requestClientCertificate: true,
    });
    let t: ReturnType<typeof weriftTransport>;
    const pump = () => {
      for (let d = server.poll(0); d; d = server.poll(0)) {
        const b = Buffer.from(d.data);
        setImmediate(() => t.onData(b, ['127.0.0.1', 4444]));
      }
    };
    t = weriftTransport((data) => {
      server.receive({ data, remote: CLIENT_ADDR, local: SERVER_ADDR }, performance.now());
      pump();
    });
    const client = new DtlsClient({
      transport: t as never,
      cert: cert.certPem,
      key: cert.keyPem,
      signatureHash: SIG as never,
      srtpProfiles: [1, 7] as never,
      extendedMasterSecret: true,
    });
    const connected = new Promise<void>((r) => client.onConnect.once(() => r()));
    client.connect();
    await connected;
    const session = [...server.sessions.values()][0]!;
    const ours = session.connection;
    await until(() => ours.state === 'connected');
    expect(ours.extendedMasterSecret).toBe(true);
    expect(ours.srtpProfile).toBe(7); // our preference among {1, 7}
    expect(ours.peerCertificates).toHaveLength(1);
    expect(toHex(ours.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 56))).toBe(
      client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 56).toString('hex'),
    );
    const got = new Promise<string>((r) => client.onData.once((d: Buffer) => r(d.toString())));
    ours.on('data', (d) => {
      ours.send(d);
      pump();
    });
    await client.send(Buffer.from('ping-werift'));
    expect(await got).toBe('ping-werift');
    client.close();
  });

  it('our client ↔ werift server', async () => {
    const cert = await weriftCert();
    const ours = new DtlsConnection('client', {
      certificate: makeCertificate(),
      srtpProfiles: [1],
    });
    let t: ReturnType<typeof weriftTransport>;
    const pump = () => {
      for (let d = ours.poll(performance.now()); d; d = ours.poll(performance.now())) {
        const b = Buffer.from(d);
        setImmediate(() => t.onData(b, ['127.0.0.1', 5000]));
      }
    };
    t = weriftTransport((data) => {
      ours.receive(data, performance.now());
      pump();
    });
    const server = new WeriftServer({
      transport: t as never,
      cert: cert.certPem,
      key: cert.keyPem,
      signatureHash: SIG as never,
      certificateRequest: true,
      srtpProfiles: [1] as never,
      extendedMasterSecret: true,
    });
    pump();
    await until(() => ours.state !== 'handshaking');
    expect(ours.error).toBeUndefined();
    expect(ours.state).toBe('connected');
    expect(ours.srtpProfileName).toBe('SRTP_AES128_CM_HMAC_SHA1_80');
    expect(toHex(ours.exportKeyingMaterial('EXTRACTOR-dtls_srtp', undefined, 60))).toBe(
      server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60).toString('hex'),
    );
    const got = new Promise<string>((r) => server.onData.once((d: Buffer) => r(d.toString())));
    ours.send(new TextEncoder().encode('to-werift'));
    pump();
    expect(await got).toBe('to-werift');
    server.close();
  });
});
