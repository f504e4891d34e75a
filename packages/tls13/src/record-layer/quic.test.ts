import { nodeProvider } from '@x/crypto';
import { toHex } from '@x/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertDescription } from '../alerts.js';
import { testIdentity } from '../testing/pair.js';
import { TicketIssuer } from '../tickets.js';
import { cryptoErrorCode, QuicTls, type QuicTlsEvent } from './quic.js';

const id = testIdentity('P-256');
const tpClient = Uint8Array.of(0x01, 0x02, 0x40, 0x64);
const tpServer = Uint8Array.of(0x03, 0x02, 0x45, 0xc0);

interface Side {
  tls: QuicTls;
  events: QuicTlsEvent[];
  secrets: Map<string, string>;
}

/** Delivers each side's handshake bytes to the other, at their level, in pieces of `piece` bytes. */
function run(
  client: QuicTls,
  server: QuicTls,
  piece = 1200,
): { c: Side; s: Side; largestInitial: number } {
  const c: Side = { tls: client, events: [], secrets: new Map() };
  const s: Side = { tls: server, events: [], secrets: new Map() };
  let largestInitial = 0;
  const now = Date.now();
  client.start(now);
  for (let round = 0; round < 20; round++) {
    let moved = false;
    for (const [from, to] of [
      [c, s],
      [s, c],
    ] as const) {
      for (let e = from.tls.poll(); e !== undefined; e = from.tls.poll()) {
        from.events.push(e);
        if (e.kind === 'keys') from.secrets.set(`${e.level}/${e.direction}`, toHex(e.keys.secret));
        if (e.kind === 'handshake-data') {
          moved = true;
          if (e.level === 'initial' && from === c)
            largestInitial = Math.max(largestInitial, e.data.length);
          for (let off = 0; off < e.data.length; off += piece)
            to.tls.receive(e.level, e.data.subarray(off, off + piece), now);
        }
      }
    }
    if (!moved) break;
  }
  return { c, s, largestInitial };
}

const serverConfig = {
  certificateChain: [id.der],
  privateKey: id.privateKey,
  alpnProtocols: ['h3'],
  quicTransportParameters: tpServer,
};
const clientConfig = {
  serverName: 'localhost',
  trustAnchors: [id.certificate],
  alpnProtocols: ['h3'],
  quicTransportParameters: tpClient,
};

describe('QUIC interface (RFC 9001 §4)', () => {
  it('completes a handshake with per-level secrets that agree in each direction', () => {
    const { c, s } = run(QuicTls.client(clientConfig), QuicTls.server(serverConfig));
    expect(c.tls.error).toBeUndefined();
    expect(s.tls.error).toBeUndefined();
    expect(c.tls.handshakeComplete && s.tls.handshakeComplete).toBe(true);
    for (const level of ['handshake', 'application']) {
      expect(c.secrets.get(`${level}/write`)).toBe(s.secrets.get(`${level}/read`));
      expect(s.secrets.get(`${level}/write`)).toBe(c.secrets.get(`${level}/read`));
      expect(c.secrets.get(`${level}/write`)).not.toBe(c.secrets.get(`${level}/read`));
    }
    expect(c.tls.peerTransportParameters).toEqual(tpServer);
    expect(s.tls.peerTransportParameters).toEqual(tpClient);
    expect(c.tls.alpnProtocol).toBe('h3');
    // Handshake bytes only at the initial and handshake levels; no records, no ChangeCipherSpec.
    const levels = c.events
      .filter((e) => e.kind === 'handshake-data')
      .map((e) => (e as { level: string }).level);
    expect(levels).toEqual(['initial', 'handshake']);
    const first = c.events.find((e) => e.kind === 'handshake-data') as { data: Uint8Array };
    expect(first.data[0]).toBe(1); // a bare ClientHello message, not a record
    expect(first.data[38]).toBe(0); // empty legacy_session_id: no middlebox compatibility (RFC 9001 §8.4)
    // Keys come before the data they protect.
    const hsWrite = s.events.findIndex(
      (e) => e.kind === 'keys' && e.level === 'handshake' && e.direction === 'write',
    );
    const hsData = s.events.findIndex(
      (e) => e.kind === 'handshake-data' && e.level === 'handshake',
    );
    expect(hsWrite).toBeGreaterThanOrEqual(0);
    expect(hsWrite).toBeLessThan(hsData);
  });

  it('carries an X25519MLKEM768 ClientHello larger than one Initial in pieces', () => {
    const { c, s, largestInitial } = run(
      QuicTls.client({ ...clientConfig, groups: ['X25519MLKEM768', 'x25519'] }),
      QuicTls.server({ ...serverConfig, groups: ['X25519MLKEM768', 'x25519'] }),
      500,
    );
    expect(c.tls.error).toBeUndefined();
    expect(s.tls.handshakeComplete).toBe(true);
    expect(largestInitial).toBeGreaterThan(1200);
    expect(c.tls.group).toBe('X25519MLKEM768');
    expect(s.tls.group).toBe('X25519MLKEM768');
    expect(c.secrets.get('application/write')).toBeDefined();
    expect(c.secrets.get('application/write')).toBe(s.secrets.get('application/read'));
  });

  it('ends with no_application_protocol (CRYPTO_ERROR 0x178) when ALPN does not match', () => {
    const { s } = run(
      QuicTls.client({ ...clientConfig, alpnProtocols: ['hq-interop'] }),
      QuicTls.server(serverConfig),
    );
    const alert = s.events.find((e) => e.kind === 'alert') as { description: number } | undefined;
    expect(alert?.description).toBe(AlertDescription.no_application_protocol);
    expect(cryptoErrorCode(alert!.description)).toBe(0x178);
  });

  it('refuses a peer without quic_transport_parameters with missing_extension', () => {
    const client = QuicTls.client({
      ...clientConfig,
      quicTransportParameters: undefined as unknown as Uint8Array,
    });
    const { s } = run(client, QuicTls.server(serverConfig));
    expect(s.tls.error?.alert).toBe(AlertDescription.missing_extension);
  });

  it('resumes with a ticket and 0-RTT: early secrets agree, no EndOfEarlyData', () => {
    const tickets = new TicketIssuer(nodeProvider, { count: 1 });
    const first = run(
      QuicTls.client(clientConfig),
      QuicTls.server({ ...serverConfig, tickets, maxEarlyData: 0xffffffff }),
    );
    const ticketEvent = first.c.events.find((e) => e.kind === 'session-ticket') as
      | { ticket: { maxEarlyData: number } }
      | undefined;
    expect(ticketEvent).toBeDefined();
    expect(ticketEvent!.ticket.maxEarlyData).toBe(0xffffffff);
    const { c, s } = run(
      QuicTls.client({ ...clientConfig, session: ticketEvent!.ticket as never, earlyData: true }),
      QuicTls.server({ ...serverConfig, tickets, maxEarlyData: 0xffffffff }),
    );
    expect(c.tls.error).toBeUndefined();
    expect(c.tls.resumed && s.tls.resumed).toBe(true);
    expect(c.secrets.get('early/write')).toBeDefined();
    expect(c.secrets.get('early/write')).toBe(s.secrets.get('early/read'));
    expect(c.events.some((e) => e.kind === 'early-data' && e.accepted)).toBe(true);
    const levels = c.events
      .filter((e) => e.kind === 'handshake-data')
      .map((e) => (e as { level: string }).level);
    expect(levels).toEqual(['initial', 'handshake']);
  });

  it('arbitrary CRYPTO data at any level never throws: it waits, or ends in one alert event', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(
              'initial',
              'early',
              'handshake',
              'application',
            ) as fc.Arbitrary<'initial'>,
            fc.uint8Array({ maxLength: 200 }),
          ),
          { maxLength: 4 },
        ),
        fc.boolean(),
        (pieces, asServer) => {
          const tls = asServer ? QuicTls.server(serverConfig) : QuicTls.client(clientConfig);
          tls.start(Date.now());
          for (const [level, data] of pieces) tls.receive(level, data, Date.now());
          const alerts: QuicTlsEvent[] = [];
          for (let e = tls.poll(); e !== undefined; e = tls.poll())
            if (e.kind === 'alert') alerts.push(e);
          expect(alerts.length).toBe(tls.error ? 1 : 0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
